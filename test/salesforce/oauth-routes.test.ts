import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { getCrmAdapter } from '../../server/src/crm/registry';
import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase } from '../../server/src/db/testing';
import { parseEnv } from '../../server/src/env';
import {
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  type SalesforceSandbox,
  startSalesforceSandbox,
} from '../../server/src/sandbox/salesforce/server';
import { type RunningServer, startServer } from '../../server/src/server';

describe('connecting a Salesforce org through the OAuth routes', () => {
  let sandbox: SalesforceSandbox;
  let database: DatabaseHandle;
  let server: RunningServer;

  beforeAll(async () => {
    sandbox = await startSalesforceSandbox({ accounts: 3, seed: 9 });
    database = await createTestDatabase('pglite');
    server = await startServer({
      env: parseEnv({
        PORT: '0',
        SALESFORCE_LOGIN_URL: sandbox.loginUrl,
        SALESFORCE_CLIENT_ID: SANDBOX_CLIENT_ID,
        SALESFORCE_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
      }),
      database,
      scheduler: false,
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await server.close();
    await database.close();
    await sandbox.close();
  });

  it('redirects to consent, exchanges the code and stores a working connection', async () => {
    const install = await fetch(`${server.url}/oauth/salesforce/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const consent = new URL(install.headers.get('location')!);
    expect(consent.origin).toBe(sandbox.loginUrl);
    expect(consent.searchParams.get('redirect_uri')).toBe(`${server.url}/oauth/salesforce/callback`);

    const approved = await fetch(consent, { redirect: 'manual' });
    const callback = await fetch(approved.headers.get('location')!);
    expect(callback.status).toBe(200);
    const body = (await callback.json()) as { orgId: string; tenantId: string };
    expect(body.orgId).toBe(sandbox.store.orgId);

    const adapter = await getCrmAdapter(server.context, body.tenantId);
    expect(adapter.crm).toBe('salesforce');
    expect((await adapter.fetchPage('accounts', null, { now: new Date() })).records).toHaveLength(3);
  });

  it('refuses a callback whose state this server did not issue', async () => {
    const response = await fetch(`${server.url}/oauth/salesforce/callback?code=abc&state=forged`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: string; details: { fields: { path: string }[] } };
    };
    expect(body.error.code).toBe('INVALID_INPUT');
    expect(body.error.details.fields[0]!.path).toBe('state');
  });
});
