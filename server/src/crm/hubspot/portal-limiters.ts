import { createHash } from 'node:crypto';

import { createRateLimiter, type RateBudget, type RateLimiter } from '../rate-limiter';
import { DEFAULT_RATE_LIMIT, SEARCH_RATE_LIMIT } from './constants';

/**
 * HubSpot counts requests per app and portal, whichever adapter, sync run or webhook follow-up
 * sends them. So every adapter of one portal in this process shares one pair of limiters: the
 * burst budget for every request, and CRM search's own per-second limit for searches. A fresh
 * limiter per run would start with an empty window while HubSpot's still holds the last run's
 * requests, and its first requests would be answered 429.
 */

export interface PortalLimiters {
  /** Every request: the ten-secondly burst budget. */
  requests: RateLimiter;
  /** CRM search requests, in addition to `requests`. */
  search: RateLimiter;
}

export interface PortalIdentity {
  basePath: string;
  /** The hub id, when known. */
  portalId?: string | undefined;
  /** Which app is calling: the OAuth client id, or the private-app token (hashed, never kept). */
  clientId?: string | undefined;
  accessToken?: string | undefined;
}

const shared = new Map<string, PortalLimiters>();

function keyOf(identity: PortalIdentity): string {
  const app = identity.clientId
    ? `oauth:${identity.clientId}`
    : `token:${createHash('sha256')
        .update(identity.accessToken ?? '')
        .digest('hex')
        .slice(0, 24)}`;
  return [identity.basePath.replace(/\/+$/, ''), identity.portalId ?? '?', app].join('|');
}

/**
 * The limiters of one portal and app, created with `budget` the first time. Later callers share
 * them whatever budget they ask for: the portal's budget is what HubSpot states in its headers,
 * which the limiter adopts.
 */
export function portalLimiters(
  identity: PortalIdentity,
  budget: { requests?: RateBudget; search?: RateBudget } = {},
): PortalLimiters {
  const key = keyOf(identity);
  let limiters = shared.get(key);
  if (!limiters) {
    limiters = {
      requests: createRateLimiter(budget.requests ?? DEFAULT_RATE_LIMIT),
      search: createRateLimiter(budget.search ?? SEARCH_RATE_LIMIT),
    };
    shared.set(key, limiters);
  }
  return limiters;
}
