import type { Account, Deal } from '@pulse/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../db/connection';
import { createTestDatabase, databaseKinds } from '../db/testing';
import { ensureTenant, fromRow, markDeleted, mergeAccounts, queueRescore, upsertRecords } from './records';

const at = '2026-11-01T10:00:00.000Z';

function account(tenantId: string, id: string, name: string): Account {
  return {
    tenantId,
    id,
    name,
    domain: `${id}.example.com`,
    industry: 'Software',
    employees: 120,
    annualRevenue: 5_000_000,
    previousAnnualRevenue: 4_000_000,
    ownerId: 'o1',
    ownerName: 'Ada',
    ownerEmail: 'ada@example.com',
    region: 'EMEA',
    customerSince: '2024-03-01',
    csOptOut: false,
    attributes: { nps: 42, plan: 'pro' },
    updatedAt: at,
  };
}

function deal(tenantId: string, id: string, accountId: string): Deal {
  return {
    tenantId,
    id,
    accountId,
    name: 'Renewal',
    amount: 1200,
    stage: 'closedwon',
    closeDate: '2026-10-01',
    type: 'renewal',
    status: 'won',
    productId: null,
    ownerId: 'o1',
    updatedAt: at,
  };
}

describe.each(databaseKinds)('records store on %s', (kind) => {
  let handle: DatabaseHandle;
  let tenantId: string;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    tenantId = await ensureTenant(handle.db, { crm: 'demo', externalId: 'r1', name: 'Records' });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('round-trips an account through its row unchanged, dates and attributes included', async () => {
    const original = account(tenantId, 'a1', 'Acme');
    await upsertRecords(handle.db, 'accounts', [original]);
    const row = await handle.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', 'a1')
      .executeTakeFirstOrThrow();
    expect(fromRow('accounts', row)).toEqual(original);
  });

  it('upserts: a replayed page updates in place, never duplicates', async () => {
    await upsertRecords(handle.db, 'accounts', [
      account(tenantId, 'a1', 'Acme v2'),
      account(tenantId, 'a1', 'Acme v3'),
    ]);
    const rows = await handle.db
      .selectFrom('accounts')
      .select(['name'])
      .where('tenant_id', '=', tenantId)
      .execute();
    expect(rows).toEqual([{ name: 'Acme v3' }]);
  });

  it('soft-deletes and undeletes when the record comes back', async () => {
    await upsertRecords(handle.db, 'accounts', [account(tenantId, 'a2', 'Beta')]);
    expect(await markDeleted(handle.db, tenantId, 'accounts', ['a2'], new Date(at))).toBe(1);
    const deleted = await handle.db
      .selectFrom('accounts')
      .select('deleted_at')
      .where('id', '=', 'a2')
      .executeTakeFirst();
    expect(deleted?.deleted_at).not.toBeNull();
    await upsertRecords(handle.db, 'accounts', [account(tenantId, 'a2', 'Beta')]);
    const back = await handle.db
      .selectFrom('accounts')
      .select('deleted_at')
      .where('id', '=', 'a2')
      .executeTakeFirst();
    expect(back?.deleted_at).toBeNull();
  });

  it('moves children and usage of a merged account to the survivor and queues it', async () => {
    await upsertRecords(handle.db, 'accounts', [
      account(tenantId, 'm1', 'Keep'),
      account(tenantId, 'm2', 'Gone'),
    ]);
    await upsertRecords(handle.db, 'deals', [deal(tenantId, 'd1', 'm1'), deal(tenantId, 'd2', 'm2')]);
    const usage = (accountId: string, logins: number) => ({
      tenant_id: tenantId,
      account_id: accountId,
      day: '2026-10-30',
      active_users: 3,
      licensed_seats: 10,
      logins,
      features_adopted: 2,
      features_available: 10,
      api_calls: 5,
      integration_calls: 1,
      integration_failures: 0,
      metrics: JSON.stringify({}) as never,
    });
    await handle.db
      .insertInto('usage_daily')
      .values([usage('m1', 4), usage('m2', 6)])
      .execute();
    await mergeAccounts(handle.db, tenantId, [{ from: 'm2', into: 'm1' }], new Date(at));
    const deals = await handle.db.selectFrom('deals').select(['id', 'account_id']).orderBy('id').execute();
    expect(deals).toEqual([
      { id: 'd1', account_id: 'm1' },
      { id: 'd2', account_id: 'm1' },
    ]);
    const days = await handle.db.selectFrom('usage_daily').select(['account_id', 'logins']).execute();
    expect(days).toEqual([{ account_id: 'm1', logins: 10 }]);
    const queued = await handle.db.selectFrom('rescore_queue').select('account_id').execute();
    expect(queued.map((row) => row.account_id)).toContain('m1');
    await queueRescore(handle.db, tenantId, ['m1', 'm1'], 'webhook', new Date(at));
    expect(await handle.db.selectFrom('rescore_queue').select('account_id').execute()).toHaveLength(1);
  });
});
