import type { Account, Invoice } from '@pulse/shared';
import { StoredScore } from '@pulse/shared/api/health';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppContext } from '../context';
import type { DatabaseHandle } from '../db/connection';
import { createTestDatabase, databaseKinds } from '../db/testing';
import { parseEnv } from '../env';
import { loadDemoPortfolio } from '../store/demo-data';
import { markDeleted, queueRescore, upsertRecords } from '../store/records';
import { getAccountHealth, getScoreHistory } from '../store/scores';
import { type RecomputeSummary, recomputeQueued, recomputeTenant } from './recompute';

const DAY_MS = 86_400_000;
const now = new Date('2026-11-20T12:00:00.000Z');
const monthAgo = new Date(now.getTime() - 31 * DAY_MS);

function summaryOf(result: Awaited<ReturnType<typeof recomputeTenant>>): RecomputeSummary {
  if ('skipped' in result) throw new Error('recompute was skipped');
  return result;
}

function bareAccount(tenantId: string, id: string): Account {
  return {
    tenantId,
    id,
    name: `Sparse ${id}`,
    domain: null,
    industry: null,
    employees: null,
    annualRevenue: null,
    previousAnnualRevenue: null,
    ownerId: null,
    ownerName: null,
    ownerEmail: null,
    region: null,
    customerSince: null,
    csOptOut: false,
    attributes: {},
    updatedAt: '2026-11-01T00:00:00.000Z',
  };
}

function overdueInvoice(tenantId: string, accountId: string, id: string): Invoice {
  return {
    tenantId,
    accountId,
    id,
    amount: 5000,
    issuedAt: '2026-09-01',
    dueDate: '2026-10-01',
    paidAt: null,
    status: 'overdue',
    updatedAt: '2026-10-02T00:00:00.000Z',
  };
}

describe.each(databaseKinds)('recompute on %s', (kind) => {
  let handle: DatabaseHandle;
  let ctx: AppContext;
  let tenantId: string;
  let accountIds: string[];

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    ctx = { db: handle.db, dbKind: handle.kind, env: parseEnv({}), now: () => now };
    const loaded = await loadDemoPortfolio(ctx, { name: 'recompute', accounts: 40, seed: 7, usageDays: 60 });
    tenantId = loaded.tenantId;
    // One account with only an overdue invoice: scored on payment alone, so its coverage is low.
    await upsertRecords(handle.db, 'accounts', [bareAccount(tenantId, 'sparse-1')]);
    await upsertRecords(handle.db, 'invoices', [overdueInvoice(tenantId, 'sparse-1', 'inv-sparse-1')]);
    // A deleted account is never scored.
    await upsertRecords(handle.db, 'accounts', [bareAccount(tenantId, 'gone-1')]);
    await markDeleted(handle.db, tenantId, 'accounts', ['gone-1'], now);
    const rows = await handle.db
      .selectFrom('accounts')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .execute();
    accountIds = rows.map((row) => row.id);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('scores every live account, stores the explained result and appends history', async () => {
    const progress: number[] = [];
    const summary = summaryOf(
      await recomputeTenant(ctx, tenantId, {
        now: monthAgo,
        chunkSize: 16,
        onProgress: (done) => progress.push(done),
      }),
    );
    expect(summary.accounts).toBe(accountIds.length);
    expect(progress.at(-1)).toBe(accountIds.length);
    expect(progress.length).toBeGreaterThan(3);
    const tierTotal = Object.values(summary.byTier).reduce((total, tier) => total + tier.count, 0);
    expect(tierTotal).toBe(accountIds.length);
    expect(Object.keys(summary.byTier).slice(0, 3)).toEqual(['healthy', 'at_risk', 'critical']);
    expect(summary.byTier.healthy!.count).toBeGreaterThan(0);

    const stored = await handle.db
      .selectFrom('account_scores')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .execute();
    expect(stored.map((row) => row.account_id).sort()).toEqual(accountIds);
    for (const row of stored) {
      const result = StoredScore.parse(JSON.parse(row.result));
      expect(row.score).toBe(result.health.score);
      expect(row.tier).toBe(result.health.tier);
      expect(result.trend30d).toBeNull();
    }
    const history = await handle.db
      .selectFrom('score_history')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .execute();
    expect(history).toHaveLength(accountIds.length);
  });

  it('marks an account backed by little data as low coverage instead of scoring missing data as 0', async () => {
    const health = await getAccountHealth(handle.db, tenantId, 'sparse-1');
    expect(health?.health.lowCoverage).toBe(true);
    expect(health?.health.coverage).toBe(25);
    const payment = health?.health.factors.find((factor) => factor.key === 'payment');
    expect(payment?.value).not.toBeNull();
    const missing = health?.health.factors.filter((factor) => factor.value === null) ?? [];
    expect(missing.length).toBe(5);
    expect(missing.every((factor) => factor.points === 0 && factor.effectiveWeight === 0)).toBe(true);
    expect(await getAccountHealth(handle.db, tenantId, 'gone-1')).toBeNull();
  });

  it('a later run appends history, computes the 30-day trend and names what moved', async () => {
    const target = accountIds.find((id) => id.startsWith('acc-'))!;
    const before = await getAccountHealth(handle.db, tenantId, target);
    await upsertRecords(
      handle.db,
      'invoices',
      [1, 2, 3].map((index) => overdueInvoice(tenantId, target, `inv-late-${index}`)),
    );
    const summary = summaryOf(await recomputeTenant(ctx, tenantId, { now }));
    expect(summary.lowCoverage).toBeGreaterThanOrEqual(1);

    const after = await getAccountHealth(handle.db, tenantId, target);
    expect(after?.history.map((point) => point.computedAt)).toEqual([
      monthAgo.toISOString(),
      now.toISOString(),
    ]);
    expect(after?.trend30d).toBeCloseTo(after!.health.score! - before!.health.score!, 1);
    expect(after?.health.drivers.down.map((driver) => driver.factorKey)).toContain('payment');
    const paymentDriver = after?.health.drivers.down.find((driver) => driver.factorKey === 'payment');
    expect(paymentDriver?.explanation).toMatch(/overdue/);
    expect(after?.churnRisk.value).toBeGreaterThan(before!.churnRisk.value!);

    const history = await getScoreHistory(handle.db, tenantId, target);
    expect(history).toHaveLength(2);
    expect(history[1]!.factors.payment!.points).toBeLessThan(history[0]!.factors.payment!.points);
  });

  it('re-scores only queued accounts and empties the queue', async () => {
    const later = new Date(now.getTime() + 3_600_000);
    await queueRescore(handle.db, tenantId, ['sparse-1', 'gone-1'], 'usage', now);
    const results = await recomputeQueued({ ...ctx, now: () => later });
    expect(results).toHaveLength(1);
    expect(summaryOf(results[0]!.result).accounts).toBe(1);
    expect(await getScoreHistory(handle.db, tenantId, 'sparse-1')).toHaveLength(3);
    expect(await handle.db.selectFrom('rescore_queue').selectAll().execute()).toEqual([]);
  });

  it('lets only one recompute of a tenant run at a time', async () => {
    const [first, second] = await Promise.all([
      recomputeTenant(ctx, tenantId, { now: new Date(now.getTime() + 7_200_000) }),
      recomputeTenant(ctx, tenantId, { now: new Date(now.getTime() + 7_200_000) }),
    ]);
    const outcomes = [first, second].map((result) => ('skipped' in result ? 'skipped' : 'ran'));
    expect(outcomes.sort()).toEqual(['ran', 'skipped']);
    // The lock is released afterwards.
    expect(
      'skipped' in (await recomputeTenant(ctx, tenantId, { now: new Date(now.getTime() + 10_800_000) })),
    ).toBe(false);
  });

  it('drops the stored score of an account deleted since it was scored, and only that one', async () => {
    const [deleted, kept] = [accountIds[0]!, accountIds[1]!];
    const at = new Date(now.getTime() + 14_400_000);
    await markDeleted(handle.db, tenantId, 'accounts', [deleted], at);
    summaryOf(await recomputeTenant(ctx, tenantId, { now: new Date(at.getTime() + 60_000) }));
    const stored = await handle.db
      .selectFrom('account_scores')
      .select('account_id')
      .where('tenant_id', '=', tenantId)
      .where('account_id', 'in', [deleted, kept])
      .execute();
    expect(stored.map((row) => row.account_id)).toEqual([kept]);
    // What the recompute kept of its inputs goes with it.
    for (const table of ['scoring_records', 'scoring_usage'] as const) {
      const inputs = await handle.db
        .selectFrom(table)
        .select('account_id')
        .where('tenant_id', '=', tenantId)
        .where('account_id', 'in', [deleted, kept])
        .execute();
      expect(inputs.map((row) => row.account_id)).toEqual([kept]);
    }
  });
});
