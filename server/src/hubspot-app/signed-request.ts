import type { NextFunction, Request, RequestHandler, Response } from 'express';

import type { AppContext } from '../context';
import type { Principal } from '../http/auth';
import { ApiError } from '../http/errors';
import {
  MAX_SIGNATURE_AGE_MS,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyHubSpotSignatureV3,
} from '../security/hubspot-signature';
import { tenantIdFor } from '../store/records';
import { ReplayGuard } from './replay-guard';

/**
 * Requests from the HubSpot app's cards and settings page (`hubspot.fetch`). HubSpot signs them
 * with the app's client secret (X-HubSpot-Signature-v3) and appends `portalId`, `userId`,
 * `userEmail` and `appId` to the query string, which the signature covers. The tenant is therefore
 * the signed portal: nothing a caller can change picks another portal's data.
 * https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 */

/** Where in HubSpot the request came from; the settings page is only reachable by users HubSpot lets manage apps. */
export const SURFACE_PARAMETER = 'surface';

export interface SignedRequestOptions {
  replayGuard?: ReplayGuard;
}

/** Connected portals, remembered briefly: a card view should not cost a tenants lookup every time. */
const KNOWN_TENANT_TTL_MS = 60_000;

/** Per app context: tenant id -> until when it is known to be connected (epoch ms). */
const knownTenantsByContext = new WeakMap<AppContext, Map<string, number>>();

/** PULSE_PUBLIC_URL's origin, parsed once per value rather than on every signed request. */
let publicOrigin: { url: string; origin: string } | null = null;

/**
 * The URI HubSpot signed: PULSE_PUBLIC_URL's origin when set, else `scheme()` and the Host header,
 * then the path and query as received.
 */
export function signedUriOf(
  context: AppContext,
  host: string | undefined,
  pathAndQuery: string,
  scheme: () => string,
): string {
  const publicUrl = context.env.PULSE_PUBLIC_URL;
  if (publicUrl) {
    if (publicOrigin?.url !== publicUrl) publicOrigin = { url: publicUrl, origin: new URL(publicUrl).origin };
    return `${publicOrigin.origin}${pathAndQuery}`;
  }
  return `${scheme()}://${host}${pathAndQuery}`;
}

/**
 * signedUriOf for an Express request. `request.protocol` evaluates the trusted-proxy list (an IP
 * address parse) on every call; it can only differ from the socket's own protocol when a proxy sent
 * X-Forwarded-Proto, so it is consulted only then.
 */
export function signedUri(context: AppContext, request: Request): string {
  return signedUriOf(context, request.get('host'), request.originalUrl, () =>
    request.headers['x-forwarded-proto'] === undefined
      ? (request.socket as { encrypted?: boolean }).encrypted
        ? 'https'
        : 'http'
      : request.protocol,
  );
}

/** The app's client secret, which signs every request HubSpot sends to Pulse (cards, actions, webhooks). */
export function hubspotClientSecret(context: AppContext): string {
  const secret = context.env.HUBSPOT_CLIENT_SECRET;
  if (!secret) {
    throw new ApiError('UNAUTHENTICATED', 'The HubSpot app is not configured: set HUBSPOT_CLIENT_SECRET');
  }
  return secret;
}

function single(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** Query keys HubSpot (and Pulse's own app code) add to every call; handlers' contracts never see them. */
const hubspotParameters = new Set(['portalId', 'userId', 'userEmail', 'appId', SURFACE_PARAMETER]);

/** The query a handler's contract sees: the parsed query without HubSpot's parameters. */
export function withoutHubSpotParameters(query: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key in query) if (!hubspotParameters.has(key)) kept[key] = query[key];
  return kept;
}

/** Throws UNAUTHENTICATED unless the v3 signature over method + URI + body + timestamp is valid and fresh. */
export function checkHubSpotSignature(
  context: AppContext,
  request: {
    method: string;
    uri: string;
    body: string | Buffer;
    signature: string | undefined;
    timestamp: string | undefined;
  },
  now: number,
): void {
  const check = verifyHubSpotSignatureV3({ clientSecret: hubspotClientSecret(context), ...request, now });
  if (!check.valid) throw new ApiError('UNAUTHENTICATED', `HubSpot signature rejected: ${check.reason}`);
}

/**
 * The tenant of the signed portalId, which must be connected to Pulse (UNAUTHENTICATED without a
 * portalId, NOT_FOUND for a portal Pulse does not know). Connected portals are remembered for a
 * minute per app context.
 */
export async function signedTenant(
  context: AppContext,
  query: Record<string, unknown>,
  now: number,
): Promise<string> {
  const portalId = single(query.portalId);
  if (!portalId || !/^\d+$/.test(portalId)) {
    throw new ApiError('UNAUTHENTICATED', 'The signed request names no portalId');
  }
  const tenantId = tenantIdFor('hubspot', portalId);
  let knownTenants = knownTenantsByContext.get(context);
  if (!knownTenants) {
    knownTenants = new Map();
    knownTenantsByContext.set(context, knownTenants);
  }
  if ((knownTenants.get(tenantId) ?? 0) > now) return tenantId;
  const tenant = await context.db
    .selectFrom('tenants')
    .select('id')
    .where('id', '=', tenantId)
    .executeTakeFirst();
  if (!tenant) throw new ApiError('NOT_FOUND', `Pulse is not connected to HubSpot portal ${portalId} yet`);
  knownTenants.set(tenantId, now + KNOWN_TENANT_TTL_MS);
  return tenantId;
}

/** Who is calling: the HubSpot user from the signed query; admin only from the settings page. */
export function signedPrincipal(tenantId: string, query: Record<string, unknown>): Principal {
  const userId = single(query.userId);
  const userEmail = single(query.userEmail);
  const fromSettings = single(query[SURFACE_PARAMETER]) === 'settings';
  return {
    tenantId,
    actor: `hubspot-user:${userId ?? 'unknown'}${userEmail ? ` <${userEmail}>` : ''}`,
    role: fromSettings ? 'admin' : 'csm',
    ownerId: null,
    recordAccess: 'crm',
  };
}

export function requireHubSpotSignature(
  context: AppContext,
  options: SignedRequestOptions = {},
): RequestHandler {
  const replayGuard = options.replayGuard ?? new ReplayGuard(MAX_SIGNATURE_AGE_MS);
  return async (request: Request, _response: Response, next: NextFunction) => {
    try {
      const signature = request.get(SIGNATURE_HEADER);
      const now = context.now().getTime();
      checkHubSpotSignature(
        context,
        {
          method: request.method,
          uri: signedUri(context, request),
          body: request.rawBody ?? '',
          signature,
          timestamp: request.get(TIMESTAMP_HEADER),
        },
        now,
      );
      // A signed request that changes something is accepted once; reads may be retried by HubSpot.
      if (request.method !== 'GET' && !replayGuard.firstUse(signature!, now)) {
        throw new ApiError(
          'UNAUTHENTICATED',
          'HubSpot signature rejected: this request was already received',
        );
      }
      // Express 5 parses the query string again on every read of request.query: read it once.
      const query = request.query as Record<string, unknown>;
      const tenantId = await signedTenant(context, query, now);
      request.principal = signedPrincipal(tenantId, query);
      Object.defineProperty(request, 'query', {
        value: withoutHubSpotParameters(query),
        writable: true,
        configurable: true,
        enumerable: true,
      });
      next();
    } catch (error) {
      next(error);
    }
  };
}
