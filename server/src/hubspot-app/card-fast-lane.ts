import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse } from 'node:querystring';
import type { TLSSocket } from 'node:tls';
import { companyCardEndpoint } from '@pulse/shared/api/hubspot-app';

import type { AppContext } from '../context';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../security/hubspot-signature';
import { companyCardLoader } from './card-loader';
import { portalRateLimiter } from './portal-rate-limit';
import { cardReaderRoles } from './routes';
import {
  checkHubSpotSignature,
  signedPrincipal,
  signedTenant,
  signedUriOf,
  withoutHubSpotParameters,
} from './signed-request';

/**
 * The company card, answered before Express: the card is opened on every company page view, and
 * Express's own work per request (re-prototyping req and res, which turns Node's HTTP code
 * megamorphic, then the middleware walk) cost ~65 µs of server CPU per card. Measured with
 * bench:card on the 100k tenant in alternating runs: ~50% more cards per second, lower p99.
 *
 * The lane serves only the successful card, through the same checks as the Express route (signature,
 * connected portal, role, query contract, the app's per-portal rate limit, then
 * `loadCompanyCardJson`). Anything else — a bad or stale signature, an unknown portal or company, an
 * invalid objectId, a rate-limited portal, a request with a body or behind a proxy that the
 * signature needs Express's trusted-proxy rules for, any error — goes to the Express app untouched,
 * which answers it exactly as it answers every other request (a rate-limit token the lane took is
 * given back first). App-wide middleware added to Express later does not run for served cards: add
 * it here too if it must.
 */

const CARD_PATH_AND_QUERY = `${companyCardEndpoint.path}?`;

/** Requests the lane may try: a plain GET of the card, no body, no proxy scheme to interpret. */
function fitsLane(context: AppContext, request: IncomingMessage): boolean {
  const { headers } = request;
  return (
    request.method === 'GET' &&
    request.url?.startsWith(CARD_PATH_AND_QUERY) === true &&
    (headers['content-length'] === undefined || headers['content-length'] === '0') &&
    headers['transfer-encoding'] === undefined &&
    (headers['x-forwarded-proto'] === undefined || context.env.PULSE_PUBLIC_URL !== undefined)
  );
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** True when the card was sent; false to let Express answer the request. */
async function serveCard(
  context: AppContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  const url = request.url!;
  const now = context.now().getTime();
  const query = parse(url.slice(CARD_PATH_AND_QUERY.length)) as Record<string, unknown>;
  let tenantId: string;
  try {
    checkHubSpotSignature(
      context,
      {
        method: 'GET',
        uri: signedUriOf(context, header(request, 'host'), url, () =>
          (request.socket as TLSSocket).encrypted ? 'https' : 'http',
        ),
        body: '',
        signature: header(request, SIGNATURE_HEADER),
        timestamp: header(request, TIMESTAMP_HEADER),
      },
      now,
    );
    tenantId = await signedTenant(context, query, now);
  } catch {
    return false;
  }
  if (!cardReaderRoles.includes(signedPrincipal(tenantId, query).role)) return false;
  const card = companyCardEndpoint.query.safeParse(withoutHubSpotParameters(query));
  if (!card.success) return false;
  const limiter = portalRateLimiter(context);
  if (limiter.take(tenantId, now) > 0) return false;
  let body: string | null;
  try {
    body = await companyCardLoader(context.db).load(tenantId, card.data.objectId, context.now());
  } catch {
    body = null;
  }
  if (body === null) {
    limiter.refund(tenantId);
    return false;
  }
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.end(body);
  return true;
}

/** The server's request listener: company cards through the lane, everything else to `app`. */
export function withCompanyCardFastLane(context: AppContext, app: RequestListener): RequestListener {
  return (request, response) => {
    if (!fitsLane(context, request)) {
      app(request, response);
      return;
    }
    const toExpress = () => {
      if (!response.headersSent) app(request, response);
    };
    serveCard(context, request, response).then((served) => {
      if (!served) toExpress();
    }, toExpress);
  };
}
