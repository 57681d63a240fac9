import { type Kysely, sql } from 'kysely';

/**
 * The names of the extra usage metrics a tenant has ever reported. The usage summary sums each one
 * per window; listing them from `usage_daily` on every recompute meant expanding every row's
 * metrics object once more (about a sixth of a recompute's database time). Usage ingest adds
 * names here as it writes rows; existing rows are backfilled.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('usage_metric_names')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_metric_names_pkey', ['tenant_id', 'name'])
    .execute();
  await sql`
    insert into usage_metric_names (tenant_id, name)
    select distinct tenant_id, jsonb_object_keys(metrics) from usage_daily where metrics <> '{}'::jsonb
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('usage_metric_names').execute();
}
