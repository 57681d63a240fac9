import { Signature } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase } from '../../server/src/db/testing';
import { parseEnv } from '../../server/src/env';
import { listFlags } from '../../server/src/flags/store';
import { recomputeTenant } from '../../server/src/scoring/recompute';
import { type RunningServer, startServer } from '../../server/src/server';
import { loadPortalFixture } from './portal-fixture';

/**
 * The HubSpot app's backend as HubSpot calls it: every request signed the way HubSpot signs it,
 * using @hubspot/api-client's Signature as the reference implementation.
 */
const CLIENT_SECRET = 'hubspot-app-client-secret';
const PORTAL = '123456';
const OTHER_PORTAL = '777777';

describe('HubSpot app endpoints', () => {
  let database: DatabaseHandle;
  let server: RunningServer;
  let accountIds: string[];
  let otherAccountIds: string[];
  const clock = { now: new Date('2026-11-20T12:00:00.000Z') };

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    ({ accountIds } = await loadPortalFixture(database.db, {
      portalId: PORTAL,
      accounts: 30,
      seed: 7,
      now: clock.now,
    }));
    ({ accountIds: otherAccountIds } = await loadPortalFixture(database.db, {
      portalId: OTHER_PORTAL,
      accounts: 5,
      seed: 8,
      now: clock.now,
      portalOffset: 8,
    }));
    server = await startServer({
      env: parseEnv({ PORT: '0', HUBSPOT_CLIENT_SECRET: CLIENT_SECRET }),
      database,
      scheduler: false,
      log: () => undefined,
      now: () => clock.now,
    });
    const context = { db: database.db, dbKind: database.kind, env: parseEnv({}), now: () => clock.now };
    await recomputeTenant(context, `hubspot:${PORTAL}`);
    await recomputeTenant(context, `hubspot:${OTHER_PORTAL}`);
  });

  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  interface SignedCall {
    method?: string;
    path: string;
    query?: Record<string, string>;
    body?: unknown;
    secret?: string;
    timestamp?: number;
    portalId?: string;
    surface?: 'settings';
    /** The origin HubSpot called, when a proxy stands between it and the server. */
    signedOrigin?: string;
    headers?: Record<string, string>;
    /** Change the body after signing it. */
    tamper?: (body: string) => string;
  }

  function signedRequest(call: SignedCall) {
    const method = call.method ?? 'GET';
    const params = new URLSearchParams({
      ...call.query,
      userId: '4242',
      userEmail: 'csm@example.com',
      appId: '99',
      portalId: call.portalId ?? PORTAL,
      ...(call.surface ? { surface: call.surface } : {}),
    });
    const pathAndQuery = `${call.path}?${params.toString()}`;
    const url = `${server.url}${pathAndQuery}`;
    const body = call.body === undefined ? '' : JSON.stringify(call.body);
    const timestamp = call.timestamp ?? clock.now.getTime();
    // HubSpot signs the URI with a few characters decoded (its docs list them; '@' is one).
    const signature = Signature.getSignature(method, 'v3', {
      signature: '',
      clientSecret: call.secret ?? CLIENT_SECRET,
      url: `${call.signedOrigin ?? server.url}${pathAndQuery}`.replace(/%40/g, '@'),
      requestBody: body,
      timestamp,
    });
    const headers: Record<string, string> = {
      ...call.headers,
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': String(timestamp),
    };
    if (body) headers['content-type'] = 'application/json';
    return { url, method, headers, body: call.tamper ? call.tamper(body) : body };
  }

  async function send(request: ReturnType<typeof signedRequest>) {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body ? { body: request.body } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  const call = (options: SignedCall) => send(signedRequest(options));

  it('serves the explained company card for a signed request', async () => {
    const response = await call({ path: '/hubspot/card/company', query: { objectId: accountIds[0]! } });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('scored');
    expect(response.body.account.id).toBe(accountIds[0]);
    expect(response.body.score.health.factors.length).toBeGreaterThan(0);
    expect(response.body.history).toHaveLength(1);
    expect(response.body.history[0].computedAt).toBe(clock.now.toISOString());
    // The card's flags are exactly the account's unresolved flags as the flags API gives them.
    const listed = await listFlags(database.db, `hubspot:${PORTAL}`, { accountId: accountIds[0]! });
    expect(response.body.flags).toEqual(
      JSON.parse(JSON.stringify(listed.filter((flag) => flag.status !== 'resolved'))),
    );
    expect(response.body.flags.length).toBeGreaterThan(0);
  });

  it('refuses a wrong secret, a stale timestamp and an unsigned request', async () => {
    const path = '/hubspot/card/company';
    const query = { objectId: accountIds[0]! };
    const wrongSecret = await call({ path, query, secret: 'not-the-secret' });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error.message).toContain('signature does not match');
    const stale = await call({ path, query, timestamp: clock.now.getTime() - 6 * 60_000 });
    expect(stale.status).toBe(401);
    expect(stale.body.error.message).toContain('older than 5 minutes');
    const unsigned = await fetch(`${server.url}${path}?objectId=${accountIds[0]}&portalId=${PORTAL}`);
    expect(unsigned.status).toBe(401);
  });

  it('checks the signature against the origin a trusted proxy reports (X-Forwarded-Proto)', async () => {
    const path = '/hubspot/card/company';
    const query = { objectId: accountIds[0]! };
    const https = server.url.replace(/^http:/, 'https:');
    const proxied = await call({
      path,
      query,
      signedOrigin: https,
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(proxied.status).toBe(200);
    const notProxied = await call({ path, query, signedOrigin: https });
    expect(notProxied.status).toBe(401);
    const wrongScheme = await call({ path, query, headers: { 'x-forwarded-proto': 'https' } });
    expect(wrongScheme.status).toBe(401);
  });

  it('refuses a request whose portalId was changed after signing', async () => {
    const request = signedRequest({
      path: '/hubspot/card/company',
      query: { objectId: otherAccountIds[0]! },
    });
    const forged = { ...request, url: request.url.replace(`portalId=${PORTAL}`, `portalId=${OTHER_PORTAL}`) };
    expect((await send(forged)).status).toBe(401);
  });

  it("never serves another portal's record, even with a valid signature", async () => {
    const response = await call({ path: '/hubspot/card/company', query: { objectId: otherAccountIds[0]! } });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
    const own = await call({
      path: '/hubspot/card/company',
      query: { objectId: otherAccountIds[0]! },
      portalId: OTHER_PORTAL,
    });
    expect(own.status).toBe(200);
  });

  it('refuses a tampered body and a replayed write', async () => {
    const flags = await call({ path: '/hubspot/api/v1/flags', query: { status: 'open' } });
    expect(flags.status).toBe(200);
    const flag = flags.body.flags[0];
    expect(flag).toBeDefined();
    const path = `/hubspot/api/v1/flags/${flag.id}/acknowledge`;
    const tampered = await call({
      method: 'POST',
      path,
      body: { note: 'ok' },
      tamper: () => '{"note":"changed"}',
    });
    expect(tampered.status).toBe(401);
    const request = signedRequest({ method: 'POST', path, body: {} });
    const first = await send(request);
    expect(first.status).toBe(200);
    expect(first.body.acknowledgedBy).toBe('hubspot-user:4242 <csm@example.com>');
    const replay = await send(request);
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toContain('already received');
  });

  it('serves the compact deal card from the deal’s company', async () => {
    const deal = await database.db
      .selectFrom('deals')
      .select(['id', 'account_id'])
      .where('tenant_id', '=', `hubspot:${PORTAL}`)
      .limit(1)
      .executeTakeFirstOrThrow();
    const response = await call({ path: '/hubspot/card/deal', query: { objectId: deal.id } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'scored', account: { id: deal.account_id } });
    const invalid = await call({ path: '/hubspot/card/deal', query: { objectId: 'abc' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.fields[0].path).toBe('query.objectId');
  });

  it('lets only the settings page change settings, rejects weights not totalling 100, audits the user', async () => {
    const current = await call({ path: '/hubspot/settings/health', surface: 'settings' });
    expect(current.status).toBe(200);
    const config = current.body.config;
    const accountsScored = current.body.distribution.accounts;
    expect(accountsScored).toBe(30);

    const fromCard = await call({ method: 'PUT', path: '/hubspot/settings/health', body: { config } });
    expect(fromCard.status).toBe(403);

    const broken = structuredClone(config);
    broken.factors[0].weight -= 5;
    const rejected = await call({
      method: 'PUT',
      path: '/hubspot/settings/health',
      body: { config: broken },
      surface: 'settings',
    });
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.message).toContain('100');
    const unchanged = await call({ path: '/hubspot/settings/health', surface: 'settings' });
    expect(unchanged.body.version).toBe(current.body.version);

    const preview = await call({
      method: 'POST',
      path: '/hubspot/settings/health/preview',
      body: { config },
      surface: 'settings',
    });
    expect(preview.status).toBe(200);
    const counted = preview.body.tiers.reduce((sum: number, tier: { count: number }) => sum + tier.count, 0);
    expect(counted + preview.body.unscored).toBe(30);

    const saved = await call({
      method: 'PUT',
      path: '/hubspot/settings/health',
      body: { config },
      surface: 'settings',
    });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(current.body.version + 1);
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('tenant_id', '=', `hubspot:${PORTAL}`)
      .where('entity_type', '=', 'setting')
      .execute();
    expect(audit.map((row) => row.actor)).toContain('hubspot-user:4242 <csm@example.com>');
  });

  it('caps the body size', async () => {
    const response = await call({
      method: 'POST',
      path: '/hubspot/settings/health/preview',
      body: { config: { padding: 'x'.repeat(70 * 1024) } },
      surface: 'settings',
    });
    expect(response.status).toBe(413);
  });

  it('runs the workflow actions for a v2-signed request and refuses a bad signature', async () => {
    const url = `${server.url}/hubspot/workflow-actions/recalculate`;
    const body = JSON.stringify({
      callbackId: 'cb-1',
      origin: { portalId: Number(PORTAL), actionDefinitionId: 1 },
      object: { objectId: Number(accountIds[1]), objectType: 'COMPANY' },
      inputFields: {},
    });
    const signature = Signature.getSignature('POST', 'v2', {
      signature: '',
      clientSecret: CLIENT_SECRET,
      url,
      requestBody: body,
    });
    const headers = {
      'content-type': 'application/json',
      'x-hubspot-signature': signature,
      'x-hubspot-signature-version': 'v2',
    };
    const response = await fetch(url, { method: 'POST', headers, body });
    expect(response.status).toBe(200);
    const payload = await response.json();
    expect(typeof payload.outputFields.pulse_health_score).toBe('number');
    expect(typeof payload.outputFields.pulse_health_tier).toBe('string');

    const forged = await fetch(url, { method: 'POST', headers, body: body.replace('cb-1', 'cb-2') });
    expect(forged.status).toBe(401);

    const topUrl = `${server.url}/hubspot/workflow-actions/top-recommendation`;
    const topSignature = Signature.getSignature('POST', 'v2', {
      signature: '',
      clientSecret: CLIENT_SECRET,
      url: topUrl,
      requestBody: body,
    });
    const top = await fetch(topUrl, {
      method: 'POST',
      headers: { ...headers, 'x-hubspot-signature': topSignature },
      body,
    });
    expect(top.status).toBe(200);
    expect(Object.keys((await top.json()).outputFields)).toEqual([
      'pulse_recommended_product',
      'pulse_recommendation_score',
      'pulse_recommendation_explanation',
    ]);
  });
});
