import type { UsageSnapshot } from '@pulse/shared';
import { generatePortfolio } from '@pulse/shared/demo/index';
import { summariseUsage } from '@pulse/shared/health/usage-summary';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../db/connection';
import { createTestDatabase, databaseKinds } from '../db/testing';
import { insertUsage } from './bulk-records';
import { ensureTenant } from './records';
import { summariseUsageInSql } from './usage-summary';

const now = new Date('2026-11-20T15:30:00.000Z');
const DAY_MS = 86_400_000;

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Usage with gaps, null seats, sparse extra metrics, rows after today and rows older than 60 days. */
function generateUsage(tenantId: string, accounts: number): UsageSnapshot[] {
  const next = random(7);
  const rows: UsageSnapshot[] = [];
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  for (let index = 0; index < accounts; index++) {
    const accountId = `acc-${String(index).padStart(4, '0')}`;
    const shape = index % 5;
    // shape 4: only days before the 60-day window and after today, which the summary ignores.
    const offsets = shape === 4 ? [-3, -1, 61, 75] : Array.from({ length: 90 }, (_, day) => day - 2);
    for (const offset of offsets) {
      if (shape !== 4 && next() < 0.2) continue;
      const seats = 10 + Math.floor(next() * 90);
      rows.push({
        tenantId,
        accountId,
        day: new Date(today - offset * DAY_MS).toISOString().slice(0, 10),
        activeUsers: Math.floor(next() * seats),
        licensedSeats: shape === 1 || next() < 0.1 ? null : seats,
        logins: shape === 2 ? 0 : Math.floor(next() * 200),
        featuresAdopted: Math.floor(next() * 12),
        featuresAvailable: shape === 3 ? null : 12,
        apiCalls: Math.floor(next() * 5000),
        integrationCalls: Math.floor(next() * 300),
        integrationFailures: Math.floor(next() * 30),
        metrics:
          next() < 0.3 ? { reports: Math.floor(next() * 40), exports: Math.round(next() * 1000) / 10 } : {},
      });
    }
  }
  return rows;
}

describe.each(databaseKinds)('usage summary in SQL on %s', (kind) => {
  let handle: DatabaseHandle;
  let tenantId: string;
  let rows: UsageSnapshot[];
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    tenantId = await ensureTenant(handle.db, { crm: 'demo', externalId: 'usage', name: 'Usage' });
    rows = generateUsage(tenantId, 200);
    await insertUsage(handle.db, rows);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('equals summariseUsage over the 60 days the windows cover, for every account', async () => {
    const sqlSummaries = await summariseUsageInSql(handle.db, tenantId, { from: 'acc-', to: 'acc-~' }, now);
    const byAccount = new Map<string, UsageSnapshot[]>();
    const oldest = Math.floor(now.getTime() / DAY_MS) * DAY_MS - 59 * DAY_MS;
    for (const row of rows) {
      if (Date.parse(row.day) < oldest) continue;
      const list = byAccount.get(row.accountId) ?? [];
      list.push(row);
      byAccount.set(row.accountId, list);
    }
    let compared = 0;
    for (const [accountId, accountRows] of byAccount) {
      const expected = summariseUsage(accountRows, now);
      const actual = sqlSummaries.get(accountId) ?? null;
      expect(actual, accountId).toEqual(expected === null ? null : roughly(expected));
      if (expected) compared++;
    }
    expect(compared).toBeGreaterThan(150);
    // Accounts that only reported outside the windows have no summary at all.
    expect(sqlSummaries.has('acc-0004')).toBe(false);
  });

  it('equals summariseUsage on the demo portfolio generator output', async () => {
    const demoTenant = await ensureTenant(handle.db, { crm: 'demo', externalId: 'usage-demo', name: 'Demo' });
    const portfolio = generatePortfolio({ seed: 11, accounts: 60, tenantId: demoTenant, now, usageDays: 75 });
    await insertUsage(handle.db, portfolio.usage);
    const ids = portfolio.accounts.map((account) => account.id);
    const sqlSummaries = await summariseUsageInSql(handle.db, demoTenant, { ids }, now);
    const oldest = Math.floor(now.getTime() / DAY_MS) * DAY_MS - 59 * DAY_MS;
    let compared = 0;
    for (const id of ids) {
      const rows = portfolio.usage.filter((row) => row.accountId === id && Date.parse(row.day) >= oldest);
      const expected = summariseUsage(rows, now);
      expect(sqlSummaries.get(id) ?? null, id).toEqual(expected === null ? null : roughly(expected));
      if (expected) compared++;
    }
    expect(compared).toBeGreaterThan(30);
  });

  it('summarises only the accounts asked for', async () => {
    const summaries = await summariseUsageInSql(handle.db, tenantId, { ids: ['acc-0000', 'acc-0001'] }, now);
    expect([...summaries.keys()].sort()).toEqual(['acc-0000', 'acc-0001']);
  });
});

/** Metric averages are float sums whose order differs between SQL and JS: compare them to 9 digits. */
function roughly<T>(value: T): T {
  if (typeof value === 'number') return expect.closeTo(value, 9) as T;
  if (Array.isArray(value) || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, roughly(inner)])) as T;
}
