import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../../server/src/context';
import { CrmError } from '../../server/src/crm/adapter';
import { createSalesforceAdapter } from '../../server/src/crm/salesforce/adapter';
import {
  authorizationUrl,
  exchangeAuthorizationCode,
  type SalesforceTokens,
} from '../../server/src/crm/salesforce/auth';
import {
  salesforceAdapterForTenant,
  saveSalesforceConnection,
} from '../../server/src/crm/salesforce/connections';
import { createTestDatabase } from '../../server/src/db/testing';
import { parseEnv } from '../../server/src/env';
import {
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  SANDBOX_USERNAME,
  type SalesforceSandbox,
  startSalesforceSandbox,
} from '../../server/src/sandbox/salesforce/server';
import { ensureTenant } from '../../server/src/store/records';
import { testClock } from './helpers';

const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

async function webServerFlow(sandbox: SalesforceSandbox): Promise<SalesforceTokens> {
  const options = {
    loginUrl: sandbox.loginUrl,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    redirectUri: 'http://127.0.0.1:3000/oauth/salesforce/callback',
  };
  const url = new URL(authorizationUrl(options, 'state-123'));
  expect(url.pathname).toBe('/services/oauth2/authorize');
  expect(url.searchParams.get('scope')).toBe('api refresh_token');
  // The sandbox approves at once and redirects back with a code, as an admin clicking Allow would.
  const response = await fetch(url, { redirect: 'manual' });
  const callback = new URL(response.headers.get('location')!);
  expect(callback.searchParams.get('state')).toBe('state-123');
  return exchangeAuthorizationCode(options, callback.searchParams.get('code')!);
}

describe('Salesforce authentication', () => {
  let sandbox: SalesforceSandbox;
  const clock = testClock();

  beforeEach(async () => {
    sandbox = await startSalesforceSandbox({
      accounts: 5,
      seed: 2,
      now: clock.now,
      connectedApp: { jwtPublicKey: keys.publicKey },
    });
  });
  afterEach(() => sandbox.close());

  it('completes the web-server flow and refreshes an expired session with the refresh token', async () => {
    const tokens = await webServerFlow(sandbox);
    expect(tokens.instanceUrl).toBe(sandbox.instanceUrl);
    expect(tokens.refreshToken).toBeTruthy();
    const refreshed: SalesforceTokens[] = [];
    const adapter = createSalesforceAdapter({
      loginUrl: sandbox.loginUrl,
      instanceUrl: tokens.instanceUrl,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      clientId: SANDBOX_CLIENT_ID,
      clientSecret: SANDBOX_CLIENT_SECRET,
      onTokens: (fresh) => {
        refreshed.push(fresh);
      },
    });
    expect((await adapter.fetchPage('accounts', null, { now: clock.now() })).records).toHaveLength(5);

    sandbox.auth.expireAllSessions();
    expect((await adapter.fetchPage('accounts', null, { now: clock.now() })).records).toHaveLength(5);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed[0]!.refreshToken).toBe(tokens.refreshToken);
    const tokenCalls = sandbox.requests.filter((request) => request.kind === 'token');
    expect((tokenCalls.at(-1)!.body as string).includes('grant_type=refresh_token')).toBe(true);
  });

  it('reports AUTH_EXPIRED when a session expires and cannot be refreshed', async () => {
    const adapter = createSalesforceAdapter({
      instanceUrl: sandbox.instanceUrl,
      accessToken: sandbox.accessToken,
    });
    sandbox.auth.expireAllSessions();
    const error = await adapter.fetchPage('accounts', null, { now: clock.now() }).catch((caught) => caught);
    expect(error).toBeInstanceOf(CrmError);
    expect(error.code).toBe('AUTH_EXPIRED');
    expect(error.message).toMatch(/INVALID_SESSION_ID/);
  });

  it('logs in with the JWT bearer flow and logs in again when the session expires', async () => {
    const adapter = createSalesforceAdapter({
      loginUrl: sandbox.loginUrl,
      clientId: SANDBOX_CLIENT_ID,
      jwt: { username: SANDBOX_USERNAME, privateKey: keys.privateKey },
    });
    expect((await adapter.fetchPage('accounts', null, { now: clock.now() })).records).toHaveLength(5);
    sandbox.auth.expireAllSessions();
    expect((await adapter.fetchPage('accounts', null, { now: clock.now() })).records).toHaveLength(5);
    const grants = sandbox.requests
      .filter((request) => request.kind === 'token')
      .map((request) => String(request.body));
    expect(grants).toHaveLength(2);
    expect(grants.every((body) => body.includes('jwt-bearer'))).toBe(true);
  });

  it('refuses a JWT assertion signed with the wrong key, or for an unknown user', async () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const wrongKey = createSalesforceAdapter({
      loginUrl: sandbox.loginUrl,
      clientId: SANDBOX_CLIENT_ID,
      jwt: { username: SANDBOX_USERNAME, privateKey: other.privateKey },
    });
    await expect(wrongKey.fetchPage('accounts', null, { now: clock.now() })).rejects.toMatchObject({
      code: 'AUTH_EXPIRED',
      message: expect.stringMatching(/invalid assertion signature/),
    });
    const wrongUser = createSalesforceAdapter({
      loginUrl: sandbox.loginUrl,
      clientId: SANDBOX_CLIENT_ID,
      jwt: { username: 'someone@else.example', privateKey: keys.privateKey },
    });
    await expect(wrongUser.fetchPage('accounts', null, { now: clock.now() })).rejects.toMatchObject({
      code: 'AUTH_EXPIRED',
    });
  });

  it('stores tokens only encrypted and re-stores them after a refresh', async () => {
    const handle = await createTestDatabase('pglite');
    try {
      const env = parseEnv({
        PULSE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        SALESFORCE_LOGIN_URL: sandbox.loginUrl,
        SALESFORCE_CLIENT_ID: SANDBOX_CLIENT_ID,
        SALESFORCE_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
      });
      const ctx: AppContext = { db: handle.db, dbKind: 'pglite', env, now: clock.now };
      const tokens = await webServerFlow(sandbox);
      const tenantId = await ensureTenant(handle.db, {
        crm: 'salesforce',
        externalId: sandbox.store.orgId,
        name: 'Sandbox',
      });
      await saveSalesforceConnection(ctx, { tenantId, externalId: sandbox.store.orgId, tokens });

      const stored = await handle.db.selectFrom('crm_connections').selectAll().executeTakeFirstOrThrow();
      expect(stored.access_token).not.toContain(tokens.accessToken);
      expect(stored.refresh_token).not.toContain(tokens.refreshToken!);

      sandbox.auth.expireAllSessions();
      const adapter = await salesforceAdapterForTenant(ctx, tenantId);
      expect((await adapter.fetchPage('accounts', null, { now: clock.now() })).records).toHaveLength(5);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const after = await handle.db.selectFrom('crm_connections').selectAll().executeTakeFirstOrThrow();
      expect(after.access_token).not.toBe(stored.access_token);
      // The refreshed token works from storage alone: a new adapter needs no refresh.
      const tokenCalls = sandbox.requests.filter((request) => request.kind === 'token').length;
      const again = await salesforceAdapterForTenant(ctx, tenantId);
      await again.fetchPage('accounts', null, { now: clock.now() });
      expect(sandbox.requests.filter((request) => request.kind === 'token').length).toBe(tokenCalls);
    } finally {
      await handle.close();
    }
  });
});
