import type { AccountSnapshot, RecordByKind, RecordKind } from '@pulse/shared';
import { type Kysely, type RawBuilder, sql } from 'kysely';

import type { Database } from '../db/schema';
import { accountFilter, type ChunkSelector } from './chunks';
import { isoFromEpochMs } from './iso-time';
import { type ChildKind, childKinds, columnMaps } from './records';

/**
 * How snapshot reads select child records and bring them to Node, shared by the direct read
 * (server/src/store/snapshots.ts) and the recompute's cache of them (scoring-inputs.ts).
 */
/** Days of engagements a scoring window reads in full (the engine counts 90; two days of slack). */
const ENGAGEMENT_WINDOW_DAYS = 92;
/** Payment health counts invoices paid or issued in the last 365 days, and every unpaid one. */
const INVOICE_WINDOW_DAYS = 365;
const DAY_MS = 86_400_000;

/**
 * Rows travel as JSON arrays of positional values: JSON.parse in Node is several times faster
 * than the drivers' per-field row parsing (seven times on PGlite). Timestamps travel as epoch
 * milliseconds (truncated, as `to_char(… 'MS')` and the drivers' Dates do) and become ISO-8601
 * (`…T…Z`) in `recordsFromRows`, exactly as the canonical model writes them: formatting in Node
 * is about twice as cheap as `to_char` in the database. The tenant is known, so it is not sent.
 */
function rowArray(kind: RecordKind): RawBuilder<unknown> {
  return sql`json_build_array(${sql.join(
    columnMaps[kind]
      .filter(([field]) => field !== 'tenantId')
      .map(([, column, columnKind]) =>
        columnKind === 'timestamp'
          ? sql`floor(extract(epoch from ${sql.ref(column)}) * 1000)::int8`
          : sql.ref(column),
      ),
  )})`;
}

/** One JSON array (text) of every selected row: `… as rows`. */
export function jsonRows(kind: RecordKind): RawBuilder<unknown> {
  return sql`coalesce(json_agg(${rowArray(kind)})::text, '[]') as rows`;
}

/** Canonical records from positional rows `rowArray` built. */
function recordsFromRows<K extends RecordKind>(
  kind: K,
  tenantId: string,
  rows: readonly unknown[][],
): RecordByKind[K][] {
  const columns = columnMaps[kind].filter(([field]) => field !== 'tenantId');
  const fields = columns.map(([field]) => field);
  const timestamps = columns.map(([, , columnKind]) => columnKind === 'timestamp');
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

/** Canonical records from the JSON text `jsonRows` selected. */
export function parseRecords<K extends RecordKind>(
  kind: K,
  tenantId: string,
  text: string,
): RecordByKind[K][] {
  return recordsFromRows(kind, tenantId, JSON.parse(text) as unknown[][]);
}

/**
 * The live rows of `kind` that `scope` (a condition on tenant and accounts) selects, as a subquery.
 * With `windowed`, only those a scoring can use: the engine and its extensions read engagements
 * only as "latest of a type" and "meetings in the last 90 days", and invoices only for payment
 * health, so their results are the same as with every record (server/src/store/
 * snapshots-window.test.ts compares both).
 */
function rowSource(
  kind: ChildKind,
  scope: RawBuilder<unknown>,
  now: Date,
  windowed: boolean,
): RawBuilder<unknown> {
  const live = sql`${scope} and deleted_at is null`;
  if (windowed && kind === 'engagements') {
    const since = new Date(now.getTime() - ENGAGEMENT_WINDOW_DAYS * DAY_MS);
    // The last 92 days, and before them the latest engagement of each (type, QBR or not): that
    // holds the latest email, meeting and call and the latest QBR (a QBR meeting is the latest
    // meeting or sorts below it), with at most one extra older row per type. One sort, and no
    // union to de-duplicate: per 2,000 accounts 60 instead of 84 ms of PostgreSQL CPU.
    return sql`(
      (select * from engagements where ${live} and occurred_at >= ${since})
      union all
      (select distinct on (account_id, type, is_qbr) * from engagements
        where ${live} and occurred_at < ${since} and (type in ('email', 'meeting', 'call') or is_qbr)
        order by account_id, type, is_qbr, occurred_at desc)
    )`;
  }
  if (windowed && kind === 'invoices') {
    // Payment health (shared/src/health/signals.ts `derivePayment`) counts invoices that are not
    // void and unpaid, paid in the last 365 days or issued in them; a day of slack on both dates.
    const since = new Date(now.getTime() - (INVOICE_WINDOW_DAYS + 1) * DAY_MS);
    const sinceDay = since.toISOString().slice(0, 10);
    return sql`(select * from invoices where ${live} and status <> 'void'
      and (paid_at is null or paid_at >= ${since} or issued_at >= ${sinceDay}::date))`;
  }
  return sql`(select * from ${sql.table(kind)} where ${live})`;
}

/**
 * Read the chunk's child records, one statement per table, into the snapshots of `byId` (records
 * of accounts not in it, such as deleted accounts inside a range, are dropped). Sequential on
 * purpose: PGlite has one connection, and on PostgreSQL the recompute already overlaps a chunk's
 * reads with the previous chunk's scoring and writes.
 */
export async function readRecordsInto(
  db: Kysely<Database>,
  tenantId: string,
  selector: ChunkSelector,
  byId: ReadonlyMap<string, AccountSnapshot>,
  now: Date,
  windowed: boolean,
): Promise<void> {
  const scope = sql`tenant_id = ${tenantId} and ${accountFilter(selector)}`;
  for (const kind of childKinds) {
    const result = await sql<{ rows: string }>`
      select ${jsonRows(kind)} from ${rowSource(kind, scope, now, windowed)} as source
    `.execute(db);
    for (const record of parseRecords(kind, tenantId, result.rows[0]!.rows)) {
      const snapshot = byId.get(record.accountId);
      if (snapshot) (snapshot[kind] as unknown[]).push(record);
    }
  }
}
