import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { CrmError } from '../adapter';
import { createRateLimiter } from '../rate-limiter';
import { type ErrorFixture, errorFixtures } from './fixtures/error-responses';
import { createHubSpotTransport } from './transport';

const basePath = 'https://api.hubapi.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function answer(fixture: ErrorFixture) {
  server.use(
    http.get(`${basePath}/crm/v3/objects/companies`, () =>
      HttpResponse.json(fixture.body as object, { status: fixture.status, headers: fixture.headers }),
    ),
  );
}

async function failureOf(options: { timeoutMs?: number } = {}): Promise<CrmError> {
  const transport = createHubSpotTransport({
    basePath,
    getAccessToken: async () => 'pat-test',
    now: () => new Date('2026-11-22T15:00:00Z'),
    ...options,
  });
  const error = await transport
    .request({ method: 'GET', path: '/crm/v3/objects/companies' }, z.unknown())
    .then(
      () => null,
      (caught: unknown) => caught,
    );
  expect(error).toBeInstanceOf(CrmError);
  return error as CrmError;
}

describe('HubSpot error classification (real @hubspot/api-client, msw)', () => {
  it('429 ten-secondly: RATE_LIMITED, waiting part of the window', async () => {
    answer(errorFixtures.tenSecondlyRateLimit);
    const error = await failureOf();
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterMs).toBe(1_000);
    expect(error.details).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING' });
  });

  it('429 with Retry-After: waits as long as HubSpot says', async () => {
    answer({
      ...errorFixtures.tenSecondlyRateLimit,
      headers: { ...errorFixtures.tenSecondlyRateLimit.headers, 'retry-after': '3' },
    });
    expect((await failureOf()).retryAfterMs).toBe(3_000);
  });

  it('429 daily: RATE_LIMITED until the next day, so the policy gives up instead of waiting hours', async () => {
    answer(errorFixtures.dailyRateLimit);
    const error = await failureOf();
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterMs).toBe(9 * 60 * 60_000);
  });

  it('5xx: TEMPORARY', async () => {
    answer(errorFixtures.serverError);
    expect((await failureOf()).code).toBe('TEMPORARY');
  });

  it('401 expired token: AUTH_EXPIRED', async () => {
    answer(errorFixtures.expiredToken);
    const error = await failureOf();
    expect(error.code).toBe('AUTH_EXPIRED');
    expect(error.message).toContain('expired');
  });

  it('403 missing scopes: INSUFFICIENT_SCOPE', async () => {
    answer(errorFixtures.missingScopes);
    const error = await failureOf();
    expect(error.code).toBe('INSUFFICIENT_SCOPE');
    expect(error.details).toMatchObject({ category: 'MISSING_SCOPES' });
  });

  it('404: NOT_FOUND', async () => {
    answer(errorFixtures.notFound);
    expect((await failureOf()).code).toBe('NOT_FOUND');
  });

  it("400 validation error: INVALID, with HubSpot's message naming the property", async () => {
    answer(errorFixtures.validationError);
    const error = await failureOf();
    expect(error.code).toBe('INVALID');
    expect(error.message).toContain('pulse_health_scor');
  });

  it('no answer in time: TEMPORARY', async () => {
    server.use(
      http.get(`${basePath}/crm/v3/objects/companies`, async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        return HttpResponse.json({ results: [] });
      }),
    );
    const error = await failureOf({ timeoutMs: 50 });
    expect(error.code).toBe('TEMPORARY');
    expect(error.message).toContain('no answer within 50 ms');
  });

  it('a refused connection: TEMPORARY', async () => {
    server.use(http.get(`${basePath}/crm/v3/objects/companies`, () => HttpResponse.error()));
    expect((await failureOf()).code).toBe('TEMPORARY');
  });

  it('an answer of an unexpected shape is reported, not passed on', async () => {
    server.use(http.get(`${basePath}/crm/v3/objects/companies`, () => HttpResponse.json({ result: 'nope' })));
    const transport = createHubSpotTransport({ basePath, getAccessToken: async () => 'pat-test' });
    await expect(
      transport.request(
        { method: 'GET', path: '/crm/v3/objects/companies' },
        z.object({ results: z.array(z.unknown()) }),
      ),
    ).rejects.toMatchObject({ code: 'UNKNOWN', message: expect.stringContaining('results') });
  });

  it('the limiter learns that another app spends the portal budget from X-HubSpot-RateLimit-Remaining', async () => {
    server.use(
      http.get(`${basePath}/crm/v3/objects/companies`, () =>
        HttpResponse.json(
          { results: [] },
          {
            headers: {
              'x-hubspot-ratelimit-remaining': '2',
              'x-hubspot-ratelimit-max': '100',
              'x-hubspot-ratelimit-interval-milliseconds': '10000',
            },
          },
        ),
      ),
    );
    let clock = 0;
    const waits: number[] = [];
    const limiter = createRateLimiter({
      requests: 100,
      intervalMs: 10_000,
      marginMs: 0,
      clock: () => clock,
      sleep: async (milliseconds) => {
        waits.push(milliseconds);
        clock += milliseconds;
      },
    });
    const transport = createHubSpotTransport({
      basePath,
      getAccessToken: async () => 'pat-test',
      limiters: { requests: limiter },
    });
    await transport.request({ method: 'GET', path: '/crm/v3/objects/companies' }, z.unknown());
    // HubSpot says 2 left, so two more requests go at once and the third waits for the window.
    await limiter.acquire();
    await limiter.acquire();
    expect(waits).toEqual([]);
    await limiter.acquire();
    expect(waits).toEqual([10_000]);
  });
});
