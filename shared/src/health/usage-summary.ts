import type { UsageSnapshot } from '../model';
import type { UsageSummary, UsageWindow } from '../usage';
import { DAY_MS, parseIsoMs, utcDayStart } from './time';

/**
 * Summarises daily usage rows into the two 30-day windows the engine scores from. The store runs
 * the same computation in SQL; both must follow these rules exactly (a test keeps them equal):
 *
 * - `today` is the UTC calendar day of `now`. Rows dated after today are ignored everywhere.
 *   Every other row counts for `firstDay`, `latestDay`, `lastLoginDay`, seats and features.
 * - Day offset = today − row day, in calendar days. `current` = offsets 0..29 (now-29 .. now),
 *   `previous` = offsets 30..59 (now-59 .. now-30). A window with no row is `null`.
 * - Per window: `days` = rows in it (one row per account per day is assumed);
 *   `avgActiveUsers` = Σ activeUsers ÷ days; `logins`, `apiCalls`, `integrationCalls`,
 *   `integrationFailures` = sums; `maxFeaturesAdopted` = max; `metrics[name]` = Σ value ÷ the
 *   number of rows in the window that report `name` (a day not reporting a metric is missing,
 *   not zero).
 * - `licensedSeats` / `featuresAvailable`: the value of the latest row (by day) where it is not
 *   null; null if no row has one. `latestActiveUsers`: activeUsers of the latest row.
 * - `lastLoginDay`: the latest day with logins > 0, or null.
 * - Returns null when no row is dated today or earlier.
 */
export function summariseUsage(rows: readonly UsageSnapshot[], now: Date): UsageSummary | null {
  const todayMs = utcDayStart(now.getTime());
  let firstDay: string | null = null;
  let latestDay: string | null = null;
  let latestActiveUsers = 0;
  let lastLoginDay: string | null = null;
  let seatsDay: string | null = null;
  let licensedSeats: number | null = null;
  let featuresDay: string | null = null;
  let featuresAvailable: number | null = null;
  const current = new WindowAccumulator();
  const previous = new WindowAccumulator();

  for (const row of rows) {
    const offset = Math.round((todayMs - parseIsoMs(row.day)) / DAY_MS);
    if (!(offset >= 0)) continue;
    // ISO calendar dates compare correctly as strings.
    if (firstDay === null || row.day < firstDay) firstDay = row.day;
    if (latestDay === null || row.day > latestDay) {
      latestDay = row.day;
      latestActiveUsers = row.activeUsers;
    }
    if (row.logins > 0 && (lastLoginDay === null || row.day > lastLoginDay)) lastLoginDay = row.day;
    if (row.licensedSeats !== null && (seatsDay === null || row.day > seatsDay)) {
      seatsDay = row.day;
      licensedSeats = row.licensedSeats;
    }
    if (row.featuresAvailable !== null && (featuresDay === null || row.day > featuresDay)) {
      featuresDay = row.day;
      featuresAvailable = row.featuresAvailable;
    }
    if (offset < 30) current.add(row);
    else if (offset < 60) previous.add(row);
  }

  if (firstDay === null || latestDay === null) return null;
  return {
    firstDay,
    latestDay,
    lastLoginDay,
    licensedSeats,
    featuresAvailable,
    latestActiveUsers,
    current: current.toWindow(),
    previous: previous.toWindow(),
  };
}

class WindowAccumulator {
  private days = 0;
  private activeUsers = 0;
  private logins = 0;
  private apiCalls = 0;
  private integrationCalls = 0;
  private integrationFailures = 0;
  private maxFeaturesAdopted = 0;
  private readonly metricTotals = new Map<string, { total: number; days: number }>();

  add(row: UsageSnapshot): void {
    this.days++;
    this.activeUsers += row.activeUsers;
    this.logins += row.logins;
    this.apiCalls += row.apiCalls;
    this.integrationCalls += row.integrationCalls;
    this.integrationFailures += row.integrationFailures;
    if (row.featuresAdopted > this.maxFeaturesAdopted) this.maxFeaturesAdopted = row.featuresAdopted;
    for (const name in row.metrics) {
      const value = row.metrics[name]!;
      const entry = this.metricTotals.get(name);
      if (entry === undefined) this.metricTotals.set(name, { total: value, days: 1 });
      else {
        entry.total += value;
        entry.days++;
      }
    }
  }

  toWindow(): UsageWindow | null {
    if (this.days === 0) return null;
    const metrics: Record<string, number> = {};
    for (const [name, entry] of this.metricTotals) metrics[name] = entry.total / entry.days;
    return {
      days: this.days,
      avgActiveUsers: this.activeUsers / this.days,
      logins: this.logins,
      apiCalls: this.apiCalls,
      integrationCalls: this.integrationCalls,
      integrationFailures: this.integrationFailures,
      maxFeaturesAdopted: this.maxFeaturesAdopted,
      metrics,
    };
  }
}
