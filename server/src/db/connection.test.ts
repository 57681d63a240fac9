import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from './connection';
import { migrateToLatest, withSessionSettings } from './connection';
import { createTestDatabase, databaseKinds } from './testing';

describe.each(databaseKinds)('database on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('applies every migration once and is idempotent on a second start', async () => {
    const tables = await handle.db.introspection.getTables();
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(['tenants', 'accounts', 'score_history']),
    );
    expect(await migrateToLatest(handle.db)).toEqual([]);
  });

  it('stores explained results as text, compressed with lz4 where the server has it', async () => {
    const { rows } = await sql<{ type: string; compression: string; lz4: boolean }>`
      select format_type(a.atttypid, a.atttypmod) as type, a.attcompression::text as compression,
        coalesce((select 'lz4' = any(enumvals) from pg_settings where name = 'default_toast_compression'), false) as lz4
      from pg_attribute a
      where a.attrelid = 'account_scores'::regclass and a.attname = 'result'
    `.execute(handle.db);
    expect(rows[0]!.type).toBe('text');
    // 'l' is lz4; an empty value is the server default (pglz), all PGlite offers.
    expect(rows[0]!.compression).toBe(rows[0]!.lz4 ? 'l' : '');
  });

  it('opens sessions in UTC; PostgreSQL without JIT or parallel workers, PGlite with a small buffer pool', async () => {
    const { rows } = await sql<{ zone: string; jit: string; workers: string; buffers: string }>`
      select current_setting('TimeZone') as zone, current_setting('jit') as jit,
        current_setting('max_parallel_workers_per_gather') as workers,
        current_setting('shared_buffers') as buffers
    `.execute(handle.db);
    expect(rows[0]!.zone).toBe('UTC');
    // PostgreSQL's buffer pool is its administrator's; PGlite's lives in the Node process.
    if (kind === 'postgres') expect(rows[0]).toMatchObject({ jit: 'off', workers: '0' });
    else expect(rows[0]!.buffers).toBe('32MB');
  });

  it('keeps a transaction isolated until commit and rolls back on error', async () => {
    await handle.db
      .insertInto('tenants')
      .values({ id: 't1', crm: 'demo', external_id: '1', name: 'One' })
      .execute();
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('tenants')
          .values({ id: 't2', crm: 'demo', external_id: '2', name: 'Two' })
          .execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const ids = await handle.db.selectFrom('tenants').select('id').orderBy('id').execute();
    expect(ids.map((row) => row.id)).toEqual(['t1']);
  });
});

describe('PostgreSQL session settings', () => {
  it("keeps a URL's own session options beside Pulse's", () => {
    const settings = withSessionSettings(
      'postgres://pulse:secret@db.example:5432/pulse?sslmode=disable&options=-c%20search_path%3Dpulse',
    );
    expect(settings.connectionString).toBe('postgres://pulse:secret@db.example:5432/pulse?sslmode=disable');
    expect(settings.options).toBe(
      '-c search_path=pulse -c TimeZone=UTC -c jit=off -c max_parallel_workers_per_gather=0',
    );
  });
});
