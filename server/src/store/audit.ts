import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';

/**
 * The audit log: who did what to which entity, with the value before and after. Settings saves,
 * workflow actions and admin changes all write here; nothing ever updates or deletes a row.
 */
export interface AuditEntry {
  tenantId: string;
  actor: string;
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditRecord {
  id: number;
  tenantId: string;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditFilters {
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  /** Only entries at or after this instant (ISO). */
  since?: string;
  /** Only entries before this instant (ISO). */
  until?: string;
  /** Newest first; default 100, at most 1,000. */
  limit?: number;
  /** Entries with an id below this one (paging backwards through the log). */
  beforeId?: number;
}

export async function writeAudit(db: Kysely<Database>, entry: AuditEntry, at?: Date): Promise<number> {
  const row = await db
    .insertInto('audit_log')
    .values({
      tenant_id: entry.tenantId,
      actor: entry.actor,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId ?? null,
      before: jsonOrNull(entry.before),
      after: jsonOrNull(entry.after),
      ...(at ? { at } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function listAudit(
  db: Kysely<Database>,
  tenantId: string,
  filters: AuditFilters = {},
): Promise<AuditRecord[]> {
  let query = db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId);
  if (filters.actor) query = query.where('actor', '=', filters.actor);
  if (filters.action) query = query.where('action', '=', filters.action);
  if (filters.entityType) query = query.where('entity_type', '=', filters.entityType);
  if (filters.entityId) query = query.where('entity_id', '=', filters.entityId);
  if (filters.since) query = query.where('at', '>=', new Date(filters.since));
  if (filters.until) query = query.where('at', '<', new Date(filters.until));
  if (filters.beforeId !== undefined) query = query.where('id', '<', filters.beforeId);
  const limit = Math.min(Math.max(filters.limit ?? 100, 1), 1000);
  const rows = await query.orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    id: Number(row.id),
    tenantId: row.tenant_id,
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: row.before,
    after: row.after,
  }));
}

// jsonb columns take serialised JSON; `undefined` (no value) is stored as SQL NULL.
function jsonOrNull(value: unknown): never {
  return (value === undefined ? null : JSON.stringify(value)) as never;
}
