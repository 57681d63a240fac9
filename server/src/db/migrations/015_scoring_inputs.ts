import { type Kysely, sql } from 'kysely';

import { lz4Supported } from './lz4';

/**
 * What a recompute reads of each account, kept between runs so that an hourly recompute does not
 * gather and summarise records that have not changed (server/src/store/scoring-inputs.ts):
 *
 * - `scoring_records`: the account's child records in the scoring window, as one JSON text.
 * - `scoring_usage`: the account's usage summary for one UTC day.
 *
 * A row is dropped by the statement that changes what it was built from: statement-level triggers
 * on the child tables and on `usage_daily` delete the rows of every account the statement touched
 * (old and new account ids, so a record moved between accounts stales both). The trigger first
 * takes the tenant's inputs lock in shared mode, and a recompute builds rows holding the same lock
 * exclusively, so a build never writes data older than a change whose trigger has already run:
 * either the writer waited for the build to commit and then deletes its rows, or the build waited
 * for the writer to commit and reads its data.
 *
 * Both tables hold only what can be rebuilt from the others, so they are unlogged: no WAL for the
 * rebuilds, and after a crash they come back empty and are rebuilt by the next recompute.
 */
export const SCORING_INPUTS_LOCK_CLASS = 0x50554c49; // 'PULI'

const recordTables = ['contacts', 'deals', 'tickets', 'engagements', 'subscriptions', 'invoices'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create unlogged table scoring_records (
      tenant_id text not null references tenants(id) on delete cascade,
      account_id text not null,
      records text not null,
      built_at timestamptz not null,
      primary key (tenant_id, account_id)
    )
  `.execute(db);
  await sql`
    create unlogged table scoring_usage (
      tenant_id text not null references tenants(id) on delete cascade,
      account_id text not null,
      day date not null,
      summary text,
      primary key (tenant_id, account_id)
    )
  `.execute(db);
  if (await lz4Supported(db)) {
    await sql`alter table scoring_records alter column records set compression lz4`.execute(db);
    await sql`alter table scoring_usage alter column summary set compression lz4`.execute(db);
  }

  // `touched` is the statement's transition table (new rows for inserts, old rows for deletes, one
  // trigger each for an update's old and new rows); the argument names the cache it stales.
  await sql`
    create function pulse_scoring_inputs_stale() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock_shared(${sql.lit(SCORING_INPUTS_LOCK_CLASS)}, hashtext('inputs:' || tenant_id))
      from (select distinct tenant_id from touched order by tenant_id) as tenants;
      if tg_argv[0] = 'usage' then
        delete from scoring_usage as cached
        using (select distinct tenant_id, account_id from touched) as changed
        where cached.tenant_id = changed.tenant_id and cached.account_id = changed.account_id;
      else
        delete from scoring_records as cached
        using (select distinct tenant_id, account_id from touched) as changed
        where cached.tenant_id = changed.tenant_id and cached.account_id = changed.account_id;
      end if;
      return null;
    end
    $$
  `.execute(db);
  const watched = [...recordTables.map((table) => [table, 'records']), ['usage_daily', 'usage']];
  for (const [table, cache] of watched) {
    const triggers = [
      ['insert', 'new'],
      ['delete', 'old'],
      ['update', 'old'],
      ['update', 'new'],
    ] as const;
    for (const [event, side] of triggers) {
      await sql`
        create trigger ${sql.raw(`${table}_scoring_${event}_${side}`)}
        after ${sql.raw(event)} on ${sql.table(table!)}
        referencing ${sql.raw(side)} table as touched
        for each statement execute function pulse_scoring_inputs_stale(${sql.lit(cache)})
      `.execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function pulse_scoring_inputs_stale() cascade`.execute(db);
  await sql`drop table scoring_usage`.execute(db);
  await sql`drop table scoring_records`.execute(db);
}
