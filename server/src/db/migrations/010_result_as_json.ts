import { type Kysely, sql } from 'kysely';

import { lz4Supported } from './lz4';

/**
 * `account_scores.result` as `json` instead of `jsonb`. Every recompute rewrites one ~5 kB explained
 * result per account and every card view sends one back: `jsonb` converts the text to its binary
 * form on the way in (three times the cost of the whole upsert with `json`) and back to text on
 * the way out (~130 µs per result). `json` keeps the text as written; the few statements that
 * reach into it with `->` read fields near the end of a small document. Column values are kept.
 * Changing a column's type resets its compression to the server default, so 009's lz4 is set
 * again where the server offers it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table account_scores alter column result type json using result::json`.execute(db);
  if (await lz4Supported(db)) {
    await sql`alter table account_scores alter column result set compression lz4`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table account_scores alter column result type jsonb using result::jsonb`.execute(db);
  if (await lz4Supported(db)) {
    await sql`alter table account_scores alter column result set compression lz4`.execute(db);
  }
}
