import type { RequestHandler } from 'express';

import type { AppContext } from '../context';

/**
 * A token bucket per portal, so one busy portal cannot starve the others. HubSpot itself allows an
 * app 20 concurrent hubspot.fetch requests per account; the default (PULSE_HUBSPOT_PORTAL_RATE_LIMIT
 * = 200 requests/s, bursts of twice that) is well above what people clicking cards produce and far
 * below what would hurt the server.
 */
export interface PortalRateLimit {
  perSecond: number;
  burst: number;
}

export const defaultPortalRateLimit: PortalRateLimit = { perSecond: 200, burst: 400 };

export class PortalRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(private readonly limit: PortalRateLimit) {}

  /** Takes a token for one request: 0 when it may go ahead, else the whole seconds to wait. */
  take(tenantId: string, now: number): number {
    const { perSecond, burst } = this.limit;
    const bucket = this.buckets.get(tenantId) ?? { tokens: burst, updatedAt: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * perSecond);
    bucket.updatedAt = now;
    this.buckets.set(tenantId, bucket);
    if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
    bucket.tokens -= 1;
    return 0;
  }

  /** Gives back the token of a request that is then answered another way (counted there instead). */
  refund(tenantId: string): void {
    const bucket = this.buckets.get(tenantId);
    if (bucket) bucket.tokens = Math.min(this.limit.burst, bucket.tokens + 1);
  }
}

const limiterByContext = new WeakMap<AppContext, PortalRateLimiter>();

/** The app's limiter (PULSE_HUBSPOT_PORTAL_RATE_LIMIT): one per app context, shared by every route. */
export function portalRateLimiter(context: AppContext): PortalRateLimiter {
  let limiter = limiterByContext.get(context);
  if (!limiter) {
    const perSecond = context.env.PULSE_HUBSPOT_PORTAL_RATE_LIMIT;
    limiter = new PortalRateLimiter({ perSecond, burst: perSecond * 2 });
    limiterByContext.set(context, limiter);
  }
  return limiter;
}

/** 429 with Retry-After once a portal's bucket is empty; `limit` gives the handler its own buckets. */
export function portalRateLimit(
  context: AppContext,
  limit: PortalRateLimit | PortalRateLimiter = defaultPortalRateLimit,
): RequestHandler {
  const limiter = limit instanceof PortalRateLimiter ? limit : new PortalRateLimiter(limit);
  return (request, response, next) => {
    const tenantId = request.principal?.tenantId;
    if (!tenantId) return next();
    const waitSeconds = limiter.take(tenantId, context.now().getTime());
    if (waitSeconds > 0) {
      response.setHeader('Retry-After', String(waitSeconds));
      response.status(429).json({
        error: {
          code: 'RATE_LIMITED',
          message: `Too many requests for this portal; retry in ${waitSeconds}s`,
        },
      });
      return;
    }
    next();
  };
}
