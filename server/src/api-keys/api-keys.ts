import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';

/**
 * Per-tenant API keys for machine callers (usage ingest). The key itself is shown once at creation;
 * only its SHA-256 hash is stored, so a database leak does not leak working keys. Keys carry 256
 * random bits, which is why a plain hash (no salt, no slow KDF) is enough: lookup is by hash.
 */

export const API_KEY_PREFIX = 'pulse_';

export interface ApiKeySummary {
  id: string;
  tenantId: string;
  label: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ApiKeyOwner {
  id: string;
  tenantId: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export class ApiKeyError extends Error {
  override name = 'ApiKeyError';
}

export async function createApiKey(
  db: Kysely<Database>,
  input: { tenantId: string; label: string },
): Promise<{ key: string; apiKey: ApiKeySummary }> {
  const label = input.label.trim();
  if (label === '') throw new ApiKeyError('label must not be empty');
  const tenant = await db
    .selectFrom('tenants')
    .select('id')
    .where('id', '=', input.tenantId)
    .executeTakeFirst();
  if (!tenant) throw new ApiKeyError(`no tenant "${input.tenantId}"`);
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = `key_${randomBytes(6).toString('hex')}`;
  const row = await db
    .insertInto('api_keys')
    .values({ id, tenant_id: input.tenantId, label, key_hash: hashApiKey(key) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { key, apiKey: toSummary(row) };
}

export async function listApiKeys(db: Kysely<Database>, tenantId?: string): Promise<ApiKeySummary[]> {
  let query = db.selectFrom('api_keys').selectAll().orderBy('tenant_id').orderBy('created_at').orderBy('id');
  if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
  return (await query.execute()).map(toSummary);
}

/** Revokes a key at once; returns false when there is no such key (or it was already revoked). */
export async function revokeApiKey(db: Kysely<Database>, id: string, revokedAt: Date): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: revokedAt })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

// Writing last_used_at on every request would turn each read into a write; a minute is precise enough.
const LAST_USED_RESOLUTION_MS = 60_000;

/** The live key a presented secret belongs to, or null for unknown and revoked keys alike. */
export async function verifyApiKey(
  db: Kysely<Database>,
  key: string,
  now: Date,
): Promise<ApiKeyOwner | null> {
  if (!key.startsWith(API_KEY_PREFIX)) return null;
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'tenant_id', 'last_used_at'])
    .where('key_hash', '=', hashApiKey(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const lastUsed = row.last_used_at ? new Date(row.last_used_at).getTime() : null;
  if (lastUsed === null || now.getTime() - lastUsed >= LAST_USED_RESOLUTION_MS) {
    await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { id: row.id, tenantId: row.tenant_id };
}

function toSummary(row: {
  id: string;
  tenant_id: string;
  label: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): ApiKeySummary {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    label: row.label,
    createdAt: new Date(row.created_at),
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at) : null,
    revokedAt: row.revoked_at ? new Date(row.revoked_at) : null,
  };
}
