import type { Express, Request } from 'express';

import type { AppContext } from '../../context';
import { ApiError } from '../../http/errors';
import type { RouteModule } from '../../http/routes/index';
import { checkOAuthState, issueOAuthState } from '../../security/oauth-state';
import { createTokenCipher } from '../../security/token-cipher';
import { ensureTenant } from '../../store/records';
import { createHubSpotAdapter } from './adapter';
import { saveConnection } from './connections';
import { authorizeUrl, exchangeCode, type OAuthClient } from './oauth';
import { createHubSpotTransport } from './transport';

/**
 * Installing the HubSpot app (extension/hubspot, OAuth): `GET /oauth/hubspot/install` redirects to
 * HubSpot's consent page with only the scopes Pulse needs; `GET /oauth/hubspot/callback` exchanges
 * the code, creates the portal's tenant and stores the tokens encrypted. The redirect URL must
 * match the app's `auth.redirectUrls` in extension/hubspot/src/app/app-hsmeta.json.
 * https://developers.hubspot.com/docs/api/oauth-quickstart-guide
 */
export const HUBSPOT_CALLBACK_PATH = '/oauth/hubspot/callback';

function oauthClient(ctx: AppContext, request: Request): OAuthClient {
  const { HUBSPOT_CLIENT_ID: clientId, HUBSPOT_CLIENT_SECRET: clientSecret } = ctx.env;
  const missing = [!clientId && 'HUBSPOT_CLIENT_ID', !clientSecret && 'HUBSPOT_CLIENT_SECRET'].filter(
    Boolean,
  );
  if (!clientId || !clientSecret) {
    throw new ApiError('INVALID_INPUT', `HubSpot OAuth is not configured: set ${missing.join(', ')}`);
  }
  const base = ctx.env.PULSE_PUBLIC_URL ?? `${request.protocol}://${request.get('host')}`;
  return { clientId, clientSecret, redirectUri: `${base.replace(/\/$/, '')}${HUBSPOT_CALLBACK_PATH}` };
}

const cipherOf = (ctx: AppContext) => createTokenCipher(ctx.env.PULSE_ENCRYPTION_KEY, ctx.env.PULSE_DATA_DIR);

export const hubspotOAuthRoutes: RouteModule = (app: Express, ctx: AppContext) => {
  app.get('/oauth/hubspot/install', (request, response, next) => {
    try {
      const client = oauthClient(ctx, request);
      const state = issueOAuthState(cipherOf(ctx), ctx.now());
      response.redirect(
        302,
        authorizeUrl({ clientId: client.clientId, redirectUri: client.redirectUri, state }),
      );
    } catch (error) {
      next(error);
    }
  });

  app.get(HUBSPOT_CALLBACK_PATH, async (request, response, next) => {
    try {
      const { code, state, error } = request.query as Record<string, string | undefined>;
      if (error) throw new ApiError('FORBIDDEN', `HubSpot refused the installation: ${error}`);
      if (!code) throw ApiError.invalid('code is missing', [{ path: 'code', message: 'required' }]);
      const check = checkOAuthState(cipherOf(ctx), state, ctx.now());
      if (!check.ok) {
        throw ApiError.invalid(
          `state is invalid (${check.problem}): start again from /oauth/hubspot/install`,
          [{ path: 'state', message: check.problem }],
        );
      }
      const client = oauthClient(ctx, request);
      const transport = createHubSpotTransport({
        basePath: ctx.env.HUBSPOT_API_BASE_URL,
        getAccessToken: async () => null,
      });
      const exchanged = await exchangeCode(transport, client, code, ctx.now());
      // HubSpot's token response has no portal id; the access-token info endpoint names it.
      const portalId =
        exchanged.portalId ??
        (await createHubSpotAdapter({
          basePath: ctx.env.HUBSPOT_API_BASE_URL,
          accessToken: exchanged.accessToken,
          rateLimit: false,
        }).externalId());
      const tokens = { ...exchanged, portalId };
      const tenantId = await ensureTenant(ctx.db, {
        crm: 'hubspot',
        externalId: tokens.portalId,
        name: `HubSpot portal ${tokens.portalId}`,
      });
      await saveConnection(
        ctx.db,
        cipherOf(ctx),
        {
          tenantId,
          crm: 'hubspot',
          externalId: tokens.portalId,
          authType: 'oauth',
          accessToken: tokens.accessToken,
          refreshToken: tokens.refreshToken,
          expiresAt: tokens.expiresAt,
          scopes: tokens.scopes,
          baseUrl: ctx.env.HUBSPOT_API_BASE_URL,
          status: 'connected',
          lastError: null,
        },
        ctx.now(),
      );
      response.json({ connected: true, crm: 'hubspot', portalId: tokens.portalId, tenantId });
    } catch (caught) {
      next(caught instanceof ApiError ? caught : new ApiError('CRM_ERROR', (caught as Error).message));
    }
  });
};
