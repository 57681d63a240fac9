import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppContext } from '../context';
import type { DatabaseHandle } from '../db/connection';
import { createTestDatabase } from '../db/testing';
import { parseEnv } from '../env';
import { recomputeTenant } from '../scoring/recompute';
import { loadDemoPortfolio } from '../store/demo-data';

/**
 * The flags and recommendations extensions inside the real recompute pipeline, over a generated
 * demo portfolio: what the score stores (and the CRM gets) matches the flags table.
 */
describe('flags and recommendations in a recompute of the demo portfolio', () => {
  let handle: DatabaseHandle;
  let ctx: AppContext;
  let tenantId: string;
  const now = new Date('2026-06-15T12:00:00Z');

  beforeAll(async () => {
    handle = await createTestDatabase('pglite');
    ctx = { db: handle.db, dbKind: handle.kind, env: parseEnv({}), now: () => now };
    ({ tenantId } = await loadDemoPortfolio(ctx, { accounts: 150, seed: 11, usageDays: 70 }));
    await recomputeTenant(ctx, tenantId);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('opens flags of several types and stores each account open-flag summary to match the table', async () => {
    const open = await handle.db
      .selectFrom('flags')
      .select(['account_id', 'type', 'severity'])
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'open')
      .execute();
    expect(new Set(open.map((flag) => flag.type)).size).toBeGreaterThanOrEqual(5);
    const scores = await handle.db
      .selectFrom('account_scores')
      .select(['account_id', 'result'])
      .where('tenant_id', '=', tenantId)
      .execute();
    expect(scores).toHaveLength(150);
    for (const score of scores) {
      const mine = open.filter((flag) => flag.account_id === score.account_id);
      const stored = (
        JSON.parse(score.result) as { openFlags: { count: number; critical: number; types: string[] } }
      ).openFlags;
      expect(stored).toEqual({
        count: mine.length,
        critical: mine.filter((flag) => flag.severity === 'critical').length,
        types: [...new Set(mine.map((flag) => flag.type))].sort(),
      });
    }
  });

  it('stores up to three explained recommendations and the next renewal date', async () => {
    const scores = await handle.db
      .selectFrom('account_scores')
      .select('result')
      .where('tenant_id', '=', tenantId)
      .execute();
    const results = scores.map(
      (score) =>
        JSON.parse(score.result) as {
          topRecommendations: { score: number; explanation: string }[];
          nextRenewalDate: string | null;
        },
    );
    expect(results.some((result) => result.topRecommendations.length > 0)).toBe(true);
    for (const result of results) {
      expect(result.topRecommendations.length).toBeLessThanOrEqual(3);
      for (const recommendation of result.topRecommendations)
        expect(recommendation.explanation).toMatch(/^Base \d+/);
    }
    expect(results.some((result) => /^\d{4}-\d{2}-\d{2}$/.test(result.nextRenewalDate ?? ''))).toBe(true);
  });

  it('re-scoring the same data neither duplicates nor resolves flags', async () => {
    const before = await handle.db
      .selectFrom('flags')
      .select(['id', 'status'])
      .where('tenant_id', '=', tenantId)
      .execute();
    // Small chunks: each chunk's unresolved flags are read while the previous chunk is scored.
    await recomputeTenant(ctx, tenantId, { chunkSize: 40 });
    const after = await handle.db
      .selectFrom('flags')
      .select(['id', 'status'])
      .where('tenant_id', '=', tenantId)
      .execute();
    expect(after.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      before.sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('resolves a flag whose condition cleared, with flags read chunk by chunk', async () => {
    const flag = await handle.db
      .selectFrom('flags')
      .select(['id', 'account_id'])
      .where('tenant_id', '=', tenantId)
      .where('type', '=', 'champion_left')
      .where('status', '<>', 'resolved')
      .orderBy('account_id', 'desc')
      .executeTakeFirstOrThrow();
    // The champion is back: the condition no longer holds.
    await handle.db
      .updateTable('contacts')
      .set({ left_company: false })
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', flag.account_id)
      .execute();
    await recomputeTenant(ctx, tenantId, { chunkSize: 40 });
    const after = await handle.db
      .selectFrom('flags')
      .select(['status', 'resolved_by'])
      .where('id', '=', flag.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'resolved', resolved_by: 'system' });
  });

  it('a re-score later the same day rewrites no flag or console metric row whose values did not change', async () => {
    const flags = () =>
      handle.db
        .selectFrom('flags')
        .select(['id', 'status', 'updated_at', 'details', 'magnitude'])
        .where('tenant_id', '=', tenantId)
        .orderBy('id')
        .execute();
    const metrics = () =>
      handle.db
        .selectFrom('console_account_metrics')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('account_id')
        .execute();
    const flagsBefore = await flags();
    const metricsBefore = await metrics();
    expect(flagsBefore.filter((flag) => flag.status === 'open').length).toBeGreaterThan(10);
    expect(metricsBefore).toHaveLength(150);
    const later = new Date(now.getTime() + 3_600_000);
    await recomputeTenant({ ...ctx, now: () => later }, tenantId, { now: later });
    expect(await flags()).toEqual(flagsBefore);
    expect(await metrics()).toEqual(metricsBefore);
  });

  it('rewrites a console metric row when its figures change, with the time of that scoring', async () => {
    const before = await handle.db
      .selectFrom('console_account_metrics')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .execute();
    const target = before.find((row) => row.arr > 0)!;
    await handle.db
      .updateTable('console_account_metrics')
      .set({ arr: target.arr + 1 })
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', target.account_id)
      .execute();
    const later = new Date(now.getTime() + 2 * 3_600_000);
    await recomputeTenant({ ...ctx, now: () => later }, tenantId, { now: later });
    const after = await handle.db
      .selectFrom('console_account_metrics')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .execute();
    const changed = after.filter((row) => new Date(row.computed_at).getTime() === later.getTime());
    expect(changed.map((row) => row.account_id)).toEqual([target.account_id]);
    expect(changed[0]!.arr).toBe(target.arr);
  });
});
