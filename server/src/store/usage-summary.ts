import type { UsageSummary, UsageWindow } from '@pulse/shared';
import { type Kysely, sql } from 'kysely';

import type { Database } from '../db/schema';
import { accountFilter, type ChunkSelector } from './chunks';

/**
 * `summariseUsage` (shared/src/health/usage-summary.ts) done by the database: one grouped query per
 * chunk with FILTER clauses for the two 30-day windows, plus one for the extra metrics of the few
 * rows that report any. It follows the same rules exactly (a test compares both on a generated
 * portfolio), except that only the 60 days the windows cover are read, so `firstDay` is the
 * first reported day within them.
 */
const DAY_MS = 86_400_000;

interface SummaryRow {
  account_id: string;
  first_day: string;
  latest_day: string;
  last_login_day: string | null;
  licensed_seats: number | null;
  features_available: number | null;
  latest_active_users: number;
  current_days: number;
  current_active_users: number | null;
  current_logins: number | null;
  current_api_calls: number | null;
  current_integration_calls: number | null;
  current_integration_failures: number | null;
  current_max_features: number | null;
  previous_days: number;
  previous_active_users: number | null;
  previous_logins: number | null;
  previous_api_calls: number | null;
  previous_integration_calls: number | null;
  previous_integration_failures: number | null;
  previous_max_features: number | null;
}

interface MetricRow {
  account_id: string;
  in_current: boolean;
  name: string;
  total: number;
  days: number;
}

export async function summariseUsageInSql(
  db: Kysely<Database>,
  tenantId: string,
  selector: ChunkSelector,
  now: Date,
): Promise<Map<string, UsageSummary>> {
  const todayMs = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const today = isoDay(todayMs);
  const windowStart = isoDay(todayMs - 59 * DAY_MS);
  const currentStart = isoDay(todayMs - 29 * DAY_MS);
  const inCurrent = sql`day >= ${currentStart}::date`;
  const inPrevious = sql`day < ${currentStart}::date`;
  const scope = sql`tenant_id = ${tenantId} and ${accountFilter(selector)}
    and day between ${windowStart}::date and ${today}::date`;

  // Sums are cast to float8 so both drivers return plain numbers (sum(int) is bigint).
  const summaries = await sql<SummaryRow>`
    select account_id,
      min(day) as first_day,
      max(day) as latest_day,
      max(day) filter (where logins > 0) as last_login_day,
      (array_agg(licensed_seats order by day desc) filter (where licensed_seats is not null))[1] as licensed_seats,
      (array_agg(features_available order by day desc) filter (where features_available is not null))[1] as features_available,
      (array_agg(active_users order by day desc))[1] as latest_active_users,
      count(*) filter (where ${inCurrent})::int as current_days,
      sum(active_users) filter (where ${inCurrent})::float8 as current_active_users,
      sum(logins) filter (where ${inCurrent})::float8 as current_logins,
      sum(api_calls) filter (where ${inCurrent})::float8 as current_api_calls,
      sum(integration_calls) filter (where ${inCurrent})::float8 as current_integration_calls,
      sum(integration_failures) filter (where ${inCurrent})::float8 as current_integration_failures,
      max(features_adopted) filter (where ${inCurrent}) as current_max_features,
      count(*) filter (where ${inPrevious})::int as previous_days,
      sum(active_users) filter (where ${inPrevious})::float8 as previous_active_users,
      sum(logins) filter (where ${inPrevious})::float8 as previous_logins,
      sum(api_calls) filter (where ${inPrevious})::float8 as previous_api_calls,
      sum(integration_calls) filter (where ${inPrevious})::float8 as previous_integration_calls,
      sum(integration_failures) filter (where ${inPrevious})::float8 as previous_integration_failures,
      max(features_adopted) filter (where ${inPrevious}) as previous_max_features
    from usage_daily
    where ${scope}
    group by account_id
  `.execute(db);

  const metrics = await sql<MetricRow>`
    select account_id, ${inCurrent} as in_current, metric.key as name,
      sum(metric.value::float8)::float8 as total, count(*)::int as days
    from usage_daily, jsonb_each_text(metrics) as metric
    where ${scope} and metrics <> '{}'::jsonb
    group by account_id, in_current, metric.key
  `.execute(db);

  const result = new Map<string, UsageSummary>();
  for (const row of summaries.rows) {
    result.set(row.account_id, {
      firstDay: row.first_day,
      latestDay: row.latest_day,
      lastLoginDay: row.last_login_day,
      licensedSeats: row.licensed_seats,
      featuresAvailable: row.features_available,
      latestActiveUsers: row.latest_active_users,
      current: toWindow(row.current_days, {
        activeUsers: row.current_active_users,
        logins: row.current_logins,
        apiCalls: row.current_api_calls,
        integrationCalls: row.current_integration_calls,
        integrationFailures: row.current_integration_failures,
        maxFeaturesAdopted: row.current_max_features,
      }),
      previous: toWindow(row.previous_days, {
        activeUsers: row.previous_active_users,
        logins: row.previous_logins,
        apiCalls: row.previous_api_calls,
        integrationCalls: row.previous_integration_calls,
        integrationFailures: row.previous_integration_failures,
        maxFeaturesAdopted: row.previous_max_features,
      }),
    });
  }
  for (const row of metrics.rows) {
    const summary = result.get(row.account_id);
    const window = row.in_current ? summary?.current : summary?.previous;
    if (window) window.metrics[row.name] = row.total / row.days;
  }
  return result;
}

function toWindow(
  days: number,
  sums: {
    activeUsers: number | null;
    logins: number | null;
    apiCalls: number | null;
    integrationCalls: number | null;
    integrationFailures: number | null;
    maxFeaturesAdopted: number | null;
  },
): UsageWindow | null {
  if (days === 0) return null;
  return {
    days,
    avgActiveUsers: (sums.activeUsers ?? 0) / days,
    logins: sums.logins ?? 0,
    apiCalls: sums.apiCalls ?? 0,
    integrationCalls: sums.integrationCalls ?? 0,
    integrationFailures: sums.integrationFailures ?? 0,
    maxFeaturesAdopted: sums.maxFeaturesAdopted ?? 0,
    metrics: {},
  };
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
