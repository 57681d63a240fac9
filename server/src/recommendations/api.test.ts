import type { Account, Subscription } from '@pulse/shared';
import { parseCsv } from '@pulse/shared/csv/csv';
import { productCatalogue } from '@pulse/shared/demo/catalogue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CrmError } from '../crm/adapter';
import type { DatabaseHandle } from '../db/connection';
import { createTestDatabase, databaseKinds } from '../db/testing';
import { upsertRecords } from '../store/records';
import { startTestApi, type TestApi } from './api-harness';

const now = new Date('2026-06-15T12:00:00Z');
const catalogue = productCatalogue('x').map(({ tenantId: _tenantId, ...product }) => product);

function account(tenantId: string, id: string, overrides: Partial<Account> = {}): Account {
  return {
    tenantId,
    id,
    name: `Account ${id}`,
    domain: null,
    industry: 'Software',
    employees: 200,
    annualRevenue: 1_180_000,
    previousAnnualRevenue: 1_000_000,
    ownerId: 'owner-1',
    ownerName: 'Olivia',
    ownerEmail: 'olivia@example.com',
    region: null,
    customerSince: '2024-01-01',
    csOptOut: false,
    attributes: {},
    updatedAt: '2026-06-01T00:00:00.000Z',
    ...overrides,
  };
}

function subscription(
  tenantId: string,
  id: string,
  accountId: string,
  overrides: Partial<Subscription>,
): Subscription {
  return {
    tenantId,
    id,
    accountId,
    productId: 'prod-core-platform',
    mrr: 1200,
    startDate: '2025-01-01',
    renewalDate: '2026-07-30',
    autoRenew: true,
    status: 'active',
    licensedSeats: 50,
    updatedAt: '2026-06-01T00:00:00.000Z',
    ...overrides,
  };
}

const goodRule = {
  productId: 'prod-analytics',
  prerequisites: ['prod-core-platform'],
  baseScore: 40,
  signals: [
    { type: 'renewal_within_days', days: 90, weight: 20 },
    { type: 'revenue_growth_percent', percent: 10, weight: 15 },
  ],
};

describe.each(databaseKinds)('recommendations, renewals and flags API on %s', (kind) => {
  let handle: DatabaseHandle;
  let api: TestApi;

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    api = await startTestApi(handle, { now, catalogue });
    const { tenantId } = api;
    await upsertRecords(handle.db, 'accounts', [
      account(tenantId, 'acc-1', { name: 'Acme, "The" Co' }),
      account(tenantId, 'acc-2', { name: '=cmd|calc', ownerId: 'owner-2', ownerName: 'Bob' }),
    ]);
    await upsertRecords(handle.db, 'subscriptions', [
      subscription(tenantId, 's1', 'acc-1', { renewalDate: '2026-07-30' }),
      subscription(tenantId, 's2', 'acc-2', { renewalDate: '2026-06-10', mrr: 300 }),
      subscription(tenantId, 's3', 'acc-2', {
        productId: 'prod-analytics',
        renewalDate: '2026-11-30',
        mrr: 450,
      }),
    ]);
  });
  afterAll(async () => {
    await api?.close();
    await handle?.close();
  });

  describe('rules', () => {
    it('gives a new tenant the example rules, once', async () => {
      const first = await api.call('GET', '/api/v1/rules');
      expect(first.status).toBe(200);
      expect(first.body.rules.length).toBeGreaterThanOrEqual(3);
      expect(first.body.rules.length).toBeLessThanOrEqual(5);
      for (const rule of first.body.rules) await api.call('DELETE', `/api/v1/rules/${rule.id}`);
      const after = await api.call('GET', '/api/v1/rules');
      expect(after.body.rules).toEqual([]);
    });

    it('rejects a bad rule with 400 naming every field, and saves nothing', async () => {
      const response = await api.call('POST', '/api/v1/rules', {
        body: {
          ...goodRule,
          baseScore: 120,
          minEmployees: 500,
          maxEmployees: 10,
          prerequisites: ['prod-ghost'],
        },
      });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('INVALID_INPUT');
      const paths = response.body.error.details.fields.map((field: { path: string }) => field.path).sort();
      expect(paths).toEqual(['body.baseScore', 'body.maxEmployees']);
      const unknownProduct = await api.call('POST', '/api/v1/rules', {
        body: { ...goodRule, prerequisites: ['prod-ghost'] },
      });
      expect(unknownProduct.status).toBe(400);
      expect(unknownProduct.body.error.details.fields).toEqual([
        { path: 'body.prerequisites.0', message: 'product prod-ghost is not in the catalogue' },
      ]);
      expect((await api.call('GET', '/api/v1/rules')).body.rules).toEqual([]);
    });

    it('creates, reads, updates and deletes a rule; a bad update changes nothing', async () => {
      const created = await api.call('POST', '/api/v1/rules', { body: goodRule });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ ...goodRule, active: true, exclusions: [], industries: [] });
      const id = created.body.id;
      const bad = await api.call('PUT', `/api/v1/rules/${id}`, { body: { ...goodRule, baseScore: -1 } });
      expect(bad.status).toBe(400);
      expect((await api.call('GET', `/api/v1/rules/${id}`)).body.baseScore).toBe(40);
      const updated = await api.call('PUT', `/api/v1/rules/${id}`, { body: { ...goodRule, baseScore: 45 } });
      expect(updated.body.baseScore).toBe(45);
      expect((await api.call('PUT', '/api/v1/rules/rule-nope', { body: goodRule })).status).toBe(404);
      expect((await api.call('POST', '/api/v1/rules', { body: goodRule, role: 'csm' })).status).toBe(403);
      const audit = await handle.db
        .selectFrom('audit_log')
        .select(['action', 'actor'])
        .where('entity_id', '=', id)
        .orderBy('id')
        .execute();
      expect(audit).toEqual([
        { action: 'recommendation_rule.create', actor: 'test-admin@example.com' },
        { action: 'recommendation_rule.update', actor: 'test-admin@example.com' },
      ]);
    });
  });

  describe('recommendations and Create Opportunity', () => {
    it("explains an account's recommendations", async () => {
      const response = await api.call('GET', '/api/v1/accounts/acc-1/recommendations');
      expect(response.status).toBe(200);
      expect(response.body.recommendations).toEqual([
        expect.objectContaining({
          productId: 'prod-analytics',
          productName: 'Analytics Add-on',
          score: 80,
          explanation: 'Base 45 · renewal in 45 days +20 · revenue +18% +15',
          openOpportunity: null,
        }),
      ]);
      // acc-2 already owns Analytics.
      expect((await api.call('GET', '/api/v1/accounts/acc-2/recommendations')).body.recommendations).toEqual(
        [],
      );
      expect((await api.call('GET', '/api/v1/accounts/acc-404/recommendations')).status).toBe(404);
      expect(
        (await api.call('GET', '/api/v1/accounts/acc-1/recommendations', { role: 'csm', owner: 'owner-2' }))
          .status,
      ).toBe(403);
    });

    it('creates one opportunity for two concurrent clicks: same record, one CRM call', async () => {
      api.crm.delayMs = 150;
      const click = () =>
        api.call('POST', '/api/v1/accounts/acc-1/opportunities', { body: { productId: 'prod-analytics' } });
      const [first, second] = await Promise.all([click(), click()]);
      api.crm.delayMs = 0;
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(first.body.id).toBe(second.body.id);
      expect([first.body.created, second.body.created].sort()).toEqual([false, true]);
      // Only the winning click talked to the CRM: one lookup, one create.
      expect(api.crm.findCalls).toBe(1);
      expect(api.crm.created).toEqual([
        {
          accountId: 'acc-1',
          productId: 'prod-analytics',
          productName: 'Analytics Add-on',
          name: 'Acme, "The" Co — Analytics Add-on (Pulse)',
          amount: 5400,
          ownerId: 'owner-1',
          pipeline: 'default',
          stage: 'appointmentscheduled',
          closeDate: '2026-07-15',
        },
      ]);
      const third = await click();
      expect(third.body).toMatchObject({ id: first.body.id, created: false });
      expect(api.crm.created).toHaveLength(1);
      const shown = await api.call('GET', '/api/v1/accounts/acc-1/recommendations');
      expect(shown.body.recommendations[0].openOpportunity).toEqual({
        id: first.body.id,
        url: first.body.url,
      });
    });

    it('pre-fills pipeline and stage from settings and creates a new one once the first is closed', async () => {
      await handle.db
        .insertInto('settings')
        .values({
          tenant_id: api.tenantId,
          key: 'opportunity_defaults',
          version: 1,
          value: { pipeline: 'sales', stage: 'qualified' },
          changed_by: 'admin',
        })
        .execute();
      const firstId = api.crm.created.length;
      await upsertRecords(handle.db, 'deals', [
        {
          tenantId: api.tenantId,
          id: `deal-${firstId}`,
          accountId: 'acc-1',
          name: 'x',
          amount: 5400,
          stage: 'closedwon',
          closeDate: '2026-06-14',
          type: 'expansion',
          status: 'won',
          productId: 'prod-analytics',
          ownerId: null,
          updatedAt: '2026-06-14T00:00:00.000Z',
        },
      ]);
      const response = await api.call('POST', '/api/v1/accounts/acc-1/opportunities', {
        body: { productId: 'prod-analytics' },
      });
      expect(response.body.created).toBe(true);
      expect(api.crm.created.at(-1)).toMatchObject({
        pipeline: 'sales',
        stage: 'qualified',
        closeDate: '2026-07-15',
      });
    });

    it('answers a CRM failure with 502 and lets the next click try again', async () => {
      api.crm.failNext = new CrmError('RATE_LIMITED', 'slow down');
      const failed = await api.call('POST', '/api/v1/accounts/acc-1/opportunities', {
        body: { productId: 'prod-training' },
      });
      expect(failed.status).toBe(502);
      expect(failed.body.error.code).toBe('CRM_ERROR');
      const retried = await api.call('POST', '/api/v1/accounts/acc-1/opportunities', {
        body: { productId: 'prod-training' },
      });
      expect(retried.status).toBe(200);
      expect(retried.body.created).toBe(true);
    });

    it('answers 502 when the CRM connection is missing, and creates nothing', async () => {
      api.crm.unreachable = 'Tenant has no HubSpot connection';
      const response = await api.call('POST', '/api/v1/accounts/acc-1/opportunities', {
        body: { productId: 'prod-api-access' },
      });
      api.crm.unreachable = null;
      expect(response.status).toBe(502);
      expect(response.body.error.message).toBe('Cannot reach the CRM: Tenant has no HubSpot connection');
      const ledger = await handle.db
        .selectFrom('opportunities_created')
        .select('id')
        .where('product_id', '=', 'prod-api-access')
        .execute();
      expect(ledger).toEqual([]);
    });

    it('rejects an unknown product naming the field', async () => {
      const response = await api.call('POST', '/api/v1/accounts/acc-1/opportunities', {
        body: { productId: 'prod-ghost' },
      });
      expect(response.status).toBe(400);
      expect(response.body.error.details.fields[0].path).toBe('body.productId');
    });
  });

  describe('renewals', () => {
    it('lists renewals with days left, band and owner; filters and sorts', async () => {
      const all = await api.call('GET', '/api/v1/renewals');
      expect(all.status).toBe(200);
      expect(all.body.renewals.map((row: { subscriptionId: string }) => row.subscriptionId)).toEqual([
        's2',
        's1',
        's3',
      ]);
      expect(all.body.renewals[0]).toMatchObject({
        daysLeft: -5,
        band: 'red',
        ownerName: 'Bob',
        autoRenew: true,
      });
      expect(all.body.totals).toEqual({ count: 3, mrr: 1950 });
      const within = await api.call('GET', '/api/v1/renewals?within=30');
      expect(within.body.renewals.map((row: { subscriptionId: string }) => row.subscriptionId)).toEqual([
        's2',
      ]);
      const byMrr = await api.call('GET', '/api/v1/renewals?sort=mrr&order=desc&owner=owner-2');
      expect(byMrr.body.renewals.map((row: { subscriptionId: string }) => row.subscriptionId)).toEqual([
        's3',
        's2',
      ]);
      const mine = await api.call('GET', '/api/v1/renewals', { role: 'csm', owner: 'owner-1' });
      expect(mine.body.renewals.map((row: { subscriptionId: string }) => row.subscriptionId)).toEqual(['s1']);
    });

    it('rejects a bad window or sort naming the field', async () => {
      const response = await api.call('GET', '/api/v1/renewals?within=45&sort=colour');
      expect(response.status).toBe(400);
      expect(response.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual([
        'query.sort',
        'query.within',
      ]);
    });

    it('exports formula-safe RFC 4180 CSV', async () => {
      const response = await api.call('GET', '/api/v1/renewals.csv?sort=account');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/csv');
      expect(response.headers.get('content-disposition')).toContain('renewals-2026-06-15.csv');
      expect(response.text.endsWith('\r\n')).toBe(true);
      const rows = parseCsv(response.text);
      expect(rows[0]?.[0]).toBe('Account');
      expect(rows.slice(1).map((row) => row[0])).toEqual(["'=cmd|calc", "'=cmd|calc", 'Acme, "The" Co']);
    });
  });
});
