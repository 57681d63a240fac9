import type { Subscription, UsageSnapshot } from '../model';
import { demoProductIds } from './catalogue';
import type { DemoContext } from './context';
import { dayMs } from './dates';
import type { DemoAccountProfile } from './profile';
import { accountRandom, clamp } from './random';

/** Days over which steady growth plays out. */
const growthDays = 90;

/**
 * Daily usage for the usage window: active users against seats (utilisation and trend from the usage
 * latent), weekend and holiday dips, onboarding ramp-up, a seat cut for contracting accounts, zero
 * activity after churn, API volume with the API product and integration failures for troubled ones.
 * Pushes into `into` rather than returning arrays, so a batch fills one array without copies.
 */
export function appendUsage(
  context: DemoContext,
  profile: DemoAccountProfile,
  subscriptions: readonly Subscription[],
  into: UsageSnapshot[],
): void {
  if (!profile.reportsUsage) return;
  const random = accountRandom(context.seed, profile.index, 'usage');
  const { tenantId, usageDays, usageStartMs, usageDayStrings, usageDayFactors, todayMs } = context;
  const { accountId, factors, lifecycle } = profile;
  const owned = new Set(
    subscriptions.filter((subscription) => subscription.status !== 'expired').map((s) => s.productId),
  );
  const featuresAvailable =
    12 +
    (owned.has(demoProductIds.analytics) ? 6 : 0) +
    (owned.has(demoProductIds.apiAccess) ? 3 : 0) +
    (owned.has(demoProductIds.dataConnectors) ? 4 : 0);
  const utilisation = clamp(factors.usage * 0.95 - 0.03 + random.gaussian() * 0.05, 0.03, 1.05);
  // Today's level follows the usage latent; the past is derived from it: growing accounts were lower,
  // declining ones higher before a drop some 10-40 days ago (enough for a month-over-month fall > 30%).
  const growth = lifecycle === 'expanding' ? random.between(0.15, 0.45) : random.between(-0.06, 0.08);
  const declining =
    lifecycle === 'churned' ||
    lifecycle === 'contracting' ||
    random.chance(clamp((0.65 - factors.usage) * 2, 0, 0.9));
  const drop = declining ? random.between(0.25, 0.7) : 0;
  const dropDaysAgo = random.int(10, 40);
  const adoption = clamp(0.05 + factors.usage * 0.9 + random.gaussian() * 0.05, 0.05, 1);
  const loginsPerUser = random.between(1.2, 2.6);
  const apiPerUser = owned.has(demoProductIds.apiAccess) ? random.between(40, 220) : random.between(0, 4);
  const integrationPerUser = owned.has(demoProductIds.dataConnectors)
    ? random.between(10, 30)
    : random.between(1, 5);
  const failureRate = profile.integrationTrouble ? random.between(0.22, 0.45) : random.between(0.002, 0.03);
  const reportsPerUser = random.between(0.1, 0.6);

  const firstOffset = Math.max(0, Math.ceil((profile.customerSinceMs - usageStartMs) / dayMs));
  const churnOffset =
    profile.churnedAtMs === null ? usageDays : Math.floor((profile.churnedAtMs - usageStartMs) / dayMs);
  const contractionOffset =
    profile.contractedAtMs === null ? -1 : Math.floor((profile.contractedAtMs - usageStartMs) / dayMs);
  const todayOffset = Math.floor((todayMs - usageStartMs) / dayMs);

  const customerDaysAtStart = Math.floor((usageStartMs - profile.customerSinceMs) / dayMs);
  for (let offset = firstOffset; offset < usageDays; offset++) {
    const seats = offset < contractionOffset ? profile.previousSeats : profile.seats;
    const daysAgo = todayOffset - offset;
    const growthFactor = (1 + growth * (1 - Math.min(daysAgo, growthDays) / growthDays)) / (1 + growth);
    const trendFactor = daysAgo >= dropDaysAgo ? growthFactor / (1 - drop) : growthFactor;
    const daysAsCustomer = customerDaysAtStart + offset;
    const ramp = daysAsCustomer < 30 ? 0.2 + (0.8 * daysAsCustomer) / 30 : 1;
    // Utilisation tops out near full seats before calendar dips apply, so holidays show for everyone.
    const level = Math.min(1.05, utilisation * trendFactor) * ramp * usageDayFactors[offset]!;
    const active =
      offset >= churnOffset || profile.neverActivated
        ? 0
        : Math.round(seats * level * random.between(0.9, 1.1));
    const integrationCalls = Math.round(active * integrationPerUser);
    const featureRamp = Math.min(1, 0.4 + daysAsCustomer / 180);
    into.push({
      tenantId,
      accountId,
      day: usageDayStrings[offset]!,
      activeUsers: active,
      licensedSeats: seats,
      logins: Math.round(active * loginsPerUser),
      featuresAdopted: profile.neverActivated ? 0 : Math.round(featuresAvailable * adoption * featureRamp),
      featuresAvailable,
      apiCalls: Math.round(active * apiPerUser),
      integrationCalls,
      integrationFailures: Math.round(integrationCalls * failureRate * random.between(0.7, 1.3)),
      metrics: { reports_created: Math.round(active * reportsPerUser) },
    });
  }
}
