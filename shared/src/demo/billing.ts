import type { Invoice, Subscription } from '../model';
import { demoProductIds, demoProductPrice } from './catalogue';
import { type DemoContext, recentUpdate, workingTime } from './context';
import { addDays, addMonths, addYears, dayMs, toIsoDate, toIsoDateTime } from './dates';
import type { DemoAccountProfile } from './profile';
import { accountRandom, clamp } from './random';

export interface DemoBilling {
  subscriptions: Subscription[];
  /** Renewal day of the core platform (may be overdue), null when churned. */
  renewalMs: number | null;
  /** Current MRR of live subscriptions. */
  mrr: number;
}

const segmentPriceMultiplier = { smb: 0.6, mid_market: 1.6, enterprise: 4.5 } as const;
const addOnProducts = [
  demoProductIds.analytics,
  demoProductIds.premiumSupport,
  demoProductIds.apiAccess,
  demoProductIds.dataConnectors,
] as const;

/** The next anniversary of `startMs` (every `termYears`) on or after `fromMs`. */
function nextAnniversary(startMs: number, termYears: number, fromMs: number): number {
  // Start a term short of the answer (365.25-day years underestimate by at most a day) and step.
  const elapsedYears = Math.floor((fromMs - startMs) / (365.25 * dayMs));
  let years = Math.max(termYears, Math.floor(elapsedYears / termYears) * termYears);
  while (addYears(startMs, years) < fromMs) years += termYears;
  return addYears(startMs, years);
}

/** 1-3 subscriptions: the core platform, add-ons bought along the way, sometimes a lapsed one. */
export function buildSubscriptions(context: DemoContext, profile: DemoAccountProfile): DemoBilling {
  const random = accountRandom(context.seed, profile.index, 'subscriptions');
  const { tenantId, todayMs } = context;
  const { accountId, idStem, factors } = profile;
  const churned = profile.churnedAtMs !== null;
  const termYears = profile.segment === 'enterprise' && random.chance(0.3) ? 2 : 1;
  let renewalMs = nextAnniversary(profile.customerSinceMs, termYears, todayMs);
  // Renewal pending: the date passed and nobody has signed yet (shows as overdue).
  const previousRenewal = addYears(renewalMs, -termYears);
  if (
    profile.tier !== 'healthy' &&
    previousRenewal > profile.customerSinceMs &&
    previousRenewal >= addDays(todayMs, -45) &&
    random.chance(0.6)
  ) {
    renewalMs = previousRenewal;
  }
  const autoRenew = random.chance(0.1 + 0.85 * factors.contract ** 2);
  const trial = profile.lifecycle === 'onboarding' && todayMs - profile.customerSinceMs < 14 * dayMs;
  const liveStatus: Subscription['status'] = trial && random.chance(0.6) ? 'trial' : 'active';
  const churnStatus: Subscription['status'] = random.chance(0.7) ? 'cancelled' : 'expired';
  const priceMultiplier = segmentPriceMultiplier[profile.segment] * random.between(0.85, 1.15);
  const subscriptions: Subscription[] = [];
  let mrr = 0;
  const add = (
    productId: string,
    startMs: number,
    monthly: number,
    seats: number | null,
    lapsedMs?: number,
  ) => {
    const lapsed = lapsedMs !== undefined || churned;
    const ownRenewal = startMs > profile.customerSinceMs && random.chance(0.3);
    const renewal = lapsed
      ? (lapsedMs ?? profile.churnedAtMs!)
      : ownRenewal
        ? nextAnniversary(startMs, 1, todayMs)
        : renewalMs;
    if (!lapsed && liveStatus !== 'trial') mrr += monthly;
    subscriptions.push({
      tenantId,
      id: `sub-${idStem}-${subscriptions.length + 1}`,
      accountId,
      productId,
      mrr: monthly,
      startDate: toIsoDate(startMs),
      renewalDate: toIsoDate(renewal),
      autoRenew: lapsed ? false : autoRenew,
      status: lapsedMs !== undefined ? 'expired' : churned ? churnStatus : liveStatus,
      licensedSeats: seats,
      updatedAt: recentUpdate(context, random, 60),
    });
  };

  const coreSeats = profile.seats - profile.extraSeatPacks * 10;
  add(
    demoProductIds.corePlatform,
    profile.customerSinceMs,
    Math.round(demoProductPrice(demoProductIds.corePlatform) * priceMultiplier),
    coreSeats,
  );
  const addOnStart = () =>
    addDays(
      profile.customerSinceMs,
      random.int(
        0,
        Math.max(0, Math.floor(((profile.churnedAtMs ?? todayMs) - profile.customerSinceMs) / dayMs) - 1),
      ),
    );
  if (profile.extraSeatPacks > 0) {
    add(
      demoProductIds.extraSeats,
      addDays(todayMs, -random.int(10, 150)),
      demoProductPrice(demoProductIds.extraSeats) * profile.extraSeatPacks,
      profile.extraSeatPacks * 10,
    );
  }
  const addOnChance = profile.tier === 'healthy' ? 0.65 : profile.tier === 'at_risk' ? 0.4 : 0.25;
  if (subscriptions.length < 3 && profile.lifecycle !== 'onboarding' && random.chance(addOnChance)) {
    const productId = random.pick(addOnProducts);
    add(productId, addOnStart(), Math.round(demoProductPrice(productId) * priceMultiplier), null);
  }
  // A lapsed Premium Support contract feeds the "subscription expired" recommendation signal.
  const hasSupport = subscriptions.some(
    (subscription) => subscription.productId === demoProductIds.premiumSupport,
  );
  if (subscriptions.length < 3 && !hasSupport && !churned && random.chance(0.12)) {
    const lapsedMs = addDays(todayMs, -random.int(10, 200));
    const startMs = addYears(lapsedMs, -1);
    if (startMs >= profile.customerSinceMs) {
      add(
        demoProductIds.premiumSupport,
        startMs,
        demoProductPrice(demoProductIds.premiumSupport),
        null,
        lapsedMs,
      );
    }
  }
  return { subscriptions, renewalMs: churned ? null : renewalMs, mrr };
}

const cadenceMonths = [
  [1, 70],
  [3, 20],
  [12, 10],
] as const;

/** Invoices for the last 12 months; payment speed follows the payment latent. */
export function buildInvoices(
  context: DemoContext,
  profile: DemoAccountProfile,
  billing: DemoBilling,
): Invoice[] {
  // Trials are not billed.
  if (!profile.reportsInvoices || billing.subscriptions.every((s) => s.status === 'trial')) return [];
  const random = accountRandom(context.seed, profile.index, 'invoices');
  const { tenantId, todayMs } = context;
  const cadence = random.weighted(cadenceMonths);
  const payment = profile.factors.payment;
  const monthlyAmount =
    billing.mrr > 0
      ? billing.mrr
      : billing.subscriptions.reduce((sum, subscription) => sum + subscription.mrr, 0);
  const historyStart = Math.max(profile.customerSinceMs, addMonths(todayMs, -12));
  const lastIssue = profile.churnedAtMs ?? todayMs;
  const invoices: Invoice[] = [];
  // Skip straight to the history window: long-standing customers would otherwise step through years.
  let step = Math.max(
    0,
    Math.floor((historyStart - profile.customerSinceMs) / (31 * dayMs) / cadence) * cadence,
  );
  for (let issuedMs = addMonths(profile.customerSinceMs, step); issuedMs <= lastIssue; ) {
    if (issuedMs >= historyStart) {
      const dueMs = addDays(issuedMs, 30);
      // Good payers often pay early; the average delay grows as the payment latent falls, and poor
      // payers leave some invoices unpaid for good.
      const meanDaysLate = Math.max(-6, (0.8 - payment) * 65);
      const daysLate = Math.round(meanDaysLate + random.gaussian() * (4 + Math.abs(meanDaysLate) * 0.3));
      const neverPaid = random.chance(clamp((0.7 - payment) * 0.5, 0, 0.4));
      const paidMs = workingTime(context, addDays(dueMs, daysLate), random);
      const voided = random.chance(0.01);
      let status: Invoice['status'];
      let paidAt: string | null = null;
      if (voided) status = 'void';
      else if (!neverPaid && paidMs <= context.nowMs && addDays(dueMs, daysLate) <= todayMs) {
        status = 'paid';
        paidAt = toIsoDateTime(paidMs);
      } else status = dueMs < todayMs ? 'overdue' : 'open';
      invoices.push({
        tenantId,
        id: `inv-${profile.idStem}-${invoices.length + 1}`,
        accountId: profile.accountId,
        amount: Math.round(monthlyAmount * cadence * 100) / 100,
        issuedAt: toIsoDate(issuedMs),
        dueDate: toIsoDate(dueMs),
        paidAt,
        status,
        updatedAt: paidAt ?? toIsoDateTime(Math.min(context.nowMs, workingTime(context, issuedMs, random))),
      });
    }
    step += cadence;
    issuedMs = addMonths(profile.customerSinceMs, step);
  }
  return invoices;
}
