import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';

/**
 * A log of score changes per account, kept by the flags extension. The recompute pipeline hands
 * extensions only the last few scorings, and with hourly scoring those are mostly the same score
 * repeated; the health-decline detector needs the last few *changes*. Kept `KEEP_DAYS`, then purged.
 */
export interface ScorePoint {
  score: number | null;
  computedAt: string;
}

export const SCORE_CHANGES_KEEP_DAYS = 90;
const DAY_MS = 86_400_000;
/** Changes per account worth keeping in memory: the detector needs `consecutive + 1` distinct scores. */
const CHANGES_PER_ACCOUNT = 12;

export async function loadScoreChanges(
  db: Kysely<Database>,
  tenantId: string,
  now: Date,
  days: number,
): Promise<Map<string, ScorePoint[]>> {
  await db
    .deleteFrom('score_changes')
    .where('tenant_id', '=', tenantId)
    .where('changed_at', '<', new Date(now.getTime() - SCORE_CHANGES_KEEP_DAYS * DAY_MS))
    .execute();
  const rows = await db
    .selectFrom('score_changes')
    .select(['account_id', 'changed_at', 'score'])
    .where('tenant_id', '=', tenantId)
    .where('changed_at', '>=', new Date(now.getTime() - (days + 1) * DAY_MS))
    .where('changed_at', '<', now)
    .orderBy('account_id')
    .orderBy('changed_at', 'desc')
    .execute();
  const byAccount = new Map<string, ScorePoint[]>();
  for (const row of rows) {
    const list = byAccount.get(row.account_id) ?? [];
    if (list.length < CHANGES_PER_ACCOUNT) {
      list.push({ score: row.score, computedAt: new Date(row.changed_at).toISOString() });
      byAccount.set(row.account_id, list);
    }
  }
  return byAccount;
}

/** The pipeline's recent scorings and the logged changes, newest first, one point per instant. */
export function mergeHistory(recent: readonly ScorePoint[], changes: readonly ScorePoint[]): ScorePoint[] {
  const byTime = new Map<string, ScorePoint>();
  for (const point of [...changes, ...recent]) byTime.set(new Date(point.computedAt).toISOString(), point);
  return [...byTime.entries()]
    .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
    .map(([computedAt, point]) => ({ score: point.score, computedAt }));
}

export async function saveScoreChanges(
  db: Kysely<Database>,
  tenantId: string,
  changes: readonly { accountId: string; score: number; changedAt: Date }[],
): Promise<void> {
  for (let start = 0; start < changes.length; start += 5000) {
    const rows = changes.slice(start, start + 5000).map((change) => ({
      tenant_id: tenantId,
      account_id: change.accountId,
      changed_at: change.changedAt,
      score: change.score,
    }));
    await db
      .insertInto('score_changes')
      .values(rows)
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }
}
