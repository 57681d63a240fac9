import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

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
      const release = await limiter.acquire();
      starts.push(time.state.now);
      time.state.now += 7; // each request takes a little time
      release();
    }
    for (let index = 10; index < starts.length; index++)
      expect(starts[index]! - starts[index - 10]!).toBeGreaterThanOrEqual(1_000);
    // ...and is not slower than it must be: 35 requests at 10 per second take about 3 seconds.
    expect(starts[34]!).toBeLessThan(3_300);
  });

  it('honours Retry-After and the budget the CRM states, smaller or larger', async () => {
    const time = fakeClock();
    const limiter = createRateLimiter({ requests: 190, intervalMs: 10_000, marginMs: 0, ...time });
    limiter.observe({ retryAfterMs: 2_000 });
    (await limiter.acquire())();
    expect(time.state.now).toBe(2_000);
    limiter.observe({ max: 100 });
    expect(limiter.budget.requests).toBe(100);
    limiter.observe({ max: 190 });
    expect(limiter.budget.requests).toBe(190);
  });

  describe('against a CRM that counts requests when they arrive', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    /**
     * Workers send requests through the limiter; each reaches the CRM `lag` ms after the limiter
     * let it go (a busy event loop, a slow network) and is answered 5 ms later. The CRM keeps a
     * rolling window of arrivals, as HubSpot does, and answers 429 to the one too many.
     */
    async function burst(lags: number[], workers: number) {
      const budget = { requests: 10, intervalMs: 1_000 };
      const limiter = createRateLimiter({ ...budget, clock: () => Date.now() });
      const arrivals: number[] = [];
      let rejected = 0;
      let next = 0;
      const worker = async () => {
        while (next < lags.length) {
          const lag = lags[next++]!;
          const release = await limiter.acquire();
          await new Promise((resolve) => setTimeout(resolve, lag));
          const now = Date.now();
          const inWindow = arrivals.filter((at) => at > now - budget.intervalMs).length;
          if (inWindow >= budget.requests) rejected += 1;
          else arrivals.push(now);
          await new Promise((resolve) => setTimeout(resolve, 5));
          release();
        }
      };
      const started = Date.now();
      const done = Promise.all(Array.from({ length: workers }, worker));
      await vi.runAllTimersAsync();
      await done;
      return { rejected, elapsedMs: Date.now() - started };
    }

    it('no request is answered 429 when some reach the CRM late', async () => {
      // Every fourth request is held up 300 ms on its way: counting from the send time, the CRM
      // would see 11 arrivals inside one second.
      const lags = Array.from({ length: 60 }, (_, index) => (index % 4 === 0 ? 300 : 0));
      const { rejected, elapsedMs } = await burst(lags, 4);
      expect(rejected).toBe(0);
      // Not slower than it must be: 60 requests at 10 per second, plus the time answers take.
      expect(elapsedMs).toBeLessThan(6_000 * 1.25);
    });

    it('a burst of concurrent requests stays within the budget', async () => {
      const { rejected } = await burst(new Array(45).fill(0), 20);
      expect(rejected).toBe(0);
    });
  });

  it('waits for an answer when every slot is in flight', async () => {
    const time = fakeClock();
    const limiter = createRateLimiter({ requests: 2, intervalMs: 1_000, marginMs: 0, ...time });
    const first = await limiter.acquire();
    await limiter.acquire();
    let third = false;
    const pending = limiter.acquire().then(() => {
      third = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(third).toBe(false);
    time.state.now = 400;
    first();
    await pending;
    // The first request counts from its answer at 400 ms, so the third goes a second later.
    expect(time.state.now).toBe(1_400);
  });

  it('reads the remaining budget against the send time, so a slow answer is no stranger', async () => {
    const time = fakeClock();
    const limiter = createRateLimiter({ requests: 20, intervalMs: 1_000, marginMs: 0, ...time });
    const early = await Promise.all(Array.from({ length: 10 }, () => limiter.acquire()));
    time.state.now = 10;
    for (const release of early) release();
    time.state.now = 500;
    const slow = await limiter.acquire();
    // The CRM counted 11 (ten early ones and this) when it arrived; the answer comes after the
    // early ones left the window.
    time.state.now = 1_200;
    slow({ remaining: 9, max: 20 });
    for (let index = 0; index < 19; index++) (await limiter.acquire())();
    expect(time.state.waits).toEqual([]);
  });

  it('counts requests another process spends from the remaining budget it is told', async () => {
    const time = fakeClock();
    const limiter = createRateLimiter({ requests: 10, intervalMs: 1_000, marginMs: 0, ...time });
    const release = await limiter.acquire();
    release({ remaining: 4 });
    // 1 ours + 5 someone else's: four more fit now, the fifth waits for the window.
    for (let index = 0; index < 4; index++) (await limiter.acquire())();
    expect(time.state.waits).toEqual([]);
    (await limiter.acquire())();
    expect(time.state.waits).toEqual([1_000]);
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
