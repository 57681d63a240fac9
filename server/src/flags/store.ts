import { randomUUID } from 'node:crypto';
import {
  acknowledgeFlag,
  type FlagChange,
  type FlagState,
  type FlagStatus,
  type NewFlag,
  type ReconcilableFlag,
  resolveFlag,
  type TransitionResult,
} from '@pulse/shared/flags/lifecycle';
import type { FlagSettings } from '@pulse/shared/flags/settings';
import type { FlagDetailValue, FlagSeverity, FlagType } from '@pulse/shared/flags/types';
import { type Kysely, type Selectable, sql, type Updateable } from 'kysely';

import type { Database } from '../db/schema';
import { writeAudit } from '../store/audit';
import { arrayLiteral, type BulkColumn, bulkInsert } from '../store/bulk';
import { getSetting } from '../store/settings';
import type { FlagsTable } from './tables';

/** Settings key holding the tenant's detector thresholds (shared/src/flags/settings.ts). */
export const FLAG_SETTINGS_KEY = 'flags' as const;

export function loadFlagSettings(db: Kysely<Database>, tenantId: string): Promise<FlagSettings> {
  return getSetting(db, tenantId, FLAG_SETTINGS_KEY);
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function toFlagState(row: Selectable<FlagsTable>): FlagState {
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

/** The flags table's columns as a new flag fills them, with their element types for `bulkInsert`. */
const flagColumns: BulkColumn[] = [
  { name: 'id', type: 'text' },
  { name: 'tenant_id', type: 'text' },
  { name: 'account_id', type: 'text' },
  { name: 'type', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'severity', type: 'text' },
  { name: 'magnitude', type: 'float8' },
  { name: 'title', type: 'text' },
  { name: 'recommended_action', type: 'text' },
  { name: 'details', type: 'jsonb' },
  { name: 'opened_at', type: 'timestamptz' },
  { name: 'updated_at', type: 'timestamptz' },
  { name: 'acknowledged_by', type: 'text' },
  { name: 'acknowledged_at', type: 'timestamptz' },
  { name: 'acknowledged_severity', type: 'text' },
  { name: 'acknowledged_magnitude', type: 'float8' },
  { name: 'resolved_by', type: 'text' },
  { name: 'resolved_at', type: 'timestamptz' },
];

/** New flags as `flagColumns`' arrays, each with a fresh id. */
function newFlagColumns(tenantId: string, flags: readonly NewFlag[]): unknown[][] {
  const values = flagColumns.map(() => new Array<unknown>(flags.length));
  for (let index = 0; index < flags.length; index++) {
    const flag = flags[index]!;
    const row = [
      `flag-${randomUUID()}`,
      tenantId,
      flag.accountId,
      flag.type,
      flag.status,
      flag.severity,
      flag.magnitude,
      flag.title,
      flag.recommendedAction,
      JSON.stringify(flag.details),
      flag.openedAt,
      flag.updatedAt,
      flag.acknowledgedBy,
      flag.acknowledgedAt,
      flag.acknowledgedSeverity,
      flag.acknowledgedMagnitude,
      flag.resolvedBy,
      flag.resolvedAt,
    ];
    for (let column = 0; column < row.length; column++) values[column]![index] = row[column];
  }
  return values;
}

/**
 * The unresolved (open or acknowledged) flags of the given accounts, by account: only the columns
 * reconciliation compares (a recompute reads about 16k of them on the 20k bench portfolio, a chunk
 * at a time). One lookup of the partial unique index per account; without column statistics
 * (PGlite never runs autovacuum) `account_id = any(…)` scanned the tenant's every flag instead.
 */
export async function loadUnresolvedFlags(
  db: Kysely<Database>,
  tenantId: string,
  accountIds: readonly string[],
): Promise<Map<string, ReconcilableFlag[]>> {
  const byAccount = new Map<string, ReconcilableFlag[]>();
  if (accountIds.length === 0) return byAccount;
  const { rows } = await sql<{
    id: string;
    account_id: string;
    type: FlagType;
    status: FlagStatus;
    severity: FlagSeverity;
    magnitude: number;
    title: string;
    recommended_action: string;
    details: Record<string, FlagDetailValue> | string;
    acknowledged_severity: FlagSeverity | null;
    acknowledged_magnitude: number | null;
  }>`
    select flag.id, ids.account_id, flag.type, flag.status, flag.severity, flag.magnitude, flag.title,
      flag.recommended_action, flag.details, flag.acknowledged_severity, flag.acknowledged_magnitude
    from unnest(${arrayLiteral(accountIds, 'text')}::text[]) as ids(account_id)
    cross join lateral (
      select * from flags
      where tenant_id = ${tenantId} and account_id = ids.account_id and status <> 'resolved'
      offset 0
    ) as flag
  `.execute(db);
  for (const row of rows) {
    const flag: ReconcilableFlag = {
      id: row.id,
      type: row.type,
      status: row.status,
      severity: row.severity,
      magnitude: row.magnitude,
      title: row.title,
      recommendedAction: row.recommended_action,
      details: typeof row.details === 'string' ? JSON.parse(row.details) : row.details,
      acknowledgedSeverity: row.acknowledged_severity,
      acknowledgedMagnitude: row.acknowledged_magnitude,
    };
    const list = byAccount.get(row.account_id);
    if (list === undefined) byAccount.set(row.account_id, [flag]);
    else list.push(flag);
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
    // No conflict target: the unresolved-flag unique index is partial.
    await bulkInsert(transaction, 'flags', flagColumns, newFlagColumns(tenantId, opened), { conflict: [] });
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
