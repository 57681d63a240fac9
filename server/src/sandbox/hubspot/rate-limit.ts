/**
 * HubSpot's per-app, per-portal ten-secondly rolling limit, plus the daily budget it reports.
 * https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details#rate-limits
 */

export interface RateLimitOptions {
  max?: number;
  intervalMs?: number;
  /** The daily budget reported in X-HubSpot-RateLimit-Daily (not enforced: a sandbox day is short). */
  daily?: number;
}

export const defaultRateLimit: Required<RateLimitOptions> = { max: 100, intervalMs: 10_000, daily: 250_000 };

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RollingRateLimiter {
  private readonly windows = new Map<string, number[]>();
  private readonly dailyCounts = new Map<string, number>();
  private readonly options: Required<RateLimitOptions> | null;

  constructor(
    options: RateLimitOptions | false,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.options = options === false ? null : { ...defaultRateLimit, ...options };
  }

  get enabled(): boolean {
    return this.options !== null;
  }

  /** Counts the request against `key` unless the window is full; rejected requests do not count. */
  take(key: string): RateLimitDecision {
    if (!this.options) return { allowed: true, headers: {} };
    const { max, intervalMs, daily } = this.options;
    const now = this.clock();
    const window = this.windows.get(key) ?? [];
    this.windows.set(key, window);
    let expired = 0;
    while (expired < window.length && window[expired]! <= now - intervalMs) expired++;
    if (expired > 0) window.splice(0, expired);
    const allowed = window.length < max;
    if (allowed) {
      window.push(now);
      this.dailyCounts.set(key, (this.dailyCounts.get(key) ?? 0) + 1);
    }
    const used = this.dailyCounts.get(key) ?? 0;
    return {
      allowed,
      headers: {
        'X-HubSpot-RateLimit-Max': String(max),
        'X-HubSpot-RateLimit-Remaining': String(Math.max(0, max - window.length)),
        'X-HubSpot-RateLimit-Interval-Milliseconds': String(intervalMs),
        'X-HubSpot-RateLimit-Daily': String(daily),
        'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, daily - used)),
      },
    };
  }

  /** Takes back the request `take` counted last for `key` (another limit refused it after all). */
  refund(key: string): void {
    if (!this.options) return;
    const window = this.windows.get(key);
    if (!window || window.length === 0) return;
    window.pop();
    this.dailyCounts.set(key, Math.max(0, (this.dailyCounts.get(key) ?? 0) - 1));
  }

  /** Headers describing `key`'s window without counting a request (for faulted answers). */
  peek(key: string): Record<string, string> {
    if (!this.options) return {};
    const window = this.windows.get(key) ?? [];
    const now = this.clock();
    const live = window.filter((at) => at > now - this.options!.intervalMs).length;
    return {
      'X-HubSpot-RateLimit-Max': String(this.options.max),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, this.options.max - live)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(this.options.intervalMs),
      'X-HubSpot-RateLimit-Daily': String(this.options.daily),
      'X-HubSpot-RateLimit-Daily-Remaining': String(
        Math.max(0, this.options.daily - (this.dailyCounts.get(key) ?? 0)),
      ),
    };
  }
}
