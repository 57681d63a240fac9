import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { databaseKinds } from '../../server/src/db/testing';
import { ensureTenant } from '../../server/src/store/records';
import { account, seedAccounts, startTestServer, type TestServer } from './helpers';

function usageRow(overrides: Record<string, unknown> = {}) {
  return {
    domain: 'acme.example.com',
    day: '2026-11-18',
    activeUsers: 40,
    licensedSeats: 50,
    logins: 120,
    featuresAdopted: 6,
    featuresAvailable: 10,
    apiCalls: 5_000,
    integrationCalls: 300,
    integrationFailures: 3,
    metrics: { reportsExported: 12 },
    ...overrides,
  };
}

describe.each(databaseKinds)('POST /api/v1/usage on %s', (kind) => {
  let pulse: TestServer;

  beforeAll(async () => {
    pulse = await startTestServer(kind);
    await seedAccounts(pulse.database, [
      account(pulse.tenantId, 'acme', { domain: 'https://www.Acme.example.com/' }),
      account(pulse.tenantId, 'globex', { domain: 'globex.example.com' }),
      account(pulse.tenantId, 'twin-1', { domain: 'twin.example.com' }),
      account(pulse.tenantId, 'twin-2', { domain: 'twin.example.com' }),
    ]);
  });
  afterAll(async () => {
    await pulse?.close();
  });

  async function usageOf(accountId: string) {
    return pulse.database.db
      .selectFrom('usage_daily')
      .selectAll()
      .where('tenant_id', '=', pulse.tenantId)
      .where('account_id', '=', accountId)
      .orderBy('day')
      .execute();
  }

  it('keeps the good rows of a mixed batch and reports each bad row by index with its reason', async () => {
    const response = await pulse.request('POST', '/api/v1/usage', {
      body: {
        snapshots: [
          usageRow({ day: '2026-11-10' }),
          usageRow({ domain: 'nobody.example.com' }),
          usageRow({ day: '2026-02-30' }),
          usageRow({ activeUsers: -1 }),
          usageRow({ accountId: 'globex' }),
          usageRow({ domain: undefined }),
          usageRow({ domain: undefined, accountId: 'globex', day: '2026-11-10' }),
          usageRow({ day: '2027-06-01' }),
          usageRow({ domain: 'twin.example.com' }),
          'not a row',
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.accepted).toBe(2);
    expect(response.body.accountsQueued).toBe(2);
    const reasons = Object.fromEntries(
      response.body.rejected.map((rejection: { row: number; reason: string }) => [
        rejection.row,
        rejection.reason,
      ]),
    );
    expect(Object.keys(reasons).map(Number)).toEqual([1, 2, 3, 4, 5, 7, 8, 9]);
    expect(reasons[1]).toMatch(/unknown account.*nobody\.example\.com/);
    expect(reasons[2]).toMatch(/day must be a calendar day/);
    expect(reasons[3]).toMatch(/activeUsers must not be negative/);
    expect(reasons[4]).toMatch(/either domain or accountId, not both/);
    expect(reasons[5]).toMatch(/give the account as domain or accountId/);
    expect(reasons[7]).toMatch(/in the future/);
    expect(reasons[8]).toMatch(/ambiguous domain "twin\.example\.com"/);
    expect(reasons[9]).toBeDefined();

    const acme = await usageOf('acme');
    expect(acme.map((row) => row.day)).toEqual(['2026-11-10']);
    expect(acme[0]).toMatchObject({ active_users: 40, licensed_seats: 50, integration_failures: 3 });
    expect(acme[0]!.metrics).toEqual({ reportsExported: 12 });
    expect((await usageOf('globex')).map((row) => row.day)).toEqual(['2026-11-10']);

    const queued = await pulse.database.db
      .selectFrom('rescore_queue')
      .select('account_id')
      .where('tenant_id', '=', pulse.tenantId)
      .orderBy('account_id')
      .execute();
    expect(queued.map((row) => row.account_id)).toEqual(['acme', 'globex']);
  });

  it('replaces a day that is sent again instead of adding a second row', async () => {
    const first = await pulse.request('POST', '/api/v1/usage', {
      body: { snapshots: [usageRow({ day: '2026-11-11', activeUsers: 10 })] },
    });
    expect(first.body).toMatchObject({ accepted: 1, rejected: [] });
    const again = await pulse.request('POST', '/api/v1/usage', {
      body: { snapshots: [usageRow({ day: '2026-11-11', activeUsers: 33, metrics: {} })] },
    });
    expect(again.body).toMatchObject({ accepted: 1, rejected: [] });
    const rows = (await usageOf('acme')).filter((row) => row.day === '2026-11-11');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ active_users: 33, metrics: {} });
  });

  it('keeps the later of two rows for the same account and day in one batch and says so', async () => {
    const response = await pulse.request('POST', '/api/v1/usage', {
      body: {
        snapshots: [
          usageRow({ day: '2026-11-12', activeUsers: 1 }),
          usageRow({ domain: undefined, accountId: 'acme', day: '2026-11-12', activeUsers: 2 }),
        ],
      },
    });
    expect(response.body.accepted).toBe(1);
    expect(response.body.rejected).toEqual([
      { row: 0, reason: 'same account and day as row 1, which replaces it' },
    ]);
    const rows = (await usageOf('acme')).filter((row) => row.day === '2026-11-12');
    expect(rows.map((row) => row.active_users)).toEqual([2]);
  });

  it('fills omitted counters with 0 and unknown seats with null', async () => {
    const response = await pulse.request('POST', '/api/v1/usage', {
      body: { snapshots: [{ accountId: 'globex', day: '2026-11-13', activeUsers: 7 }] },
    });
    expect(response.body).toMatchObject({ accepted: 1, rejected: [] });
    const row = (await usageOf('globex')).find((candidate) => candidate.day === '2026-11-13');
    expect(row).toMatchObject({
      active_users: 7,
      logins: 0,
      api_calls: 0,
      licensed_seats: null,
      features_available: null,
    });
  });

  it('refuses a batch of more than 10,000 rows with 400 naming the field', async () => {
    const snapshots = Array.from({ length: 10_001 }, (_, index) =>
      usageRow({ day: `2026-0${1 + (index % 9)}-1${index % 10}` }),
    );
    const response = await pulse.request('POST', '/api/v1/usage', { body: { snapshots } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('INVALID_INPUT');
    expect(response.body.error.details.fields[0].path).toBe('body.snapshots');
    expect(response.body.error.message).toMatch(/at most 10000 rows/);
  });

  it('accepts a full 10,000-row batch', async () => {
    const start = new Date('2025-01-01T00:00:00Z').getTime();
    const snapshots = Array.from({ length: 10_000 }, (_, index) => ({
      accountId: index % 2 === 0 ? 'acme' : 'globex',
      day: new Date(start + Math.floor(index / 2) * 86_400_000).toISOString().slice(0, 10),
      activeUsers: index % 50,
      licensedSeats: 50,
      logins: index,
      featuresAdopted: 3,
      featuresAvailable: 10,
      apiCalls: index * 3,
      integrationCalls: 10,
      integrationFailures: 1,
      metrics: { exports: index % 7, dashboards: 2 },
    })).filter((row) => row.day <= '2026-11-20');
    const response = await pulse.request('POST', '/api/v1/usage', { body: { snapshots } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: snapshots.length, rejected: [] });
  });

  it('answers 413 with the error body when the request is larger than 5 MB', async () => {
    const padding = 'x'.repeat(6 * 1024 * 1024);
    const response = await pulse.request('POST', '/api/v1/usage', {
      body: { snapshots: [usageRow({ metrics: { [padding]: 1 } })] },
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 400 for a body that is not JSON or has no snapshots array', async () => {
    const broken = await pulse.request('POST', '/api/v1/usage', { raw: '{"snapshots": [' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('INVALID_INPUT');
    const wrongShape = await pulse.request('POST', '/api/v1/usage', { body: { rows: [] } });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body.error.details.fields.map((field: { path: string }) => field.path)).toContain(
      'body.snapshots',
    );
  });

  it('never writes usage into another tenant, even for an account that exists there', async () => {
    const otherTenant = await ensureTenant(pulse.database.db, {
      crm: 'demo',
      externalId: 'other',
      name: 'Other',
    });
    await seedAccounts(pulse.database, [
      account(otherTenant, 'only-elsewhere', { domain: 'elsewhere.example.com' }),
    ]);
    const response = await pulse.request('POST', '/api/v1/usage', {
      body: {
        snapshots: [
          usageRow({ domain: undefined, accountId: 'only-elsewhere' }),
          usageRow({ domain: 'elsewhere.example.com' }),
        ],
      },
    });
    expect(response.body.accepted).toBe(0);
    expect(response.body.rejected.map((rejection: { reason: string }) => rejection.reason)).toEqual([
      'unknown account: no account has accountId "only-elsewhere"',
      'unknown account: no account has domain "elsewhere.example.com"',
    ]);
    const written = await pulse.database.db
      .selectFrom('usage_daily')
      .select('account_id')
      .where('tenant_id', '=', otherTenant)
      .execute();
    expect(written).toEqual([]);
  });
});
