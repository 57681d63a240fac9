import { type Kysely, sql } from 'kysely';

import type { Database } from '../db/schema';
import { arrayLiteral, type BulkColumn, bulkInsert } from '../store/bulk';

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

/** Drop changes older than `KEEP_DAYS` (once per recompute). */
export async function pruneScoreChanges(db: Kysely<Database>, tenantId: string, now: Date): Promise<void> {
  await db
    .deleteFrom('score_changes')
    .where('tenant_id', '=', tenantId)
    .where('changed_at', '<', new Date(now.getTime() - SCORE_CHANGES_KEEP_DAYS * DAY_MS))
    .execute();
}

/** The last changes within `days` before `now` of the given accounts (newest first per account). */
export async function loadScoreChanges(
  db: Kysely<Database>,
  tenantId: string,
  now: Date,
  days: number,
  accountIds: readonly string[],
): Promise<Map<string, ScorePoint[]>> {
  if (accountIds.length === 0) return new Map();
  // Times come back as the canonical text history is keyed by, not as a Date per row to format.
  const rows = await db
    .selectFrom('score_changes')
    .select([
      'account_id',
      sql<string>`to_char(changed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`.as('changed_at'),
      'score',
    ])
    .where('tenant_id', '=', tenantId)
    .where(sql<boolean>`account_id = any(${arrayLiteral(accountIds, 'text')}::text[])`)
    .where('score_changes.changed_at', '>=', new Date(now.getTime() - (days + 1) * DAY_MS))
    .where('score_changes.changed_at', '<', now)
    .orderBy('account_id')
    .orderBy('score_changes.changed_at', 'desc')
    .execute();
  const byAccount = new Map<string, ScorePoint[]>();
  for (const row of rows) {
    const list = byAccount.get(row.account_id);
    if (list === undefined) byAccount.set(row.account_id, [{ score: row.score, computedAt: row.changed_at }]);
    else if (list.length < CHANGES_PER_ACCOUNT) list.push({ score: row.score, computedAt: row.changed_at });
  }
  return byAccount;
}

/** `YYYY-MM-DDTHH:MM:SS.sssZ`, what `toISOString` writes: already in the form history is keyed by. */
function isCanonicalIso(text: string): boolean {
  return (
    text.length === 24 &&
    text.charCodeAt(23) === 90 &&
    text.charCodeAt(10) === 84 &&
    text.charCodeAt(19) === 46 &&
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58
  );
}

function isoKey(computedAt: string): string {
  return isCanonicalIso(computedAt) ? computedAt : new Date(computedAt).toISOString();
}

/** The pipeline's recent scorings and the logged changes, newest first, one point per instant. */
export function mergeHistory(recent: readonly ScorePoint[], changes: readonly ScorePoint[]): ScorePoint[] {
  // Both lists come newest first (canonical times, as the store writes them), so this is a merge;
  // anything else takes the general path. A recent scoring wins over a change at the same instant.
  const merged: ScorePoint[] = [];
  let changeIndex = 0;
  let recentIndex = 0;
  let last: string | null = null;
  while (changeIndex < changes.length || recentIndex < recent.length) {
    const change = changes[changeIndex];
    const scoring = recent[recentIndex];
    const changeAt = change === undefined ? null : change.computedAt;
    const scoringAt = scoring === undefined ? null : scoring.computedAt;
    if (
      (changeAt !== null && !isCanonicalIso(changeAt)) ||
      (scoringAt !== null && !isCanonicalIso(scoringAt))
    ) {
      return mergeAnyHistory(recent, changes);
    }
    let point: ScorePoint;
    let at: string;
    if (scoringAt !== null && (changeAt === null || scoringAt >= changeAt)) {
      if (scoringAt === changeAt) changeIndex++;
      point = scoring!;
      at = scoringAt;
      recentIndex++;
    } else {
      point = change!;
      at = changeAt!;
      changeIndex++;
    }
    if (last !== null && at >= last) return mergeAnyHistory(recent, changes);
    last = at;
    merged.push({ score: point.score, computedAt: at });
  }
  return merged;
}

function mergeAnyHistory(recent: readonly ScorePoint[], changes: readonly ScorePoint[]): ScorePoint[] {
  const byTime = new Map<string, ScorePoint>();
  for (const point of [...changes, ...recent]) byTime.set(isoKey(point.computedAt), point);
  return [...byTime.entries()]
    .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
    .map(([computedAt, point]) => ({ score: point.score, computedAt }));
}

const scoreChangeColumns: BulkColumn[] = [
  { name: 'tenant_id', type: 'text' },
  { name: 'account_id', type: 'text' },
  { name: 'changed_at', type: 'timestamptz' },
  // The column's own type: a score is parsed once, as a parameter of the column would be.
  { name: 'score', type: 'real' },
];

export async function saveScoreChanges(
  db: Kysely<Database>,
  tenantId: string,
  changes: readonly { accountId: string; score: number; changedAt: Date }[],
): Promise<void> {
  const count = changes.length;
  const accountIds = new Array<string>(count);
  const changedAt = new Array<Date>(count);
  const scores = new Array<number>(count);
  for (let index = 0; index < count; index++) {
    const change = changes[index]!;
    accountIds[index] = change.accountId;
    changedAt[index] = change.changedAt;
    scores[index] = change.score;
  }
  // A change already logged at that instant (a re-run with the same clock) is kept as it is.
  await bulkInsert(
    db,
    'score_changes',
    scoreChangeColumns,
    [new Array<string>(count).fill(tenantId), accountIds, changedAt, scores],
    { conflict: [] },
  );
}
