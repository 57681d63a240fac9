import { Client } from '@hubspot/api-client';
import { afterEach, describe, expect, it } from 'vitest';

import { type HubSpotSandbox, startHubSpotSandbox } from './index';

// Integration: OAuth flows, bearer checks and the rolling rate limit, through the real client.
const opened: HubSpotSandbox[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((sandbox) => sandbox.close()));
});

async function open(options: Parameters<typeof startHubSpotSandbox>[0] = {}) {
  const sandbox = await startHubSpotSandbox({
    accounts: 3,
    seed: 5,
    now: new Date('2026-11-01T00:00:00Z'),
    ...options,
  });
  opened.push(sandbox);
  return sandbox;
}

const clientFor = (sandbox: HubSpotSandbox, accessToken?: string) =>
  new Client({ ...(accessToken ? { accessToken } : {}), basePath: sandbox.url, numberOfApiCallRetries: 0 });

function bodyOf(error: { body?: unknown }): Record<string, unknown> {
  return (typeof error.body === 'string' ? JSON.parse(error.body) : error.body) as Record<string, unknown>;
}

describe('OAuth', () => {
  it('runs the install flow: authorize redirect → code → tokens → API call → refresh', async () => {
    const sandbox = await open({ rateLimit: false });
    const redirectUri = 'http://localhost:9999/oauth/callback';
    const authorize = new URL(`${sandbox.url}/oauth/authorize`);
    authorize.search = new URLSearchParams({
      client_id: sandbox.oauth.client.clientId,
      redirect_uri: redirectUri,
      scope: 'oauth crm.objects.companies.read',
      state: 'xyz',
    }).toString();
    const redirect = await fetch(authorize, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('xyz');

    const anonymous = clientFor(sandbox);
    const { clientId, clientSecret } = sandbox.oauth.client;
    const tokens = await anonymous.oauth.tokensApi.create(
      'authorization_code',
      location.searchParams.get('code')!,
      redirectUri,
      clientId,
      clientSecret,
    );
    expect(tokens.expiresIn).toBe(1800);
    expect(tokens.refreshToken).toBeTruthy();
    const info = await anonymous.oauth.accessTokensApi.get(tokens.accessToken);
    expect(info.hubId).toBe(sandbox.portalId);

    const authorised = clientFor(sandbox, tokens.accessToken);
    expect((await authorised.crm.companies.basicApi.getPage(10)).results).toHaveLength(3);

    // The code is single-use.
    const reused = await anonymous.oauth.tokensApi
      .create('authorization_code', location.searchParams.get('code')!, redirectUri, clientId, clientSecret)
      .catch((caught) => caught);
    expect(reused.code).toBe(400);
    expect(bodyOf(reused).status).toBe('BAD_AUTH_CODE');

    // Once expired the token answers 401 EXPIRED_AUTHENTICATION; a refresh gives a working one.
    sandbox.oauth.expireAccessToken(tokens.accessToken);
    const expired = await authorised.crm.companies.basicApi.getPage(10).catch((caught) => caught);
    expect(expired.code).toBe(401);
    expect(bodyOf(expired)).toMatchObject({ status: 'error', category: 'EXPIRED_AUTHENTICATION' });
    const refreshed = await anonymous.oauth.tokensApi.create(
      'refresh_token',
      undefined,
      undefined,
      clientId,
      clientSecret,
      tokens.refreshToken,
    );
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(
      (await clientFor(sandbox, refreshed.accessToken).crm.companies.basicApi.getPage(1)).results,
    ).toHaveLength(1);

    const badRefresh = await anonymous.oauth.tokensApi
      .create('refresh_token', undefined, undefined, clientId, clientSecret, 'refresh-unknown')
      .catch((caught) => caught);
    expect(bodyOf(badRefresh).status).toBe('BAD_REFRESH_TOKEN');
  });

  it('answers 401 with HubSpot’s body when the token is missing or unknown, and accepts the fixed private-app token', async () => {
    const sandbox = await open({ accessToken: 'pat-fixed-token', rateLimit: false });
    expect(sandbox.accessToken).toBe('pat-fixed-token');
    for (const client of [clientFor(sandbox), clientFor(sandbox, 'pat-wrong')]) {
      const error = await client.crm.deals.basicApi.getPage(1).catch((caught) => caught);
      expect(error.code).toBe(401);
      expect(bodyOf(error)).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    }
    expect((await clientFor(sandbox, 'pat-fixed-token').crm.deals.basicApi.getPage(1)).results).toHaveLength(
      1,
    );
  });
});

describe('rate limit', () => {
  it('answers 429 with the ten-secondly body once the window is spent, and reports the budget in headers', async () => {
    const sandbox = await open({ rateLimit: { max: 5, intervalMs: 1000 } });
    const responses = [];
    for (let index = 0; index < 6; index++) {
      responses.push(
        await fetch(`${sandbox.url}/crm/v3/objects/companies?limit=1`, {
          headers: { Authorization: `Bearer ${sandbox.accessToken}` },
        }),
      );
    }
    expect(responses.slice(0, 5).map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses[0]!.headers.get('x-hubspot-ratelimit-max')).toBe('5');
    expect(responses[0]!.headers.get('x-hubspot-ratelimit-remaining')).toBe('4');
    expect(responses[0]!.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('1000');
    expect(responses[0]!.headers.get('x-hubspot-ratelimit-daily')).toBe('250000');
    expect(responses[4]!.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    const limited = responses[5]!;
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(await limited.json()).toMatchObject({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    // The window rolls: after the interval the budget is back.
    await new Promise((resolve) => setTimeout(resolve, 1050));
    const client = clientFor(sandbox, sandbox.accessToken);
    expect((await client.crm.companies.basicApi.getPage(1)).results).toHaveLength(1);
    expect(sandbox.requests.filter((request) => request.status === 429)).toHaveLength(1);
  });
  it('limits searches on their own when asked: 429 with the secondly body, not counted in the ten-secondly window', async () => {
    const sandbox = await open({
      rateLimit: { max: 10, intervalMs: 1000 },
      searchRateLimit: { max: 2, intervalMs: 1000 },
    });
    const search = () =>
      fetch(`${sandbox.url}/crm/v3/objects/companies/search`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${sandbox.accessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ limit: 1 }),
      });
    const list = () =>
      fetch(`${sandbox.url}/crm/v3/objects/companies?limit=1`, {
        headers: { Authorization: `Bearer ${sandbox.accessToken}` },
      });
    const statuses = [];
    for (let index = 0; index < 3; index++) statuses.push((await search()).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await search();
    expect(await limited.json()).toMatchObject({ errorType: 'RATE_LIMIT', policyName: 'SECONDLY' });
    // Other requests go on; the two refused searches left the ten-secondly window 8 of 10.
    const listed = await list();
    expect(listed.status).toBe(200);
    expect(listed.headers.get('x-hubspot-ratelimit-remaining')).toBe('7');
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect((await search()).status).toBe(200);
  });
});
