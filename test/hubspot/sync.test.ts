import type { RecordKind } from '@pulse/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase, databaseKinds } from '../../server/src/db/testing';
import { runSync } from '../../server/src/sync/run-sync';
import { portalIds, type SyncFixture, startSyncFixture, storedIds } from './helpers';

const kindsToTypes = [
  ['accounts', 'companies'],
  ['contacts', 'contacts'],
  ['deals', 'deals'],
  ['tickets', 'tickets'],
  ['subscriptions', 'subscriptions'],
  ['invoices', 'invoices'],
] as const;

describe.each(databaseKinds)('HubSpot sync through the real @hubspot/api-client (%s)', (kind) => {
  let database: DatabaseHandle;
  let fixture: SyncFixture;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    fixture = await startSyncFixture(database, { accounts: 25, seed: 11 });
  });
  afterAll(async () => {
    await fixture.close();
    await database.close();
  });

  it('a first sync stores every live record of the portal, each child on its primary company', async () => {
    const report = await runSync(fixture.ctx, { tenantId: fixture.tenantId, adapter: fixture.adapter() });
    expect(report.status).toBe('completed');
    expect(report.fullSync).toBe(true);
    for (const [recordKind, objectType] of kindsToTypes) {
      expect(await storedIds(fixture.ctx, fixture.tenantId, recordKind), recordKind).toEqual(
        portalIds(fixture.sandbox, objectType),
      );
    }
    const engagementTypes = ['meetings', 'calls', 'emails', 'notes'] as const;
    const portalEngagements = engagementTypes.flatMap((type) => portalIds(fixture.sandbox, type)).sort();
    expect(await storedIds(fixture.ctx, fixture.tenantId, 'engagements')).toEqual(portalEngagements);

    const deal = await fixture.ctx.db
      .selectFrom('deals')
      .select(['id', 'account_id'])
      .where('tenant_id', '=', fixture.tenantId)
      .limit(1)
      .executeTakeFirstOrThrow();
    const companies = fixture.sandbox.store.raw.associations('deals', deal.id, 'companies');
    expect(companies.map((target) => target.toObjectId)).toContain(deal.account_id);
    const accounts = await storedIds(fixture.ctx, fixture.tenantId, 'accounts');
    expect(accounts).toContain(deal.account_id);
  });

  it('a run with nothing changed fetches no record and costs one search and one archive listing per object type', async () => {
    fixture.sandbox.resetRequestLog();
    const report = await runSync(fixture.ctx, { tenantId: fixture.tenantId, adapter: fixture.adapter() });
    expect(report.status).toBe('completed');
    expect(report.fullSync).toBe(false);
    expect(report.kinds.reduce((sum, entry) => sum + entry.fetched, 0)).toBe(0);
    // 10 HubSpot object types behind the 7 record kinds.
    expect(fixture.sandbox.requests.length).toBe(20);
  });

  it('an incremental sync picks up edits, deletions and merges, and queues the accounts they touch', async () => {
    const { store } = fixture.sandbox;
    const [companyA, companyB, companyC] = store.ids('companies');
    const deal = (await fixture.ctx.db
      .selectFrom('deals')
      .select(['id', 'account_id'])
      .where('tenant_id', '=', fixture.tenantId)
      .where('account_id', '=', companyC!)
      .executeTakeFirst()) ?? { id: store.ids('deals')[0]!, account_id: '' };
    const ticketId = store.ids('tickets')[0]!;
    const mergedDeals = await fixture.ctx.db
      .selectFrom('deals')
      .select('id')
      .where('tenant_id', '=', fixture.tenantId)
      .where('account_id', '=', companyB!)
      .execute();
    await fixture.ctx.db.deleteFrom('rescore_queue').execute();

    store.update('companies', companyA!, { name: 'Renamed Industries' });
    store.update('deals', deal.id, { amount: '123456' });
    store.archive('tickets', ticketId);
    store.merge(companyA!, companyB!);

    const report = await runSync(fixture.ctx, { tenantId: fixture.tenantId, adapter: fixture.adapter() });
    expect(report.status).toBe('completed');
    const company = await fixture.ctx.db
      .selectFrom('accounts')
      .select(['name'])
      .where('tenant_id', '=', fixture.tenantId)
      .where('id', '=', companyA!)
      .executeTakeFirstOrThrow();
    expect(company.name).toBe('Renamed Industries');
    const storedDeal = await fixture.ctx.db
      .selectFrom('deals')
      .select(['amount'])
      .where('tenant_id', '=', fixture.tenantId)
      .where('id', '=', deal.id)
      .executeTakeFirstOrThrow();
    expect(storedDeal.amount).toBe(123456);
    expect(await storedIds(fixture.ctx, fixture.tenantId, 'tickets')).not.toContain(ticketId);
    expect(await storedIds(fixture.ctx, fixture.tenantId, 'accounts')).not.toContain(companyB);
    for (const { id } of mergedDeals) {
      const moved = await fixture.ctx.db
        .selectFrom('deals')
        .select('account_id')
        .where('tenant_id', '=', fixture.tenantId)
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(moved.account_id).toBe(companyA);
    }
    const queued = (await fixture.ctx.db.selectFrom('rescore_queue').select('account_id').execute()).map(
      (row) => row.account_id,
    );
    expect(queued).toContain(companyA);
    expect(queued).not.toContain(companyB);
    if (deal.account_id) expect(queued).toContain(deal.account_id);
  });

  it('a malformed record is reported with the property at fault and skipped; the rest is synced', async () => {
    const dealIds = fixture.sandbox.store.ids('deals').slice(0, 3);
    for (const id of dealIds) fixture.sandbox.store.update('deals', id, { dealname: `Edited ${id}` });
    fixture.sandbox.faults.malformed(1, 'deals', {
      recordId: dealIds[1]!,
      properties: { amount: 'ten thousand' },
    });
    const report = await runSync(fixture.ctx, { tenantId: fixture.tenantId, adapter: fixture.adapter() });
    expect(report.status).toBe('completed');
    const deals = report.kinds.find((entry) => entry.kind === 'deals')!;
    expect(deals.rejectedCount).toBe(1);
    expect(deals.rejected[0]).toMatchObject({ id: dealIds[1], reason: expect.stringContaining('amount') });
    const names = await fixture.ctx.db
      .selectFrom('deals')
      .select(['id', 'name'])
      .where('tenant_id', '=', fixture.tenantId)
      .where('id', 'in', dealIds)
      .orderBy('id')
      .execute();
    const byId = new Map(names.map((row) => [row.id, row.name]));
    expect(byId.get(dealIds[0]!)).toBe(`Edited ${dealIds[0]}`);
    expect(byId.get(dealIds[2]!)).toBe(`Edited ${dealIds[2]}`);
    expect(byId.get(dealIds[1]!)).not.toBe(`Edited ${dealIds[1]}`);
  });
});

describe('HubSpot sync resumes after a kill (pglite)', () => {
  it('stops mid-kind, then resumes from its checkpoint: the same rows as an uninterrupted run, no page stored twice', async () => {
    const clean = await createTestDatabase('pglite');
    const killed = await createTestDatabase('pglite');
    // Same seed and same "now": two identical portals.
    const now = new Date();
    const cleanFixture = await startSyncFixture(clean, { accounts: 40, seed: 5, now });
    const killedFixture = await startSyncFixture(killed, { accounts: 40, seed: 5, now });
    try {
      await runSync(cleanFixture.ctx, { tenantId: cleanFixture.tenantId, adapter: cleanFixture.adapter() });
      const cleanDealLists = dealListCalls(cleanFixture);

      const controller = new AbortController();
      const first = await runSync(killedFixture.ctx, {
        tenantId: killedFixture.tenantId,
        adapter: killedFixture.adapter(),
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.kind === 'deals' && progress.pages === 1) controller.abort(new Error('killed'));
        },
      });
      expect(first.status).toBe('interrupted');
      const row = await killed.db
        .selectFrom('sync_checkpoints')
        .selectAll()
        .where('stream', '=', 'deals')
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('interrupted');
      const storedBeforeResume = (await storedIds(killedFixture.ctx, killedFixture.tenantId, 'deals')).length;
      expect(storedBeforeResume).toBe(100);

      // A new process: a fresh adapter with no memory of the first run.
      const second = await runSync(killedFixture.ctx, {
        tenantId: killedFixture.tenantId,
        adapter: killedFixture.adapter(),
      });
      expect(second.status).toBe('completed');
      const dealsReport = second.kinds.find((entry) => entry.kind === 'deals')!;
      expect(dealsReport.phase).toBe('incremental');
      // The resumed run stored only what the killed one had not.
      const portalDeals = portalIds(killedFixture.sandbox, 'deals').length;
      expect(dealsReport.stored).toBe(portalDeals - storedBeforeResume);

      for (const recordKind of [
        'accounts',
        'contacts',
        'deals',
        'tickets',
        'engagements',
        'invoices',
      ] as RecordKind[]) {
        expect(await rows(killedFixture, recordKind), recordKind).toEqual(
          await rows(cleanFixture, recordKind),
        );
      }
      // Pages fetched ahead of the kill (at most one association batch) are the only repeats.
      expect(dealListCalls(killedFixture)).toBeLessThanOrEqual(cleanDealLists + 10);
    } finally {
      await cleanFixture.close();
      await killedFixture.close();
      await clean.close();
      await killed.close();
    }
  });
});

function dealListCalls(fixture: SyncFixture): number {
  return fixture.sandbox.requests.filter(
    (entry) => entry.method === 'GET' && entry.path === '/crm/v3/objects/deals',
  ).length;
}

async function rows(fixture: SyncFixture, kind: RecordKind) {
  const result = await fixture.ctx.db
    .selectFrom(kind as 'deals')
    .selectAll()
    .where('tenant_id', '=', fixture.tenantId)
    .orderBy('id')
    .execute();
  return result.map(({ synced_at: _synced, tenant_id: _tenant, ...rest }) => rest);
}
