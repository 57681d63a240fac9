/**
 * What alerting and workflows compare between two scorings of one account. Crossings are always
 * "previous observation vs current observation", so re-scoring an account that stays below a
 * threshold never fires again: the rule re-arms only once the metric has gone back across.
 */
export interface Observation {
  score: number | null;
  tier: string | null;
  /** 0-100. */
  churnRisk: number | null;
  /** Types of the account's open flags. */
  flagTypes: string[];
  daysToRenewal: number | null;
  /** Days since the account became a customer (onboarding milestones). */
  customerDays: number | null;
  /** Usage figures for milestones: seatUtilisation, usageGrowthPct, loginsLast30Days, extra metrics. */
  usage: Record<string, number>;
}

const DAY_MS = 86_400_000;

function wholeDaysBetween(fromIsoDate: string, now: Date): number {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return Math.round((today - Date.parse(fromIsoDate.slice(0, 10))) / DAY_MS);
}

/** What an observation needs of a stored scoring (account_scores). */
export interface ScoredFacts {
  score: number | null;
  tier: string | null;
  churnRisk: number | null;
  flagTypes: string[];
  /** ISO date of the next renewal, or null. */
  nextRenewalDate: string | null;
  arr: number;
  computedAt: string;
}

/** The observation of a stored scoring plus the account's usage figures. */
export function observationOf(
  stored: ScoredFacts,
  account: { customerSince: string | null },
  usage: Record<string, number>,
  now: Date,
): Observation {
  return {
    score: stored.score,
    tier: stored.tier,
    churnRisk: stored.churnRisk,
    flagTypes: [...stored.flagTypes].sort(),
    daysToRenewal: stored.nextRenewalDate === null ? null : -wholeDaysBetween(stored.nextRenewalDate, now),
    customerDays: account.customerSince === null ? null : wholeDaysBetween(account.customerSince, now),
    usage,
  };
}

/**
 * The observation to keep for the next comparison: a metric that went missing (no data this time)
 * keeps its last known value, so a score that returns below a threshold after a gap is not mistaken
 * for a new crossing, and one that crossed during the gap still is.
 */
export function carryForward(previous: Observation | null, current: Observation): Observation {
  if (!previous) return current;
  const usage = { ...previous.usage, ...current.usage };
  return {
    score: current.score ?? previous.score,
    tier: current.tier ?? previous.tier,
    churnRisk: current.churnRisk ?? previous.churnRisk,
    flagTypes: current.flagTypes,
    daysToRenewal: current.daysToRenewal ?? previous.daysToRenewal,
    customerDays: current.customerDays ?? previous.customerDays,
    usage,
  };
}

/** A numeric value crossed `threshold` going down: previous at/above it, current strictly below. */
export function crossedBelow(previous: number | null, current: number | null, threshold: number): boolean {
  return previous !== null && current !== null && previous >= threshold && current < threshold;
}

/** A numeric value crossed `threshold` going up: previous below it, current at/above it. */
export function crossedAbove(previous: number | null, current: number | null, threshold: number): boolean {
  return previous !== null && current !== null && previous < threshold && current >= threshold;
}
