import { describe, expect, it } from 'vitest';

import { CrmError } from './adapter';
import { createRateLimiter } from './rate-limiter';
import { decideRetry, withRetry } from './retry-policy';

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

describe('per-portal rate limiter', () => {
  it('never lets more than the budget start within any rolling interval', async () => {
    const time = fakeClock();
    const limiter = createRateLimiter({ requests: 10, intervalMs: 1_000, marginMs: 0, ...time });
    const starts: number[] = [];
    for (let index = 0; index < 35; index++) {
      await limiter.acquire();
      starts.push(time.state.now);
      time.state.now += 7; // each request takes a little time
    }
    for (let index = 10; index < starts.length; index++)
      expect(starts[index]! - starts[index - 10]!).toBeGreaterThanOrEqual(1_000);
    // ...and is not slower than it must be: 35 requests at 10 per second take about 3 seconds.
    expect(starts[34]!).toBeLessThan(3_300);
  });

  it('honours Retry-After and a smaller budget stated by the CRM', async () => {
    const time = fakeClock();
    const limiter = createRateLimiter({ requests: 190, intervalMs: 10_000, marginMs: 0, ...time });
    limiter.observe({ retryAfterMs: 2_000 });
    await limiter.acquire();
    expect(time.state.now).toBe(2_000);
    limiter.observe({ max: 100 });
    expect(limiter.budget.requests).toBe(100);
  });
});

describe('retry policy', () => {
  const error = (code: CrmError['code'], retryAfterMs?: number) =>
    new CrmError(code, code, retryAfterMs === undefined ? {} : { retryAfterMs });

  it('waits as long as a rate limit asks, backs off exponentially with jitter on temporary errors', () => {
    expect(decideRetry(error('RATE_LIMITED', 1_500), 1, { refreshed: false })).toEqual({
      action: 'retry',
      delayMs: 1_500,
    });
    const first = decideRetry(error('TEMPORARY'), 1, { refreshed: false }, { random: () => 1 });
    const third = decideRetry(error('TEMPORARY'), 3, { refreshed: false }, { random: () => 1 });
    expect(first).toEqual({ action: 'retry', delayMs: 500 });
    expect(third).toEqual({ action: 'retry', delayMs: 2_000 });
    expect(decideRetry(error('TEMPORARY'), 3, { refreshed: false }, { random: () => 0 })).toEqual({
      action: 'retry',
      delayMs: 1_000,
    });
  });

  it('gives up on a daily limit, bad input, missing scopes; refreshes an expired token once', () => {
    expect(decideRetry(error('RATE_LIMITED', 6 * 3_600_000), 1, { refreshed: false })).toEqual({
      action: 'fail',
    });
    expect(decideRetry(error('INVALID'), 1, { refreshed: false })).toEqual({ action: 'fail' });
    expect(decideRetry(error('INSUFFICIENT_SCOPE'), 1, { refreshed: false })).toEqual({ action: 'fail' });
    expect(decideRetry(error('AUTH_EXPIRED'), 1, { refreshed: false })).toEqual({ action: 'refresh' });
    expect(decideRetry(error('AUTH_EXPIRED'), 2, { refreshed: true })).toEqual({ action: 'fail' });
  });

  it('withRetry refreshes once and then fails when the token is still refused', async () => {
    let refreshes = 0;
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw error('AUTH_EXPIRED');
        },
        {
          refresh: async () => {
            refreshes += 1;
          },
          sleep: async () => undefined,
        },
      ),
    ).rejects.toMatchObject({ code: 'AUTH_EXPIRED' });
    expect({ refreshes, calls }).toEqual({ refreshes: 1, calls: 2 });
  });

  it('withRetry stops after the attempt limit for temporary errors', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw error('TEMPORARY');
        },
        { sleep: async () => undefined, policy: { maxAttempts: 4 } },
      ),
    ).rejects.toMatchObject({ code: 'TEMPORARY' });
    expect(calls).toBe(4);
  });
});
