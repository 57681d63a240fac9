import { CrmError } from './adapter';

/**
 * The one policy for classified CRM errors (STYLE.md, "Errors are classified once"): rate limits
 * wait as long as the vendor asked, temporary failures back off exponentially with jitter, an
 * expired token is refreshed once, everything else fails at once so the caller can record why.
 */

export interface RetryPolicyOptions {
  /** Attempts including the first, for TEMPORARY errors (default 8). */
  maxAttempts?: number;
  /** Rate limits are waited out longer: the wait is what the CRM asked for (default 30). */
  maxRateLimitedAttempts?: number;
  /** First back-off for TEMPORARY errors; doubles each attempt (default 500 ms). */
  baseDelayMs?: number;
  /** Cap of one back-off (default 30 s). */
  maxDelayMs?: number;
  /** A rate limit that asks for a longer wait (a daily limit) fails instead (default 2 min). */
  maxRateLimitWaitMs?: number;
  /** 0..1; injected by tests for determinism. */
  random?: () => number;
}

export type RetryDecision = { action: 'retry'; delayMs: number } | { action: 'refresh' } | { action: 'fail' };

const defaults = {
  maxAttempts: 8,
  maxRateLimitedAttempts: 30,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRateLimitWaitMs: 120_000,
};

/** `attempt` counts failures with this error's code so far (1 after the first). */
export function decideRetry(
  error: unknown,
  attempt: number,
  state: { refreshed: boolean },
  options: RetryPolicyOptions = {},
): RetryDecision {
  const settings = { ...defaults, ...options };
  const random = options.random ?? Math.random;
  if (!(error instanceof CrmError)) return { action: 'fail' };
  if (error.code === 'AUTH_EXPIRED') return state.refreshed ? { action: 'fail' } : { action: 'refresh' };
  const limit = error.code === 'RATE_LIMITED' ? settings.maxRateLimitedAttempts : settings.maxAttempts;
  if (attempt >= limit) return { action: 'fail' };
  const backOff = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1));
  // Full jitter keeps many workers that failed together from retrying together.
  const jittered = Math.round(backOff / 2 + (random() * backOff) / 2);
  if (error.code === 'RATE_LIMITED') {
    if (error.retryAfterMs !== undefined && error.retryAfterMs > settings.maxRateLimitWaitMs)
      return { action: 'fail' };
    return { action: 'retry', delayMs: error.retryAfterMs ?? jittered };
  }
  if (error.code === 'TEMPORARY') return { action: 'retry', delayMs: jittered };
  return { action: 'fail' };
}

export interface WithRetryOptions {
  policy?: RetryPolicyOptions;
  /** Renews credentials after AUTH_EXPIRED; without it AUTH_EXPIRED fails at once. */
  refresh?: () => Promise<void>;
  signal?: AbortSignal;
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  onRetry?: (error: CrmError, decision: RetryDecision, attempt: number) => void;
}

export function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function withRetry<T>(operation: () => Promise<T>, options: WithRetryOptions = {}): Promise<T> {
  const state = { refreshed: false };
  const wait = options.sleep ?? sleep;
  const failures = new Map<string, number>();
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      return await operation();
    } catch (error) {
      const code = error instanceof CrmError ? error.code : 'OTHER';
      const attempt = (failures.get(code) ?? 0) + 1;
      failures.set(code, attempt);
      let decision = decideRetry(error, attempt, state, options.policy);
      if (decision.action === 'refresh' && !options.refresh) decision = { action: 'fail' };
      if (decision.action === 'fail') throw error;
      options.onRetry?.(error as CrmError, decision, attempt);
      if (decision.action === 'refresh') {
        state.refreshed = true;
        await options.refresh!();
      } else {
        await wait(decision.delayMs, options.signal);
      }
    }
  }
}
