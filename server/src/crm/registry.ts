import type { CrmKind } from '@pulse/shared';

import type { AppContext } from '../context';
import { createTokenCipher, type TokenCipher } from '../security/token-cipher';
import type { CrmAdapter } from './adapter';
import { createHubSpotAdapter } from './hubspot/adapter';
import { type CrmConnection, loadConnection, updateTokens } from './hubspot/connections';
import { salesforceAdapterFactory } from './salesforce/factory';

/**
 * The one way server code gets a CRM adapter for a tenant: from its stored connection (tokens
 * decrypted here) or, for a private-app install, from the environment. One factory per CRM kind.
 */

export interface AdapterFactoryInput {
  tenantId: string;
  externalId: string;
  connection: CrmConnection | null;
  cipher: TokenCipher;
}

export type CrmAdapterFactory = (ctx: AppContext, input: AdapterFactoryInput) => Promise<CrmAdapter>;

// HubSpot adapters share their portal's limiters by themselves (hubspot/portal-limiters.ts), with
// every other HubSpot adapter of the process, not only those built here.
const hubspotFactory: CrmAdapterFactory = async (ctx, input) => {
  const { env } = ctx;
  const basePath = input.connection?.baseUrl ?? env.HUBSPOT_API_BASE_URL;
  const connection = input.connection;
  if (connection?.authType === 'oauth' && connection.refreshToken) {
    if (!env.HUBSPOT_CLIENT_ID || !env.HUBSPOT_CLIENT_SECRET)
      throw new Error(
        'HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET are needed to refresh the OAuth connection',
      );
    return createHubSpotAdapter({
      basePath,
      portalId: input.externalId,
      oauth: {
        clientId: env.HUBSPOT_CLIENT_ID,
        clientSecret: env.HUBSPOT_CLIENT_SECRET,
        tokens: {
          accessToken: connection.accessToken,
          refreshToken: connection.refreshToken,
          expiresAt: connection.expiresAt ?? new Date(0),
        },
        onRefreshed: (tokens) => updateTokens(ctx.db, input.cipher, input.tenantId, tokens, ctx.now()),
      },
    });
  }
  const accessToken = connection?.accessToken ?? env.HUBSPOT_ACCESS_TOKEN;
  if (!accessToken)
    throw new Error(
      `Tenant ${input.tenantId} has no HubSpot connection: set HUBSPOT_ACCESS_TOKEN or install the app`,
    );
  return createHubSpotAdapter({
    basePath,
    accessToken,
    portalId: input.externalId,
  });
};

/** Add a CRM with one line here. */
export const crmAdapterFactories: Partial<Record<CrmKind, CrmAdapterFactory>> = {
  hubspot: hubspotFactory,
  salesforce: salesforceAdapterFactory,
};

export async function getCrmAdapter(ctx: AppContext, tenantId: string): Promise<CrmAdapter> {
  const tenant = await ctx.db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
  if (!tenant) throw new Error(`No tenant ${tenantId}`);
  const factory = crmAdapterFactories[tenant.crm as CrmKind];
  if (!factory) throw new Error(`No CRM adapter for ${tenant.crm} (tenant ${tenantId})`);
  const cipher = createTokenCipher(ctx.env.PULSE_ENCRYPTION_KEY, ctx.env.PULSE_DATA_DIR);
  const connection = await loadConnection(ctx.db, cipher, tenantId);
  return factory(ctx, {
    tenantId,
    externalId: tenant.external_id,
    connection,
    cipher,
  });
}
