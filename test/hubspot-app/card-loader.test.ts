import type { CompiledQuery } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase, databaseKinds } from '../../server/src/db/testing';
import { parseEnv } from '../../server/src/env';
import { loadCompanyCardJson } from '../../server/src/hubspot-app/card-data';
import { CompanyCardLoader } from '../../server/src/hubspot-app/card-loader';
import { recomputeTenant } from '../../server/src/scoring/recompute';
import { loadPortalFixture } from './portal-fixture';

/**
 * Cards asked for together are read in shared statements, and each is the card
 * `loadCompanyCardJson` gives for its own tenant and company.
 */
const PORTAL = '818181';
const OTHER_PORTAL = '929292';
const now = new Date('2026-11-20T12:00:00.000Z');

describe.each(databaseKinds)('company card loader on %s', (kind) => {
  let database: DatabaseHandle;
  let accountIds: string[];
  let otherAccountIds: string[];
  const tenantId = `hubspot:${PORTAL}`;
  const otherTenantId = `hubspot:${OTHER_PORTAL}`;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    ({ accountIds } = await loadPortalFixture(database.db, { portalId: PORTAL, accounts: 8, seed: 8, now }));
    ({ accountIds: otherAccountIds } = await loadPortalFixture(database.db, {
      portalId: OTHER_PORTAL,
      accounts: 2,
      seed: 9,
      now,
      portalOffset: 3,
    }));
    const context = { db: database.db, dbKind: database.kind, env: parseEnv({}), now: () => now };
    await recomputeTenant(context, tenantId);
    await recomputeTenant(context, otherTenantId);
  }, 60_000);

  afterEach(() => {
    vi.restoreAllMocks();
  });

  afterAll(async () => {
    await database?.close();
  });

  const alone = (tenant: string, companyId: string) =>
    loadCompanyCardJson(database.db, tenant, companyId, now).catch(() => null);

  it("answers each request with its own tenant's card, in shared statements", async () => {
    const statements = vi.spyOn(database.db, 'executeQuery');
    const loader = new CompanyCardLoader(database.db, { maxInFlight: 1, maxBatch: 4 });
    const asked: [string, string][] = [
      ...accountIds.map((id): [string, string] => [tenantId, id]),
      [otherTenantId, otherAccountIds[0]!],
      // Another portal's company, an unknown one, and one asked for twice.
      [tenantId, otherAccountIds[1]!],
      [tenantId, '123456789'],
      [tenantId, accountIds[0]!],
    ];
    const cards = await Promise.all(asked.map(([tenant, id]) => loader.load(tenant, id, now)));
    const expected = await Promise.all(asked.map(([tenant, id]) => alone(tenant, id)));
    expect(cards).toEqual(expected);
    expect(cards.map((card) => (card === null ? null : JSON.parse(card).account.id))).toEqual([
      ...accountIds,
      otherAccountIds[0],
      null,
      null,
      accountIds[0],
    ]);
    // The first card is sent alone at once; the eleven asked for meanwhile go four at a time.
    const batchSizes = statements.mock.calls
      .slice(0, 4)
      .map(([query]) => ((query as CompiledQuery).parameters[0] as unknown[]).length);
    expect(batchSizes).toEqual([1, 4, 4, 3]);
  });

  it('fails only the cards of a failed statement, and keeps serving', async () => {
    const loader = new CompanyCardLoader(database.db, { maxInFlight: 1, maxBatch: 8 });
    const executeQuery = database.db.executeQuery.bind(database.db);
    vi.spyOn(database.db, 'executeQuery')
      .mockImplementationOnce(() => Promise.reject(new Error('connection lost')))
      .mockImplementation(executeQuery);
    const first = loader.load(tenantId, accountIds[1]!, now);
    const second = loader.load(tenantId, accountIds[2]!, now);
    await expect(first).rejects.toThrow('connection lost');
    expect(await second).toBe(await alone(tenantId, accountIds[2]!));
    expect(await loader.load(tenantId, accountIds[3]!, now)).toBe(await alone(tenantId, accountIds[3]!));
  });
});
