import { type Account, type AccountSnapshot, emptySnapshot, type UsageSummary } from '@pulse/shared';
import { type Kysely, sql } from 'kysely';

import type { Database } from '../db/schema';
import { arrayLiteral } from './bulk';
import type { ChunkSelector } from './chunks';
import { jsonRows, parseRecords, readRecordsInto } from './record-rows';
import { fillFromScoringInputs } from './scoring-inputs';
import { summariseUsageInSql } from './usage-summary';

/**
 * Everything the engine needs per account, read in account-id chunks: a few statements per chunk
 * (never per account), deleted records left out, usage summarised inside the database so 60 days
 * x 100k accounts of daily rows never travel to Node. A recompute reads through the inputs kept
 * between recomputes (scoring-inputs.ts); other readers read the tables directly.
 */
export interface SnapshotStreamOptions {
  now: Date;
  /** Accounts per chunk; default 5,000. */
  chunkSize?: number;
  /** Only these accounts (deleted or unknown ids are skipped); default every live account. */
  accountIds?: readonly string[];
  /**
   * Read only what a scoring can use (recompute), through the inputs kept between recomputes
   * (scoring-inputs.ts): the last 92 days of engagements plus, from before, the latest engagement
   * of each type, QBR or not; only the invoices payment health can count (record-rows.ts
   * `rowSource`). The engine and its extensions score exactly as with every record (a test
   * compares both). Default: every record, read directly.
   */
  scoringWindow?: boolean;
}

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
  if (options.scoringWindow) {
    await fillFromScoringInputs(db, tenantId, snapshots, selector, now);
    return snapshots;
  }
  // A range page also returns children of deleted accounts that sort inside it; they are dropped.
  await readRecordsInto(db, tenantId, selector, byId, now, false);
  const usage = await summariseUsageInSql(db, tenantId, selector, now);
  for (const [accountId, summary] of usage) {
    const snapshot = byId.get(accountId);
    if (snapshot) snapshot.usage = summary satisfies UsageSummary;
  }
  return snapshots;
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
