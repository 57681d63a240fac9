import type { CrmKind } from '@pulse/shared';
import type { ColumnType, JSONColumnType, Kysely } from 'kysely';

import type { Database } from '../../db/schema';
import type { TokenCipher } from '../../security/token-cipher';

/**
 * The crm_connections table (migration 002): a tenant's CRM connection. Tokens are stored only
 * encrypted (security/token-cipher.ts); this module is the one place that encrypts and decrypts.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface CrmConnectionsTable {
  tenant_id: string;
  crm: string;
  external_id: string;
  auth_type: string;
  access_token: string;
  refresh_token: string | null;
  expires_at: Timestamp | null;
  scopes: JSONColumnType<string[], string[], string[]>;
  base_url: string | null;
  status: string;
  last_error: string | null;
  connected_at: Timestamp;
  updated_at: Timestamp;
}

declare module '../../db/schema' {
  interface Database {
    crm_connections: CrmConnectionsTable;
  }
}

export type AuthType = 'private_app' | 'oauth';

export interface CrmConnection {
  tenantId: string;
  crm: CrmKind;
  externalId: string;
  authType: AuthType;
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scopes: string[];
  baseUrl: string | null;
  status: 'connected' | 'error';
  lastError: string | null;
}

export async function saveConnection(
  db: Kysely<Database>,
  cipher: TokenCipher,
  connection: CrmConnection,
  now: Date,
): Promise<void> {
  const row = {
    tenant_id: connection.tenantId,
    crm: connection.crm,
    external_id: connection.externalId,
    auth_type: connection.authType,
    access_token: cipher.encrypt(connection.accessToken),
    refresh_token: connection.refreshToken === null ? null : cipher.encrypt(connection.refreshToken),
    expires_at: connection.expiresAt,
    scopes: JSON.stringify(connection.scopes) as unknown as string[],
    base_url: connection.baseUrl,
    status: connection.status,
    last_error: connection.lastError,
    connected_at: now,
    updated_at: now,
  };
  const { connected_at: _connectedAt, tenant_id: _tenantId, ...changes } = row;
  await db
    .insertInto('crm_connections')
    .values(row)
    .onConflict((conflict) => conflict.column('tenant_id').doUpdateSet(changes))
    .execute();
}

export async function loadConnection(
  db: Kysely<Database>,
  cipher: TokenCipher,
  tenantId: string,
): Promise<CrmConnection | null> {
  const row = await db
    .selectFrom('crm_connections')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    tenantId: row.tenant_id,
    crm: row.crm as CrmKind,
    externalId: row.external_id,
    authType: row.auth_type as AuthType,
    accessToken: cipher.decrypt(row.access_token),
    refreshToken: row.refresh_token === null ? null : cipher.decrypt(row.refresh_token),
    expiresAt: row.expires_at,
    scopes: typeof row.scopes === 'string' ? JSON.parse(row.scopes) : row.scopes,
    baseUrl: row.base_url,
    status: row.status as CrmConnection['status'],
    lastError: row.last_error,
  };
}

/** After a refresh: new tokens, encrypted, and the connection marked healthy again. */
export async function updateTokens(
  db: Kysely<Database>,
  cipher: TokenCipher,
  tenantId: string,
  tokens: { accessToken: string; refreshToken: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  await db
    .updateTable('crm_connections')
    .set({
      access_token: cipher.encrypt(tokens.accessToken),
      refresh_token: cipher.encrypt(tokens.refreshToken),
      expires_at: tokens.expiresAt,
      status: 'connected',
      last_error: null,
      updated_at: now,
    })
    .where('tenant_id', '=', tenantId)
    .execute();
}

export async function markConnectionError(
  db: Kysely<Database>,
  tenantId: string,
  message: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('crm_connections')
    .set({ status: 'error', last_error: message, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .execute();
}
