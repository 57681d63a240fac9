/**
 * HubSpot facts Pulse depends on, each with the vendor page that states it. Changing a limit here
 * changes it everywhere (adapter, tests, benchmark lower bounds).
 */

/** List endpoints return at most 100 objects per page. https://developers.hubspot.com/docs/api/crm/understanding-the-crm#paging */
export const LIST_PAGE_SIZE = 100;

/** Batch read/create/update take at most 100 inputs. https://developers.hubspot.com/docs/api/crm/companies (batch endpoints) */
export const BATCH_SIZE = 100;

/**
 * CRM search: at most 200 results per page and 10,000 results per query (paging past the 10,000th
 * result answers 400). https://developers.hubspot.com/docs/api/crm/search#limitations
 */
export const SEARCH_PAGE_SIZE = 200;
export const SEARCH_RESULT_CAP = 10_000;

/** Associations v4 batch read takes at most 1,000 inputs. https://developers.hubspot.com/docs/api/crm/associations */
export const ASSOCIATION_BATCH_SIZE = 1_000;

/**
 * Per-portal burst limits: 100 requests per 10 s for Free/Starter private apps, 190 for
 * Professional/Enterprise; OAuth apps get 110 per 10 s per installed portal.
 * https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details
 */
export const DEFAULT_RATE_LIMIT = { requests: 100, intervalMs: 10_000 } as const;
export const PROFESSIONAL_RATE_LIMIT = { requests: 190, intervalMs: 10_000 } as const;

/**
 * CRM search has its own, lower limit: five requests per second per portal, on top of the burst
 * limit, and its answers carry no X-HubSpot-RateLimit-* headers.
 * https://developers.hubspot.com/docs/api/crm/search#limitations
 */
export const SEARCH_RATE_LIMIT = { requests: 5, intervalMs: 1_000 } as const;

/** Response headers that describe the portal's remaining budget. Same page as above. */
export const rateLimitHeaders = {
  remaining: 'x-hubspot-ratelimit-remaining',
  intervalMs: 'x-hubspot-ratelimit-interval-milliseconds',
  max: 'x-hubspot-ratelimit-max',
  dailyRemaining: 'x-hubspot-ratelimit-daily-remaining',
  retryAfter: 'retry-after',
} as const;

/** `policyName` values of 429 bodies. https://developers.hubspot.com/docs/api/error-handling#rate-limits */
export const TEN_SECONDLY_POLICY = 'TEN_SECONDLY_ROLLING';
export const DAILY_POLICY = 'DAILY';

/** Default API host; HUBSPOT_API_BASE_URL points elsewhere (the sandbox). */
export const DEFAULT_API_BASE_URL = 'https://api.hubapi.com';
export const AUTHORIZE_URL = 'https://app.hubspot.com/oauth/authorize';
/** https://developers.hubspot.com/docs/api/oauth/tokens */
export const TOKEN_PATH = '/oauth/v1/token';
/** Refresh an OAuth access token this long before it expires (tokens live 30 minutes). */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Scopes Pulse requests: read what it scores, write company properties, deals and tasks.
 * https://developers.hubspot.com/docs/api/scopes
 */
export const requiredScopes = [
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.contacts.read',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.schemas.deals.read',
  'crm.schemas.deals.write',
  'tickets',
  'e-commerce',
  'crm.objects.invoices.read',
  'crm.objects.subscriptions.read',
  // Owner names for renewals and the card (GET /crm/v3/owners).
  'crm.objects.owners.read',
  'oauth',
] as const;

/** A request that has not answered after this long is abandoned and retried as TEMPORARY. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** Association type ids (HUBSPOT_DEFINED). https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide#association-type-id-values */
export const associationTypeIds = {
  dealToCompany: 5,
  taskToCompany: 192,
} as const;

/** Pulse-created deals carry `${accountId}:${productId}` here, so a second click finds the first deal. */
export const RECOMMENDATION_KEY_PROPERTY = 'pulse_recommendation_key';

export const objectUrl = (portalId: string, objectTypeId: string, id: string) =>
  `https://app.hubspot.com/contacts/${portalId}/record/${objectTypeId}/${id}`;
