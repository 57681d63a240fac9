import type { Deal } from '../model';
import type { DemoBilling } from './billing';
import { demoProductIds, demoProductName, demoProductPrice } from './catalogue';
import { type DemoContext, recentUpdate, workingTime } from './context';
import { addDays, addYears, daysBetween, toIsoDate, toIsoDateTime } from './dates';
import type { DemoAccountProfile } from './profile';
import { accountRandom } from './random';
import { lostDealStage, openDealStages, wonDealStage } from './vocabulary';

type DealDraft = Pick<Deal, 'type' | 'status' | 'productId' | 'amount'> & { closeMs: number; label: string };

/**
 * The commercial history: the new-business deal, yearly renewals (lost for churned accounts), an open
 * renewal as the date approaches, and expansion / contraction deals that match the lifecycle.
 */
export function buildDeals(
  context: DemoContext,
  profile: DemoAccountProfile,
  billing: DemoBilling,
  ownerId: string | null,
): Deal[] {
  const random = accountRandom(context.seed, profile.index, 'deals');
  const { todayMs } = context;
  const core = billing.subscriptions[0]!;
  const coreArr = core.mrr * 12;
  const drafts: DealDraft[] = [
    {
      type: 'new',
      status: 'won',
      productId: demoProductIds.corePlatform,
      amount: coreArr,
      closeMs: profile.customerSinceMs,
      label: 'New business',
    },
  ];
  const endMs = profile.churnedAtMs ?? todayMs;
  const pastRenewals: number[] = [];
  // A renewal that is due but unsigned (overdue) is not won yet; a churned account lost its last one.
  const signedBefore = billing.renewalMs ?? profile.churnedAtMs ?? Number.POSITIVE_INFINITY;
  for (let years = 1; addYears(profile.customerSinceMs, years) <= endMs; years++) {
    if (addYears(profile.customerSinceMs, years) >= signedBefore) break;
    pastRenewals.push(addYears(profile.customerSinceMs, years));
  }
  for (const renewalMs of pastRenewals.slice(-3)) {
    drafts.push({
      type: 'renewal',
      status: 'won',
      productId: demoProductIds.corePlatform,
      amount: coreArr,
      closeMs: renewalMs,
      label: `Renewal ${new Date(renewalMs).getUTCFullYear()}`,
    });
  }
  if (profile.churnedAtMs !== null) {
    drafts.push({
      type: 'renewal',
      status: 'lost',
      productId: demoProductIds.corePlatform,
      amount: coreArr,
      closeMs: profile.churnedAtMs,
      label: 'Renewal (lost)',
    });
  } else if (billing.renewalMs !== null && daysBetween(todayMs, billing.renewalMs) <= 90) {
    drafts.push({
      type: 'renewal',
      status: 'open',
      productId: demoProductIds.corePlatform,
      amount: billing.mrr * 12,
      closeMs: Math.max(billing.renewalMs, todayMs),
      label: `Renewal ${new Date(billing.renewalMs).getUTCFullYear()}`,
    });
  }
  if (profile.lifecycle === 'expanding') {
    const productId = profile.extraSeatPacks > 0 ? demoProductIds.extraSeats : demoProductIds.analytics;
    drafts.push({
      type: 'expansion',
      status: 'won',
      productId,
      amount: demoProductPrice(productId) * 12 * Math.max(1, profile.extraSeatPacks),
      closeMs: addDays(todayMs, -random.int(10, 150)),
      label: demoProductName(productId),
    });
  }
  if (profile.contractedAtMs !== null) {
    drafts.push({
      type: 'contraction',
      status: 'won',
      productId: demoProductIds.corePlatform,
      amount: Math.round((coreArr * (profile.previousSeats - profile.seats)) / profile.previousSeats),
      closeMs: profile.contractedAtMs,
      label: 'Seat reduction',
    });
  }
  const crossSellChance = profile.tier === 'healthy' ? 0.45 : profile.tier === 'at_risk' ? 0.25 : 0.1;
  if (profile.churnedAtMs === null && random.chance(crossSellChance)) {
    const productId = random.pick([
      demoProductIds.analytics,
      demoProductIds.training,
      demoProductIds.dataConnectors,
    ]);
    const status = random.weighted<Deal['status']>([
      ['open', 60],
      ['won', profile.tier === 'healthy' ? 25 : 10],
      ['lost', profile.tier === 'healthy' ? 15 : 30],
    ]);
    drafts.push({
      type: 'expansion',
      status,
      productId,
      amount: demoProductPrice(productId) * 12,
      closeMs:
        status === 'open' ? addDays(todayMs, random.int(5, 120)) : addDays(todayMs, -random.int(5, 300)),
      label: demoProductName(productId),
    });
  }
  return drafts.map((draft, position) => ({
    tenantId: context.tenantId,
    id: `deal-${profile.idStem}-${position + 1}`,
    accountId: profile.accountId,
    name: `${profile.name} — ${draft.label}`,
    amount: draft.amount,
    stage:
      draft.status === 'won'
        ? wonDealStage
        : draft.status === 'lost'
          ? lostDealStage
          : random.pick(openDealStages),
    closeDate: toIsoDate(draft.closeMs),
    type: draft.type,
    status: draft.status,
    productId: draft.productId,
    ownerId,
    // Closed deals were last touched when they closed; open ones recently.
    updatedAt:
      draft.status === 'open'
        ? recentUpdate(context, random, 30)
        : toIsoDateTime(Math.min(context.nowMs, workingTime(context, draft.closeMs, random))),
  }));
}
