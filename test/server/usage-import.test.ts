import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase, databaseKinds } from '../../server/src/db/testing';
import { ensureTenant } from '../../server/src/store/records';
import { type CsvImportProgress, importUsageCsv } from '../../server/src/usage/csv-import';
import { account, seedAccounts } from './helpers';

const now = new Date('2026-11-20T12:00:00.000Z');

describe.each(databaseKinds)('pulse usage import (CSV) on %s', (kind) => {
  let database: DatabaseHandle;
  let tenantId: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    tenantId = await ensureTenant(database.db, { crm: 'demo', externalId: 'csv', name: 'CSV' });
    await seedAccounts(database, [
      account(tenantId, 'acme', { domain: 'acme.example.com' }),
      account(tenantId, 'globex', { domain: 'globex.example.com' }),
    ]);
  });
  afterAll(async () => {
    await database?.close();
  });

  const importText = (text: string, onProgress?: (progress: CsvImportProgress) => void) =>
    importUsageCsv(database.db, tenantId, Readable.from([text]), { now, batchSize: 2, onProgress });

  it('keeps good lines and reports each bad one by its line number with the reason', async () => {
    const csv = [
      'domain,account_id,day,active_users,licensed_seats,logins,api_calls,metric.reports',
      'acme.example.com,,2026-11-01,10,20,30,400,5',
      ',globex,2026-11-01,3,,4,5,',
      'unknown.example.com,,2026-11-01,1,1,1,1,1',
      'acme.example.com,,2026-11-31,1,1,1,1,1',
      'acme.example.com,,2026-11-02,-4,1,1,1,1',
      'acme.example.com,,2026-11-03,ten,1,1,1,1',
      'acme.example.com,,2026-11-04,1,1',
      '',
      'acme.example.com,globex,2026-11-05,1,1,1,1,1',
      'acme.example.com,,2026-11-06,7,8,9,10,11',
    ].join('\n');
    const result = await importText(csv);
    expect(result.accepted).toBe(3);
    expect(result.accountsQueued).toBe(2);
    expect(result.rejected).toEqual([
      { row: 4, reason: 'unknown account: no account has domain "unknown.example.com"' },
      { row: 5, reason: 'day must be a calendar day YYYY-MM-DD' },
      { row: 6, reason: 'activeUsers must not be negative' },
      { row: 7, reason: 'activeUsers must be a number' },
      { row: 8, reason: 'expected 8 columns as in the header, found 5' },
      { row: 10, reason: 'give either domain or accountId, not both' },
    ]);
    const rows = await database.db
      .selectFrom('usage_daily')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('account_id')
      .orderBy('day')
      .execute();
    expect(rows.map((row) => [row.account_id, row.day, row.active_users, row.metrics])).toEqual([
      ['acme', '2026-11-01', 10, { reports: 5 }],
      ['acme', '2026-11-06', 7, { reports: 11 }],
      ['globex', '2026-11-01', 3, {}],
    ]);
    expect(rows.find((row) => row.account_id === 'globex')?.licensed_seats).toBeNull();
  });

  it('replaces days imported before instead of duplicating them', async () => {
    await importText('accountId,day,activeUsers\nacme,2026-11-01,99\n');
    const rows = await database.db
      .selectFrom('usage_daily')
      .select(['day', 'active_users'])
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', 'acme')
      .where('day', '=', '2026-11-01')
      .execute();
    expect(rows).toEqual([{ day: '2026-11-01', active_users: 99 }]);
  });

  it('reports progress as batches are written', async () => {
    const lines = ['accountId,day,activeUsers'];
    for (let day = 1; day <= 9; day += 1) lines.push(`globex,2026-10-0${day},${day}`);
    const seen: CsvImportProgress[] = [];
    const result = await importText(lines.join('\n'), (progress) => seen.push(progress));
    expect(result).toMatchObject({ rows: 9, accepted: 9, rejected: [] });
    expect(seen.map((progress) => progress.accepted)).toEqual([2, 4, 6, 8, 9]);
    expect(seen.at(-1)!.bytesRead).toBe(lines.join('\n').length);
  });

  it('refuses a header with unknown or missing columns, naming each', async () => {
    await expect(importText('domian,day,activeUser\nacme.example.com,2026-11-01,1\n')).rejects.toThrow(
      /unknown column "domian".*unknown column "activeUser".*missing column "activeUsers".*missing column "domain" or "accountId"/,
    );
    await expect(importText('')).rejects.toThrow(/empty/);
  });
});
