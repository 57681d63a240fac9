import {
  type Account,
  type AccountSnapshot,
  emptySnapshot,
  type RecordByKind,
  type RecordKind,
  type UsageSummary,
} from '@pulse/shared';
import { type Kysely, type RawBuilder, sql } from 'kysely';

import type { Database } from '../db/schema';
import { arrayLiteral } from './bulk';
import { accountFilter, type ChunkSelector } from './chunks';
import { isoFromEpochMs } from './iso-time';
import { columnMaps } from './records';
import { summariseUsageInSql } from './usage-summary';

/**
 * Everything the engine needs per account, read in account-id chunks: one query per table per
 * chunk (never per account), deleted records left out, usage summarised inside the database so
 * 60 days x 100k accounts of daily rows never travel to Node.
 */
export interface SnapshotStreamOptions {
  now: Date;
  /** Accounts per chunk; default 5,000. */
  chunkSize?: number;
  /** Only these accounts (deleted or unknown ids are skipped); default every live account. */
  accountIds?: readonly string[];
  /**
   * Read only the engagements scoring can use (recompute): the last 92 days plus, from before,
   * the latest engagement of each type, QBR or not (so the latest email, meeting, call and QBR). The engine and its extensions read
   * engagements only as "latest of a type" and "meetings in the last 90 days", so their results
   * are the same as with every engagement (a test compares both). Invoices likewise: only those
   * payment health can count (see `scoringInvoices`). Default: every record.
   */
  scoringWindow?: boolean;
}

/** Days of engagements a scoring window reads in full (the engine counts 90; two days of slack). */
const ENGAGEMENT_WINDOW_DAYS = 92;
/** Payment health counts invoices paid or issued in the last 365 days, and every unpaid one. */
const INVOICE_WINDOW_DAYS = 365;
const DAY_MS = 86_400_000;

type ChildKind = Exclude<RecordKind, 'accounts'>;
const childKinds: readonly ChildKind[] = [
  'contacts',
  'deals',
  'tickets',
  'engagements',
  'subscriptions',
  'invoices',
];

/** Chunks of a tenant's live accounts in id order, each with its children and usage summary. */
export async function* streamSnapshots(
  db: Kysely<Database>,
  tenantId: string,
  options: SnapshotStreamOptions,
): AsyncGenerator<AccountSnapshot[]> {
  const chunkSize = options.chunkSize ?? 5000;
  if (options.accountIds) {
    const ids = [...new Set(options.accountIds)].sort();
    for (let start = 0; start < ids.length; start += chunkSize) {
      const chunk = ids.slice(start, start + chunkSize);
      const accounts = await selectAccounts(db, tenantId, { ids: chunk });
      if (accounts.length > 0) yield await loadChunk(db, tenantId, accounts, { ids: chunk }, options);
    }
    return;
  }
  let after: string | null = null;
  for (;;) {
    const accounts = await selectAccounts(db, tenantId, { after, limit: chunkSize });
    if (accounts.length === 0) return;
    const first = accounts[0]!.id;
    const last = accounts[accounts.length - 1]!.id;
    yield await loadChunk(db, tenantId, accounts, { from: first, to: last }, options);
    if (accounts.length < chunkSize) return;
    after = last;
  }
}

/** Snapshots of the given accounts (a convenience over `streamSnapshots` for small sets). */
export async function loadSnapshots(
  db: Kysely<Database>,
  tenantId: string,
  accountIds: readonly string[],
  now: Date,
): Promise<AccountSnapshot[]> {
  const snapshots: AccountSnapshot[] = [];
  for await (const chunk of streamSnapshots(db, tenantId, { now, accountIds })) snapshots.push(...chunk);
  return snapshots;
}

async function loadChunk(
  db: Kysely<Database>,
  tenantId: string,
  accounts: Account[],
  selector: ChunkSelector,
  options: SnapshotStreamOptions,
): Promise<AccountSnapshot[]> {
  const now = options.now;
  const byId = new Map<string, AccountSnapshot>();
  const snapshots: AccountSnapshot[] = [];
  for (const account of accounts) {
    const snapshot = emptySnapshot(account);
    byId.set(snapshot.account.id, snapshot);
    snapshots.push(snapshot);
  }
  // Sequential on purpose: PGlite has one connection, and on PostgreSQL the pipeline already
  // overlaps this chunk's reads with the previous chunk's scoring and writes.
  for (const kind of childKinds) {
    const records =
      kind === 'engagements' && options.scoringWindow
        ? await selectScoringEngagements(db, tenantId, selector, now)
        : await selectChildren(
            db,
            tenantId,
            kind,
            selector,
            kind === 'invoices' && options.scoringWindow ? scoringInvoices(now) : sql``,
          );
    for (const record of records) {
      // A range page also returns children of deleted accounts that sort inside it; skip those.
      const snapshot = byId.get(record.accountId);
      if (snapshot) (snapshot[kind] as unknown[]).push(record);
    }
  }
  const usage = await summariseUsageInSql(db, tenantId, selector, now);
  for (const [accountId, summary] of usage) {
    const snapshot = byId.get(accountId);
    if (snapshot) snapshot.usage = summary satisfies UsageSummary;
  }
  return snapshots;
}

/**
 * Rows come back as one JSON array of arrays per query: JSON.parse in Node is several times
 * faster than the drivers' per-field row parsing (seven times on PGlite). Timestamps travel as
 * epoch milliseconds (truncated, as `to_char(… 'MS')` and the drivers' Dates do) and become
 * ISO-8601 (`…T…Z`) here, exactly as the canonical model writes them: formatting in Node is
 * about twice as cheap as `to_char` in the database. The tenant is known, so it is not sent.
 */
function jsonRows(kind: RecordKind) {
  return sql`coalesce(json_agg(json_build_array(${sql.join(
    columnMaps[kind]
      .filter(([field]) => field !== 'tenantId')
      .map(([, column, columnKind]) =>
        columnKind === 'timestamp'
          ? sql`floor(extract(epoch from ${sql.ref(column)}) * 1000)::int8`
          : sql.ref(column),
      ),
  )}))::text, '[]') as rows`;
}

/** Canonical records from the positional arrays `jsonRows` selected. */
function parseRecords<K extends RecordKind>(kind: K, tenantId: string, text: string): RecordByKind[K][] {
  const columns = columnMaps[kind].filter(([field]) => field !== 'tenantId');
  const fields = columns.map(([field]) => field);
  const timestamps = columns.map(([, , columnKind]) => columnKind === 'timestamp');
  const rows = JSON.parse(text) as unknown[][];
  const records = new Array<RecordByKind[K]>(rows.length);
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    const record: Record<string, unknown> = { tenantId };
    for (let field = 0; field < fields.length; field++) {
      const value = row[field];
      record[fields[field]!] = timestamps[field] && value !== null ? isoFromEpochMs(value as number) : value;
    }
    records[index] = record as unknown as RecordByKind[K];
  }
  return records;
}

async function selectAccounts(
  db: Kysely<Database>,
  tenantId: string,
  page: { ids: readonly string[] } | { after: string | null; limit: number },
): Promise<Account[]> {
  const filter =
    'ids' in page
      ? sql`and id = any(${arrayLiteral(page.ids, 'text')}::text[])`
      : page.after === null
        ? sql``
        : sql`and id > ${page.after}`;
  const limit = 'ids' in page ? sql`` : sql`limit ${page.limit}`;
  // The page is ordered inside the subquery; json_agg keeps that order.
  const result = await sql<{ rows: string }>`
    select ${jsonRows('accounts')} from (
      select * from accounts
      where tenant_id = ${tenantId} and deleted_at is null ${filter}
      order by id ${limit}
    ) as page
  `.execute(db);
  return parseRecords('accounts', tenantId, result.rows[0]!.rows);
}

async function selectChildren<K extends ChildKind>(
  db: Kysely<Database>,
  tenantId: string,
  kind: K,
  selector: ChunkSelector,
  window: RawBuilder<unknown>,
): Promise<RecordByKind[K][]> {
  const result = await sql<{ rows: string }>`
    select ${jsonRows(kind)} from ${sql.table(kind)}
    where tenant_id = ${tenantId} and deleted_at is null and ${accountFilter(selector)} ${window}
  `.execute(db);
  return parseRecords(kind, tenantId, result.rows[0]!.rows);
}

/**
 * The invoices payment health can count (shared/src/health/signals.ts `derivePayment`): not void,
 * and unpaid, paid in the last 365 days or issued in them. Older paid invoices change nothing; a
 * day of slack on both dates.
 */
function scoringInvoices(now: Date) {
  const since = new Date(now.getTime() - (INVOICE_WINDOW_DAYS + 1) * DAY_MS);
  const sinceDay = since.toISOString().slice(0, 10);
  return sql`and status <> 'void' and (paid_at is null or paid_at >= ${since} or issued_at >= ${sinceDay}::date)`;
}

/** The engagements a scoring can use (see `scoringWindow`), one statement per chunk. */
async function selectScoringEngagements(
  db: Kysely<Database>,
  tenantId: string,
  selector: ChunkSelector,
  now: Date,
): Promise<RecordByKind['engagements'][]> {
  const since = new Date(now.getTime() - ENGAGEMENT_WINDOW_DAYS * DAY_MS);
  const scope = sql`tenant_id = ${tenantId} and deleted_at is null and ${accountFilter(selector)}`;
  // Before the window, the latest engagement of each (type, QBR or not): that holds the latest
  // email, meeting and call and the latest QBR (a QBR meeting is the latest meeting or sorts below
  // it), with at most one extra older row per type. One sort, and no union to de-duplicate: per
  // 2,000 accounts 60 instead of 84 ms of PostgreSQL CPU.
  const result = await sql<{ rows: string }>`
    select ${jsonRows('engagements')} from (
      (select * from engagements where ${scope} and occurred_at >= ${since})
      union all
      (select distinct on (account_id, type, is_qbr) * from engagements
        where ${scope} and occurred_at < ${since} and (type in ('email', 'meeting', 'call') or is_qbr)
        order by account_id, type, is_qbr, occurred_at desc)
    ) as windowed
  `.execute(db);
  return parseRecords('engagements', tenantId, result.rows[0]!.rows);
}
