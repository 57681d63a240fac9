import { type Kysely, sql } from 'kysely';

/**
 * Whether the server offers lz4 column compression: PostgreSQL builds with lz4 list it among
 * `default_toast_compression`'s values; PGlite does not. Shared by the migrations that set it.
 */
export async function lz4Supported(db: Kysely<unknown>): Promise<boolean> {
  const supported = await sql<{ lz4: boolean }>`
    select coalesce('lz4' = any(enumvals), false) as lz4
    from pg_settings where name = 'default_toast_compression'
  `.execute(db);
  return supported.rows[0]?.lz4 ?? false;
}
