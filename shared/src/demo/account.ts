import type { Account } from '../model';
import type { DemoBilling } from './billing';
import { demoProductIds } from './catalogue';
import { type DemoContext, recentUpdate } from './context';
import { toIsoDate } from './dates';
import type { DemoAccountProfile } from './profile';
import { accountRandom, clamp } from './random';
import { type DemoOwner, demoOwners, industries, regions } from './vocabulary';

const employeeRange = { smb: [10, 200], mid_market: [200, 2000], enterprise: [2000, 60000] } as const;
const planBySegment = { smb: 'starter', mid_market: 'growth', enterprise: 'enterprise' } as const;

/** The firmographic account record; owner and attributes shape workflow conditions and filters. */
export function buildAccount(
  context: DemoContext,
  profile: DemoAccountProfile,
  billing: DemoBilling,
): { account: Account; owner: DemoOwner | null } {
  const random = accountRandom(context.seed, profile.index, 'account');
  const owner = random.chance(0.03)
    ? null
    : demoOwners[(profile.index * 7 + random.int(0, 2)) % demoOwners.length]!;
  const [minimum, maximum] = employeeRange[profile.segment];
  // Log-uniform: many small companies, few giants.
  const employees = Math.round(Math.exp(random.between(Math.log(minimum), Math.log(maximum))));
  const revenuePerEmployee = random.between(90_000, 320_000);
  const annualRevenue = Math.round((employees * revenuePerEmployee) / 1000) * 1000;
  const growth = clamp(random.gaussian() * 0.12 + (profile.health - 0.5) * 0.3, -0.35, 0.6);
  const firmographicsKnown = random.chance(0.95);
  // NPS survey answer 0-10, unanswered for some.
  const nps = random.chance(0.25)
    ? null
    : Math.round(clamp(profile.health * 10 + random.gaussian() * 1.5, 0, 10));
  const productLine = billing.subscriptions.some(
    (subscription) => subscription.productId === demoProductIds.analytics && subscription.status === 'active',
  )
    ? 'Analytics'
    : 'Platform';
  const account: Account = {
    tenantId: context.tenantId,
    id: profile.accountId,
    name: profile.name,
    domain: profile.domain,
    industry: firmographicsKnown ? random.pick(industries) : null,
    employees: firmographicsKnown ? employees : null,
    annualRevenue: firmographicsKnown ? annualRevenue : null,
    previousAnnualRevenue: firmographicsKnown ? Math.round(annualRevenue / (1 + growth) / 1000) * 1000 : null,
    ownerId: owner?.id ?? null,
    ownerName: owner?.name ?? null,
    ownerEmail: owner?.email ?? null,
    region: random.weighted(regions),
    customerSince: toIsoDate(profile.customerSinceMs),
    csOptOut: profile.csOptOut,
    attributes: {
      nps,
      plan: planBySegment[profile.segment],
      product_line: productLine,
      segment: profile.segment,
      lifecycle_stage: profile.churnedAtMs === null ? 'customer' : 'former_customer',
      mrr: billing.mrr,
      trial: billing.subscriptions.some((subscription) => subscription.status === 'trial'),
    },
    updatedAt: recentUpdate(context, random, 30),
  };
  return { account, owner };
}
