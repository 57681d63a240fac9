/**
 * A per-portal request budget (N requests per rolling interval), kept on the client so the CRM
 * never has to answer 429. It also listens to what the CRM says: fewer remaining requests than
 * we think (another process spends the same budget), a Retry-After, or the budget it states.
 *
 * A request is counted from the moment it is let through until its answer arrives, and from the
 * answer on it stays in the window for one interval. The CRM counts a request when it arrives,
 * which is somewhere between the two; the answer is the only time we know to be after the arrival.
 * Counting from the start instead loses whenever a request leaves late (a busy event loop, a slow
 * connection) and an older one did not: the CRM then sees N + 1 arrivals inside one interval.
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

/**
 * Call when the request has been answered (or failed): it is counted from then on. Pass what the
 * answer said about the budget, so it is read against this request's own send time.
 */
export type ReleaseSlot = (observation?: RateObservation) => void;

export interface RateLimiter {
  /** Resolves when one more request fits the budget, and counts it until `release` plus an interval. */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot>;
  /** What the CRM said outside a request's answer (or about a request sent just now). */
  observe(observation: RateObservation): void;
  readonly budget: RateBudget;
  readonly stats: { requests: number; waitedMs: number };
}

export interface RateLimiterOptions extends RateBudget {
  /** Extra time added to the interval, for timer and clock granularity. */
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

/** How long answered requests are remembered past their interval, to read late answers against. */
const HISTORY_MS = 60_000;

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const clock = options.clock ?? (() => performance.now());
  const wait = options.sleep ?? defaultSleep;
  const marginMs = options.marginMs ?? 20;
  const budget: RateBudget = { requests: options.requests, intervalMs: options.intervalMs };
  /** Requests let through and not answered yet: they count, and cannot leave the window. */
  let inFlight = 0;
  /**
   * When answered requests (and other processes' requests we learnt of) were counted, oldest
   * first; the clock only moves forward, so appending keeps the order.
   */
  const answered: number[] = [];
  let pausedUntil = 0;
  const stats = { requests: 0, waitedMs: 0 };
  // Requests acquire in order; a queue keeps concurrent callers from overtaking each other.
  let queue: Promise<void> = Promise.resolve();
  /** Wakes the caller that waits because every slot is in flight. */
  let onRelease: (() => void) | null = null;

  const window = () => budget.intervalMs + marginMs;
  const forget = (now: number) => {
    let old = 0;
    while (old < answered.length && answered[old]! + window() + HISTORY_MS <= now) old++;
    if (old > 0) answered.splice(0, old);
  };
  /** Index of the first answered request still counted at `time`. */
  const firstCountedAt = (time: number) => {
    let low = 0;
    let high = answered.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (answered[middle]! + window() <= time) low = middle + 1;
      else high = middle;
    }
    return low;
  };

  const observe = (observation: RateObservation, sentAt: number) => {
    const now = clock();
    // The CRM's statement of the budget is authoritative both ways (a Professional portal
    // states 190 where the default assumes 100).
    if (observation.max !== undefined && observation.max > 0) budget.requests = observation.max;
    if (observation.intervalMs !== undefined && observation.intervalMs > budget.intervalMs)
      budget.intervalMs = observation.intervalMs;
    if (observation.retryAfterMs !== undefined)
      pausedUntil = Math.max(pausedUntil, now + observation.retryAfterMs);
    if (observation.remaining !== undefined) {
      // The CRM counted at most these of ours when it answered: everything in flight, and every
      // answered request still in the window when this one was sent (it arrived no earlier).
      const ours = inFlight + answered.length - firstCountedAt(sentAt);
      // Another process spends this budget: count its requests as if made just now, since the
      // CRM does not say when they were made.
      for (let extra = budget.requests - observation.remaining - ours; extra > 0; extra -= 1)
        answered.push(now);
    }
  };

  const acquireInOrder = async (signal?: AbortSignal): Promise<ReleaseSlot> => {
    for (;;) {
      signal?.throwIfAborted();
      const now = clock();
      forget(now);
      const first = firstCountedAt(now);
      let readyAt = Math.max(now, pausedUntil);
      const over = inFlight + answered.length - first - budget.requests;
      if (over >= 0) {
        if (first + over < answered.length) {
          readyAt = Math.max(readyAt, answered[first + over]! + window());
        } else {
          // Every slot is in flight: only an answer can free one.
          await new Promise<void>((resolve, reject) => {
            const onAbort = () => reject(signal?.reason);
            onRelease = () => {
              signal?.removeEventListener('abort', onAbort);
              resolve();
            };
            signal?.addEventListener('abort', onAbort, { once: true });
          });
          continue;
        }
      }
      if (readyAt <= now) {
        inFlight += 1;
        stats.requests += 1;
        const sentAt = now;
        let released = false;
        return (observation) => {
          if (released) return;
          released = true;
          inFlight -= 1;
          answered.push(clock());
          if (observation) observe(observation, sentAt);
          const wake = onRelease;
          onRelease = null;
          wake?.();
        };
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
      queue = turn.then(
        () => undefined,
        () => undefined,
      );
      return turn;
    },
    observe: (observation) => observe(observation, clock()),
  };
}
