import type { AccountSnapshot, Subscription } from '../model';
import { daysUntil } from '../renewals/calendar';
import type { UsageSummary } from '../usage';
import type { RuleSignal } from './rules';

/**
 * The facts about an account that rule signals test, each null when the data is missing, so a
 * missing value never makes a signal hold (missing data is not zero).
 */
export interface AccountFacts {
  ownedProductIds: Set<string>;
  /** Products with an expired or cancelled subscription and no active one. */
  lapsedProductIds: Set<string>;
  /** Days to the nearest renewal of an active subscription (negative when overdue). */
  daysToRenewal: number | null;
  revenueGrowthPercent: number | null;
  seatUtilisationPercent: number | null;
  healthTier: string | null;
  usage: UsageSummary | null;
}

/** "Owned" means an active subscription; trials are not owned, so a trial product can be recommended. */
// Plain loops below: these run for every account of every recompute (by the flags, recommendations
// and renewal code alike), where filter/map/sort chains allocated three arrays per call.

export function ownedProducts(subscriptions: readonly Subscription[]): Set<string> {
  const owned = new Set<string>();
  for (const subscription of subscriptions) {
    if (subscription.status === 'active') owned.add(subscription.productId);
  }
  return owned;
}

export function licensedSeats(snapshot: AccountSnapshot): number | null {
  if (snapshot.usage?.licensedSeats != null) return snapshot.usage.licensedSeats;
  let seats = 0;
  for (const subscription of snapshot.subscriptions) {
    if (subscription.status === 'active' && subscription.licensedSeats !== null) {
      seats += subscription.licensedSeats;
    }
  }
  return seats > 0 ? seats : null;
}

/** The earliest renewal date of an active subscription (calendar dates order as text). */
export function nextRenewalDate(subscriptions: readonly Subscription[]): string | null {
  let next: string | null = null;
  for (const subscription of subscriptions) {
    const date = subscription.renewalDate;
    if (subscription.status === 'active' && date !== null && (next === null || date < next)) next = date;
  }
  return next;
}

export function accountFacts(snapshot: AccountSnapshot, healthTier: string | null, now: Date): AccountFacts {
  const owned = ownedProducts(snapshot.subscriptions);
  const lapsed = new Set<string>();
  for (const subscription of snapshot.subscriptions) {
    if (
      (subscription.status === 'expired' || subscription.status === 'cancelled') &&
      !owned.has(subscription.productId)
    ) {
      lapsed.add(subscription.productId);
    }
  }
  const renewal = nextRenewalDate(snapshot.subscriptions);
  const { annualRevenue, previousAnnualRevenue } = snapshot.account;
  const seats = licensedSeats(snapshot);
  return {
    ownedProductIds: owned,
    lapsedProductIds: lapsed,
    daysToRenewal: renewal === null ? null : daysUntil(renewal, now),
    revenueGrowthPercent:
      annualRevenue !== null && previousAnnualRevenue !== null && previousAnnualRevenue > 0
        ? ((annualRevenue - previousAnnualRevenue) / previousAnnualRevenue) * 100
        : null,
    seatUtilisationPercent:
      seats !== null && seats > 0 && snapshot.usage ? (snapshot.usage.latestActiveUsers / seats) * 100 : null,
    healthTier,
    usage: snapshot.usage,
  };
}

/**
 * Built-in usage metric names a rule can test; any other name reads the product's own metric
 * (average per day over the last 30 days).
 */
export const builtInUsageMetrics = {
  active_users: 'active users',
  logins: 'logins (30 days)',
  api_calls: 'API calls (30 days)',
  integration_calls: 'integration calls (30 days)',
  features_adopted: 'features adopted',
} as const;

export function usageMetricValue(usage: UsageSummary | null, metric: string): number | null {
  if (!usage) return null;
  if (metric === 'active_users') return usage.latestActiveUsers;
  const window = usage.current;
  if (!window || window.days === 0) return null;
  switch (metric) {
    case 'logins':
      return window.logins;
    case 'api_calls':
      return window.apiCalls;
    case 'integration_calls':
      return window.integrationCalls;
    case 'features_adopted':
      return window.maxFeaturesAdopted;
    default:
      return window.metrics[metric] ?? null;
  }
}

function metricLabel(metric: string): string {
  return (builtInUsageMetrics as Record<string, string>)[metric] ?? metric;
}

const roundOne = (value: number) => Math.round(value * 10) / 10;

function renewalPhrase(days: number): string {
  if (days === 0) return 'renewal today';
  if (days < 0) return `renewal ${-days} day${days === -1 ? '' : 's'} overdue`;
  return `renewal in ${days} day${days === 1 ? '' : 's'}`;
}

/** Whether a signal holds for the account and, if so, the words that explain it. */
export function evaluateSignal(
  signal: RuleSignal,
  facts: AccountFacts,
  productName: (productId: string) => string,
): { holds: boolean; label: string } {
  const held = heldSignalLabel(signal, facts, productName);
  return held !== null
    ? { holds: true, label: held }
    : { holds: false, label: unmetSignalLabel(signal, productName) };
}

/**
 * The words that explain a signal that holds, or null when it does not: scoring every rule for
 * every account needs no words for the signals that do not hold.
 */
export function heldSignalLabel(
  signal: RuleSignal,
  facts: AccountFacts,
  productName: (productId: string) => string,
): string | null {
  switch (signal.type) {
    case 'renewal_within_days': {
      const days = facts.daysToRenewal;
      return days !== null && days <= signal.days ? renewalPhrase(days) : null;
    }
    case 'revenue_growth_percent': {
      const growth = facts.revenueGrowthPercent;
      return growth !== null && growth >= signal.percent
        ? `revenue ${growth >= 0 ? '+' : ''}${roundOne(growth)}%`
        : null;
    }
    case 'usage_metric_above':
    case 'usage_metric_below': {
      const value = usageMetricValue(facts.usage, signal.metric);
      const above = signal.type === 'usage_metric_above';
      const holds = value !== null && (above ? value > signal.threshold : value < signal.threshold);
      return holds
        ? `${metricLabel(signal.metric)} ${roundOne(value)} ${above ? '>' : '<'} ${signal.threshold}`
        : null;
    }
    case 'subscription_expired':
      return facts.lapsedProductIds.has(signal.productId)
        ? `${productName(signal.productId)} subscription lapsed`
        : null;
    case 'health_tier_is':
      return facts.healthTier !== null && facts.healthTier.toLowerCase() === signal.tier.toLowerCase()
        ? `health tier ${signal.tier}`
        : null;
    case 'seat_utilisation_above': {
      const utilisation = facts.seatUtilisationPercent;
      return utilisation !== null && utilisation > signal.percent
        ? `seat utilisation ${Math.round(utilisation)}%`
        : null;
    }
  }
}

/** The words for a signal that does not hold: what it would take. */
function unmetSignalLabel(signal: RuleSignal, productName: (productId: string) => string): string {
  switch (signal.type) {
    case 'renewal_within_days':
      return `renewal within ${signal.days} days`;
    case 'revenue_growth_percent':
      return `revenue growth ≥ ${signal.percent}%`;
    case 'usage_metric_above':
      return `${metricLabel(signal.metric)} > ${signal.threshold}`;
    case 'usage_metric_below':
      return `${metricLabel(signal.metric)} < ${signal.threshold}`;
    case 'subscription_expired':
      return `${productName(signal.productId)} subscription lapsed`;
    case 'health_tier_is':
      return `health tier ${signal.tier}`;
    case 'seat_utilisation_above':
      return `seat utilisation > ${signal.percent}%`;
  }
}
