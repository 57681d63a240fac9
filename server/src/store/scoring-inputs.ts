import type { UsageSummary } from '@pulse/shared';
import { type Kysely, sql } from 'kysely';

import { SCORING_INPUTS_LOCK_CLASS } from '../db/migrations/015_scoring_inputs';
import type { Database } from '../db/schema';
import { arrayLiteral } from './bulk';
import { accountFilter, type ChunkSelector } from './chunks';
import { childKinds, rowArray, rowSource } from './record-rows';
import { type SummaryRow, summaryFromRow, usageMetricNames, usageSummaryQuery } from './usage-summary';

/**
 * What a recompute reads of each account, kept between runs (migration 015): the account's child
 * records in the scoring window as one JSON text, and its usage summary for the UTC day. A chunk
 * reads the kept rows of its accounts in one statement and builds only the missing ones, so an
 * hourly recompute gathers and summarises only what changed since the last one. Triggers drop an
 * account's rows when a statement changes its records or usage; see the migration for why a
 * build can never keep data older than such a change.
 *
 * Kept records stay valid as time passes: they were selected for the window of `built_at`, and a
 * later window needs a subset of them (engagements of the last 92 days or the latest of each type;
 * invoices unpaid or dated within 366 days). A run at an instant before `built_at` rebuilds them.
 * A usage summary is valid for its day only.
 */
export interface ScoringInputs {
  /** Per account: `[contacts, deals, tickets, engagements, subscriptions, invoices]` as JSON rows. */
  records: Map<string, string>;
  /** Per account with usage in the 60 days. */
  usage: Map<string, UsageSummary>;
  /** Accounts whose records and usage summaries this call built instead of reading them. */
  built: { records: number; usage: number };
}

const DAY_MS = 86_400_000;

export async function loadScoringInputs(
  db: Kysely<Database>,
  tenantId: string,
  accountIds: readonly string[],
  chunk: ChunkSelector,
  now: Date,
): Promise<ScoringInputs> {
  const inputs: ScoringInputs = { records: new Map(), usage: new Map(), built: { records: 0, usage: 0 } };
  if (accountIds.length === 0) return inputs;
  const today = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

  // Two index scans over the chunk's ids. A join from the id list would hash the tenant's whole
  // cache, and an id list alone lets a table without statistics yet (the first recompute) be
  // read in full for every chunk; a chunk's id range always walks the index.
  const scope = sql`tenant_id = ${tenantId} and ${accountFilter(chunk)}`;
  const kept = await sql<{ account_id: string; usage: boolean; text: string | null }>`
    select account_id, false as usage, records as text from scoring_records
    where ${scope} and built_at <= ${now}
    union all
    select account_id, true as usage, summary as text from scoring_usage
    where ${scope} and day = ${today}::date
  `.execute(db);
  const keptUsage = new Set<string>();
  for (const row of kept.rows) {
    if (row.usage) {
      keptUsage.add(row.account_id);
      addUsage(inputs, row.account_id, row.text);
    } else inputs.records.set(row.account_id, row.text!);
  }
  const missingRecords = accountIds.filter((id) => !inputs.records.has(id));
  const missingUsage = accountIds.filter((id) => !keptUsage.has(id));
  if (missingRecords.length === 0 && missingUsage.length === 0) return inputs;

  const metricNames = missingUsage.length > 0 ? await usageMetricNames(db, tenantId) : [];
  await db.transaction().execute(async (trx) => {
    // Exclusive against the triggers' shared lock: see migration 015.
    await sql`select pg_advisory_xact_lock(${SCORING_INPUTS_LOCK_CLASS}, hashtext(${`inputs:${tenantId}`}))`.execute(
      trx,
    );
    // Grouping a chunk's engagements by account spills past the default 4 MB to disk (five
    // batches for 2,000 accounts); this transaction's own limit keeps it in memory.
    await sql`set local work_mem = '32MB'`.execute(trx);
    if (missingRecords.length > 0) {
      const built = await buildRecords(
        trx,
        tenantId,
        missingRecords,
        buildSelector(missingRecords, chunk, accountIds.length),
        now,
      );
      for (const row of built) inputs.records.set(row.account_id, row.records);
      inputs.built.records = built.length;
    }
    if (missingUsage.length > 0) {
      const built = await buildUsage(
        trx,
        tenantId,
        missingUsage,
        buildSelector(missingUsage, chunk, accountIds.length),
        now,
        today,
        metricNames,
      );
      for (const row of built) addUsage(inputs, row.account_id, row.summary);
      inputs.built.usage = built.length;
    }
  });
  return inputs;
}

function addUsage(inputs: ScoringInputs, accountId: string, summary: string | null): void {
  if (summary === null) return;
  const row = JSON.parse(summary) as SummaryRow & { metric_names: string[] };
  inputs.usage.set(accountId, summaryFromRow(row, row.metric_names));
}

/**
 * Which rows a build reads for these accounts of a chunk of `chunkSize`. An id list makes
 * PostgreSQL collect the rows with a bitmap scan and sort them by account (2,000 accounts of usage:
 * 380 ms, spilling to disk), where the chunk's id range walks the index in account order and
 * groups as it goes (250 ms). The range also reads accounts that need no build, so it is used when
 * most of the chunk does; the join on the wanted ids drops the rest.
 */
function buildSelector(
  accountIds: readonly string[],
  chunk: ChunkSelector,
  chunkSize: number,
): ChunkSelector {
  return 'from' in chunk && accountIds.length * 2 > chunkSize ? chunk : { ids: accountIds };
}

/** Gather the accounts' records in the scoring window, keep them, and return them. */
async function buildRecords(
  db: Kysely<Database>,
  tenantId: string,
  accountIds: readonly string[],
  selector: ChunkSelector,
  now: Date,
): Promise<{ account_id: string; records: string }[]> {
  const ids = arrayLiteral(accountIds, 'text');
  const scope = sql`tenant_id = ${tenantId} and ${accountFilter(selector)}`;
  const aliases = childKinds.map((_, index) => `kind_${index}`);
  const joins = childKinds.map(
    (kind, index) => sql`
      left join (
        select account_id, json_agg(${rowArray(kind)})::text as rows
        from ${rowSource(kind, scope, now, true)} as source
        group by account_id
      ) as ${sql.ref(aliases[index]!)} using (account_id)`,
  );
  const document = sql.join(
    aliases.map((alias) => sql`coalesce(${sql.ref(`${alias}.rows`)}, '[]')`),
    sql` || ',' || `,
  );
  const result = await sql<{ account_id: string; records: string }>`
    insert into scoring_records (tenant_id, account_id, records, built_at)
    select ${tenantId}, ids.account_id, '[' || ${document} || ']', ${now}
    from unnest(${ids}::text[]) as ids(account_id)
    ${sql.join(joins, sql` `)}
    on conflict (tenant_id, account_id) do update set records = excluded.records, built_at = excluded.built_at
    returning account_id, records
  `.execute(db);
  return result.rows;
}

/** Summarise the accounts' usage for `today`, keep the summaries (null: no usage), return them. */
async function buildUsage(
  db: Kysely<Database>,
  tenantId: string,
  accountIds: readonly string[],
  selector: ChunkSelector,
  now: Date,
  today: string,
  metricNames: readonly string[],
): Promise<{ account_id: string; summary: string | null }[]> {
  const ids = arrayLiteral(accountIds, 'text');
  // Each summary names the metrics its columns count, so one kept before a new metric name
  // appeared still reads right afterwards.
  const result = await sql<{ account_id: string; summary: string | null }>`
    insert into scoring_usage (tenant_id, account_id, day, summary)
    select ${tenantId}, ids.account_id, ${today}::date,
      case when summary.account_id is null then null else row_to_json(summary)::text end
    from unnest(${ids}::text[]) as ids(account_id)
    left join (
      select grouped.*, ${JSON.stringify(metricNames)}::json as metric_names
      from (${usageSummaryQuery(tenantId, selector, now, metricNames)}) as grouped
    ) as summary using (account_id)
    on conflict (tenant_id, account_id) do update set day = excluded.day, summary = excluded.summary
    returning account_id, summary
  `.execute(db);
  return result.rows;
}
