import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import type { AppContext } from '../../context';
import { createTestDatabase } from '../../db/testing';
import { parseEnv } from '../../env';
import { startHubSpotSandbox } from '../../sandbox/hubspot/index';
import { ensureTenant } from '../../store/records';
import { runSync } from '../../sync/run-sync';
import { createRateLimiter } from '../rate-limiter';
import { createHubSpotAdapter } from './adapter';
import { createHubSpotTransport } from './transport';

/** What the transport tells the limiters, against msw; then the limiters against the sandbox. */

const basePath = 'https://api.hubapi.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function fakeClock() {
  const state = { now: 0, waits: [] as number[] };
  return {
    state,
    clock: () => state.now,
    sleep: async (milliseconds: number) => {
      state.waits.push(milliseconds);
      state.now += milliseconds;
    },
  };
}

function limitersOn(time: ReturnType<typeof fakeClock>) {
  return {
    requests: createRateLimiter({ requests: 100, intervalMs: 10_000, marginMs: 0, ...time }),
    search: createRateLimiter({ requests: 2, intervalMs: 1_000, marginMs: 0, ...time }),
  };
}

const search = { method: 'POST', path: '/crm/v3/objects/deals/search', body: {} } as const;
const list = { method: 'GET', path: '/crm/v3/objects/deals' } as const;

describe('HubSpot transport and the portal limiters', () => {
  it('a 429 with Retry-After holds every request back that long', async () => {
    let calls = 0;
    server.use(
      http.get(`${basePath}/crm/v3/objects/deals`, () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json(
              { status: 'error', message: 'limit', policyName: 'TEN_SECONDLY_ROLLING' },
              { status: 429, headers: { 'retry-after': '2' } },
            )
          : HttpResponse.json({ results: [] });
      }),
    );
    const time = fakeClock();
    const limiters = limitersOn(time);
    const transport = createHubSpotTransport({ basePath, getAccessToken: async () => 'pat', limiters });
    await expect(transport.request(list, z.unknown())).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await transport.request(list, z.unknown());
    expect(time.state.waits).toEqual([2_000]);
  });

  it('searches keep to the search limit; other requests do not wait for it', async () => {
    server.use(
      http.post(`${basePath}/crm/v3/objects/deals/search`, () => HttpResponse.json({ results: [] })),
      http.get(`${basePath}/crm/v3/objects/deals`, () => HttpResponse.json({ results: [] })),
    );
    const time = fakeClock();
    const transport = createHubSpotTransport({
      basePath,
      getAccessToken: async () => 'pat',
      limiters: limitersOn(time),
    });
    await transport.request(search, z.unknown());
    await transport.request(search, z.unknown());
    await transport.request(list, z.unknown());
    expect(time.state.waits).toEqual([]);
    await transport.request(search, z.unknown());
    expect(time.state.waits).toEqual([1_000]);
  });

  it('a search refused by the search limit pauses searches, not the other requests', async () => {
    let searches = 0;
    server.use(
      http.post(`${basePath}/crm/v3/objects/deals/search`, () => {
        searches += 1;
        return searches === 1
          ? HttpResponse.json(
              { status: 'error', message: 'You have reached your secondly limit.', policyName: 'SECONDLY' },
              { status: 429, headers: { 'retry-after': '1', 'x-hubspot-ratelimit-remaining': '90' } },
            )
          : HttpResponse.json({ results: [] });
      }),
      http.get(`${basePath}/crm/v3/objects/deals`, () => HttpResponse.json({ results: [] })),
    );
    const time = fakeClock();
    const transport = createHubSpotTransport({
      basePath,
      getAccessToken: async () => 'pat',
      limiters: limitersOn(time),
    });
    await expect(transport.request(search, z.unknown())).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await transport.request(list, z.unknown());
    expect(time.state.waits).toEqual([]);
    await transport.request(search, z.unknown());
    expect(time.state.waits).toEqual([1_000]);
  });

  it('adapters of one portal share its limiters; another portal has its own', () => {
    const adapter = (portalId: string) =>
      createHubSpotAdapter({ basePath: 'https://api.hubapi.test', accessToken: 'pat-shared', portalId });
    expect(adapter('1').limiter).toBe(adapter('1').limiter);
    expect(adapter('1').limiter).not.toBe(adapter('2').limiter);
  });
});

describe('sync runs against the sandbox with its limits on', () => {
  it('back-to-back runs through new adapters get no 429: the portal budget carries over', async () => {
    const rateLimit = { max: 12, intervalMs: 1_000 };
    const searchRateLimit = { max: 3, intervalMs: 1_000 };
    const sandbox = await startHubSpotSandbox({ accounts: 12, seed: 5, rateLimit, searchRateLimit });
    const database = await createTestDatabase('pglite');
    try {
      const ctx: AppContext = {
        db: database.db,
        dbKind: database.kind,
        env: parseEnv({}),
        now: () => new Date(),
      };
      const portalId = String(sandbox.portalId);
      const tenantId = await ensureTenant(ctx.db, { crm: 'hubspot', externalId: portalId, name: 'Limits' });
      const adapter = () =>
        createHubSpotAdapter({
          basePath: sandbox.url,
          accessToken: sandbox.accessToken,
          portalId,
          rateLimit: { requests: rateLimit.max, intervalMs: rateLimit.intervalMs },
          searchRateLimit: { requests: searchRateLimit.max, intervalMs: searchRateLimit.intervalMs },
        });
      const full = await runSync(ctx, { tenantId, adapter: adapter() });
      expect(full.status).toBe('completed');
      // The full run ends with its window spent; the next run starts at once, as a webhook's would.
      const incremental = await runSync(ctx, { tenantId, adapter: adapter() });
      expect(incremental.status).toBe('completed');
      const searches = sandbox.requests.filter((entry) => entry.path.endsWith('/search'));
      expect(searches.length).toBeGreaterThan(searchRateLimit.max * 2);
      expect(sandbox.requests.length).toBeGreaterThan(rateLimit.max * 3);
      expect(sandbox.requests.filter((entry) => entry.status === 429)).toEqual([]);
      expect(full.kinds.every((kind) => kind.retries === 0)).toBe(true);
      expect(incremental.kinds.every((kind) => kind.retries === 0)).toBe(true);
    } finally {
      await sandbox.close();
      await database.close();
    }
  }, 60_000);
});
