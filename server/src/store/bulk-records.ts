import type { Product, RecordByKind, RecordKind, UsageSnapshot } from '@pulse/shared';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import { type BulkColumn, bulkInsert } from './bulk';
import { columnMaps } from './records';

/**
 * Bulk loads for large imports (the demo portfolio, backfills): canonical records, daily usage and
 * the product catalogue written through `bulkInsert`, tens of thousands of rows per statement.
 * The sync's page-sized upserts stay in records.ts.
 */

/** SQL element types of each table's columns (as created in migration 001). */
const columnTypes: Record<string, string> = {
  tenant_id: 'text',
  id: 'text',
  account_id: 'text',
  updated_at: 'timestamptz',
  name: 'text',
  domain: 'text',
  industry: 'text',
  employees: 'int',
  annual_revenue: 'float8',
  previous_annual_revenue: 'float8',
  owner_id: 'text',
  owner_name: 'text',
  owner_email: 'text',
  region: 'text',
  customer_since: 'date',
  cs_opt_out: 'bool',
  attributes: 'jsonb',
  email: 'text',
  role: 'text',
  left_company: 'bool',
  last_engaged_at: 'timestamptz',
  amount: 'float8',
  stage: 'text',
  close_date: 'date',
  type: 'text',
  status: 'text',
  product_id: 'text',
  subject: 'text',
  priority: 'text',
  opened_at: 'timestamptz',
  closed_at: 'timestamptz',
  escalated: 'bool',
  sentiment: 'text',
  occurred_at: 'timestamptz',
  is_qbr: 'bool',
  contact_id: 'text',
  mrr: 'float8',
  start_date: 'date',
  renewal_date: 'date',
  auto_renew: 'bool',
  licensed_seats: 'int',
  issued_at: 'date',
  due_date: 'date',
  paid_at: 'timestamptz',
};

/** Insert or replace records of one kind, all at once. */
export async function insertRecords<K extends RecordKind>(
  db: Kysely<Database>,
  kind: K,
  records: readonly RecordByKind[K][],
  syncedAt: Date,
): Promise<void> {
  if (records.length === 0) return;
  const map = columnMaps[kind];
  const columns: BulkColumn[] = map.map(([, column]) => ({ name: column, type: columnTypes[column]! }));
  const values = map.map(([field, , columnKind]) => {
    const column = new Array<unknown>(records.length);
    for (let index = 0; index < records.length; index++) {
      const value = (records[index] as unknown as Record<string, unknown>)[field] ?? null;
      column[index] = columnKind === 'json' ? JSON.stringify(value ?? {}) : value;
    }
    return column;
  });
  columns.push({ name: 'synced_at', type: 'timestamptz' }, { name: 'deleted_at', type: 'timestamptz' });
  values.push(new Array(records.length).fill(syncedAt), new Array(records.length).fill(null));
  await bulkInsert(db, kind, columns, values, { conflict: ['tenant_id', 'id'] });
}

const usageColumns: BulkColumn[] = [
  { name: 'tenant_id', type: 'text' },
  { name: 'account_id', type: 'text' },
  { name: 'day', type: 'date' },
  { name: 'active_users', type: 'int' },
  { name: 'licensed_seats', type: 'int' },
  { name: 'logins', type: 'int' },
  { name: 'features_adopted', type: 'int' },
  { name: 'features_available', type: 'int' },
  { name: 'api_calls', type: 'int' },
  { name: 'integration_calls', type: 'int' },
  { name: 'integration_failures', type: 'int' },
  { name: 'metrics', type: 'jsonb' },
];

/** Insert daily usage; a day sent again replaces the stored one. */
export async function insertUsage(db: Kysely<Database>, rows: readonly UsageSnapshot[]): Promise<void> {
  if (rows.length === 0) return;
  // The last row for an (account, day) wins: a statement may not touch one key twice.
  const latest = new Map<string, UsageSnapshot>();
  for (const row of rows) latest.set(`${row.tenantId}\u0000${row.accountId}\u0000${row.day}`, row);
  const unique = latest.size === rows.length ? rows : [...latest.values()];
  const names = new Map<string, { tenant_id: string; name: string }>();
  for (const row of unique) {
    for (const name in row.metrics)
      names.set(`${row.tenantId}\u0000${name}`, { tenant_id: row.tenantId, name });
  }
  // Names first: a crash between the statements leaves a name without rows, which sums to nothing.
  if (names.size > 0) {
    await db
      .insertInto('usage_metric_names')
      .values([...names.values()])
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }
  const values = usageColumns.map(() => new Array<unknown>(unique.length));
  for (let index = 0; index < unique.length; index++) {
    const row = unique[index]!;
    values[0]![index] = row.tenantId;
    values[1]![index] = row.accountId;
    values[2]![index] = row.day;
    values[3]![index] = row.activeUsers;
    values[4]![index] = row.licensedSeats;
    values[5]![index] = row.logins;
    values[6]![index] = row.featuresAdopted;
    values[7]![index] = row.featuresAvailable;
    values[8]![index] = row.apiCalls;
    values[9]![index] = row.integrationCalls;
    values[10]![index] = row.integrationFailures;
    values[11]![index] = emptyMetrics(row.metrics) ? '{}' : JSON.stringify(row.metrics);
  }
  await bulkInsert(db, 'usage_daily', usageColumns, values, {
    conflict: ['tenant_id', 'account_id', 'day'],
  });
}

/** Insert or replace catalogue products. */
export async function insertProducts(db: Kysely<Database>, products: readonly Product[]): Promise<void> {
  if (products.length === 0) return;
  await bulkInsert(
    db,
    'products',
    [
      { name: 'tenant_id', type: 'text' },
      { name: 'id', type: 'text' },
      { name: 'name', type: 'text' },
      { name: 'product_line', type: 'text' },
      { name: 'monthly_price', type: 'float8' },
      { name: 'active', type: 'bool' },
    ],
    [
      products.map((product) => product.tenantId),
      products.map((product) => product.id),
      products.map((product) => product.name),
      products.map((product) => product.productLine),
      products.map((product) => product.monthlyPrice),
      products.map((product) => product.active),
    ],
    { conflict: ['tenant_id', 'id'] },
  );
}

function emptyMetrics(metrics: Record<string, number>): boolean {
  for (const _ in metrics) return false;
  return true;
}
