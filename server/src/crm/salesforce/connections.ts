import { readFileSync } from 'node:fs';

import type { AppContext } from '../../context';
import type { Env } from '../../env';
import { createTokenCipher, type TokenCipher } from '../../security/token-cipher';
import { loadConnection, markConnectionError, saveConnection } from '../hubspot/connections';
import { createSalesforceAdapter, type SalesforceAdapter, type SalesforceAdapterOptions } from './adapter';
import type { SalesforceTokens } from './auth';

/**
 * Where a tenant's Salesforce credentials come from: the crm_connections table (tokens from the
 * OAuth web-server flow, encrypted with PULSE_ENCRYPTION_KEY; migration 002 serves every CRM) or
 * the environment (JWT bearer with a private key file, or a bare access token for a quick try).
 */

/** The same cipher the adapter registry uses (a local demo without a key derives one). */
export function cipherFromEnv(env: Env): TokenCipher {
  return createTokenCipher(env.PULSE_ENCRYPTION_KEY, env.PULSE_DATA_DIR);
}

/** Adapter options from SALESFORCE_* variables, or null when they do not describe a connection. */
export function salesforceOptionsFromEnv(env: Env): SalesforceAdapterOptions | null {
  const common = {
    loginUrl: env.SALESFORCE_LOGIN_URL,
    instanceUrl: env.SALESFORCE_INSTANCE_URL,
    clientId: env.SALESFORCE_CLIENT_ID,
    clientSecret: env.SALESFORCE_CLIENT_SECRET,
  };
  if (env.SALESFORCE_PRIVATE_KEY_PATH || env.SALESFORCE_USERNAME) {
    const missing = [
      !env.SALESFORCE_CLIENT_ID && 'SALESFORCE_CLIENT_ID',
      !env.SALESFORCE_USERNAME && 'SALESFORCE_USERNAME',
      !env.SALESFORCE_PRIVATE_KEY_PATH && 'SALESFORCE_PRIVATE_KEY_PATH',
    ].filter(Boolean);
    if (missing.length > 0)
      throw new Error(`The Salesforce JWT bearer flow also needs: ${missing.join(', ')}`);
    let privateKey: string;
    try {
      privateKey = readFileSync(env.SALESFORCE_PRIVATE_KEY_PATH!, 'utf8');
    } catch (error) {
      throw new Error(
        `SALESFORCE_PRIVATE_KEY_PATH: cannot read ${env.SALESFORCE_PRIVATE_KEY_PATH}: ${(error as Error).message}`,
      );
    }
    return { ...common, jwt: { username: env.SALESFORCE_USERNAME!, privateKey } };
  }
  if (env.SALESFORCE_ACCESS_TOKEN) {
    if (!env.SALESFORCE_INSTANCE_URL)
      throw new Error('SALESFORCE_ACCESS_TOKEN also needs SALESFORCE_INSTANCE_URL');
    return { ...common, accessToken: env.SALESFORCE_ACCESS_TOKEN };
  }
  return null;
}

export async function saveSalesforceConnection(
  ctx: AppContext,
  input: { tenantId: string; externalId: string; tokens: SalesforceTokens },
): Promise<void> {
  await saveConnection(
    ctx.db,
    cipherFromEnv(ctx.env),
    {
      tenantId: input.tenantId,
      crm: 'salesforce',
      externalId: input.externalId,
      authType: 'oauth',
      accessToken: input.tokens.accessToken,
      refreshToken: input.tokens.refreshToken,
      expiresAt: null,
      scopes: ['api', 'refresh_token'],
      baseUrl: input.tokens.instanceUrl,
      status: 'connected',
      lastError: null,
    },
    ctx.now(),
  );
}

/** The tenant's adapter from its stored connection; refreshed tokens are stored encrypted again. */
export async function salesforceAdapterForTenant(
  ctx: AppContext,
  tenantId: string,
  options: Pick<SalesforceAdapterOptions, 'budgetShare' | 'apiVersion'> = {},
): Promise<SalesforceAdapter> {
  const cipher = cipherFromEnv(ctx.env);
  const connection = await loadConnection(ctx.db, cipher, tenantId);
  if (connection?.crm !== 'salesforce') {
    throw new Error(`Tenant ${tenantId} has no Salesforce connection; connect it first (docs/salesforce.md)`);
  }
  return createSalesforceAdapter({
    ...options,
    loginUrl: ctx.env.SALESFORCE_LOGIN_URL,
    instanceUrl: connection.baseUrl ?? undefined,
    accessToken: connection.accessToken,
    refreshToken: connection.refreshToken,
    clientId: ctx.env.SALESFORCE_CLIENT_ID,
    clientSecret: ctx.env.SALESFORCE_CLIENT_SECRET,
    onTokens: async (tokens) => {
      try {
        await saveSalesforceConnection(ctx, { tenantId, externalId: connection.externalId, tokens });
      } catch (error) {
        await markConnectionError(
          ctx.db,
          tenantId,
          `could not store refreshed tokens: ${(error as Error).message}`,
          ctx.now(),
        );
      }
    },
  });
}
