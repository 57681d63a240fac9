/**
 * Usage is stored daily but scored from two 30-day windows. The store computes this summary in
 * SQL (so 100k accounts never move 6M daily rows into memory); `summariseUsage` in
 * shared/src/health/signals.ts computes the same from daily rows in memory. A test keeps them equal.
 */
export interface UsageWindow {
  /** Days in the window that have a snapshot. */
  days: number;
  avgActiveUsers: number;
  logins: number;
  apiCalls: number;
  integrationCalls: number;
  integrationFailures: number;
  maxFeaturesAdopted: number;
  /** Average per day of each extra metric reported in the window. */
  metrics: Record<string, number>;
}

export interface UsageSummary {
  firstDay: string;
  latestDay: string;
  /** Last day with at least one login, or null if never. */
  lastLoginDay: string | null;
  /** From the latest snapshot that reports them. */
  licensedSeats: number | null;
  featuresAvailable: number | null;
  latestActiveUsers: number;
  /** The 30 days ending at `now` (days now-29 .. now). */
  current: UsageWindow | null;
  /** The 30 days before that (days now-59 .. now-30). */
  previous: UsageWindow | null;
}
