import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../db/connection';
import { createTestDatabase, databaseKinds } from '../db/testing';
import { bulkInsert } from './bulk';

describe.each(databaseKinds)('bulkInsert on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    await sql`create table bulk_probe (id int primary key, doc json, bin jsonb, label text)`.execute(
      handle.db,
    );
  });
  afterAll(async () => {
    await handle.close();
  });

  it('round-trips JSON columns with nulls, escaped control characters, quotes and unicode', async () => {
    const docs = [
      { text: 'record\u001eseparator and unit\u001fseparator', quote: '"\\', emoji: '☃ 🚀' },
      null,
      [1, 'two', { three: null }],
      'a JSON string',
      null,
    ];
    await bulkInsert(
      handle.db,
      'bulk_probe',
      [
        { name: 'id', type: 'int' },
        { name: 'doc', type: 'json' },
        { name: 'bin', type: 'jsonb' },
        { name: 'label', type: 'text' },
      ],
      [
        docs.map((_, index) => index),
        docs.map((doc) => (doc === null ? null : JSON.stringify(doc))),
        // Objects are serialised by bulkInsert; a string is taken as JSON text already.
        docs.map((doc) => (typeof doc === 'string' ? JSON.stringify(doc) : doc)),
        docs.map((_, index) => `row "${index}", {x}`),
      ],
    );
    const rows = await sql<{ id: number; doc: unknown; bin: unknown; label: string }>`
      select id, doc, bin, label from bulk_probe order by id
    `.execute(handle.db);
    // Both drivers parse json and jsonb values.
    expect(rows.rows.map((row) => row.doc)).toEqual(docs);
    expect(rows.rows.map((row) => row.bin)).toEqual(docs);
    expect(rows.rows.map((row) => row.label)).toEqual(docs.map((_, index) => `row "${index}", {x}`));
  });

  it('round-trips text columns through the separator path and the quoted fallback', async () => {
    await sql`delete from bulk_probe`.execute(handle.db);
    const columns = [
      { name: 'id', type: 'int' },
      { name: 'label', type: 'text' },
    ];
    // Plain texts (separator path), then a column holding an empty text and a separator (fallback).
    const plain = ['{"a":1}', null, 'quote " and \\ backslash, {braces}', 'NULL', '☃'];
    const awkward = ['', 'a\u001eb', 'c\u001fd', null];
    await bulkInsert(handle.db, 'bulk_probe', columns, [plain.map((_, index) => index), plain]);
    await bulkInsert(handle.db, 'bulk_probe', columns, [awkward.map((_, index) => 10 + index), awkward]);
    const rows = await sql<{ label: string | null }>`select label from bulk_probe order by id`.execute(
      handle.db,
    );
    expect(rows.rows.map((row) => row.label)).toEqual([...plain, ...awkward]);
  });

  it('round-trips columns that hold one value for every row', async () => {
    await sql`create table bulk_constant (id int primary key, at timestamptz, doc jsonb, label text, amount real)`.execute(
      handle.db,
    );
    const at = new Date('2026-03-02T10:15:30.123Z');
    const doc = { same: 'for "all"', list: [1, null] };
    await bulkInsert(
      handle.db,
      'bulk_constant',
      [
        { name: 'id', type: 'int' },
        { name: 'at', type: 'timestamptz' },
        { name: 'doc', type: 'jsonb' },
        { name: 'label', type: 'text' },
        { name: 'amount', type: 'real' },
      ],
      [
        [1, 2, 3],
        [at, at, at],
        [doc, doc, doc],
        ['a\u001eb', 'a\u001eb', 'a\u001eb'],
        [null, undefined, null],
      ],
    );
    const rows = await sql<{ id: number; at: Date; doc: unknown; label: string; amount: number | null }>`
      select id, at, doc, label, amount from bulk_constant order by id
    `.execute(handle.db);
    expect(rows.rows).toEqual([1, 2, 3].map((id) => ({ id, at, doc, label: 'a\u001eb', amount: null })));
  });

  it('on conflict rewrites only rows whose compared columns changed', async () => {
    await sql`delete from bulk_probe`.execute(handle.db);
    const columns = [
      { name: 'id', type: 'int' },
      { name: 'bin', type: 'jsonb' },
      { name: 'label', type: 'text' },
    ];
    await bulkInsert(handle.db, 'bulk_probe', columns, [
      [1, 2],
      [{ at: 'first' }, { at: 'first' }],
      ['same', 'before'],
    ]);
    const versions = async () =>
      (
        await sql<{ id: number; version: string; bin: unknown; label: string }>`
          select id, xmin::text as version, bin, label from bulk_probe order by id
        `.execute(handle.db)
      ).rows;
    const [same, changed] = await versions();
    const options = { conflict: ['id'], skipUnchanged: ['label'] };
    await bulkInsert(
      handle.db,
      'bulk_probe',
      columns,
      [
        [1, 2, 3],
        [{ at: 'second' }, { at: 'second' }, { at: 'second' }],
        ['same', 'after', 'new'],
      ],
      options,
    );
    const after = await versions();
    // Row 1's label did not change: neither rewritten nor given the new `bin`.
    expect(after[0]).toEqual(same);
    expect(after[1]).toMatchObject({ id: 2, bin: { at: 'second' }, label: 'after' });
    expect(after[1]!.version).not.toBe(changed!.version);
    expect(after[2]).toMatchObject({ id: 3, bin: { at: 'second' }, label: 'new' });
  });

  it('with an empty conflict target skips rows that conflict with any unique index', async () => {
    await sql`create table bulk_unique (id int primary key, kind text, open bool)`.execute(handle.db);
    await sql`create unique index bulk_unique_open on bulk_unique (kind) where open`.execute(handle.db);
    const columns = [
      { name: 'id', type: 'int' },
      { name: 'kind', type: 'text' },
      { name: 'open', type: 'bool' },
    ];
    await bulkInsert(handle.db, 'bulk_unique', columns, [[1], ['a'], [true]]);
    // Id 1 conflicts on the primary key, id 2 on the partial index; id 3 (closed) on neither.
    await bulkInsert(
      handle.db,
      'bulk_unique',
      columns,
      [
        [1, 2, 3],
        ['b', 'a', 'a'],
        [true, true, false],
      ],
      { conflict: [] },
    );
    const rows = await sql<{ id: number; kind: string; open: boolean }>`
      select id, kind, open from bulk_unique order by id
    `.execute(handle.db);
    expect(rows.rows).toEqual([
      { id: 1, kind: 'a', open: true },
      { id: 3, kind: 'a', open: false },
    ]);
  });
});
