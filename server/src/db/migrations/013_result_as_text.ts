import { type Kysely, sql } from 'kysely';

import { lz4Supported } from './lz4';

/**
 * `account_scores.result` as `text` instead of `json`. Every recompute rewrites one ~5 kB explained
 * result per account, and `json` runs its parser over each one on the way in only to check it: an
 * upsert of 4,000 results took 72 ms as `text` against 175 ms as `json` (the check alone, 70 ms,
 * is about 18 µs a result). Pulse writes the text with JSON.stringify and reads it back whole,
 * so the check finds nothing; the few statements that reach into a result cast it with `::json`
 * (during a recompute only the workspace-activity model's `flag_rate` factor does, reading the
 * previous result's open flags). Changing a column's type resets its compression to the
 * server default, so lz4 is set again where the server offers it.
 */
async function setType(db: Kysely<unknown>, type: 'text' | 'json'): Promise<void> {
  await sql`alter table account_scores alter column result type ${sql.raw(type)} using result::${sql.raw(type)}`.execute(
    db,
  );
  if (await lz4Supported(db)) {
    await sql`alter table account_scores alter column result set compression lz4`.execute(db);
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await setType(db, 'text');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await setType(db, 'json');
}
