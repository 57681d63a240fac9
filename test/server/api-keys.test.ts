import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApiKey, listApiKeys, revokeApiKey } from '../../server/src/api-keys/api-keys';
import { databaseKinds } from '../../server/src/db/testing';
import { ensureTenant } from '../../server/src/store/records';
import { account, seedAccounts, startTestServer, type TestServer } from './helpers';

describe.each(databaseKinds)('API key authentication on %s', (kind) => {
  let pulse: TestServer;

  beforeAll(async () => {
    pulse = await startTestServer(kind);
    await seedAccounts(pulse.database, [account(pulse.tenantId, 'acme')]);
  });
  afterAll(async () => {
    await pulse?.close();
  });

  it('answers 401 with the error body when no key is sent', async () => {
    const response = await pulse.request('GET', '/api/v1/accounts', { key: null });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: { code: 'UNAUTHENTICATED', message: 'Sign in or send an API key' },
    });
  });

  it('answers the same 401 for an unknown key and a revoked one, never saying which', async () => {
    const { key, apiKey } = await createApiKey(pulse.database.db, {
      tenantId: pulse.tenantId,
      label: 'to revoke',
    });
    expect((await pulse.request('GET', '/api/v1/accounts', { key })).status).toBe(200);
    expect(await revokeApiKey(pulse.database.db, apiKey.id, new Date())).toBe(true);

    const revoked = await pulse.request('GET', '/api/v1/accounts', { key });
    const unknown = await pulse.request('GET', '/api/v1/accounts', { key: `pulse_${'A'.repeat(43)}` });
    expect(revoked.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(revoked.body).toEqual({
      error: { code: 'UNAUTHENTICATED', message: 'Invalid or revoked API key' },
    });
    expect(unknown.body).toEqual(revoked.body);
    const usage = await pulse.request('POST', '/api/v1/usage', { key, body: { snapshots: [] } });
    expect(usage.status).toBe(401);
  });

  it('scopes a key to its own tenant', async () => {
    const otherTenant = await ensureTenant(pulse.database.db, {
      crm: 'demo',
      externalId: 'k2',
      name: 'Other',
    });
    await seedAccounts(pulse.database, [account(otherTenant, 'initech')]);
    const { key } = await createApiKey(pulse.database.db, { tenantId: otherTenant, label: 'other' });
    const own = await pulse.request('GET', '/api/v1/accounts', { key });
    expect(own.body.accounts.map((item: { id: string }) => item.id)).toEqual(['initech']);
    const foreign = await pulse.request('GET', '/api/v1/accounts/acme/health', { key });
    expect(foreign.status).toBe(404);
  });

  it('stores only a hash, shows the secret once and records use at most once a minute', async () => {
    const { key, apiKey } = await createApiKey(pulse.database.db, {
      tenantId: pulse.tenantId,
      label: 'usage push',
    });
    expect(key).toMatch(/^pulse_[A-Za-z0-9_-]{43}$/);
    const stored = await pulse.database.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', apiKey.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(key.slice(6));

    const lastUsed = async () =>
      (await listApiKeys(pulse.database.db, pulse.tenantId)).find((candidate) => candidate.id === apiKey.id)
        ?.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    pulse.clock.now = new Date('2026-11-20T12:00:00.000Z');
    await pulse.request('GET', '/api/v1/accounts', { key });
    expect((await lastUsed())?.toISOString()).toBe('2026-11-20T12:00:00.000Z');
    pulse.clock.now = new Date('2026-11-20T12:00:30.000Z');
    await pulse.request('GET', '/api/v1/accounts', { key });
    expect((await lastUsed())?.toISOString()).toBe('2026-11-20T12:00:00.000Z');
    pulse.clock.now = new Date('2026-11-20T12:01:05.000Z');
    await pulse.request('GET', '/api/v1/accounts', { key });
    expect((await lastUsed())?.toISOString()).toBe('2026-11-20T12:01:05.000Z');
  });

  it('refuses to create a key for a tenant that does not exist or without a label', async () => {
    await expect(createApiKey(pulse.database.db, { tenantId: 'nope', label: 'x' })).rejects.toThrow(
      'no tenant "nope"',
    );
    await expect(createApiKey(pulse.database.db, { tenantId: pulse.tenantId, label: '  ' })).rejects.toThrow(
      'label must not be empty',
    );
  });
});
