import type { AccountSnapshot, UsageSummary } from '@pulse/shared';
import { type Kysely, sql } from 'kysely';

import { SCORING_INPUTS_LOCK_CLASS } from '../db/migrations/015_scoring_inputs';
import type { Database } from '../db/schema';
import { bulkInsert } from './bulk';
import { accountFilter, type ChunkSelector } from './chunks';
import { keptRows, recordsFromKept } from './kept-records';
import { readRecordsInto } from './record-rows';
import { childKinds } from './records';
import { summariseUsageInSql } from './usage-summary';

/**
 * What a recompute reads of each account, kept between runs (migration 015): the account's child
 * records in the scoring window (as kept-records.ts lays them out), and the JSON of its usage
 * summary for the UTC day. A chunk reads the kept rows of its accounts in one statement and builds
 * only the missing ones, so an hourly recompute gathers and summarises only what changed since the
 * last one. Triggers drop an account's rows when a statement changes its records or usage; see the
 * migration for why a build can never keep data older than such a change.
 *
 * Kept records stay valid as time passes: they were selected for the window of `built_at`, and a
 * later window needs a subset of them (engagements of the last 92 days or the latest of each type;
 * invoices unpaid or dated within 366 days), which the engine picks itself. A run at an instant
 * before `built_at` rebuilds them. A usage summary is valid for its day only.
 */
export interface BuiltInputs {
  /** Accounts whose records this call gathered instead of reading them kept. */
  records: number;
  /** Accounts whose usage this call summarised instead of reading it kept. */
  usage: number;
}

const DAY_MS = 86_400_000;

const recordColumns = [
  { name: 'tenant_id', type: 'text' },
  { name: 'account_id', type: 'text' },
  { name: 'records', type: 'text' },
  { name: 'built_at', type: 'timestamptz' },
];
const usageColumns = [
  { name: 'tenant_id', type: 'text' },
  { name: 'account_id', type: 'text' },
  { name: 'day', type: 'date' },
  { name: 'summary', type: 'text' },
];

/**
 * Fill a chunk's snapshots (accounts set, nothing else yet) with their scoring inputs: kept ones
 * where they are valid, the rest gathered from the tables and kept.
 */
export async function fillFromScoringInputs(
  db: Kysely<Database>,
  tenantId: string,
  snapshots: readonly AccountSnapshot[],
  chunk: ChunkSelector,
  now: Date,
): Promise<BuiltInputs> {
  if (snapshots.length === 0) return { records: 0, usage: 0 };
  const today = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

  // Two index scans over the chunk. A join from an id list would hash the tenant's whole cache,
  // and an id list alone lets a table without statistics yet (right after the first recompute) be
  // read in full for every chunk; a chunk's id range always walks the index.
  const scope = sql`tenant_id = ${tenantId} and ${accountFilter(chunk)}`;
  const kept = await sql<{ account_id: string; usage: boolean; text: string | null }>`
    select account_id, false as usage, records as text from scoring_records
    where ${scope} and built_at <= ${now}
    union all
    select account_id, true as usage, summary as text from scoring_usage
    where ${scope} and day = ${today}::date
  `.execute(db);
  const keptRecords = new Map<string, string>();
  const keptUsage = new Map<string, string | null>();
  for (const row of kept.rows) {
    if (row.usage) keptUsage.set(row.account_id, row.text);
    else keptRecords.set(row.account_id, row.text!);
  }

  const missingRecords = new Map<string, AccountSnapshot>();
  const missingUsage = new Map<string, AccountSnapshot>();
  for (const snapshot of snapshots) {
    const id = snapshot.account.id;
    const records = keptRecords.get(id);
    if (records === undefined) missingRecords.set(id, snapshot);
    else {
      const lists = JSON.parse(records) as unknown[][][];
      for (let index = 0; index < childKinds.length; index++) {
        const kind = childKinds[index]!;
        (snapshot[kind] as unknown[]) = recordsFromKept(kind, tenantId, lists[index]!);
      }
    }
    const usage = keptUsage.get(id);
    if (usage === undefined) missingUsage.set(id, snapshot);
    else if (usage !== null) snapshot.usage = JSON.parse(usage) as UsageSummary;
  }
  if (missingRecords.size === 0 && missingUsage.size === 0) return { records: 0, usage: 0 };

  await db.transaction().execute(async (trx) => {
    // Exclusive against the triggers' shared lock: see migration 015.
    await sql`select pg_advisory_xact_lock(${SCORING_INPUTS_LOCK_CLASS}, hashtext(${`inputs:${tenantId}`}))`.execute(
      trx,
    );
    if (missingRecords.size > 0) {
      await readRecordsInto(
        trx,
        tenantId,
        buildSelector(missingRecords, chunk, snapshots.length),
        missingRecords,
        now,
        true,
      );
      const built = [...missingRecords.values()];
      await bulkInsert(
        trx,
        'scoring_records',
        recordColumns,
        [
          built.map(() => tenantId),
          built.map((snapshot) => snapshot.account.id),
          built.map((snapshot) => JSON.stringify(childKinds.map((kind) => keptRows(kind, snapshot[kind])))),
          built.map(() => now),
        ],
        { conflict: ['tenant_id', 'account_id'] },
      );
    }
    if (missingUsage.size > 0) {
      const summaries = await summariseUsageInSql(
        trx,
        tenantId,
        buildSelector(missingUsage, chunk, snapshots.length),
        now,
      );
      const built = [...missingUsage.values()];
      for (const snapshot of built) snapshot.usage = summaries.get(snapshot.account.id) ?? null;
      await bulkInsert(
        trx,
        'scoring_usage',
        usageColumns,
        [
          built.map(() => tenantId),
          built.map((snapshot) => snapshot.account.id),
          built.map(() => today),
          built.map((snapshot) => (snapshot.usage === null ? null : JSON.stringify(snapshot.usage))),
        ],
        { conflict: ['tenant_id', 'account_id'] },
      );
    }
  });
  return { records: missingRecords.size, usage: missingUsage.size };
}

/**
 * Which rows a build reads for the accounts of a chunk of `chunkSize` it needs. An id list makes
 * PostgreSQL collect rows with bitmap scans and, for usage, sort them by account (2,000 accounts:
 * 380 ms, spilling to disk), where the chunk's id range walks the indexes in account order (250
 * ms). The range also reads accounts that need no build, so it is used when most of the chunk
 * does; their rows are dropped.
 */
function buildSelector(
  needed: ReadonlyMap<string, AccountSnapshot>,
  chunk: ChunkSelector,
  chunkSize: number,
): ChunkSelector {
  return 'from' in chunk && needed.size * 2 > chunkSize ? chunk : { ids: [...needed.keys()] };
}
