import type { Account } from '@pulse/shared';
import type { StoredScore } from '@pulse/shared/api/health';

import { createApiKey } from '../../server/src/api-keys/api-keys';
import type { DatabaseHandle, DatabaseKind } from '../../server/src/db/connection';
import { createTestDatabase } from '../../server/src/db/testing';
import { parseEnv } from '../../server/src/env';
import { type RunningServer, startServer } from '../../server/src/server';
import { ensureTenant, upsertRecords } from '../../server/src/store/records';

/** A real Pulse server on a free port over a fresh database, with one tenant and an API key. */
export interface TestServer {
  server: RunningServer;
  database: DatabaseHandle;
  tenantId: string;
  apiKey: string;
  clock: { now: Date };
  request(
    method: string,
    path: string,
    options?: { body?: unknown; key?: string | null; raw?: string },
  ): Promise<{
    status: number;
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the endpoint answered
    body: any;
  }>;
  close(): Promise<void>;
}

export async function startTestServer(kind: DatabaseKind, tenantName = 'Acme Portal'): Promise<TestServer> {
  const database = await createTestDatabase(kind);
  const tenantId = await ensureTenant(database.db, { crm: 'demo', externalId: tenantName, name: tenantName });
  const { key } = await createApiKey(database.db, { tenantId, label: 'tests' });
  const clock = { now: new Date('2026-11-20T12:00:00.000Z') };
  const server = await startServer({
    env: parseEnv({ PORT: '0' }),
    database,
    scheduler: false,
    log: () => undefined,
    now: () => clock.now,
  });
  return {
    server,
    database,
    tenantId,
    apiKey: key,
    clock,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = {};
      const bearer = options.key === undefined ? key : options.key;
      if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
      let body: string | undefined;
      if (options.raw !== undefined) body = options.raw;
      else if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${server.url}${path}`, { method, headers, body });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await server.close();
      await database.close();
    },
  };
}

export function account(tenantId: string, id: string, overrides: Partial<Account> = {}): Account {
  return {
    tenantId,
    id,
    name: `Account ${id}`,
    domain: `${id}.example.com`,
    industry: 'Software',
    employees: 100,
    annualRevenue: null,
    previousAnnualRevenue: null,
    ownerId: 'owner-1',
    ownerName: 'Ada Lovelace',
    ownerEmail: 'ada@example.com',
    region: 'EMEA',
    customerSince: '2024-01-01',
    csOptOut: false,
    attributes: {},
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}

export async function seedAccounts(database: DatabaseHandle, accounts: Account[]): Promise<void> {
  await upsertRecords(database.db, 'accounts', accounts);
}

/** A stored explained score as recompute writes it (account_scores.result). */
export function storedScore(
  accountId: string,
  accountName: string,
  score: number,
  tier: string,
): StoredScore {
  const computedAt = '2026-11-20T11:00:00.000Z';
  return {
    accountId,
    accountName,
    ownerId: 'owner-1',
    ownerName: 'Ada Lovelace',
    health: {
      score,
      tier,
      tierLabel: tier === 'healthy' ? 'Healthy' : tier === 'at_risk' ? 'At Risk' : 'Critical',
      coverage: 80,
      lowCoverage: false,
      factors: [
        {
          key: 'payment',
          label: 'Payment health',
          weight: 25,
          value: 90,
          effectiveWeight: 31.25,
          points: 28.1,
          signals: [{ key: 'overdueInvoices', label: 'Overdue invoices', value: 0 }],
          explanation: 'All invoices paid on time',
          asOf: '2026-11-19T00:00:00.000Z',
        },
      ],
      drivers: { up: [], down: [] },
      computedAt,
    },
    churnRisk: { value: 20, explanation: 'Healthy and renewal far away' },
    cltv: { value: 120_000, explanation: 'ARR 24,000 × margin 80% × 6.25 years' },
    upsell: { value: 55, explanation: 'Seats 90% used' },
    trend30d: 3,
    openFlags: { count: 0, critical: 0, types: [] },
    topRecommendations: [],
    nextRenewalDate: '2027-03-01',
    arr: 24_000,
    computedAt,
  };
}

export async function seedScore(
  database: DatabaseHandle,
  tenantId: string,
  accountId: string,
  accountName: string,
  score: number,
  tier: string,
): Promise<void> {
  const result = storedScore(accountId, accountName, score, tier);
  await database.db
    .insertInto('account_scores')
    .values({
      tenant_id: tenantId,
      account_id: accountId,
      score,
      tier,
      coverage: 80,
      low_coverage: false,
      churn_risk: 20,
      cltv: 120_000,
      upsell_score: 55,
      trend_30d: 3,
      result: JSON.stringify(result),
      computed_at: result.computedAt,
    })
    .execute();
}
