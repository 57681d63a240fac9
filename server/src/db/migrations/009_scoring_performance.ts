import { type Kysely, sql } from 'kysely';

import { lz4Supported } from './lz4';

/**
 * Storage settings for the recompute path. Every run rewrites one ~6 kB explained result per
 * account; the default pglz compression of those jsonb values costs more than parsing them, lz4
 * is several times faster at a similar size. Only PostgreSQL builds with lz4 offer it (PGlite does
 * not), so the change is skipped where the server does not list it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(await lz4Supported(db))) return;
  await sql`alter table account_scores alter column result set compression lz4`.execute(db);
  await sql`alter table score_history alter column factors set compression lz4`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(await lz4Supported(db))) return;
  await sql`alter table account_scores alter column result set compression default`.execute(db);
  await sql`alter table score_history alter column factors set compression default`.execute(db);
}
