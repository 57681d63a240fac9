import type { RecordByKind, RecordKind } from '@pulse/shared';
import type { Kysely } from 'kysely';

import type { AppContext } from '../context';
import {
  type CrmAdapter,
  CrmError,
  type RecordPage,
  type RejectedRecord,
  type SyncCheckpoint,
} from '../crm/adapter';
import { type RetryPolicyOptions, withRetry } from '../crm/retry-policy';
import type { Database } from '../db/schema';
import { fromRow, markDeleted, mergeAccounts, queueRescore, upsertRecords } from '../store/records';
import { loadCheckpoint, markStream, saveCheckpoint } from './checkpoints';

/**
 * The generic sync runner: any CrmAdapter, any tenant. Per record kind: resume from the saved
 * checkpoint, fetch pages, and store each page together with its next checkpoint in ONE
 * transaction, so a crash or kill between pages loses nothing and repeats nothing. Accounts a page
 * touches are queued for re-scoring.
 */

export interface SyncProgress {
  kind: RecordKind;
  phase: SyncCheckpoint['phase'];
  /** Records fetched for this kind in this run so far. */
  fetched: number;
  /** When the CRM says how many there are; null otherwise. */
  total: number | null;
  pages: number;
  rejected: number;
  done: boolean;
}

export interface KindReport {
  kind: RecordKind;
  pages: number;
  fetched: number;
  stored: number;
  deleted: number;
  merged: number;
  rejectedCount: number;
  /** The first rejected records with their reasons (at most 50). */
  rejected: RejectedRecord[];
  phase: SyncCheckpoint['phase'];
  retries: number;
}

export interface SyncReport {
  tenantId: string;
  crm: string;
  status: 'completed' | 'failed' | 'interrupted';
  kinds: KindReport[];
  /** Distinct accounts queued for re-scoring. */
  touchedAccounts: number;
  /** True when any kind ran its full phase: the whole portfolio should be re-scored. */
  fullSync: boolean;
  error: { code: string; message: string; kind: RecordKind } | null;
  startedAt: string;
  finishedAt: string;
}

export interface RunSyncOptions {
  tenantId: string;
  adapter: CrmAdapter & { refreshCredentials?: () => Promise<void> };
  /** Ignore saved checkpoints: list everything again. */
  full?: boolean;
  onProgress?: (progress: SyncProgress) => void;
  signal?: AbortSignal;
  retry?: RetryPolicyOptions;
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
}

const REJECTED_SAMPLE = 50;

export async function runSync(ctx: AppContext, options: RunSyncOptions): Promise<SyncReport> {
  const { tenantId, adapter, signal } = options;
  const startedAt = ctx.now();
  const reports: KindReport[] = [];
  const touched = new Set<string>();
  let fullSync = false;
  const finish = (status: SyncReport['status'], error: SyncReport['error']): SyncReport => ({
    tenantId,
    crm: adapter.crm,
    status,
    kinds: reports,
    touchedAccounts: touched.size,
    fullSync,
    error,
    startedAt: startedAt.toISOString(),
    finishedAt: ctx.now().toISOString(),
  });

  for (const kind of adapter.kinds) {
    const stored = options.full ? null : await loadCheckpoint(ctx.db, tenantId, kind);
    let checkpoint = stored?.checkpoint ?? null;
    const report: KindReport = {
      kind,
      pages: 0,
      fetched: 0,
      stored: 0,
      deleted: 0,
      merged: 0,
      rejectedCount: 0,
      rejected: stored?.problem ? [{ id: null, reason: stored.problem }] : [],
      phase: checkpoint?.phase ?? 'full',
      retries: 0,
    };
    reports.push(report);
    if (report.phase === 'full') fullSync = true;
    try {
      const fetchFrom = (from: SyncCheckpoint | null) =>
        withRetry(() => adapter.fetchPage(kind, from, { now: ctx.now() }), {
          ...(adapter.refreshCredentials ? { refresh: adapter.refreshCredentials } : {}),
          ...(signal ? { signal } : {}),
          ...(options.retry ? { policy: options.retry } : {}),
          ...(options.sleep ? { sleep: options.sleep } : {}),
          onRetry: () => {
            report.retries += 1;
          },
        });
      let upcoming: Promise<RecordPage<typeof kind>> | null = fetchFrom(checkpoint);
      for (;;) {
        signal?.throwIfAborted();
        const phase = checkpoint?.phase ?? 'full';
        const page: RecordPage<typeof kind> = await upcoming!;
        // The next page is fetched while this one is stored: API time and database time overlap.
        // Its checkpoint is only saved after this page's, so a crash still resumes in order.
        upcoming = page.done ? null : fetchFrom(page.next);
        upcoming?.catch(() => undefined);
        // A kill after this line and before the commit below repeats this page, nothing more.
        signal?.throwIfAborted();
        const accounts = await storePage(ctx, tenantId, kind, page);
        for (const accountId of accounts) touched.add(accountId);
        report.pages += 1;
        report.fetched += page.records.length + page.rejected.length;
        report.stored += page.records.length;
        report.deleted += page.deletedIds.length;
        report.merged += page.merged.length;
        report.rejectedCount += page.rejected.length;
        for (const rejected of page.rejected) {
          if (report.rejected.length < REJECTED_SAMPLE) report.rejected.push(rejected);
        }
        if (page.next.phase === 'full') fullSync = true;
        report.phase = page.next.phase;
        checkpoint = page.next;
        options.onProgress?.({
          kind,
          phase,
          fetched: report.fetched,
          total: null,
          pages: report.pages,
          rejected: report.rejectedCount,
          done: page.done,
        });
        if (page.done) break;
      }
    } catch (error) {
      const aborted = signal?.aborted === true;
      const message = error instanceof Error ? error.message : String(error);
      const code = error instanceof CrmError ? error.code : aborted ? 'ABORTED' : 'UNKNOWN';
      await markStream(ctx.db, {
        tenantId,
        stream: kind,
        status: aborted ? 'interrupted' : 'failed',
        lastError: aborted ? 'interrupted' : `${code}: ${message}`,
        now: ctx.now(),
      });
      return finish(aborted ? 'interrupted' : 'failed', { code, message, kind });
    }
  }
  return finish('completed', null);
}

/** One page and its checkpoint, atomically. Returns the accounts it touched. */
async function storePage<K extends RecordKind>(
  ctx: AppContext,
  tenantId: string,
  kind: K,
  page: RecordPage<K>,
): Promise<string[]> {
  const now = ctx.now();
  const touched = new Set<string>();
  if (page.merged.length > 0) {
    // mergeAccounts runs its own transaction; it is idempotent, so a repeat after a crash is harmless.
    await mergeAccounts(ctx.db, tenantId, page.merged, now);
    for (const { into } of page.merged) touched.add(into);
  }
  // Records always carry the tenant being synced, whatever the adapter filled in.
  const records = page.records.map((record) => ({ ...record, tenantId }) as RecordByKind[K]);
  await ctx.db.transaction().execute(async (trx) => {
    // Only a record whose content changed touches its account: the echo of Pulse's own write-back
    // (HubSpot bumps the modification date) must not trigger another scoring and write.
    for (const record of await changedRecords(trx, tenantId, kind, records)) {
      touched.add(kind === 'accounts' ? record.id : (record as { accountId: string }).accountId);
    }
    await upsertRecords(trx, kind, records, now);
    if (page.deletedIds.length > 0) {
      for (const accountId of await accountsOf(trx, tenantId, kind, page.deletedIds)) touched.add(accountId);
      await markDeleted(trx, tenantId, kind, page.deletedIds, now);
    }
    const live = [...touched].filter((id) => !(kind === 'accounts' && page.deletedIds.includes(id)));
    await queueRescore(trx, tenantId, live, 'sync', now);
    await saveCheckpoint(trx, {
      tenantId,
      stream: kind,
      checkpoint: page.next,
      status: page.done ? 'idle' : 'running',
      lastError: null,
      now,
    });
  });
  return [...touched];
}

/** Canonical content without the modification time, keys sorted, for comparison. */
function contentOf(record: Record<string, unknown>): string {
  const sorted = (value: unknown): unknown =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
        )
      : value;
  const { updatedAt: _updatedAt, ...rest } = record;
  return JSON.stringify(sorted(rest));
}

async function changedRecords<K extends RecordKind>(
  db: Kysely<Database>,
  tenantId: string,
  kind: K,
  records: RecordByKind[K][],
): Promise<RecordByKind[K][]> {
  if (records.length === 0) return [];
  const rows = await db
    .selectFrom(kind as 'deals')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(
      'id',
      'in',
      records.map((record) => record.id),
    )
    .where('deleted_at', 'is', null)
    .execute();
  const stored = new Map(
    rows.map((row) => [row.id, contentOf(fromRow(kind, row as unknown as Record<string, unknown>) as never)]),
  );
  return records.filter((record) => stored.get(record.id) !== contentOf(record as never));
}

/** The accounts of records about to be deleted (a deleted deal changes its account's score). */
async function accountsOf(
  db: Kysely<Database>,
  tenantId: string,
  kind: RecordKind,
  ids: string[],
): Promise<string[]> {
  if (kind === 'accounts') return [];
  const rows = await db
    .selectFrom(kind as 'deals')
    .select('account_id')
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .execute();
  return rows.map((row) => row.account_id);
}
