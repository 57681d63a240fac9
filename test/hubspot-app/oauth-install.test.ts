import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase } from '../../server/src/db/testing';
import { parseEnv } from '../../server/src/env';
import { startHubSpotSandbox } from '../../server/src/sandbox/hubspot/index';
import { type RunningServer, startServer } from '../../server/src/server';

/** Installing the app: Pulse → HubSpot's consent page → back to Pulse with a code → a connected portal. */
describe('HubSpot app install (OAuth)', () => {
  let database: DatabaseHandle;
  let server: RunningServer;
  let sandbox: Awaited<ReturnType<typeof startHubSpotSandbox>>;
  const client = { clientId: 'pulse-app-id', clientSecret: 'pulse-app-secret' };

  beforeAll(async () => {
    sandbox = await startHubSpotSandbox({
      port: 0,
      accounts: 1,
      seed: 1,
      rateLimit: false,
      oauth: { client },
    });
    database = await createTestDatabase('pglite');
    server = await startServer({
      env: parseEnv({
        PORT: '0',
        HUBSPOT_CLIENT_ID: client.clientId,
        HUBSPOT_CLIENT_SECRET: client.clientSecret,
        HUBSPOT_API_BASE_URL: sandbox.url,
        PULSE_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      }),
      database,
      scheduler: false,
      log: () => undefined,
    });
  });

  afterAll(async () => {
    await server?.close();
    await database?.close();
    await sandbox?.close();
  });

  it('connects the installing portal and stores its tokens encrypted', async () => {
    const install = await fetch(`${server.url}/oauth/hubspot/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const consent = new URL(install.headers.get('location')!);
    expect(consent.searchParams.get('redirect_uri')).toBe(`${server.url}/oauth/hubspot/callback`);
    expect(consent.searchParams.get('scope')).toContain('crm.objects.companies.read');

    // The sandbox stands in for HubSpot's consent page, which approves and redirects back.
    const approved = await fetch(`${sandbox.url}/oauth/authorize${consent.search}`, { redirect: 'manual' });
    const callback = approved.headers.get('location')!;
    expect(callback.startsWith(`${server.url}/oauth/hubspot/callback?code=`)).toBe(true);

    const connected = await fetch(callback);
    const body = await connected.json();
    expect(body.error?.message).toBeUndefined();
    expect(connected.status).toBe(200);
    expect(body).toMatchObject({ connected: true, crm: 'hubspot', tenantId: `hubspot:${body.portalId}` });
    const stored = await database.db
      .selectFrom('crm_connections')
      .select(['access_token', 'auth_type'])
      .where('tenant_id', '=', body.tenantId)
      .executeTakeFirstOrThrow();
    expect(stored.auth_type).toBe('oauth');
    expect(stored.access_token.startsWith('v1.')).toBe(true);
  });

  it('refuses a callback this server did not start', async () => {
    const forged = await fetch(`${server.url}/oauth/hubspot/callback?code=abc&state=made-up`);
    expect(forged.status).toBe(400);
    expect((await forged.json()).error.message).toContain('not issued by this server');
  });
});
