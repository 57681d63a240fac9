import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations';
import { createPgliteDialect } from './pglite-dialect';
import type { Database } from './schema';

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Where it lives: the postgres URL without password, or the PGlite directory ('memory://' in tests). */
  location: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres://… ; absent means embedded PGlite. */
  url?: string | undefined;
  /** PGlite data directory; default ./.pulse/db. Use 'memory://' for an in-memory database. */
  dataDir?: string | undefined;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  poolSize?: number;
}

// Dates come back as JS Date; bigint counts (count(*)) as numbers: Pulse never counts past 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
// A DATE is a calendar day, not an instant: keep 'YYYY-MM-DD' instead of a local-midnight Date.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
const DATE_OID = 1082;
const PGLITE_SHARED_BUFFERS = '32MB';

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (options.url) {
    const pool = new pg.Pool({ ...withSessionSettings(options.url), max: options.poolSize ?? 10 });
    // An idle client dropped by the server (restart, admin command) must not crash the process:
    // the pool discards it and the next query opens a new connection.
    pool.on('error', (error) => {
      console.error(`PostgreSQL connection lost (${error.message}); reconnecting on next use`);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    handle = { db, kind: 'postgres', location: redactUrl(options.url), close: () => db.destroy() };
  } else {
    const dataDir = options.dataDir ?? './.pulse/db';
    if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
    const pglite = new PGlite(dataDir, {
      parsers: { [DATE_OID]: (value: string) => value },
      // PGlite's buffer pool lives in this process's memory: 32 MB instead of PostgreSQL's 128 MB
      // default took a 20k-account recompute's peak RSS from 923-1,011 to 773-874 MiB at no cost
      // in time the machine could show (pages evicted from it stay in the OS file cache).
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
    });
    await pglite.waitReady;
    await pglite.exec("SET TIME ZONE 'UTC'");
    const db = new Kysely<Database>({ dialect: createPgliteDialect(pglite) });
    handle = { db, kind: 'pglite', location: dataDir, close: () => db.destroy() };
  }
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return handle;
}

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Feature migrations were numbered by area (002 HubSpot … 008 indexes) and may land out of order
    // in a database that was created in between; each one only touches its own tables.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(
      `Database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

/**
 * Session settings sent with the connection, so no statement runs before they apply. Pulse's large
 * statements are chunked (2,000 accounts) and already overlap each other: JIT compiling one whose
 * estimate crossed jit_above_cost took 1.9 s for a 130 ms query, and parallel workers only compete
 * with the pool's other backends on the same cores. The driver lets a URL's `options` replace
 * ours wholesale, so that parameter (or else PGOPTIONS) is taken out of the URL and kept in front
 * of them: the administrator's other settings still apply, Pulse's win where both set one.
 */
const SESSION_SETTINGS = '-c TimeZone=UTC -c jit=off -c max_parallel_workers_per_gather=0';

export function withSessionSettings(url: string): { connectionString: string; options: string } {
  let connectionString = url;
  let own = process.env.PGOPTIONS ?? '';
  try {
    const parsed = new URL(url);
    const fromUrl = parsed.searchParams.get('options');
    if (fromUrl !== null) {
      own = fromUrl;
      parsed.searchParams.delete('options');
      connectionString = parsed.toString();
    }
  } catch {
    // Not a URL the WHATWG parser reads: the driver reports it when it connects.
  }
  return { connectionString, options: `${own} ${SESSION_SETTINGS}`.trim() };
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}
