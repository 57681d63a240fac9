import type { CrmKind, RecordByKind, RecordKind } from '@pulse/shared';
import { type Kysely, sql } from 'kysely';

import type { Database } from '../db/schema';

/**
 * Canonical records <-> table rows, and the writes the sync makes: upsert a page, mark deletions,
 * fold a merged account into its survivor. Every statement is scoped by tenant.
 */

type ColumnKind = 'value' | 'timestamp' | 'json';
/** [canonical field, column, kind] */
type ColumnMap = readonly (readonly [string, string, ColumnKind])[];

const synced: ColumnMap = [
  ['tenantId', 'tenant_id', 'value'],
  ['id', 'id', 'value'],
  ['updatedAt', 'updated_at', 'timestamp'],
];
const accountScoped: ColumnMap = [...synced, ['accountId', 'account_id', 'value']];

export const columnMaps: { [K in RecordKind]: ColumnMap } = {
  accounts: [
    ...synced,
    ['name', 'name', 'value'],
    ['domain', 'domain', 'value'],
    ['industry', 'industry', 'value'],
    ['employees', 'employees', 'value'],
    ['annualRevenue', 'annual_revenue', 'value'],
    ['previousAnnualRevenue', 'previous_annual_revenue', 'value'],
    ['ownerId', 'owner_id', 'value'],
    ['ownerName', 'owner_name', 'value'],
    ['ownerEmail', 'owner_email', 'value'],
    ['region', 'region', 'value'],
    ['customerSince', 'customer_since', 'value'],
    ['csOptOut', 'cs_opt_out', 'value'],
    ['attributes', 'attributes', 'json'],
  ],
  contacts: [
    ...accountScoped,
    ['name', 'name', 'value'],
    ['email', 'email', 'value'],
    ['role', 'role', 'value'],
    ['leftCompany', 'left_company', 'value'],
    ['lastEngagedAt', 'last_engaged_at', 'timestamp'],
  ],
  deals: [
    ...accountScoped,
    ['name', 'name', 'value'],
    ['amount', 'amount', 'value'],
    ['stage', 'stage', 'value'],
    ['closeDate', 'close_date', 'value'],
    ['type', 'type', 'value'],
    ['status', 'status', 'value'],
    ['productId', 'product_id', 'value'],
    ['ownerId', 'owner_id', 'value'],
  ],
  tickets: [
    ...accountScoped,
    ['subject', 'subject', 'value'],
    ['status', 'status', 'value'],
    ['priority', 'priority', 'value'],
    ['openedAt', 'opened_at', 'timestamp'],
    ['closedAt', 'closed_at', 'timestamp'],
    ['escalated', 'escalated', 'value'],
    ['sentiment', 'sentiment', 'value'],
  ],
  engagements: [
    ...accountScoped,
    ['type', 'type', 'value'],
    ['occurredAt', 'occurred_at', 'timestamp'],
    ['isQbr', 'is_qbr', 'value'],
    ['contactId', 'contact_id', 'value'],
  ],
  subscriptions: [
    ...accountScoped,
    ['productId', 'product_id', 'value'],
    ['mrr', 'mrr', 'value'],
    ['startDate', 'start_date', 'value'],
    ['renewalDate', 'renewal_date', 'value'],
    ['autoRenew', 'auto_renew', 'value'],
    ['status', 'status', 'value'],
    ['licensedSeats', 'licensed_seats', 'value'],
  ],
  invoices: [
    ...accountScoped,
    ['amount', 'amount', 'value'],
    ['issuedAt', 'issued_at', 'value'],
    ['dueDate', 'due_date', 'value'],
    ['paidAt', 'paid_at', 'timestamp'],
    ['status', 'status', 'value'],
  ],
};

export function toRow<K extends RecordKind>(kind: K, record: RecordByKind[K]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  const source = record as unknown as Record<string, unknown>;
  for (const [field, column, columnKind] of columnMaps[kind]) {
    const value = source[field] ?? null;
    row[column] = columnKind === 'json' ? JSON.stringify(value ?? {}) : value;
  }
  return row;
}

export function fromRow<K extends RecordKind>(kind: K, row: Record<string, unknown>): RecordByKind[K] {
  const record: Record<string, unknown> = {};
  for (const [field, column, columnKind] of columnMaps[kind]) {
    const value = row[column];
    if (columnKind === 'timestamp')
      record[field] = value instanceof Date ? value.toISOString() : (value ?? null);
    else if (columnKind === 'json')
      record[field] = typeof value === 'string' ? JSON.parse(value) : (value ?? {});
    else record[field] = value ?? null;
  }
  return record as unknown as RecordByKind[K];
}

// PostgreSQL takes at most 65,535 bind parameters per statement.
const MAX_PARAMETERS = 60_000;

/** Insert or update records (a sync page); a record that comes back after a delete is undeleted. */
export async function upsertRecords<K extends RecordKind>(
  db: Kysely<Database>,
  kind: K,
  records: readonly RecordByKind[K][],
  syncedAt: Date = new Date(),
): Promise<number> {
  if (records.length === 0) return 0;
  // A page can name one record twice (an edit during paging); the last one wins.
  const latest = new Map<string, RecordByKind[K]>();
  for (const record of records) latest.set(`${record.tenantId}\u0000${record.id}`, record);
  const rows = [...latest.values()].map((record) => ({
    ...toRow(kind, record),
    synced_at: syncedAt,
    deleted_at: null,
  }));
  const columns = Object.keys(rows[0]!);
  const chunkSize = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const updatable = columns.filter((column) => column !== 'tenant_id' && column !== 'id');
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    await db
      .insertInto(kind as keyof Database & string)
      .values(chunk as never)
      .onConflict((conflict) =>
        conflict
          .columns(['tenant_id', 'id'] as never)
          .doUpdateSet(
            Object.fromEntries(updatable.map((column) => [column, sql.ref(`excluded.${column}`)])) as never,
          ),
      )
      .execute();
  }
  return rows.length;
}

/** Soft-delete records the CRM deleted or archived; children of a deleted account go with it. */
export async function markDeleted(
  db: Kysely<Database>,
  tenantId: string,
  kind: RecordKind,
  ids: readonly string[],
  deletedAt: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  let count = 0;
  for (let start = 0; start < ids.length; start += MAX_PARAMETERS) {
    const chunk = ids.slice(start, start + MAX_PARAMETERS);
    const result = await db
      .updateTable(kind)
      .set({ deleted_at: deletedAt })
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', chunk)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    count += Number(result.numUpdatedRows);
  }
  return count;
}

/** The record kinds that belong to an account. */
export type ChildKind = Exclude<RecordKind, 'accounts'>;
export const childKinds: readonly ChildKind[] = [
  'contacts',
  'deals',
  'tickets',
  'engagements',
  'subscriptions',
  'invoices',
];

/**
 * A CRM merge: `from` disappears and its children, usage and score history now belong to `into`.
 * Runs in one transaction so a crash never leaves an account half-merged.
 */
export async function mergeAccounts(
  db: Kysely<Database>,
  tenantId: string,
  merges: readonly { from: string; into: string }[],
  mergedAt: Date,
): Promise<void> {
  if (merges.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const { from, into } of merges) {
      if (from === into) continue;
      for (const kind of childKinds) {
        await trx
          .updateTable(kind)
          .set({ account_id: into })
          .where('tenant_id', '=', tenantId)
          .where('account_id', '=', from)
          .execute();
      }
      // Usage days both accounts reported are summed into the survivor's row, never lost or doubled.
      await sql`
        insert into usage_daily as target (tenant_id, account_id, day, active_users, licensed_seats, logins,
          features_adopted, features_available, api_calls, integration_calls, integration_failures, metrics)
        select tenant_id, ${into}, day, active_users, licensed_seats, logins, features_adopted, features_available,
          api_calls, integration_calls, integration_failures, metrics
        from usage_daily where tenant_id = ${tenantId} and account_id = ${from}
        on conflict (tenant_id, account_id, day) do update set
          active_users = target.active_users + excluded.active_users,
          logins = target.logins + excluded.logins,
          api_calls = target.api_calls + excluded.api_calls,
          integration_calls = target.integration_calls + excluded.integration_calls,
          integration_failures = target.integration_failures + excluded.integration_failures,
          features_adopted = greatest(target.features_adopted, excluded.features_adopted)
      `.execute(trx);
      await trx
        .deleteFrom('usage_daily')
        .where('tenant_id', '=', tenantId)
        .where('account_id', '=', from)
        .execute();
      await trx
        .deleteFrom('account_scores')
        .where('tenant_id', '=', tenantId)
        .where('account_id', '=', from)
        .execute();
      await trx
        .deleteFrom('crm_writeback')
        .where('tenant_id', '=', tenantId)
        .where('account_id', '=', from)
        .execute();
      await trx
        .deleteFrom('rescore_queue')
        .where('tenant_id', '=', tenantId)
        .where('account_id', '=', from)
        .execute();
      await trx
        .updateTable('accounts')
        .set({ deleted_at: mergedAt })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', from)
        .execute();
      await trx
        .insertInto('rescore_queue')
        .values({ tenant_id: tenantId, account_id: into, reason: 'merge', queued_at: mergedAt })
        .onConflict((conflict) => conflict.columns(['tenant_id', 'account_id']).doNothing())
        .execute();
    }
  });
}

export function tenantIdFor(crm: CrmKind, externalId: string): string {
  return `${crm}:${externalId}`;
}

/** The tenant for a connected portal/org, created on first connect. */
export async function ensureTenant(
  db: Kysely<Database>,
  input: { crm: CrmKind; externalId: string; name: string },
): Promise<string> {
  const id = tenantIdFor(input.crm, input.externalId);
  await db
    .insertInto('tenants')
    .values({ id, crm: input.crm, external_id: input.externalId, name: input.name })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .execute();
  return id;
}

/** Queue accounts to be re-scored soon (webhooks, usage ingest); a queued account stays queued once. */
export async function queueRescore(
  db: Kysely<Database>,
  tenantId: string,
  accountIds: readonly string[],
  reason: string,
  queuedAt: Date,
): Promise<void> {
  const unique = [...new Set(accountIds)];
  for (let start = 0; start < unique.length; start += 10_000) {
    const chunk = unique.slice(start, start + 10_000);
    await db
      .insertInto('rescore_queue')
      .values(
        chunk.map((accountId) => ({
          tenant_id: tenantId,
          account_id: accountId,
          reason,
          queued_at: queuedAt,
        })),
      )
      .onConflict((conflict) => conflict.columns(['tenant_id', 'account_id']).doNothing())
      .execute();
  }
}
