import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import { getSetting } from './settings';

/**
 * Score history is kept for the tenant's `retention_months` (default 24) and then purged. The
 * latest score per account lives in account_scores and is never purged.
 */
export async function purgeScoreHistory(
  db: Kysely<Database>,
  tenantId: string,
  now: Date,
): Promise<{ deleted: number; cutoff: string }> {
  const months = await getSetting(db, tenantId, 'retention_months');
  const cutoff = subtractMonths(now, months);
  const result = await db
    .deleteFrom('score_history')
    .where('tenant_id', '=', tenantId)
    .where('computed_at', '<', cutoff)
    .executeTakeFirst();
  return { deleted: Number(result.numDeletedRows), cutoff: cutoff.toISOString() };
}

/** Purge every tenant's history (the scheduler runs this daily). */
export async function purgeExpiredScoreHistory(
  db: Kysely<Database>,
  now: Date,
): Promise<{ tenantId: string; deleted: number }[]> {
  const tenants = await db.selectFrom('tenants').select('id').orderBy('id').execute();
  const results: { tenantId: string; deleted: number }[] = [];
  for (const tenant of tenants) {
    const { deleted } = await purgeScoreHistory(db, tenant.id, now);
    results.push({ tenantId: tenant.id, deleted });
  }
  return results;
}

/** The same instant `months` earlier (UTC), clamped to the month's last day (31 Mar − 1 = 28/29 Feb). */
export function subtractMonths(now: Date, months: number): Date {
  const target = new Date(now.getTime());
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}
