import { type Kysely, sql } from 'kysely';

/**
 * Storage settings for the recompute path. Every run rewrites one ~6 kB explained result per
 * account; the default pglz compression of those jsonb values costs more than parsing them, lz4
 * is several times faster at a similar size. Only PostgreSQL builds with lz4 offer it (PGlite does
 * not), so the change is skipped where the server does not list it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const supported = await sql<{ lz4: boolean }>`
    select coalesce('lz4' = any(enumvals), false) as lz4
    from pg_settings where name = 'default_toast_compression'
  `.execute(db);
  if (!supported.rows[0]?.lz4) return;
  await sql`alter table account_scores alter column result set compression lz4`.execute(db);
  await sql`alter table score_history alter column factors set compression lz4`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const supported = await sql<{ lz4: boolean }>`
    select coalesce('lz4' = any(enumvals), false) as lz4
    from pg_settings where name = 'default_toast_compression'
  `.execute(db);
  if (!supported.rows[0]?.lz4) return;
  await sql`alter table account_scores alter column result set compression default`.execute(db);
  await sql`alter table score_history alter column factors set compression default`.execute(db);
}
