import { StoredScore } from '@pulse/shared/api/health';
import { sql } from 'kysely';

import type { AppContext } from '../context';
import type { CrmAdapter, RejectedRecord } from '../crm/adapter';
import { type RetryPolicyOptions, withRetry } from '../crm/retry-policy';
import { changedValues, type PropertyValues, propertyValuesFor } from './property-values';

/**
 * Write scores back to the CRM: only the properties whose value changed since the last successful
 * write (crm_writeback), in batches of 100. Nothing changed → no call at all. crm_writeback is
 * updated after each batch, so a crash mid-way re-sends at most one batch.
 */

export interface WriteBackOptions {
  /** Factor keys to write as pulse_factor_<key>; default: the factors of each stored score. */
  factorKeys?: readonly string[];
  /** Compare every scored account, not only those re-scored since their last write. */
  all?: boolean;
  /** Only these accounts (after a webhook); default all scored accounts. */
  accountIds?: readonly string[];
  batchSize?: number;
  signal?: AbortSignal;
  retry?: RetryPolicyOptions;
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  onProgress?: (progress: { considered: number; changed: number; written: number }) => void;
}

export interface WriteBackReport {
  considered: number;
  changed: number;
  written: number;
  batches: number;
  failed: RejectedRecord[];
}

const READ_CHUNK = 1_000;

export async function writeBack(
  ctx: AppContext,
  tenantId: string,
  adapter: CrmAdapter & { refreshCredentials?: () => Promise<void> },
  options: WriteBackOptions = {},
): Promise<WriteBackReport> {
  const batchSize = options.batchSize ?? adapter.writeBatchSize ?? 100;
  const report: WriteBackReport = { considered: 0, changed: 0, written: 0, batches: 0, failed: [] };
  let pending: { accountId: string; values: PropertyValues; merged: PropertyValues }[] = [];

  const flush = async (force: boolean) => {
    while (pending.length >= batchSize || (force && pending.length > 0)) {
      const batch = pending.slice(0, batchSize);
      pending = pending.slice(batchSize);
      const result = await withRetry(
        () => adapter.writeAccountProperties(batch.map(({ accountId, values }) => ({ accountId, values }))),
        {
          ...(adapter.refreshCredentials ? { refresh: adapter.refreshCredentials } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.retry ? { policy: options.retry } : {}),
          ...(options.sleep ? { sleep: options.sleep } : {}),
        },
      );
      report.batches += 1;
      report.written += result.written;
      report.failed.push(...result.failed);
      const failed = new Set(result.failed.map((failure) => failure.id));
      const succeeded = batch.filter((entry) => !failed.has(entry.accountId));
      if (succeeded.length > 0) {
        const now = ctx.now();
        await ctx.db
          .insertInto('crm_writeback')
          .values(
            succeeded.map((entry) => ({
              tenant_id: tenantId,
              account_id: entry.accountId,
              values: JSON.stringify(entry.merged) as never,
              written_at: now,
            })),
          )
          .onConflict((conflict) =>
            conflict.columns(['tenant_id', 'account_id']).doUpdateSet({
              values: sql.ref('excluded.values') as never,
              written_at: sql.ref('excluded.written_at') as never,
            }),
          )
          .execute();
      }
      options.onProgress?.({
        considered: report.considered,
        changed: report.changed,
        written: report.written,
      });
    }
  };

  let after = '';
  for (;;) {
    options.signal?.throwIfAborted();
    let query = ctx.db
      .selectFrom('account_scores as score')
      .innerJoin('accounts as account', (join) =>
        join.onRef('account.tenant_id', '=', 'score.tenant_id').onRef('account.id', '=', 'score.account_id'),
      )
      .leftJoin('crm_writeback as written', (join) =>
        join
          .onRef('written.tenant_id', '=', 'score.tenant_id')
          .onRef('written.account_id', '=', 'score.account_id'),
      )
      .select(['score.account_id as accountId', 'score.result as result', 'written.values as written'])
      .where('score.tenant_id', '=', tenantId)
      .where('account.deleted_at', 'is', null)
      // A score not recomputed since its last successful write cannot have changed values.
      .where((where) =>
        options.all
          ? where.val(true)
          : where.or([
              where('written.written_at', 'is', null),
              where('score.computed_at', '>', where.ref('written.written_at')),
            ]),
      )
      .where('score.account_id', '>', after)
      .orderBy('score.account_id')
      .limit(READ_CHUNK);
    if (options.accountIds) {
      if (options.accountIds.length === 0) break;
      query = query.where('score.account_id', 'in', [...options.accountIds]);
    }
    const rows = await query.execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.accountId;
    for (const row of rows) {
      report.considered += 1;
      const raw = typeof row.result === 'string' ? JSON.parse(row.result) : row.result;
      const parsed = StoredScore.safeParse(raw);
      if (!parsed.success) {
        report.failed.push({
          id: row.accountId,
          reason: 'stored score does not match the StoredScore contract',
        });
        continue;
      }
      const factorKeys = options.factorKeys ?? parsed.data.health.factors.map((factor) => factor.key);
      const current = propertyValuesFor(parsed.data, factorKeys);
      const last = (
        typeof row.written === 'string' ? JSON.parse(row.written) : row.written
      ) as PropertyValues | null;
      const changed = changedValues(current, last ?? undefined);
      if (Object.keys(changed).length === 0) continue;
      report.changed += 1;
      pending.push({ accountId: row.accountId, values: changed, merged: { ...(last ?? {}), ...changed } });
    }
    await flush(false);
    if (rows.length < READ_CHUNK) break;
  }
  await flush(true);
  return report;
}
