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

export function portalRateLimit(
  context: AppContext,
  limit: PortalRateLimit = defaultPortalRateLimit,
): RequestHandler {
  const buckets = new Map<string, { tokens: number; updatedAt: number }>();
  return (request, response, next) => {
    const tenantId = request.principal?.tenantId;
    if (!tenantId) return next();
    const now = context.now().getTime();
    const bucket = buckets.get(tenantId) ?? { tokens: limit.burst, updatedAt: now };
    bucket.tokens = Math.min(
      limit.burst,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * limit.perSecond,
    );
    bucket.updatedAt = now;
    if (bucket.tokens < 1) {
      buckets.set(tenantId, bucket);
      const waitSeconds = Math.ceil((1 - bucket.tokens) / limit.perSecond);
      response.setHeader('Retry-After', String(Math.max(1, waitSeconds)));
      response.status(429).json({
        error: {
          code: 'RATE_LIMITED',
          message: `Too many requests for this portal; retry in ${waitSeconds}s`,
        },
      });
      return;
    }
    bucket.tokens -= 1;
    buckets.set(tenantId, bucket);
    next();
  };
}
