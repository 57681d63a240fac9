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
});
