import { randomUUID } from 'node:crypto';
import type { Delivery } from '@pulse/shared/alerts/deliveries';
import { type Kysely, sql } from 'kysely';

import '../alerts/tables';
import type { Database } from '../db/schema';

/**
 * The durable outbox. Rows are written in the same transaction as the event that caused them (an
 * alert, a workflow run), so an event is never recorded without its messages or the other way
 * round. A row's columns are the whole delivery state: a restarted server simply carries on.
 */

export type OutboxStatus = 'pending' | 'delivering' | 'delivered' | 'dead';

export interface OutboxItem {
  idempotencyKey: string;
  sourceType: 'alert' | 'workflow';
  sourceId: string;
  accountId: string | null;
  delivery: Delivery;
}

export interface OutboxMessage {
  id: string;
  tenantId: string;
  kind: Delivery['kind'];
  idempotencyKey: string;
  sourceType: string;
  sourceId: string;
  accountId: string | null;
  delivery: Delivery;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** Inserts messages; one already queued under the same idempotency key is kept, not duplicated. */
export async function enqueue(
  db: Kysely<Database>,
  tenantId: string,
  items: OutboxItem[],
  now: Date,
): Promise<void> {
  if (items.length === 0) return;
  await db
    .insertInto('outbox')
    .values(
      items.map((item) => ({
        id: `msg-${randomUUID()}`,
        tenant_id: tenantId,
        kind: item.delivery.kind,
        idempotency_key: item.idempotencyKey,
        source_type: item.sourceType,
        source_id: item.sourceId,
        account_id: item.accountId,
        delivery: JSON.stringify(item.delivery),
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((conflict) => conflict.columns(['tenant_id', 'idempotency_key']).doNothing())
    .execute();
}

type OutboxRow = Database['outbox'] extends infer T ? { [K in keyof T]: unknown } : never;

export function toMessage(row: OutboxRow): OutboxMessage {
  const iso = (value: unknown) => (value === null ? null : new Date(value as string).toISOString());
  return {
    id: row.id as string,
    tenantId: row.tenant_id as string,
    kind: row.kind as Delivery['kind'],
    idempotencyKey: row.idempotency_key as string,
    sourceType: row.source_type as string,
    sourceId: row.source_id as string,
    accountId: row.account_id as string | null,
    delivery: (typeof row.delivery === 'string' ? JSON.parse(row.delivery) : row.delivery) as Delivery,
    status: row.status as OutboxStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: iso(row.next_attempt_at)!,
    lastError: row.last_error as string | null,
    createdAt: iso(row.created_at)!,
    deliveredAt: iso(row.delivered_at),
  };
}

/**
 * Claims up to `limit` due messages for `workerId`: pending ones whose time has come, and ones a
 * worker claimed but never finished (it crashed) once their lease ran out. The claim counts as an
 * attempt, so a message that crashes every worker still ends in the dead letters.
 */
export async function claimDue(
  db: Kysely<Database>,
  workerId: string,
  now: Date,
  options: { limit: number; leaseMs: number },
): Promise<OutboxMessage[]> {
  const leaseUntil = new Date(now.getTime() + options.leaseMs);
  const result = await sql<OutboxRow>`
    update outbox set status = 'delivering', claimed_by = ${workerId}, lease_until = ${leaseUntil},
      attempts = attempts + 1, updated_at = ${now}
    where id in (
      select id from outbox
      where (status = 'pending' and next_attempt_at <= ${now})
         or (status = 'delivering' and lease_until <= ${now})
      order by next_attempt_at, id
      limit ${options.limit}
      for update skip locked
    )
    returning *
  `.execute(db);
  return result.rows.map(toMessage);
}

/** Marks a claimed message delivered; false when another worker re-claimed it meanwhile. */
export async function markDelivered(
  db: Kysely<Database>,
  message: OutboxMessage,
  workerId: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'delivered', delivered_at: now, updated_at: now, lease_until: null, last_error: null })
    .where('id', '=', message.id)
    .where('claimed_by', '=', workerId)
    .where('status', '=', 'delivering')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Schedules the next attempt, or dead-letters the message after its last allowed attempt. */
export async function markFailed(
  db: Kysely<Database>,
  message: OutboxMessage,
  workerId: string,
  now: Date,
  outcome: { error: string; retryAt: Date | null },
): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({
      status: outcome.retryAt ? 'pending' : 'dead',
      next_attempt_at: outcome.retryAt ?? now,
      last_error: outcome.error.slice(0, 2000),
      lease_until: null,
      updated_at: now,
    })
    .where('id', '=', message.id)
    .where('claimed_by', '=', workerId)
    .where('status', '=', 'delivering')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function listOutbox(
  db: Kysely<Database>,
  tenantId: string,
  filters: { status?: OutboxStatus; limit?: number } = {},
): Promise<OutboxMessage[]> {
  let query = db.selectFrom('outbox').selectAll().where('tenant_id', '=', tenantId);
  if (filters.status) query = query.where('status', '=', filters.status);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(filters.limit ?? 200)
    .execute();
  return rows.map((row) => toMessage(row as OutboxRow));
}

/** A dead letter goes back to the queue with a fresh set of attempts; null when it is not dead. */
export async function retryDeadLetter(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  now: Date,
): Promise<OutboxMessage | null> {
  const row = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, updated_at: now, claimed_by: null })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .returningAll()
    .executeTakeFirst();
  return row ? toMessage(row as OutboxRow) : null;
}
