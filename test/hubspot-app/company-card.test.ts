import { CompanyCardResponse } from '@pulse/shared/api/hubspot-app';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase, databaseKinds } from '../../server/src/db/testing';
import { parseEnv } from '../../server/src/env';
import { listFlags } from '../../server/src/flags/store';
import { loadCompanyCard, loadCompanyCardJson } from '../../server/src/hubspot-app/card-data';
import { recomputeTenant } from '../../server/src/scoring/recompute';
import { loadPortalFixture } from './portal-fixture';

/**
 * The company card as PostgreSQL assembles it (`pulse_company_card`, migration 012), on both
 * databases: the same JSON the flags API and the stored score give, the 90-day history window,
 * and nothing for companies that are deleted, unscored or another portal's.
 */
const PORTAL = '424242';
const OTHER_PORTAL = '535353';
const now = new Date('2026-11-20T12:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

describe.each(databaseKinds)('company card on %s', (kind) => {
  let database: DatabaseHandle;
  let accountIds: string[];
  let otherAccountIds: string[];
  const tenantId = `hubspot:${PORTAL}`;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    ({ accountIds } = await loadPortalFixture(database.db, { portalId: PORTAL, accounts: 12, seed: 3, now }));
    ({ accountIds: otherAccountIds } = await loadPortalFixture(database.db, {
      portalId: OTHER_PORTAL,
      accounts: 3,
      seed: 4,
      now,
      portalOffset: 5,
    }));
    const context = { db: database.db, dbKind: database.kind, env: parseEnv({}), now: () => now };
    await recomputeTenant(context, tenantId);
    await recomputeTenant(context, `hubspot:${OTHER_PORTAL}`);
  }, 60_000);

  afterAll(async () => {
    await database?.close();
  });

  /** The first account with at least two unresolved flags. */
  async function flaggedAccount(): Promise<string> {
    for (const accountId of accountIds) {
      const flags = await listFlags(database.db, tenantId, { accountId });
      if (flags.filter((flag) => flag.status !== 'resolved').length >= 2) return accountId;
    }
    throw new Error('the fixture has no account with two unresolved flags');
  }

  it("serves the stored score, the account's unresolved flags and the history line", async () => {
    const accountId = await flaggedAccount();
    const [open, other] = (await listFlags(database.db, tenantId, { accountId })).filter(
      (flag) => flag.status !== 'resolved',
    );
    // One acknowledged (timestamps with milliseconds), one resolved: the card shows the first only.
    await database.db
      .updateTable('flags')
      .set({
        status: 'acknowledged',
        acknowledged_by: 'hubspot-user:1',
        acknowledged_at: new Date('2026-11-19T08:07:06.789Z'),
        acknowledged_severity: open!.severity,
        acknowledged_magnitude: open!.magnitude,
      })
      .where('id', '=', open!.id)
      .execute();
    await database.db
      .updateTable('flags')
      .set({ status: 'resolved', resolved_by: 'hubspot-user:1', resolved_at: now })
      .where('id', '=', other!.id)
      .execute();
    // Scorings 100 and 10 days ago: only the second is within the card's 90 days.
    for (const computedAt of [daysAgo(100), daysAgo(10)]) {
      await database.db
        .insertInto('score_history')
        .values({
          tenant_id: tenantId,
          account_id: accountId,
          computed_at: computedAt,
          score: 42.5,
          tier: 'at_risk',
          coverage: 0.8,
          churn_risk: null,
          cltv: null,
          upsell_score: null,
          factors: {},
        })
        .execute();
    }

    const text = await loadCompanyCardJson(database.db, tenantId, accountId, now);
    const card = CompanyCardResponse.parse(JSON.parse(text));
    if (card.status !== 'scored') throw new Error(`expected a scored card, got ${card.status}`);

    const account = await database.db
      .selectFrom('accounts')
      .select(['id', 'name'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    expect(card.account).toEqual({ id: account.id, name: account.name });

    const stored = await database.db
      .selectFrom('account_scores')
      .select('result')
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    const result = typeof stored.result === 'string' ? JSON.parse(stored.result) : stored.result;
    expect(JSON.parse(text).score).toEqual(result);

    const unresolved = (await listFlags(database.db, tenantId, { accountId })).filter(
      (flag) => flag.status !== 'resolved',
    );
    expect(JSON.parse(text).flags).toEqual(JSON.parse(JSON.stringify(unresolved)));
    expect(card.flags.map((flag) => flag.id)).toContain(open!.id);
    expect(card.flags.map((flag) => flag.id)).not.toContain(other!.id);
    expect(card.flags.find((flag) => flag.id === open!.id)?.acknowledgedAt).toBe('2026-11-19T08:07:06.789Z');
    // Newest first.
    const opened = card.flags.map((flag) => flag.openedAt);
    expect(opened).toEqual([...opened].sort().reverse());

    expect(card.history).toEqual([
      { computedAt: daysAgo(10).toISOString(), score: 42.5 },
      { computedAt: now.toISOString(), score: card.score.health.score },
    ]);

    // The parsed form the deal/ticket code paths use is the same card.
    expect(await loadCompanyCard(database.db, tenantId, accountId, now)).toEqual(JSON.parse(text));
  });

  it('answers not_scored for a synced company without a stored score', async () => {
    const accountId = accountIds.at(-1)!;
    await database.db
      .deleteFrom('account_scores')
      .where('tenant_id', '=', tenantId)
      .where('account_id', '=', accountId)
      .execute();
    const card = CompanyCardResponse.parse(
      JSON.parse(await loadCompanyCardJson(database.db, tenantId, accountId, now)),
    );
    expect(card.status).toBe('not_scored');
    expect(card.account.id).toBe(accountId);
  });

  it("finds no deleted company, no unknown id and no other portal's company", async () => {
    const deleted = accountIds.at(-2)!;
    await database.db
      .updateTable('accounts')
      .set({ deleted_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', deleted)
      .execute();
    for (const accountId of [deleted, '999999999', otherAccountIds[0]!]) {
      await expect(loadCompanyCardJson(database.db, tenantId, accountId, now)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    }
    // The other portal's company is there for its own tenant.
    const own = JSON.parse(
      await loadCompanyCardJson(database.db, `hubspot:${OTHER_PORTAL}`, otherAccountIds[0]!, now),
    );
    expect(own.status).toBe('scored');
  });
});
