import type { StoredScore } from '@pulse/shared/api/health';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHubSpotAdapter } from '../../server/src/crm/hubspot/adapter';
import { loadConnection, saveConnection } from '../../server/src/crm/hubspot/connections';
import { requiredScopes } from '../../server/src/crm/hubspot/constants';
import { authorizeUrl, exchangeCode } from '../../server/src/crm/hubspot/oauth';
import { createHubSpotTransport } from '../../server/src/crm/hubspot/transport';
import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase } from '../../server/src/db/testing';
import { createTokenCipher } from '../../server/src/security/token-cipher';
import { syncScoreAndWrite } from '../../server/src/sync/pipeline';
import { runSync } from '../../server/src/sync/run-sync';
import { writeBack } from '../../server/src/writeback/write-back';
import { type SyncFixture, startSyncFixture } from './helpers';

const fields = {
  tierLabels: ['Healthy', 'At Risk', 'Critical'],
  factors: [
    { key: 'payment', label: 'Payment health' },
    { key: 'engagement', label: 'Engagement' },
  ],
};

describe('Connecting a HubSpot portal', () => {
  let database: DatabaseHandle;
  let fixture: SyncFixture;
  const client = {
    clientId: 'pulse-test-app',
    clientSecret: 'pulse-test-secret',
    redirectUri: 'http://localhost/oauth/callback',
  };

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    fixture = await startSyncFixture(database, {
      accounts: 12,
      seed: 3,
      oauth: {
        client: { clientId: client.clientId, clientSecret: client.clientSecret },
        scopes: [...requiredScopes],
      },
    });
  });
  afterAll(async () => {
    await fixture.close();
    await database.close();
  });

  it('creates the pulse group and every contract property once; a second run creates nothing', async () => {
    const adapter = fixture.adapter();
    const first = await adapter.ensureCustomFields(fields);
    expect(first.created).toEqual(
      expect.arrayContaining([
        'companies:group:pulse',
        'pulse_health_score',
        'pulse_health_tier',
        'pulse_next_renewal_date',
        'pulse_scored_at',
        'pulse_factor_payment',
        'pulse_factor_engagement',
        'pulse_recommendation_key',
      ]),
    );
    fixture.sandbox.resetRequestLog();
    const second = await adapter.ensureCustomFields(fields);
    expect(second.created).toEqual([]);
    expect(second.updated).toEqual([]);
    expect(second.existing).toHaveLength(first.created.filter((name) => !name.includes(':group:')).length);
    expect(fixture.sandbox.requests.every((entry) => entry.method === 'GET')).toBe(true);
  });

  it('updates the tier enumeration when the configured tiers change', async () => {
    const adapter = fixture.adapter();
    const changed = await adapter.ensureCustomFields({
      ...fields,
      tierLabels: ['Thriving', 'Healthy', 'At-Risk', 'Critical'],
    });
    expect(changed.created).toEqual([]);
    expect(changed.updated).toEqual(['pulse_health_tier']);
    const again = await adapter.ensureCustomFields({
      ...fields,
      tierLabels: ['Thriving', 'Healthy', 'At-Risk', 'Critical'],
    });
    expect(again.updated).toEqual([]);
  });

  it('writes back only what changed: a second write-back with no change makes no call', async () => {
    const adapter = fixture.adapter();
    const first = await syncScoreAndWrite(fixture.ctx, {
      tenantId: fixture.tenantId,
      adapter,
      ensureFields: true,
    });
    expect(first.sync.status).toBe('completed');
    expect(first.writeBack?.written).toBe(fixture.sandbox.store.ids('companies').length);

    fixture.sandbox.resetRequestLog();
    const second = await writeBack(fixture.ctx, fixture.tenantId, adapter);
    expect(second).toMatchObject({ changed: 0, written: 0, batches: 0 });
    expect(fixture.sandbox.requests).toEqual([]);

    // One account's score moves: exactly that account, exactly the changed properties.
    const row = await fixture.ctx.db
      .selectFrom('account_scores')
      .select(['account_id', 'result'])
      .where('tenant_id', '=', fixture.tenantId)
      .limit(1)
      .executeTakeFirstOrThrow();
    const stored = (typeof row.result === 'string' ? JSON.parse(row.result) : row.result) as StoredScore;
    const moved: StoredScore = { ...stored, churnRisk: { ...stored.churnRisk, value: 97.4 } };
    await fixture.ctx.db
      .updateTable('account_scores')
      .set({ result: JSON.stringify(moved) as never, computed_at: new Date() })
      .where('tenant_id', '=', fixture.tenantId)
      .where('account_id', '=', row.account_id)
      .execute();
    const third = await writeBack(fixture.ctx, fixture.tenantId, adapter);
    expect(third).toMatchObject({ changed: 1, written: 1, batches: 1 });
    expect(fixture.sandbox.store.get('companies', row.account_id)?.pulse_churn_risk).toBe('97');
  });

  it('exchanges an OAuth code, stores the tokens encrypted, and refreshes once when HubSpot says the token expired', async () => {
    const url = new URL(
      authorizeUrl({ clientId: client.clientId, redirectUri: client.redirectUri, state: 'xyz' }),
    );
    expect(url.searchParams.get('scope')?.split(' ')).toEqual([...requiredScopes]);
    expect(url.searchParams.get('state')).toBe('xyz');

    const code = fixture.sandbox.oauth.issueAuthorizationCode(client.redirectUri, [...requiredScopes]);
    const transport = createHubSpotTransport({
      basePath: fixture.sandbox.url,
      getAccessToken: async () => null,
    });
    const tokens = await exchangeCode(transport, client, code, new Date());
    const cipher = createTokenCipher(Buffer.alloc(32, 7).toString('base64'));
    await saveConnection(
      fixture.ctx.db,
      cipher,
      {
        tenantId: fixture.tenantId,
        crm: 'hubspot',
        externalId: String(fixture.sandbox.portalId),
        authType: 'oauth',
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: tokens.expiresAt,
        scopes: [...requiredScopes],
        baseUrl: fixture.sandbox.url,
        status: 'connected',
        lastError: null,
      },
      new Date(),
    );
    const raw = await fixture.ctx.db.selectFrom('crm_connections').selectAll().executeTakeFirstOrThrow();
    expect(raw.access_token).not.toContain(tokens.accessToken);
    expect(raw.refresh_token).not.toContain(tokens.refreshToken);
    expect((await loadConnection(fixture.ctx.db, cipher, fixture.tenantId))?.accessToken).toBe(
      tokens.accessToken,
    );

    const refreshed: string[] = [];
    const adapter = createHubSpotAdapter({
      basePath: fixture.sandbox.url,
      portalId: String(fixture.sandbox.portalId),
      rateLimit: false,
      oauth: {
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        tokens,
        onRefreshed: async (fresh) => {
          refreshed.push(fresh.accessToken);
        },
      },
    });
    fixture.sandbox.oauth.expireAccessToken(tokens.accessToken);
    fixture.sandbox.store.update('companies', fixture.sandbox.store.ids('companies')[0]!, {
      name: 'Seen after refresh',
    });
    const report = await runSync(fixture.ctx, { tenantId: fixture.tenantId, adapter });
    expect(report.status).toBe('completed');
    expect(refreshed).toHaveLength(1);
    expect(fixture.sandbox.requests.filter((entry) => entry.status === 401)).toHaveLength(1);
    const names = await fixture.ctx.db
      .selectFrom('accounts')
      .select('name')
      .where('name', '=', 'Seen after refresh')
      .execute();
    expect(names).toHaveLength(1);
  });

  it('refreshes an OAuth token before it expires, without a 401', async () => {
    const code = fixture.sandbox.oauth.issueAuthorizationCode(client.redirectUri, [...requiredScopes]);
    const transport = createHubSpotTransport({
      basePath: fixture.sandbox.url,
      getAccessToken: async () => null,
    });
    const tokens = await exchangeCode(transport, client, code, new Date());
    let refreshes = 0;
    const adapter = createHubSpotAdapter({
      basePath: fixture.sandbox.url,
      portalId: String(fixture.sandbox.portalId),
      rateLimit: false,
      oauth: {
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        // Two minutes left: inside the five-minute refresh margin.
        tokens: { ...tokens, expiresAt: new Date(Date.now() + 2 * 60_000) },
        onRefreshed: async () => {
          refreshes += 1;
        },
      },
    });
    fixture.sandbox.resetRequestLog();
    expect(
      await adapter.findOpenOpportunity(fixture.sandbox.store.ids('companies')[0]!, 'nothing'),
    ).toBeNull();
    expect(refreshes).toBe(1);
    expect(fixture.sandbox.requests.some((entry) => entry.status === 401)).toBe(false);
  });

  it('Create Opportunity twice makes one deal, associated to the company', async () => {
    const adapter = fixture.adapter();
    const companyId = fixture.sandbox.store.ids('companies')[1]!;
    const input = {
      accountId: companyId,
      productId: 'analytics-pro',
      productName: 'Analytics Pro',
      name: 'Analytics Pro upsell',
      amount: 12_000,
      ownerId: null,
      pipeline: 'default',
      stage: 'appointmentscheduled',
      closeDate: '2027-01-31',
    };
    const first = await adapter.createOpportunity(input);
    const second = await adapter.createOpportunity(input);
    expect(second.id).toBe(first.id);
    expect(await adapter.findOpenOpportunity(companyId, 'analytics-pro')).toMatchObject({ id: first.id });
    const companies = fixture.sandbox.store.raw.associations('deals', first.id, 'companies');
    expect(companies.map((target) => target.toObjectId)).toEqual([companyId]);
  });
});
