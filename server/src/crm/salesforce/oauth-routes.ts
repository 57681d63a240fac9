import type { Express, Request } from 'express';

import type { AppContext } from '../../context';
import { ApiError } from '../../http/errors';
import { checkOAuthState, issueOAuthState } from '../../security/oauth-state';
import { ensureTenant } from '../../store/records';
import { createSalesforceAdapter } from './adapter';
import { authorizationUrl, exchangeAuthorizationCode, type SalesforceAuthOptions } from './auth';
import { cipherFromEnv, saveSalesforceConnection } from './connections';

/**
 * Connecting an org with the OAuth web-server flow: `GET /oauth/salesforce/install` redirects an
 * admin to Salesforce's consent page; `GET /oauth/salesforce/callback` exchanges the code and
 * stores the tokens encrypted. The `state` is an encrypted, timestamped value (AES-GCM: it cannot
 * be forged or altered), so a callback not started by this server is refused.
 */

export const SALESFORCE_CALLBACK_PATH = '/oauth/salesforce/callback';

function authOptions(ctx: AppContext, request: Request): SalesforceAuthOptions {
  const { env } = ctx;
  const missing = [
    !env.SALESFORCE_CLIENT_ID && 'SALESFORCE_CLIENT_ID',
    !env.SALESFORCE_CLIENT_SECRET && 'SALESFORCE_CLIENT_SECRET',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new ApiError('INVALID_INPUT', `Salesforce OAuth is not configured: set ${missing.join(', ')}`);
  }
  const base = env.PULSE_PUBLIC_URL ?? `${request.protocol}://${request.get('host')}`;
  return {
    loginUrl: env.SALESFORCE_LOGIN_URL,
    clientId: env.SALESFORCE_CLIENT_ID,
    clientSecret: env.SALESFORCE_CLIENT_SECRET,
    redirectUri: `${base.replace(/\/$/, '')}${SALESFORCE_CALLBACK_PATH}`,
  };
}

export function salesforceOAuthRoutes(app: Express, ctx: AppContext): void {
  app.get('/oauth/salesforce/install', (request, response) => {
    const state = issueOAuthState(cipherFromEnv(ctx.env), ctx.now());
    response.redirect(302, authorizationUrl(authOptions(ctx, request), state));
  });

  app.get(SALESFORCE_CALLBACK_PATH, async (request, response, next) => {
    try {
      const {
        code,
        state,
        error,
        error_description: description,
      } = request.query as Record<string, string | undefined>;
      if (error)
        throw new ApiError('FORBIDDEN', `Salesforce refused the connection: ${description ?? error}`);
      if (!code) throw ApiError.invalid('code is missing', [{ path: 'code', message: 'required' }]);
      const check = checkOAuthState(cipherFromEnv(ctx.env), state, ctx.now());
      if (!check.ok) {
        throw ApiError.invalid(
          `state is invalid (${check.problem}): start again from /oauth/salesforce/install`,
          [{ path: 'state', message: check.problem }],
        );
      }
      const options = authOptions(ctx, request);
      const tokens = await exchangeAuthorizationCode(options, code);
      const orgId = await createSalesforceAdapter({ ...options, ...tokens }).externalId();
      const tenantId = await ensureTenant(ctx.db, {
        crm: 'salesforce',
        externalId: orgId,
        name: `Salesforce ${orgId}`,
      });
      await saveSalesforceConnection(ctx, { tenantId, externalId: orgId, tokens });
      response.json({ connected: true, crm: 'salesforce', orgId, tenantId, instanceUrl: tokens.instanceUrl });
    } catch (caught) {
      next(caught instanceof ApiError ? caught : new ApiError('CRM_ERROR', (caught as Error).message));
    }
  });
}
