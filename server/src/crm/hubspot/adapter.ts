import { recordKinds } from '@pulse/shared';
import type { z } from 'zod';
import { tenantIdFor } from '../../store/records';
import { type CrmAdapter, CrmError } from '../adapter';
import type { RateBudget, RateLimiter } from '../rate-limiter';
import { DEFAULT_API_BASE_URL, LIST_PAGE_SIZE, objectUrl } from './constants';
import { ensureCustomProperties } from './custom-properties';
import { defaultAttributeProperties, mapProduct, PRODUCT_PROPERTIES } from './mappers';
import {
  type OAuthTokens,
  oauthTokenSource,
  refreshTokens,
  staticTokenSource,
  type TokenSource,
} from './oauth';
import { type PortalLimiters, portalLimiters } from './portal-limiters';
import { RawAccountInfo, RawObject, RawObjectPage, RawOwnerPage, RawTokenInfo } from './raw-schemas';
import { createRecordStreams } from './record-stream';
import { createHubSpotTransport, type HubSpotTransport } from './transport';
import { createCompanyTask, createDeal, findPulseDeal, writeCompanyProperties } from './writes';

export interface HubSpotOAuthOptions {
  clientId: string;
  clientSecret: string;
  tokens: Pick<OAuthTokens, 'accessToken' | 'refreshToken' | 'expiresAt'>;
  /** Persist refreshed tokens (encrypted) before they are used. */
  onRefreshed?: (tokens: OAuthTokens) => Promise<void>;
}

export interface HubSpotAdapterOptions {
  /** HUBSPOT_API_BASE_URL: the real API or a sandbox portal. */
  basePath?: string;
  /** A private-app token (HUBSPOT_ACCESS_TOKEN); or `oauth`. */
  accessToken?: string;
  oauth?: HubSpotOAuthOptions;
  /** The portal id, when known, saves a lookup. */
  portalId?: string;
  /**
   * The portal's burst budget when this process has no limiter for the portal yet (HubSpot's
   * X-HubSpot-RateLimit-Max corrects it); `false` turns the limiters off (tests of 429 handling).
   */
  rateLimit?: RateBudget | false;
  /** CRM search's own limit (5 per second), likewise. */
  searchRateLimit?: RateBudget;
  /**
   * Limiters to use instead of the ones this process shares for the portal (every adapter built
   * for the same portal and app shares them by default).
   */
  limiters?: Partial<PortalLimiters>;
  /** Company properties copied into Account.attributes. */
  attributeProperties?: string[];
  timeoutMs?: number;
  now?: () => Date;
}

/** The HubSpot CrmAdapter, plus what the sync runner and benchmarks may use. */
export interface HubSpotAdapter extends CrmAdapter {
  /** Refresh the OAuth token now (after a 401); a private-app token cannot be refreshed. */
  refreshCredentials(): Promise<void>;
  readonly stats: HubSpotTransport['stats'];
  readonly limiter: RateLimiter | undefined;
}

export function createHubSpotAdapter(options: HubSpotAdapterOptions): HubSpotAdapter {
  const basePath = options.basePath ?? DEFAULT_API_BASE_URL;
  const now = options.now ?? (() => new Date());
  const limiters: Partial<PortalLimiters> | undefined =
    options.rateLimit === false
      ? options.limiters
      : {
          ...portalLimiters(
            {
              basePath,
              portalId: options.portalId,
              clientId: options.oauth?.clientId,
              accessToken: options.accessToken,
            },
            {
              ...(options.rateLimit ? { requests: options.rateLimit } : {}),
              ...(options.searchRateLimit ? { search: options.searchRateLimit } : {}),
            },
          ),
          ...options.limiters,
        };
  let tokens: TokenSource;
  const transport: HubSpotTransport = createHubSpotTransport({
    basePath,
    getAccessToken: () => tokens.getAccessToken(),
    limiters,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    now,
  });
  if (options.oauth) {
    const oauth = options.oauth;
    tokens = oauthTokenSource({
      tokens: oauth.tokens,
      refresh: (refreshToken) => refreshTokens(transport, oauth, refreshToken, now()),
      ...(oauth.onRefreshed ? { onRefreshed: oauth.onRefreshed } : {}),
      now,
    });
  } else if (options.accessToken) {
    tokens = staticTokenSource(options.accessToken);
  } else {
    throw new Error('HubSpot adapter needs accessToken (HUBSPOT_ACCESS_TOKEN) or oauth tokens');
  }

  let portalId: Promise<string> | null = options.portalId ? Promise.resolve(options.portalId) : null;
  const externalId = () => {
    portalId ??= (async () => {
      const fromTokenInfo = async () => {
        const token = await tokens.getAccessToken();
        const info = await transport.request(
          { method: 'GET', path: `/oauth/v1/access-tokens/${encodeURIComponent(token)}` },
          RawTokenInfo,
        );
        return String(info.hub_id);
      };
      if (options.oauth) return fromTokenInfo();
      try {
        const info = await transport.request(
          { method: 'GET', path: '/account-info/v3/details' },
          RawAccountInfo,
        );
        return String(info.portalId);
      } catch (error) {
        // Portals (and the sandbox) without the account-info API still describe their tokens.
        if (error instanceof CrmError && error.code === 'NOT_FOUND') return fromTokenInfo();
        throw error;
      }
    })().catch((error) => {
      portalId = null;
      throw error;
    });
    return portalId;
  };

  let owners: Promise<Map<string, { name: string | null; email: string | null }>> | null = null;
  const loadOwners = () => {
    owners ??= (async () => {
      const map = new Map<string, { name: string | null; email: string | null }>();
      let after: string | null = null;
      do {
        const page: z.infer<typeof RawOwnerPage> = await transport.request(
          {
            method: 'GET',
            path: '/crm/v3/owners',
            qs: { limit: String(LIST_PAGE_SIZE), ...(after ? { after } : {}) },
          },
          RawOwnerPage,
        );
        for (const owner of page.results) {
          const name = [owner.firstName, owner.lastName].filter(Boolean).join(' ');
          map.set(owner.id, { name: name || null, email: owner.email ?? null });
        }
        after = page.paging?.next?.after ?? null;
      } while (after);
      return map;
    })().catch((error) => {
      owners = null;
      throw error;
    });
    return owners;
  };

  const streams = createRecordStreams({
    transport,
    tenantId: async () => tenantIdFor('hubspot', await externalId()),
    owners: loadOwners,
    attributeProperties: options.attributeProperties ?? defaultAttributeProperties,
  });

  const dealUrl = async (id: string) => objectUrl(await externalId(), '0-3', id);

  return {
    crm: 'hubspot',
    kinds: recordKinds,
    stats: transport.stats,
    limiter: limiters?.requests,
    externalId,
    refreshCredentials: () => tokens.refresh(),
    fetchPage: (kind, checkpoint, fetchOptions) => streams.fetchPage(kind, checkpoint, fetchOptions.now),
    async listProducts() {
      const products = [];
      let after: string | null = null;
      do {
        const page: RawObjectPage = await transport.request(
          {
            method: 'GET',
            path: '/crm/v3/objects/products',
            qs: {
              limit: String(LIST_PAGE_SIZE),
              properties: PRODUCT_PROPERTIES.join(','),
              ...(after ? { after } : {}),
            },
          },
          RawObjectPage,
        );
        for (const result of page.results) {
          const parsed = RawObject.safeParse(result);
          if (parsed.success) products.push(mapProduct(parsed.data));
        }
        after = page.paging?.next?.after ?? null;
      } while (after);
      return products;
    },
    ensureCustomFields: (input) => ensureCustomProperties(transport, input),
    writeAccountProperties: (updates) => writeCompanyProperties(transport, updates),
    async findOpenOpportunity(accountId, productId) {
      const deal = await findPulseDeal(transport, accountId, productId);
      return deal ? { id: deal.id, url: await dealUrl(deal.id) } : null;
    },
    async createOpportunity(input) {
      // Idempotent: a second click (or a retried request) finds the deal the first one created.
      const existing = await findPulseDeal(transport, input.accountId, input.productId);
      const id = existing?.id ?? (await createDeal(transport, input));
      return { id, url: await dealUrl(id) };
    },
    async createTask(input) {
      return { id: await createCompanyTask(transport, input) };
    },
  };
}
