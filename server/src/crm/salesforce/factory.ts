import type { CrmAdapterFactory } from '../registry';
import { createSalesforceAdapter } from './adapter';
import { salesforceOptionsFromEnv, saveSalesforceConnection } from './connections';

/**
 * Salesforce in the adapter registry: a tenant's adapter from its stored (encrypted) OAuth tokens,
 * or from SALESFORCE_* variables (JWT bearer / access token). Imports the registry for types only,
 * so the registry can import this module without a cycle.
 */

export const salesforceAdapterFactory: CrmAdapterFactory = async (ctx, input) => {
  const connection = input.connection;
  if (connection?.crm === 'salesforce') {
    return createSalesforceAdapter({
      loginUrl: ctx.env.SALESFORCE_LOGIN_URL,
      instanceUrl: connection.baseUrl ?? ctx.env.SALESFORCE_INSTANCE_URL,
      accessToken: connection.accessToken,
      refreshToken: connection.refreshToken,
      clientId: ctx.env.SALESFORCE_CLIENT_ID,
      clientSecret: ctx.env.SALESFORCE_CLIENT_SECRET,
      onTokens: (tokens) =>
        saveSalesforceConnection(ctx, { tenantId: input.tenantId, externalId: input.externalId, tokens }),
    });
  }
  const fromEnv = salesforceOptionsFromEnv(ctx.env);
  if (!fromEnv) {
    throw new Error(
      `Tenant ${input.tenantId} has no Salesforce connection: set SALESFORCE_* (docs/salesforce.md) or connect the org`,
    );
  }
  return createSalesforceAdapter(fromEnv);
};
