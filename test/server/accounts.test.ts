import { AccountHealthResult, AccountPage } from '@pulse/shared/api/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../server/src/db/connection';
import { databaseKinds } from '../../server/src/db/testing';
import { account, seedAccounts, seedScore, startTestServer, type TestServer } from './helpers';

const ACCOUNT_COUNT = 130;
const tiers = ['healthy', 'at_risk', 'critical'] as const;

async function seedUnscorable(database: DatabaseHandle, tenantId: string, accountId: string) {
  await database.db
    .insertInto('account_scores')
    .values({
      tenant_id: tenantId,
      account_id: accountId,
      score: null,
      tier: 'unscored',
      coverage: 0,
      low_coverage: true,
      churn_risk: null,
      cltv: null,
      upsell_score: null,
      trend_30d: null,
      result: JSON.stringify({}) as never,
      computed_at: '2026-11-20T11:00:00.000Z',
    })
    .execute();
}

describe.each(databaseKinds)('accounts API on %s', (kind) => {
  let pulse: TestServer;

  beforeAll(async () => {
    pulse = await startTestServer(kind);
    // Names repeat so the keyset has to break ties by id; every fourth account is not scored yet.
    const accounts = Array.from({ length: ACCOUNT_COUNT }, (_, index) =>
      account(pulse.tenantId, `acc-${String(index).padStart(3, '0')}`, {
        name: `Company ${String.fromCharCode(65 + (index % 13))}`,
        domain: `c${index}.example.com`,
        ownerId: index % 2 === 0 ? 'owner-1' : 'owner-2',
      }),
    );
    accounts.push(account(pulse.tenantId, 'gone', { name: 'Deleted Co' }));
    await seedAccounts(pulse.database, accounts);
    await pulse.database.db
      .updateTable('accounts')
      .set({ deleted_at: new Date() })
      .where('id', '=', 'gone')
      .execute();
    for (const [index, item] of accounts.entries()) {
      if (item.id === 'gone') continue;
      if (index % 4 === 3) {
        // Some unscored accounts have a score row without a score (recompute found no data at all).
        if (index % 8 === 7) await seedUnscorable(pulse.database, pulse.tenantId, item.id);
        continue;
      }
      // Scores repeat (and are not exact in float4) so the score keyset must compare like the column.
      await seedScore(
        pulse.database,
        pulse.tenantId,
        item.id,
        item.name,
        40.3 + (index % 7) * 7.7,
        tiers[index % 3]!,
      );
    }
  });
  afterAll(async () => {
    await pulse?.close();
  });

  async function pageThrough(query: string, limit: number) {
    const seen: AccountPage['accounts'] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const response = await pulse.request('GET', `/api/v1/accounts?limit=${limit}${query}${suffix}`);
      expect(response.status).toBe(200);
      const page = AccountPage.parse(response.body);
      expect(page.accounts.length).toBeLessThanOrEqual(limit);
      seen.push(...page.accounts);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    return { seen, pages };
  }

  it('pages through every account once, in name order, with no gaps or repeats', async () => {
    const { seen, pages } = await pageThrough('', 7);
    expect(pages).toBe(Math.ceil(ACCOUNT_COUNT / 7));
    expect(new Set(seen.map((item) => item.id)).size).toBe(ACCOUNT_COUNT);
    expect(seen.some((item) => item.id === 'gone')).toBe(false);
    const order = seen.map((item) => `${item.name}\u0000${item.id}`);
    expect(order).toEqual([...order].sort());
  });

  it('pages by score lowest first with unscored accounts last, stable across pages', async () => {
    // 98 scored accounts: pages of 7 end exactly where the unscored tail starts, pages of 9 inside it.
    for (const limit of [7, 9]) {
      const { seen } = await pageThrough('&sort=score', limit);
      expect(new Set(seen.map((item) => item.id)).size).toBe(ACCOUNT_COUNT);
      const scored = seen.filter((item) => item.score !== null);
      const scores = scored.map((item) => item.score!);
      expect(scores).toEqual([...scores].sort((left, right) => left - right));
      const tail = seen.slice(scored.length);
      expect(tail.every((item) => item.score === null)).toBe(true);
      expect(tail.some((item) => item.tier === 'unscored' && item.scoredAt !== null)).toBe(true);
      expect(tail.map((item) => item.id)).toEqual(tail.map((item) => item.id).sort());
      // Ties in score are broken by id, so the order is total and pages cannot overlap.
      const keys = scored.map((item) => [item.score!, item.id] as const);
      expect(keys).toEqual(
        [...keys].sort((left, right) => left[0] - right[0] || left[1].localeCompare(right[1])),
      );
      expect(scored).toHaveLength(98);
      expect(scored[0]).toMatchObject({ tierLabel: expect.any(String), coverage: 80, churnRisk: 20 });
    }
  });

  it('filters by tier, owner and a search on name or domain', async () => {
    const { seen: critical } = await pageThrough('&tier=critical', 50);
    expect(critical.length).toBeGreaterThan(0);
    expect(critical.every((item) => item.tier === 'critical')).toBe(true);
    const { seen: unscored } = await pageThrough('&tier=unscored', 50);
    expect(unscored).toHaveLength(Math.ceil((ACCOUNT_COUNT - 3) / 4));
    const { seen: owned } = await pageThrough('&ownerId=owner-2', 50);
    expect(owned).toHaveLength(ACCOUNT_COUNT / 2);
    expect(owned.every((item) => item.ownerId === 'owner-2')).toBe(true);
    const byDomain = await pulse.request('GET', '/api/v1/accounts?search=C12.EXAMPLE');
    expect(byDomain.body.accounts.map((item: { id: string }) => item.id)).toEqual(['acc-012']);
    const literal = await pulse.request('GET', '/api/v1/accounts?search=%25');
    expect(literal.body.accounts).toEqual([]);
  });

  it('rejects a bad limit, an unknown parameter and a forged cursor with 400 naming the field', async () => {
    const tooMany = await pulse.request('GET', '/api/v1/accounts?limit=501');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details.fields[0]).toMatchObject({ path: 'query.limit' });
    const unknown = await pulse.request('GET', '/api/v1/accounts?colour=red');
    expect(unknown.status).toBe(400);
    const forged = await pulse.request('GET', '/api/v1/accounts?cursor=bm9wZQ');
    expect(forged.status).toBe(400);
    expect(forged.body.error.details.fields[0]).toMatchObject({ path: 'query.cursor' });
    const first = await pulse.request('GET', '/api/v1/accounts?limit=2');
    const mixed = await pulse.request('GET', `/api/v1/accounts?sort=score&cursor=${first.body.nextCursor}`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.message).toMatch(/sort=name/);
  });

  it('answers 404 with a clear message for an account the tenant does not have', async () => {
    for (const id of ['nope', 'gone']) {
      const response = await pulse.request('GET', `/api/v1/accounts/${id}/health`);
      expect(response.status).toBe(404);
      expect(response.body.error).toEqual({
        code: 'NOT_FOUND',
        message: `No account "${id}" in this tenant`,
      });
    }
  });

  it('says an existing account is not scored yet instead of inventing a score', async () => {
    const response = await pulse.request('GET', '/api/v1/accounts/acc-003/health');
    expect(response.status).toBe(200);
    const health = AccountHealthResult.parse(response.body);
    expect(health).toMatchObject({ status: 'not_scored', accountId: 'acc-003', accountName: 'Company D' });
    expect(health.status === 'not_scored' && health.message).toMatch(/not been scored yet/);
  });

  it('serves the explained score of a scored account with its history', async () => {
    await pulse.database.db
      .insertInto('score_history')
      .values([
        {
          tenant_id: pulse.tenantId,
          account_id: 'acc-000',
          computed_at: '2026-10-01T00:00:00.000Z',
          score: 61,
          tier: 'at_risk',
          coverage: 80,
          churn_risk: 30,
          cltv: 100_000,
          upsell_score: 40,
          factors: JSON.stringify({ payment: { value: 70, points: 21.9 } }) as never,
        },
        {
          tenant_id: pulse.tenantId,
          account_id: 'acc-000',
          computed_at: '2026-06-01T00:00:00.000Z',
          score: 50,
          tier: 'at_risk',
          coverage: 80,
          churn_risk: 30,
          cltv: 100_000,
          upsell_score: 40,
          factors: JSON.stringify({}) as never,
        },
      ])
      .execute();
    const response = await pulse.request('GET', '/api/v1/accounts/acc-000/health');
    expect(response.status).toBe(200);
    const health = AccountHealthResult.parse(response.body);
    if (health.status !== 'scored') throw new Error('expected a scored account');
    expect(health.health.score).toBeCloseTo(40.3);
    expect(health.health.factors[0]).toMatchObject({
      key: 'payment',
      explanation: 'All invoices paid on time',
    });
    expect(health.churnRisk.explanation).toBe('Healthy and renewal far away');
    // 90 days of history: the June scoring is older and left out.
    expect(health.history.map((point) => point.computedAt)).toEqual(['2026-10-01T00:00:00.000Z']);
    expect(health.history[0]!.factors).toEqual({ payment: { value: 70, points: 21.9 } });
  });
});
