import type { StoredScore } from '@pulse/shared/api/health';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import { type BulkColumn, bulkInsert } from '../store/bulk';

/**
 * A chunk's results in two bulk statements: the latest explained score per account (upsert) and
 * one score_history row per account (every scoring is kept; a re-run at the same instant replaces
 * its own row).
 */
const scoreColumns: BulkColumn[] = [
  { name: 'tenant_id', type: 'text' },
  { name: 'account_id', type: 'text' },
  { name: 'score', type: 'float8' },
  { name: 'tier', type: 'text' },
  { name: 'coverage', type: 'float8' },
  { name: 'low_coverage', type: 'bool' },
  { name: 'churn_risk', type: 'float8' },
  { name: 'cltv', type: 'float8' },
  { name: 'upsell_score', type: 'float8' },
  { name: 'trend_30d', type: 'float8' },
  { name: 'result', type: 'text' },
  { name: 'computed_at', type: 'timestamptz' },
];

const historyColumns: BulkColumn[] = [
  { name: 'tenant_id', type: 'text' },
  { name: 'account_id', type: 'text' },
  { name: 'computed_at', type: 'timestamptz' },
  { name: 'score', type: 'float8' },
  { name: 'tier', type: 'text' },
  { name: 'coverage', type: 'float8' },
  { name: 'churn_risk', type: 'float8' },
  { name: 'cltv', type: 'float8' },
  { name: 'upsell_score', type: 'float8' },
  { name: 'factors', type: 'jsonb' },
];

export async function writeScores(
  db: Kysely<Database>,
  tenantId: string,
  results: readonly StoredScore[],
  computedAt: Date,
): Promise<void> {
  if (results.length === 0) return;
  const count = results.length;
  const tenants = new Array<string>(count).fill(tenantId);
  const times = new Array<Date>(count).fill(computedAt);
  const ids = results.map((result) => result.accountId);
  const scores = results.map((result) => result.health.score);
  const tiers = results.map((result) => result.health.tier);
  const coverage = results.map((result) => result.health.coverage);
  const churn = results.map((result) => result.churnRisk.value);
  const cltv = results.map((result) => result.cltv.value);
  const upsell = results.map((result) => result.upsell.value);

  // Two statements on two pooled connections on PostgreSQL (PGlite runs them one after the other).
  const latest = bulkInsert(
    db,
    'account_scores',
    scoreColumns,
    [
      tenants,
      ids,
      scores,
      tiers,
      coverage,
      results.map((result) => result.health.lowCoverage),
      churn,
      cltv,
      upsell,
      results.map((result) => result.trend30d),
      results.map((result) => JSON.stringify(result)),
      times,
    ],
    { conflict: ['tenant_id', 'account_id'] },
  );
  const history = bulkInsert(
    db,
    'score_history',
    historyColumns,
    [tenants, ids, times, scores, tiers, coverage, churn, cltv, upsell, results.map(factorValues)],
    { conflict: ['tenant_id', 'account_id', 'computed_at'] },
  );
  await Promise.all([latest, history]);
}

/** factor key -> { value, points }: enough for trends, "what changed" and drivers next time. */
function factorValues(result: StoredScore): string {
  const factors: Record<string, { value: number | null; points: number }> = {};
  for (const factor of result.health.factors)
    factors[factor.key] = { value: factor.value, points: factor.points };
  return JSON.stringify(factors);
}
