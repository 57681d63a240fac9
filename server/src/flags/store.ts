import { randomUUID } from 'node:crypto';
import {
  acknowledgeFlag,
  type FlagChange,
  type FlagState,
  type FlagStatus,
  type NewFlag,
  resolveFlag,
  type TransitionResult,
} from '@pulse/shared/flags/lifecycle';
import type { FlagSettings } from '@pulse/shared/flags/settings';
import type { FlagSeverity, FlagType } from '@pulse/shared/flags/types';
import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';

import type { Database } from '../db/schema';
import { writeAudit } from '../store/audit';
import { arrayLiteral } from '../store/bulk';
import { getSetting } from '../store/settings';
import type { FlagsTable } from './tables';

/** Settings key holding the tenant's detector thresholds (shared/src/flags/settings.ts). */
export const FLAG_SETTINGS_KEY = 'flags' as const;

export function loadFlagSettings(db: Kysely<Database>, tenantId: string): Promise<FlagSettings> {
  return getSetting(db, tenantId, FLAG_SETTINGS_KEY);
}

/** ISO text of a timestamp: canonical text (as the recompute selects it) is kept, anything else formatted. */
function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  if (
    typeof value === 'string' &&
    value.length === 24 &&
    value.charCodeAt(23) === 90 &&
    value.charCodeAt(10) === 84
  ) {
    return value;
  }
  return new Date(value).toISOString();
}

/** Timestamps as canonical UTC text: no Date to parse and format again per value. */
const isoText = (column: string) =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A flags row with its timestamps as Dates (selectAll) or canonical text (`isoText`). */
type FlagRow = Omit<
  Selectable<FlagsTable>,
  'opened_at' | 'updated_at' | 'acknowledged_at' | 'resolved_at'
> & {
  opened_at: Date | string;
  updated_at: Date | string;
  acknowledged_at: Date | string | null;
  resolved_at: Date | string | null;
};

export function toFlagState(row: FlagRow): FlagState {
  return {
    id: row.id,
    accountId: row.account_id,
    type: row.type,
    status: row.status,
    severity: row.severity,
    magnitude: row.magnitude,
    title: row.title,
    recommendedAction: row.recommended_action,
    details: row.details,
    openedAt: iso(row.opened_at)!,
    updatedAt: iso(row.updated_at)!,
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedSeverity: row.acknowledged_severity,
    acknowledgedMagnitude: row.acknowledged_magnitude,
    resolvedBy: row.resolved_by,
    resolvedAt: iso(row.resolved_at),
  };
}

function toColumns(changes: FlagChange['changes']): Updateable<FlagsTable> {
  const columns: Updateable<FlagsTable> = {};
  if (changes.status !== undefined) columns.status = changes.status;
  if (changes.severity !== undefined) columns.severity = changes.severity;
  if (changes.magnitude !== undefined) columns.magnitude = changes.magnitude;
  if (changes.title !== undefined) columns.title = changes.title;
  if (changes.recommendedAction !== undefined) columns.recommended_action = changes.recommendedAction;
  if (changes.details !== undefined) columns.details = JSON.stringify(changes.details);
  if (changes.openedAt !== undefined) columns.opened_at = changes.openedAt;
  if (changes.updatedAt !== undefined) columns.updated_at = changes.updatedAt;
  if (changes.acknowledgedBy !== undefined) columns.acknowledged_by = changes.acknowledgedBy;
  if (changes.acknowledgedAt !== undefined) columns.acknowledged_at = changes.acknowledgedAt;
  if (changes.acknowledgedSeverity !== undefined)
    columns.acknowledged_severity = changes.acknowledgedSeverity;
  if (changes.acknowledgedMagnitude !== undefined)
    columns.acknowledged_magnitude = changes.acknowledgedMagnitude;
  if (changes.resolvedBy !== undefined) columns.resolved_by = changes.resolvedBy;
  if (changes.resolvedAt !== undefined) columns.resolved_at = changes.resolvedAt;
  return columns;
}

function toInsert(tenantId: string, flag: NewFlag): Insertable<FlagsTable> {
  return {
    id: `flag-${randomUUID()}`,
    tenant_id: tenantId,
    account_id: flag.accountId,
    type: flag.type,
    status: flag.status,
    severity: flag.severity,
    magnitude: flag.magnitude,
    title: flag.title,
    recommended_action: flag.recommendedAction,
    details: JSON.stringify(flag.details),
    opened_at: flag.openedAt,
    updated_at: flag.updatedAt,
    acknowledged_by: flag.acknowledgedBy,
    acknowledged_at: flag.acknowledgedAt,
    acknowledged_severity: flag.acknowledgedSeverity,
    acknowledged_magnitude: flag.acknowledgedMagnitude,
    resolved_by: flag.resolvedBy,
    resolved_at: flag.resolvedAt,
  };
}

/** Every unresolved (open or acknowledged) flag of a tenant, or of the given accounts, by account. */
export async function loadUnresolvedFlags(
  db: Kysely<Database>,
  tenantId: string,
  accountIds?: readonly string[],
): Promise<Map<string, FlagState[]>> {
  // Read by every recompute a chunk at a time (about 16k open flags on the 20k bench portfolio).
  let query = db
    .selectFrom('flags')
    .select([
      'id',
      'tenant_id',
      'account_id',
      'type',
      'status',
      'severity',
      'magnitude',
      'title',
      'recommended_action',
      'details',
      isoText('opened_at').as('opened_at'),
      isoText('updated_at').as('updated_at'),
      'acknowledged_by',
      isoText('acknowledged_at').as('acknowledged_at'),
      'acknowledged_severity',
      'acknowledged_magnitude',
      'resolved_by',
      isoText('resolved_at').as('resolved_at'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('status', '<>', 'resolved');
  if (accountIds) {
    if (accountIds.length === 0) return new Map();
    query = query.where(sql<boolean>`account_id = any(${arrayLiteral(accountIds, 'text')}::text[])`);
  }
  const byAccount = new Map<string, FlagState[]>();
  for (const row of await query.execute()) {
    const flag = toFlagState(row);
    const list = byAccount.get(flag.accountId) ?? [];
    list.push(flag);
    byAccount.set(flag.accountId, list);
  }
  return byAccount;
}

/**
 * Writes what reconciliation decided. A concurrent scoring run may have opened the same flag first;
 * the unique index on unresolved (account, type) turns the second insert into a no-op.
 */
export async function saveFlagChanges(
  db: Kysely<Database>,
  tenantId: string,
  opened: readonly NewFlag[],
  changed: readonly FlagChange[],
): Promise<void> {
  if (opened.length === 0 && changed.length === 0) return;
  await db.transaction().execute(async (transaction) => {
    for (let start = 0; start < opened.length; start += 1000) {
      const rows = opened.slice(start, start + 1000).map((flag) => toInsert(tenantId, flag));
      await transaction
        .insertInto('flags')
        .values(rows)
        .onConflict((conflict) => conflict.doNothing())
        .execute();
    }
    // One statement per distinct set of changed columns, not one per flag: a recompute refreshes
    // thousands of open flags per chunk.
    const groups = new Map<string, { id: string; columns: Record<string, unknown> }[]>();
    for (const change of changed) {
      const columns = toColumns(change.changes) as Record<string, unknown>;
      const key = Object.keys(columns).sort().join(',');
      if (key === '') continue;
      const group = groups.get(key) ?? [];
      group.push({ id: change.id, columns });
      groups.set(key, group);
    }
    for (const [key, group] of groups) {
      const names = key.split(',');
      const arrays = [
        sql`${arrayLiteral(
          group.map((entry) => entry.id),
          'text',
        )}::text[]`,
        ...names.map((name) => {
          const type = flagColumnTypes[name]!;
          return sql`${arrayLiteral(
            group.map((entry) => entry.columns[name]),
            type,
          )}::${sql.raw(type)}[]`;
        }),
      ];
      await sql`
        update flags set ${sql.join(names.map((name) => sql`${sql.ref(name)} = changed.${sql.ref(name)}`))}
        from unnest(${sql.join(arrays)}) as changed(id, ${sql.join(names.map((name) => sql.ref(name)))})
        where flags.tenant_id = ${tenantId} and flags.id = changed.id
      `.execute(transaction);
    }
  });
}

/** Element types of the columns a flag change may set (for the bulk update's unnest arrays). */
const flagColumnTypes: Record<string, string> = {
  status: 'text',
  severity: 'text',
  magnitude: 'float8',
  title: 'text',
  recommended_action: 'text',
  details: 'jsonb',
  opened_at: 'timestamptz',
  updated_at: 'timestamptz',
  acknowledged_by: 'text',
  acknowledged_at: 'timestamptz',
  acknowledged_severity: 'text',
  acknowledged_magnitude: 'float8',
  resolved_by: 'text',
  resolved_at: 'timestamptz',
};

export interface FlagFilters {
  accountId?: string;
  status?: FlagStatus;
  severity?: FlagSeverity;
  type?: FlagType;
  ownerId?: string | null;
  limit?: number;
}

export async function listFlags(
  db: Kysely<Database>,
  tenantId: string,
  filters: FlagFilters = {},
): Promise<FlagState[]> {
  let query = db.selectFrom('flags').selectAll('flags').where('flags.tenant_id', '=', tenantId);
  if (filters.accountId !== undefined) query = query.where('flags.account_id', '=', filters.accountId);
  if (filters.status !== undefined) query = query.where('flags.status', '=', filters.status);
  if (filters.severity !== undefined) query = query.where('flags.severity', '=', filters.severity);
  if (filters.type !== undefined) query = query.where('flags.type', '=', filters.type);
  if (filters.ownerId !== undefined) {
    const ownerId = filters.ownerId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('accounts')
          .select('accounts.id')
          .whereRef('accounts.tenant_id', '=', 'flags.tenant_id')
          .whereRef('accounts.id', '=', 'flags.account_id')
          .where('accounts.owner_id', ownerId === null ? 'is' : '=', ownerId),
      ),
    );
  }
  const rows = await query
    .orderBy('flags.opened_at', 'desc')
    .orderBy('flags.id')
    .limit(filters.limit ?? 1000)
    .execute();
  return rows.map(toFlagState);
}

export async function getFlag(db: Kysely<Database>, tenantId: string, id: string): Promise<FlagState | null> {
  const row = await db
    .selectFrom('flags')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toFlagState(row) : null;
}

export type FlagAction = 'acknowledge' | 'resolve';

export type FlagTransitionOutcome =
  | { ok: true; flag: FlagState }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'conflict'; message: string };

/**
 * A CSM acknowledges or resolves a flag. The row is locked for the transition, so a scoring run or a
 * second click cannot interleave; the change is written to the audit log with the actor.
 */
export async function transitionFlag(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  action: FlagAction,
  actor: string,
  now: Date,
): Promise<FlagTransitionOutcome> {
  return db.transaction().execute(async (transaction) => {
    const row = await transaction
      .selectFrom('flags')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return { ok: false, reason: 'not_found' };
    const flag = toFlagState(row);
    const result: TransitionResult =
      action === 'acknowledge' ? acknowledgeFlag(flag, actor, now) : resolveFlag(flag, actor, now);
    if (!result.ok) return { ok: false, reason: 'conflict', message: result.reason };
    const updated = await transaction
      .updateTable('flags')
      .set(toColumns(result.changes))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(transaction, {
      tenantId,
      actor,
      action: `flag.${action}`,
      entityType: 'flag',
      entityId: id,
      before: { status: flag.status },
      after: { status: updated.status },
    });
    return { ok: true, flag: toFlagState(updated) };
  });
}
