/**
 * A per-portal request budget (N requests per rolling interval), kept on the client so the CRM
 * never has to answer 429. It also listens to what the CRM says: fewer remaining requests than
 * we think (another app shares the portal's budget), a Retry-After, or a smaller budget.
 */

export interface RateBudget {
  requests: number;
  intervalMs: number;
}

export interface RateObservation {
  /** Requests left in the CRM's current window, after this one. */
  remaining?: number | undefined;
  /** The CRM's budget, when it states it. */
  max?: number | undefined;
  intervalMs?: number | undefined;
  /** The CRM asked us to wait this long (429 Retry-After). */
  retryAfterMs?: number | undefined;
}

export interface RateLimiter {
  /** Resolves when one more request fits the budget, and counts it. */
  acquire(signal?: AbortSignal): Promise<void>;
  observe(observation: RateObservation): void;
  readonly budget: RateBudget;
  readonly stats: { requests: number; waitedMs: number };
}

export interface RateLimiterOptions extends RateBudget {
  /** Extra time added to the interval: the CRM counts arrivals, which lag our start times. */
  marginMs?: number;
  clock?: () => number;
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
}

const defaultSleep = (milliseconds: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, milliseconds);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const clock = options.clock ?? (() => performance.now());
  const wait = options.sleep ?? defaultSleep;
  const marginMs = options.marginMs ?? 50;
  const budget: RateBudget = { requests: options.requests, intervalMs: options.intervalMs };
  /** Start times of the requests inside the current window, oldest first. */
  const starts: number[] = [];
  let pausedUntil = 0;
  const stats = { requests: 0, waitedMs: 0 };
  // Requests acquire in order; a queue keeps concurrent callers from overtaking each other.
  let queue: Promise<void> = Promise.resolve();

  const prune = (now: number) => {
    while (starts.length > 0 && starts[0]! + budget.intervalMs + marginMs <= now) starts.shift();
  };

  const acquireInOrder = async (signal?: AbortSignal) => {
    for (;;) {
      const now = clock();
      prune(now);
      let readyAt = Math.max(now, pausedUntil);
      if (starts.length >= budget.requests) {
        const oldestToLeave = starts[starts.length - budget.requests]!;
        readyAt = Math.max(readyAt, oldestToLeave + budget.intervalMs + marginMs);
      }
      if (readyAt <= now) {
        starts.push(now);
        stats.requests += 1;
        return;
      }
      stats.waitedMs += readyAt - now;
      await wait(readyAt - now, signal);
    }
  };

  return {
    budget,
    stats,
    acquire(signal) {
      const turn = queue.then(() => acquireInOrder(signal));
      queue = turn.catch(() => undefined);
      return turn;
    },
    observe(observation) {
      const now = clock();
      if (observation.max !== undefined && observation.max > 0 && observation.max < budget.requests)
        budget.requests = observation.max;
      if (observation.intervalMs !== undefined && observation.intervalMs > budget.intervalMs)
        budget.intervalMs = observation.intervalMs;
      if (observation.retryAfterMs !== undefined)
        pausedUntil = Math.max(pausedUntil, now + observation.retryAfterMs);
      if (observation.remaining !== undefined) {
        prune(now);
        const ours = budget.requests - starts.length;
        // Someone else spends this portal's budget: count their requests as if made just now.
        for (let extra = ours - observation.remaining; extra > 0; extra -= 1) starts.push(now);
      }
    },
  };
}
