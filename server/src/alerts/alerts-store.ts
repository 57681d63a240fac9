import type { AlertView } from '@pulse/shared/api/alerts';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import { writeAudit } from '../store/audit';
import type { AlertsTable } from './tables';

/** Alert history: list, acknowledge, resolve. Every status change writes an audit entry. */

type AlertRow = { [K in keyof AlertsTable]: unknown };

function iso(value: unknown): string | null {
  return value === null || value === undefined ? null : new Date(value as string).toISOString();
}

function json(value: unknown): number | string | null {
  const parsed = typeof value === 'string' ? JSON.parse(value) : value;
  return (parsed ?? null) as number | string | null;
}

export function toAlertView(row: AlertRow): AlertView {
  return {
    id: row.id as string,
    ruleId: row.rule_id as string,
    accountId: row.account_id as string,
    ownerId: row.owner_id as string | null,
    severity: row.severity as AlertView['severity'],
    metric: row.metric as string,
    message: row.message as string,
    previousValue: json(row.previous_value),
    currentValue: json(row.current_value),
    status: row.status as AlertView['status'],
    occurrences: Number(row.occurrences),
    firedAt: iso(row.fired_at)!,
    lastFiredAt: iso(row.last_fired_at)!,
    acknowledgedBy: row.acknowledged_by as string | null,
    acknowledgedAt: iso(row.acknowledged_at),
    resolvedBy: row.resolved_by as string | null,
    resolvedAt: iso(row.resolved_at),
  };
}

export interface AlertFilters {
  status?: AlertView['status'];
  severity?: AlertView['severity'];
  accountId?: string;
  ruleId?: string;
  /** Only alerts of accounts owned by this owner (CSM / AE scope); null owner sees none. */
  ownerScope?: { ownerId: string | null };
  limit?: number;
}

export async function listAlerts(
  db: Kysely<Database>,
  tenantId: string,
  filters: AlertFilters = {},
): Promise<AlertView[]> {
  let query = db.selectFrom('alerts').selectAll().where('tenant_id', '=', tenantId);
  if (filters.status) query = query.where('status', '=', filters.status);
  if (filters.severity) query = query.where('severity', '=', filters.severity);
  if (filters.accountId) query = query.where('account_id', '=', filters.accountId);
  if (filters.ruleId) query = query.where('rule_id', '=', filters.ruleId);
  if (filters.ownerScope) {
    const ownerId = filters.ownerScope.ownerId;
    if (ownerId === null) return [];
    // Scope by the account's current owner, so a reassigned account's alerts follow it.
    query = query.where('account_id', 'in', (sub) =>
      sub
        .selectFrom('accounts')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('owner_id', '=', ownerId),
    );
  }
  const rows = await query
    .orderBy('fired_at', 'desc')
    .orderBy('id')
    .limit(filters.limit ?? 200)
    .execute();
  return rows.map((row) => toAlertView(row as AlertRow));
}

export async function getAlert(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
): Promise<AlertView | null> {
  const row = await db
    .selectFrom('alerts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toAlertView(row as AlertRow) : null;
}

export type AlertTransition =
  | { ok: true; alert: AlertView }
  | { ok: false; reason: 'not_found' | 'conflict'; message: string };

/** open → acknowledged, open/acknowledged → resolved. */
export async function transitionAlert(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  action: 'acknowledge' | 'resolve',
  actor: string,
  now: Date,
): Promise<AlertTransition> {
  return db.transaction().execute(async (trx) => {
    const before = await getAlert(trx, tenantId, id);
    if (!before) return { ok: false, reason: 'not_found', message: `No alert "${id}"` };
    if (before.status === 'resolved')
      return { ok: false, reason: 'conflict', message: 'The alert is already resolved' };
    if (action === 'acknowledge' && before.status === 'acknowledged')
      return {
        ok: false,
        reason: 'conflict',
        message: `The alert was already acknowledged by ${before.acknowledgedBy}`,
      };
    const change =
      action === 'acknowledge'
        ? { status: 'acknowledged', acknowledged_by: actor, acknowledged_at: now }
        : { status: 'resolved', resolved_by: actor, resolved_at: now };
    await trx
      .updateTable('alerts')
      .set(change)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
    const after = (await getAlert(trx, tenantId, id))!;
    await writeAudit(
      trx,
      {
        tenantId,
        actor,
        action: `alert.${action === 'acknowledge' ? 'acknowledged' : 'resolved'}`,
        entityType: 'alert',
        entityId: id,
        before: { status: before.status },
        after: { status: after.status },
      },
      now,
    );
    return { ok: true, alert: after };
  });
}
