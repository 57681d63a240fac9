import type { AccountSnapshot, RecordKind, UsageSummary } from '@pulse/shared';
import { type Kysely, sql } from 'kysely';

import type { Database } from '../db/schema';
import { accountFilter, type ChunkSelector } from './chunks';
import { columnMaps, fromRow } from './records';
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
}

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
      if (accounts.length > 0) yield await loadChunk(db, tenantId, accounts, { ids: chunk }, options.now);
    }
    return;
  }
  let after: string | null = null;
  for (;;) {
    const accounts = await selectAccounts(db, tenantId, { after, limit: chunkSize });
    if (accounts.length === 0) return;
    const first = accounts[0]!.id as string;
    const last = accounts[accounts.length - 1]!.id as string;
    yield await loadChunk(db, tenantId, accounts, { from: first, to: last }, options.now);
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
  accountRows: Record<string, unknown>[],
  selector: ChunkSelector,
  now: Date,
): Promise<AccountSnapshot[]> {
  const byId = new Map<string, AccountSnapshot>();
  const snapshots: AccountSnapshot[] = [];
  for (const row of accountRows) {
    const snapshot: AccountSnapshot = {
      account: fromRow('accounts', row),
      contacts: [],
      deals: [],
      tickets: [],
      engagements: [],
      subscriptions: [],
      invoices: [],
      usage: null,
    };
    byId.set(snapshot.account.id, snapshot);
    snapshots.push(snapshot);
  }
  // Sequential on purpose: PGlite has one connection, and on PostgreSQL the pipeline already
  // overlaps this chunk's reads with the previous chunk's scoring and writes.
  for (const kind of childKinds) {
    const rows = await selectChildren(db, tenantId, kind, selector);
    for (const row of rows) {
      // A range page also returns children of deleted accounts that sort inside it; skip those.
      const snapshot = byId.get(row.account_id as string);
      if (snapshot) (snapshot[kind] as unknown[]).push(fromRow(kind, row));
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
 * Timestamps are formatted as ISO-8601 by the database: parsing them into Date objects and back
 * again in Node costs more than the rest of the conversion together.
 */
function selectList(kind: RecordKind) {
  return sql.join(
    columnMaps[kind].map(([, column, columnKind]) =>
      columnKind === 'timestamp'
        ? sql`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${sql.ref(column)}`
        : sql.ref(column),
    ),
  );
}

async function selectAccounts(
  db: Kysely<Database>,
  tenantId: string,
  page: { ids: readonly string[] } | { after: string | null; limit: number },
): Promise<Record<string, unknown>[]> {
  const filter =
    'ids' in page
      ? sql`and id = any(${sql.val(page.ids)}::text[])`
      : page.after === null
        ? sql``
        : sql`and id > ${page.after}`;
  const limit = 'ids' in page ? sql`` : sql`limit ${page.limit}`;
  const result = await sql<Record<string, unknown>>`
    select ${selectList('accounts')} from accounts
    where tenant_id = ${tenantId} and deleted_at is null ${filter}
    order by id ${limit}
  `.execute(db);
  return result.rows;
}

async function selectChildren(
  db: Kysely<Database>,
  tenantId: string,
  kind: ChildKind,
  selector: ChunkSelector,
): Promise<Record<string, unknown>[]> {
  const result = await sql<Record<string, unknown>>`
    select ${selectList(kind)} from ${sql.table(kind)}
    where tenant_id = ${tenantId} and deleted_at is null and ${accountFilter(selector)}
  `.execute(db);
  return result.rows;
}
