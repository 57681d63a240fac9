import { defaultHealthConfig } from '@pulse/shared/health/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { databaseKinds } from '../../server/src/db/testing';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Client, type ConsoleHarness, startConsoleHarness } from './harness';

describe.each(databaseKinds)('console API: auth, CSRF and roles (%s)', (kind) => {
  let harness: ConsoleHarness;
  let admin: Client;
  let ownerId: string;

  beforeAll(async () => {
    harness = await startConsoleHarness(kind, 60);
    admin = new Client(harness.server.url);
    const owner = await harness.server.context.db
      .selectFrom('accounts')
      .select('owner_id')
      .where('tenant_id', '=', harness.tenantId)
      .where('owner_id', 'is not', null)
      .executeTakeFirstOrThrow();
    ownerId = owner.owner_id!;
  });
  afterAll(async () => harness?.close());

  it('refuses the API without a session and signs the bootstrap admin in with an http-only Lax cookie', async () => {
    const anonymous = new Client(harness.server.url);
    expect((await anonymous.request('GET', '/api/v1/dashboard')).status).toBe(401);
    expect((await anonymous.signIn(ADMIN_EMAIL, 'wrong-password')).status).toBe(401);

    const signedIn = await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ email: ADMIN_EMAIL, role: 'admin', tenantId: harness.tenantId });
    const sessionCookie = signedIn.headers.getSetCookie().find((line) => line.startsWith('pulse_session='));
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
    expect(sessionCookie).not.toMatch(/Secure/i);
    const me = await admin.request('GET', '/api/v1/auth/me');
    expect(me.body.email).toBe(ADMIN_EMAIL);
  });

  it('refuses a session write without the CSRF header and accepts it with the header', async () => {
    const without = await admin.request('PUT', '/api/v1/settings/retention', { value: 12 }, { csrf: false });
    expect(without.status).toBe(403);
    expect(without.body.error.message).toMatch(/x-csrf-token/);
    expect((await admin.request('GET', '/api/v1/settings/retention')).body.value).toBe(24);

    const withHeader = await admin.request('PUT', '/api/v1/settings/retention', { value: 12 });
    expect(withHeader.status).toBe(200);
    expect((await admin.request('GET', '/api/v1/settings/retention')).body.value).toBe(12);
  });

  it('does not ask API-key callers for a CSRF token', async () => {
    const created = await admin.request('POST', '/api/v1/settings/api-keys', { label: 'ingest' });
    expect(created.status).toBe(200);
    const machine = new Client(harness.server.url);
    const saved = await machine.request(
      'PUT',
      '/api/v1/settings/gross-margin',
      { value: 0.7 },
      { headers: { authorization: `Bearer ${created.body.key}` } },
    );
    expect(saved.status).toBe(200);
    const revoked = await admin.request('DELETE', `/api/v1/settings/api-keys/${created.body.apiKey.id}`);
    expect(revoked.status).toBe(200);
    const after = await machine.request('GET', '/api/v1/dashboard', undefined, {
      headers: { authorization: `Bearer ${created.body.key}` },
    });
    expect(after.status).toBe(401);
  });

  it('rejects weights that do not total 100 with field errors and saves nothing', async () => {
    const before = await admin.request('GET', '/api/v1/settings/health');
    const config = structuredClone(defaultHealthConfig);
    config.factors[0]!.weight -= 5;
    const rejected = await admin.request('PUT', '/api/v1/settings/health', config);
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.details.fields).toContainEqual({
      path: 'body.factors',
      message: 'Weights total 95; they must total exactly 100',
    });
    const preview = await admin.request('POST', '/api/v1/settings/health/preview', config);
    expect(preview.status).toBe(400);
    expect((await admin.request('GET', '/api/v1/settings/health')).body).toEqual(before.body);

    config.factors[1]!.weight += 5;
    const previewOk = await admin.request('POST', '/api/v1/settings/health/preview', config);
    expect(previewOk.status).toBe(200);
    expect(previewOk.body.accounts).toBe(60);
    const saved = await admin.request('PUT', '/api/v1/settings/health', config);
    expect(saved.status).toBe(200);
    expect(saved.body.recomputed).toEqual({ accounts: 60 });
    expect(saved.body.saved.changedBy).toBe(ADMIN_EMAIL);
  });

  it('serves the dashboard as aggregates whose tiers add up to the portfolio', async () => {
    const dashboard = await admin.request('GET', '/api/v1/dashboard');
    expect(dashboard.status).toBe(200);
    const { body } = dashboard;
    expect(body.accounts).toBe(60);
    expect(body.tiers.reduce((total: number, tier: { count: number }) => total + tier.count, 0)).toBe(60);
    expect(body.kpis.averageHealth.value).toBeGreaterThan(0);
    expect(body.renewals.map((bucket: { withinDays: number }) => bucket.withinDays)).toEqual([30, 60, 90]);
    expect(body.renewals[0].count).toBeLessThanOrEqual(body.renewals[2].count);
    expect(body.trend.length).toBeGreaterThan(0);
    // The dashboard's ARR (kept per account at scoring time) matches the scores' own ARR.
    const scores = await harness.server.context.db
      .selectFrom('account_scores')
      .select('result')
      .where('tenant_id', '=', harness.tenantId)
      .execute();
    const storedArr = scores.reduce(
      (total, row) => total + (JSON.parse(row.result) as { arr: number }).arr,
      0,
    );
    expect(body.totalArr).toBe(Math.round(storedArr));
    expect(body.movers.length).toBeGreaterThan(0);
  });

  it('lets a read-only user see the dashboard and settings but not accounts, and never save', async () => {
    const created = await admin.request('POST', '/api/v1/users', {
      email: 'viewer@pulse.test',
      password: 'viewer-password',
      role: 'read_only',
    });
    expect(created.status).toBe(200);
    const viewer = new Client(harness.server.url);
    expect((await viewer.signIn('viewer@pulse.test', 'viewer-password')).body.role).toBe('read_only');
    expect((await viewer.request('GET', '/api/v1/dashboard')).status).toBe(200);
    expect((await viewer.request('GET', '/api/v1/settings/health')).status).toBe(200);
    expect((await viewer.request('GET', '/api/v1/console/accounts')).status).toBe(403);
    expect((await viewer.request('GET', '/api/v1/accounts')).status).toBe(403);
    expect((await viewer.request('GET', '/api/v1/users')).status).toBe(403);
    const save = await viewer.request('PUT', '/api/v1/settings/health', defaultHealthConfig);
    expect(save.status).toBe(403);
    expect((await viewer.request('POST', '/api/v1/rules', { productId: 'x', baseScore: 10 })).status).toBe(
      403,
    );
  });

  it('confines a CSM to the accounts of their CRM owner id', async () => {
    const missingOwner = await admin.request('POST', '/api/v1/users', {
      email: 'csm@pulse.test',
      password: 'csm-password',
      role: 'csm',
    });
    expect(missingOwner.status).toBe(400);
    expect(missingOwner.body.error.details.fields[0].path).toBe('body.ownerId');
    await admin.request('POST', '/api/v1/users', {
      email: 'csm@pulse.test',
      password: 'csm-password',
      role: 'csm',
      ownerId,
    });
    const csm = new Client(harness.server.url);
    await csm.signIn('csm@pulse.test', 'csm-password');
    const page = await csm.request('GET', '/api/v1/console/accounts?pageSize=200');
    expect(page.status).toBe(200);
    expect(page.body.total).toBeGreaterThan(0);
    expect(page.body.total).toBeLessThan(60);
    expect(page.body.accounts.every((account: { ownerId: string }) => account.ownerId === ownerId)).toBe(
      true,
    );
    const dashboard = await csm.request('GET', '/api/v1/dashboard');
    expect(dashboard.body.accounts).toBe(page.body.total);
    expect((await csm.request('PUT', '/api/v1/settings/retention', { value: 6 })).status).toBe(403);
  });

  it('signs out: the session no longer works', async () => {
    const client = new Client(harness.server.url);
    await client.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await client.request('POST', '/api/v1/auth/logout')).status).toBe(200);
    expect((await client.request('GET', '/api/v1/auth/me')).status).toBe(401);
  });
});
