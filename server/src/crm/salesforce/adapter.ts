import { type RecordKind, recordKinds } from '@pulse/shared';
import type { Connection } from 'jsforce';

import type { CrmAdapter } from '../adapter';
import { createConnection, jwtBearerLogin, type SalesforceAuthOptions, type SalesforceTokens } from './auth';
import { SalesforceClient } from './client';
import {
  COLLECTION_SIZE,
  DEFAULT_ACCOUNT_ATTRIBUTE_FIELDS,
  DEFAULT_LOGIN_URL,
  SALESFORCE_API_VERSION,
} from './constants';
import { ensureAccountFields } from './custom-fields';
import { SalesforceSales } from './opportunities';
import { selectFields } from './raw-schemas';
import { buildSoql, identifier } from './soql';
import type { StreamObject } from './streams';
import { fetchSalesforcePage } from './sync';
import { writeAccountProperties } from './write-back';

/**
 * The Salesforce CrmAdapter. Connect with stored tokens (access + refresh, from the web-server
 * flow), or with the JWT bearer flow (connected-app certificate), or a bare access token.
 */

export interface SalesforceAdapterOptions {
  loginUrl?: string;
  instanceUrl?: string;
  accessToken?: string | null;
  refreshToken?: string | null;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  jwt?: { username: string; privateKey: string };
  apiVersion?: string;
  /** Share (0-1] of the org's daily API allowance Pulse may use (default 0.8). */
  budgetShare?: number;
  /** Account fields copied into Account.attributes (default: the standard Type and Rating). */
  accountAttributeFields?: string[];
  /** New tokens after a refresh; store them encrypted (crm/salesforce/connections.ts). */
  onTokens?: SalesforceAuthOptions['onTokens'];
}

export interface SalesforceAdapter extends CrmAdapter {
  readonly client: SalesforceClient;
  /** Accounts per writeAccountProperties call that fill whole sObject Collections calls. */
  readonly writeBatchSize: number;
}

export function createSalesforceAdapter(options: SalesforceAdapterOptions): SalesforceAdapter {
  const auth: SalesforceAuthOptions = {
    loginUrl: options.loginUrl ?? DEFAULT_LOGIN_URL,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: options.redirectUri,
    jwt: options.jwt,
    apiVersion: options.apiVersion ?? SALESFORCE_API_VERSION,
    onTokens: options.onTokens,
  };
  if (!options.accessToken && !options.jwt && !options.refreshToken) {
    throw new Error(
      'createSalesforceAdapter needs an accessToken, a refreshToken (with clientId) or jwt credentials',
    );
  }
  if (!options.instanceUrl && !options.jwt) throw new Error('createSalesforceAdapter needs instanceUrl');
  const connection: Connection = createConnection(auth, {
    instanceUrl: options.instanceUrl,
    accessToken: options.accessToken ?? undefined,
    refreshToken: options.refreshToken ?? null,
  });
  const client = new SalesforceClient({
    connection,
    apiVersion: auth.apiVersion,
    budgetShare: options.budgetShare,
  });
  const sales = new SalesforceSales(client, () => connection.instanceUrl);

  // With only JWT credentials there is no session (nor instance URL) yet: log in once, lazily.
  let session: Promise<void> | null = options.accessToken ? Promise.resolve() : null;
  const ready = () => {
    session ??= (async () => {
      const tokens: SalesforceTokens = options.jwt
        ? await jwtBearerLogin(auth)
        : { instanceUrl: options.instanceUrl!, accessToken: '', refreshToken: options.refreshToken ?? null };
      if (tokens.accessToken) {
        connection.accessToken = tokens.accessToken;
        connection.instanceUrl = tokens.instanceUrl;
        await auth.onTokens?.(tokens);
      }
    })().catch((error) => {
      session = null;
      throw error;
    });
    return session;
  };
  const attributeFields = (options.accountAttributeFields ?? DEFAULT_ACCOUNT_ATTRIBUTE_FIELDS).map(
    identifier,
  );
  const fieldsFor = (stream: StreamObject<RecordKind>) => {
    const fields = selectFields(stream.schema);
    return stream.object === 'Account' ? [...new Set([...fields, ...attributeFields])] : fields;
  };

  return {
    crm: 'salesforce',
    client,
    writeBatchSize: COLLECTION_SIZE,
    kinds: recordKinds,
    async externalId() {
      await ready();
      const result = await client.query(buildSoql({ select: ['Id'], from: 'Organization', limit: 1 }));
      return String(result.records[0]?.Id ?? '');
    },
    async fetchPage(kind, checkpoint, pageOptions) {
      await ready();
      return fetchSalesforcePage(client, kind, checkpoint, {
        now: pageOptions.now,
        selectFields: fieldsFor,
        accountAttributeFields: attributeFields,
      });
    },
    async listProducts() {
      await ready();
      return sales.listProducts();
    },
    async ensureCustomFields(input) {
      await ready();
      return ensureAccountFields(client, input);
    },
    async writeAccountProperties(updates) {
      await ready();
      return writeAccountProperties(client, updates);
    },
    async findOpenOpportunity(accountId, productId) {
      await ready();
      return sales.findOpenOpportunity(accountId, productId);
    },
    async createOpportunity(input) {
      await ready();
      return sales.createOpportunity(input);
    },
    async createTask(input) {
      await ready();
      return sales.createTask(input);
    },
  };
}
