import type { AccountHealthResponse, ScoreHistoryPoint, StoredScore } from '@pulse/shared/api/health';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';

/**
 * Reads of the stored scores: the explained latest score of one account (the card, the API, the
 * console) and its scoring history for trend lines.
 */
const DAY_MS = 86_400_000;
const HISTORY_DAYS = 90;

/** The latest explained score with the last 90 days of history, or null when never scored. */
export async function getAccountHealth(
  db: Kysely<Database>,
  tenantId: string,
  accountId: string,
): Promise<AccountHealthResponse | null> {
  const row = await db
    .selectFrom('account_scores')
    .select(['result', 'computed_at'])
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) return null;
  const computedAt = new Date(row.computed_at);
  const history = await getScoreHistory(db, tenantId, accountId, {
    since: new Date(computedAt.getTime() - HISTORY_DAYS * DAY_MS),
  });
  return { ...(JSON.parse(row.result) as StoredScore), history };
}

/** Scorings of one account since `since` (default: all kept), oldest first. */
export async function getScoreHistory(
  db: Kysely<Database>,
  tenantId: string,
  accountId: string,
  options: { since?: Date | string; limit?: number } = {},
): Promise<ScoreHistoryPoint[]> {
  let query = db
    .selectFrom('score_history')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId);
  if (options.since !== undefined) query = query.where('computed_at', '>=', new Date(options.since));
  const rows = await query
    .orderBy('computed_at', 'asc')
    .limit(options.limit ?? 10_000)
    .execute();
  return rows.map((row) => ({
    computedAt: new Date(row.computed_at).toISOString(),
    score: row.score,
    tier: row.tier,
    coverage: row.coverage,
    churnRisk: row.churn_risk,
    cltv: row.cltv,
    upsellScore: row.upsell_score,
    factors: row.factors,
  }));
}
