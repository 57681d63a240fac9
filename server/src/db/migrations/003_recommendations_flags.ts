import { type Kysely, sql } from 'kysely';

/** Recommendation rules, churn-signal flags and the Create Opportunity ledger (issue 4). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('recommendation_rules')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('prerequisites', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('exclusions', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('min_employees', 'integer')
    .addColumn('max_employees', 'integer')
    .addColumn('industries', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('base_score', 'integer', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('signals', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('recommendation_rules_pkey', ['tenant_id', 'id'])
    .execute();

  // A tenant gets the example rules once; deleting them all later must not bring them back.
  await db.schema
    .createTable('recommendation_rule_seeds')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('seeded_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('magnitude', 'double precision', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('recommended_action', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('acknowledged_severity', 'text')
    .addColumn('acknowledged_magnitude', 'double precision')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('flags_account_idx').on('flags').columns(['tenant_id', 'account_id']).execute();
  await db.schema.createIndex('flags_status_idx').on('flags').columns(['tenant_id', 'status']).execute();
  // At most one unresolved flag per (account, type): a condition is either being watched or not.
  await db.schema
    .createIndex('flags_unresolved_key')
    .on('flags')
    .columns(['tenant_id', 'account_id', 'type'])
    .unique()
    .where(sql.ref('status'), '<>', 'resolved')
    .execute();

  // Only the scorings where an account's score moved: hourly re-scoring repeats the same score, so
  // "two consecutive falls" must be read from changes, not from the last few scorings.
  await db.schema
    .createTable('score_changes')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('score_changes_pkey', ['tenant_id', 'account_id', 'changed_at'])
    .execute();
  await db.schema
    .createIndex('score_changes_changed_idx')
    .on('score_changes')
    .columns(['tenant_id', 'changed_at'])
    .execute();

  await db.schema
    .createTable('opportunities_created')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    // pending: a request is creating it in the CRM; open: created (crm_id set); closed: won/lost/deleted.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('crm_id', 'text')
    .addColumn('url', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('amount', 'double precision', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // The idempotency key: one pending-or-open opportunity per (account, product). Two concurrent
  // clicks race on this index; the loser reads the winner's row.
  await db.schema
    .createIndex('opportunities_created_open_key')
    .on('opportunities_created')
    .columns(['tenant_id', 'account_id', 'product_id'])
    .unique()
    .where(sql.ref('status'), '<>', 'closed')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'opportunities_created',
    'flags',
    'recommendation_rule_seeds',
    'recommendation_rules',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
