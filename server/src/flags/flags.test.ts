import type { Account, AccountSnapshot, Contact } from '@pulse/shared';
import { deriveSignals } from '@pulse/shared/health/signals';
import type { HealthResult } from '@pulse/shared/health/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../db/connection';
import { createTestDatabase, databaseKinds } from '../db/testing';
import { startTestApi, type TestApi } from '../recommendations/api-harness';
import { recommendationsExtension } from '../recommendations/extension';
import { upsertRecords } from '../store/records';
import { flagsExtension } from './extension';

const day0 = new Date('2026-06-15T12:00:00Z');
const later = (days: number) => new Date(day0.getTime() + days * 86_400_000);

function account(tenantId: string, id: string): Account {
  return {
    tenantId,
    id,
    name: id,
    domain: null,
    industry: null,
    employees: null,
    annualRevenue: null,
    previousAnnualRevenue: null,
    ownerId: 'owner-1',
    ownerName: 'Olivia',
    ownerEmail: null,
    region: null,
    customerSince: '2024-01-01',
    csOptOut: false,
    attributes: {},
    updatedAt: '2026-06-01T00:00:00.000Z',
  };
}

function champion(tenantId: string, leftCompany: boolean): Contact {
  return {
    tenantId,
    id: 'c1',
    accountId: 'acc-1',
    name: 'Chris',
    email: null,
    role: 'champion',
    leftCompany,
    lastEngagedAt: null,
    updatedAt: '2026-06-01T00:00:00.000Z',
  };
}

function health(score: number | null, tier: string | null): HealthResult {
  return {
    score,
    tier,
    tierLabel: tier,
    coverage: 100,
    lowCoverage: false,
    factors: [],
    drivers: { up: [], down: [] },
    computedAt: day0.toISOString(),
  };
}

function snapshot(tenantId: string, overrides: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    account: account(tenantId, 'acc-1'),
    contacts: [],
    deals: [],
    tickets: [],
    engagements: [],
    subscriptions: [],
    invoices: [],
    usage: null,
    ...overrides,
  };
}

describe.each(databaseKinds)('flags store, scoring extension and API on %s', (kind) => {
  let handle: DatabaseHandle;
  let api: TestApi;

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    api = await startTestApi(handle, { now: day0, catalogue: [] });
    await upsertRecords(handle.db, 'accounts', [account(api.tenantId, 'acc-1')]);
  });
  afterAll(async () => {
    await api?.close();
    await handle?.close();
  });

  async function score(at: Date, accountSnapshot: AccountSnapshot, result = health(70, 'healthy')) {
    const run = await flagsExtension.begin({ ...api.context, now: () => at }, api.tenantId, at);
    await run.prepare?.(handle.db, [accountSnapshot.account.id]);
    const output = run.evaluate({
      snapshot: accountSnapshot,
      signals: deriveSignals(accountSnapshot, at),
      health: result,
      history: [],
    });
    await run.flush(handle.db, []);
    return output;
  }

  it('opens a flag during scoring, reports it, and keeps one flag per condition', async () => {
    const departed = snapshot(api.tenantId, { contacts: [champion(api.tenantId, true)] });
    expect(await score(day0, departed)).toEqual({
      openFlags: { count: 1, critical: 1, types: ['champion_left'] },
    });
    expect(await score(later(1), departed)).toEqual({
      openFlags: { count: 1, critical: 1, types: ['champion_left'] },
    });
    const listed = await api.call('GET', '/api/v1/accounts/acc-1/flags');
    expect(listed.status).toBe(200);
    expect(listed.body.flags).toHaveLength(1);
    expect(listed.body.flags[0]).toMatchObject({
      type: 'champion_left',
      status: 'open',
      severity: 'critical',
      title: 'Champion left: Chris',
      openedAt: day0.toISOString(),
    });
    expect(listed.body.flags[0].recommendedAction).toContain('48 hours');
  });

  it('acknowledges with who and when; an acknowledged flag stays quiet and is not counted', async () => {
    const [flag] = (await api.call('GET', '/api/v1/flags?status=open')).body.flags;
    const acknowledged = await api.call('POST', `/api/v1/flags/${flag.id}/acknowledge`, {
      role: 'csm',
      owner: 'owner-1',
    });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'test-csm@example.com',
      acknowledgedAt: day0.toISOString(),
    });
    const again = await api.call('POST', `/api/v1/flags/${flag.id}/acknowledge`);
    expect(again.status).toBe(409);
    const departed = snapshot(api.tenantId, { contacts: [champion(api.tenantId, true)] });
    expect(await score(later(2), departed)).toEqual({ openFlags: { count: 0, critical: 0, types: [] } });
    expect((await api.call('GET', `/api/v1/flags?status=acknowledged`)).body.flags).toHaveLength(1);
  });

  it('resolves by itself when the condition clears and opens a new flag if it returns', async () => {
    await score(later(3), snapshot(api.tenantId, { contacts: [champion(api.tenantId, false)] }));
    const resolved = (await api.call('GET', '/api/v1/flags?status=resolved')).body.flags;
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({ resolvedBy: 'system', resolvedAt: later(3).toISOString() });
    await score(later(4), snapshot(api.tenantId, { contacts: [champion(api.tenantId, true)] }));
    const all = (await api.call('GET', '/api/v1/accounts/acc-1/flags')).body.flags;
    expect(all.map((flag: { status: string }) => flag.status).sort()).toEqual(['open', 'resolved']);
  });

  it('resolves by hand, recording the actor; read-only callers and other owners cannot', async () => {
    const [flag] = (await api.call('GET', '/api/v1/flags?status=open')).body.flags;
    expect((await api.call('POST', `/api/v1/flags/${flag.id}/resolve`, { role: 'read_only' })).status).toBe(
      403,
    );
    expect(
      (await api.call('POST', `/api/v1/flags/${flag.id}/resolve`, { role: 'csm', owner: 'owner-9' })).status,
    ).toBe(403);
    const resolved = await api.call('POST', `/api/v1/flags/${flag.id}/resolve`, {
      role: 'csm',
      owner: 'owner-1',
    });
    expect(resolved.body).toMatchObject({ status: 'resolved', resolvedBy: 'test-csm@example.com' });
    expect((await api.call('POST', `/api/v1/flags/${flag.id}/resolve`)).status).toBe(409);
    expect((await api.call('POST', '/api/v1/flags/flag-nope/resolve')).status).toBe(404);
    const audit = await handle.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('entity_id', '=', flag.id)
      .execute();
    expect(audit).toEqual([{ action: 'flag.resolve', actor: 'test-csm@example.com' }]);
  });

  it('rejects an unknown status filter naming the field', async () => {
    const response = await api.call('GET', '/api/v1/flags?status=closed');
    expect(response.status).toBe(400);
    expect(response.body.error.details.fields[0].path).toBe('query.status');
  });

  it('reports the next renewal date and no recommendations without a catalogue', async () => {
    const run = await recommendationsExtension.begin(api.context, api.tenantId, day0);
    const renewing = snapshot(api.tenantId, {
      subscriptions: [
        {
          tenantId: api.tenantId,
          id: 's1',
          accountId: 'acc-1',
          productId: 'p',
          mrr: 10,
          startDate: '2025-01-01',
          renewalDate: '2026-09-01',
          autoRenew: true,
          status: 'active',
          licensedSeats: null,
          updatedAt: '2026-06-01T00:00:00.000Z',
        },
      ],
    });
    const output = run.evaluate({
      snapshot: renewing,
      signals: deriveSignals(renewing, day0),
      health: health(50, 'at_risk'),
      history: [],
    });
    expect(output).toEqual({ topRecommendations: [], nextRenewalDate: '2026-09-01' });
  });

  it('sees two falls across hourly re-scorings that repeat the same score in between', async () => {
    const quiet = snapshot(api.tenantId);
    const hour = (hours: number) => new Date(later(10).getTime() + hours * 3_600_000);
    // The pipeline only passes the last few scorings (none here): the change log carries the trend.
    for (const [hours, value] of [
      [0, 70],
      [1, 70],
      [2, 65],
      [3, 65],
      [4, 65],
    ] as const) {
      const output = await score(hour(hours), quiet, health(value, 'healthy'));
      expect(output.openFlags?.types).not.toContain('health_decline');
    }
    const output = await score(hour(5), quiet, health(59, 'at_risk'));
    expect(output.openFlags?.types).toContain('health_decline');
    const [flag] = (await api.call('GET', '/api/v1/flags?type=health_decline')).body.flags;
    expect(flag).toMatchObject({
      magnitude: 11,
      title: 'Health fell 11 points over the last 2 score changes',
    });
  });
});
