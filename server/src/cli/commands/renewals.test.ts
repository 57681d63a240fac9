import { parseCsv } from '@pulse/shared/csv/csv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../db/connection';
import { createTestDatabase } from '../../db/testing';
import { ensureTenant, upsertRecords } from '../../store/records';
import { renewalsReport } from './renewals';

const now = new Date('2026-06-15T12:00:00Z');

describe('pulse renewals', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase('pglite');
    const tenantId = await ensureTenant(handle.db, { crm: 'demo', externalId: 'cli', name: 'CLI' });
    await upsertRecords(handle.db, 'accounts', [
      {
        tenantId,
        id: 'a1',
        name: '=Evil, Inc',
        domain: null,
        industry: null,
        employees: null,
        annualRevenue: null,
        previousAnnualRevenue: null,
        ownerId: 'o1',
        ownerName: 'Olivia',
        ownerEmail: null,
        region: null,
        customerSince: null,
        csOptOut: false,
        attributes: {},
        updatedAt: '2026-06-01T00:00:00.000Z',
      },
    ]);
    const base = {
      tenantId,
      accountId: 'a1',
      productId: 'core',
      startDate: '2025-01-01',
      autoRenew: false,
      status: 'active' as const,
      licensedSeats: null,
      updatedAt: '2026-06-01T00:00:00.000Z',
    };
    await upsertRecords(handle.db, 'subscriptions', [
      { ...base, id: 's1', mrr: 1000, renewalDate: '2026-06-25' },
      { ...base, id: 's2', mrr: 250.5, renewalDate: '2026-11-01' },
    ]);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('prints a table with days left, band and totals', async () => {
    const text = await renewalsReport(handle.db, { within: '90' }, now);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\s+PRODUCT\s+MRR\s+RENEWAL\s+DAYS\s+BAND\s+AUTO\s+OWNER\s+TIER$/);
    expect(lines[1]).toMatch(/^=Evil, Inc\s+core\s+1,000\s+2026-06-25\s+10\s+red\s+no\s+Olivia\s+-$/);
    expect(lines.at(-1)).toBe('1 renewal, MRR 1,000');
  });

  it('prints formula-safe CSV sorted as asked', async () => {
    const rows = parseCsv(await renewalsReport(handle.db, { csv: true, sort: 'mrr', order: 'asc' }, now));
    expect(rows.map((row) => [row[0], row[3]])).toEqual([
      ['Account', 'MRR'],
      ["'=Evil, Inc", '250.5'],
      ["'=Evil, Inc", '1000'],
    ]);
  });

  it('names the bad option', async () => {
    await expect(renewalsReport(handle.db, { within: '45' }, now)).rejects.toThrow(
      '--within: must be 30, 60, 90 or 180',
    );
    await expect(renewalsReport(handle.db, { tenant: 'nope' }, now)).rejects.toThrow(
      '--tenant: no tenant "nope"',
    );
  });
});
