import type { PreviousScore } from '@pulse/shared/health/index';
import { type Kysely, sql } from 'kysely';

import type { Database } from '../db/schema';
import { arrayLiteral } from '../store/bulk';

/**
 * What a scoring needs of the past, read per chunk with one query each: the last scorings before
 * now (the newest names the drivers; extensions see three), the newest one at least 30 days old
 * (for the 30-day trend) and, when the model scores them, the open flags stored with the latest
 * score. Each lookup walks the
 * (tenant, account, computed_at) index backwards, so years of hourly history cost nothing extra.
 */
export interface AccountPast {
  previous: PreviousScore | null;
  /** Newest first, at most 3. */
  recent: { score: number | null; computedAt: string }[];
  scoreThirtyDaysAgo: number | null;
  openFlags: { open: number; critical: number } | null;
}

const DAY_MS = 86_400_000;
const RECENT_SCORINGS = 3;

export async function loadPast(
  db: Kysely<Database>,
  tenantId: string,
  accountIds: readonly string[],
  now: Date,
  options: { withOpenFlags: boolean },
): Promise<Map<string, AccountPast>> {
  const past = new Map<string, AccountPast>();
  for (const id of accountIds) {
    past.set(id, { previous: null, recent: [], scoreThirtyDaysAgo: null, openFlags: null });
  }
  if (accountIds.length === 0) return past;
  const ids = arrayLiteral(accountIds, 'text');

  const recent = await sql<{
    account_id: string;
    computed_at: string;
    score: number | null;
    tier: string | null;
    factors: PreviousScore['factors'] | null;
  }>`
    select ids.account_id,
      to_char(h.computed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as computed_at,
      h.score, h.tier, case when h.position = 1 then h.factors end as factors
    from unnest(${ids}::text[]) as ids(account_id)
    cross join lateral (
      select computed_at, score, tier, factors, row_number() over (order by computed_at desc) as position
      from score_history
      where tenant_id = ${tenantId} and account_id = ids.account_id and computed_at < ${now}
      order by computed_at desc
      limit ${RECENT_SCORINGS}
    ) as h
    order by ids.account_id, h.computed_at desc
  `.execute(db);
  for (const row of recent.rows) {
    const entry = past.get(row.account_id)!;
    if (row.factors !== null) {
      entry.previous = {
        score: row.score,
        tier: row.tier,
        computedAt: row.computed_at,
        factors: row.factors,
      };
    }
    entry.recent.push({ score: row.score, computedAt: row.computed_at });
  }

  const monthAgo = await sql<{ account_id: string; score: number | null }>`
    select ids.account_id, h.score
    from unnest(${ids}::text[]) as ids(account_id)
    cross join lateral (
      select score from score_history
      where tenant_id = ${tenantId} and account_id = ids.account_id
        and computed_at <= ${new Date(now.getTime() - 30 * DAY_MS)}
      order by computed_at desc
      limit 1
    ) as h
  `.execute(db);
  for (const row of monthAgo.rows) past.get(row.account_id)!.scoreThirtyDaysAgo = row.score;

  // Only the workspace-activity model scores flags; reading them means detoasting every result.
  if (!options.withOpenFlags) return past;
  const flags = await sql<{ account_id: string; open: number | null; critical: number | null }>`
    select account_id, (result::json->'openFlags'->>'count')::int as open, (result::json->'openFlags'->>'critical')::int as critical
    from account_scores
    where tenant_id = ${tenantId} and account_id = any(${ids}::text[])
  `.execute(db);
  for (const row of flags.rows) {
    if (row.open !== null)
      past.get(row.account_id)!.openFlags = { open: row.open, critical: row.critical ?? 0 };
  }
  return past;
}
