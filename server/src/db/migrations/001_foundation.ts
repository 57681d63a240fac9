import { type Kysely, sql } from 'kysely';

const syncedTables = ['contacts', 'deals', 'tickets', 'engagements', 'subscriptions', 'invoices'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crm', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('tenants_crm_external_id_key', ['crm', 'external_id'])
    .execute();

  await db.schema
    .createTable('accounts')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('domain', 'text')
    .addColumn('industry', 'text')
    .addColumn('employees', 'integer')
    .addColumn('annual_revenue', 'double precision')
    .addColumn('previous_annual_revenue', 'double precision')
    .addColumn('owner_id', 'text')
    .addColumn('owner_name', 'text')
    .addColumn('owner_email', 'text')
    .addColumn('region', 'text')
    .addColumn('customer_since', 'date')
    .addColumn('cs_opt_out', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('attributes', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('synced_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .addPrimaryKeyConstraint('accounts_pkey', ['tenant_id', 'id'])
    .execute();
  await db.schema
    .createIndex('accounts_domain_idx')
    .on('accounts')
    .columns(['tenant_id', 'domain'])
    .execute();

  const childColumns: Record<(typeof syncedTables)[number], [string, string, boolean][]> = {
    contacts: [
      ['name', 'text', true],
      ['email', 'text', false],
      ['role', 'text', true],
      ['left_company', 'boolean', true],
      ['last_engaged_at', 'timestamptz', false],
    ],
    deals: [
      ['name', 'text', true],
      ['amount', 'double precision', false],
      ['stage', 'text', true],
      ['close_date', 'date', false],
      ['type', 'text', true],
      ['status', 'text', true],
      ['product_id', 'text', false],
      ['owner_id', 'text', false],
    ],
    tickets: [
      ['subject', 'text', true],
      ['status', 'text', true],
      ['priority', 'text', true],
      ['opened_at', 'timestamptz', true],
      ['closed_at', 'timestamptz', false],
      ['escalated', 'boolean', true],
      ['sentiment', 'text', false],
    ],
    engagements: [
      ['type', 'text', true],
      ['occurred_at', 'timestamptz', true],
      ['is_qbr', 'boolean', true],
      ['contact_id', 'text', false],
    ],
    subscriptions: [
      ['product_id', 'text', true],
      ['mrr', 'double precision', true],
      ['start_date', 'date', true],
      ['renewal_date', 'date', false],
      ['auto_renew', 'boolean', true],
      ['status', 'text', true],
      ['licensed_seats', 'integer', false],
    ],
    invoices: [
      ['amount', 'double precision', true],
      ['issued_at', 'date', true],
      ['due_date', 'date', true],
      ['paid_at', 'timestamptz', false],
      ['status', 'text', true],
    ],
  };

  for (const table of syncedTables) {
    let builder = db.schema
      .createTable(table)
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull());
    for (const [name, type, required] of childColumns[table]) {
      builder = builder.addColumn(name, sql.raw(type), (c) => (required ? c.notNull() : c));
    }
    await builder
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addColumn('synced_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('deleted_at', 'timestamptz')
      .addPrimaryKeyConstraint(`${table}_pkey`, ['tenant_id', 'id'])
      .execute();
    await db.schema
      .createIndex(`${table}_account_idx`)
      .on(table)
      .columns(['tenant_id', 'account_id'])
      .execute();
  }

  await db.schema
    .createTable('usage_daily')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('active_users', 'integer', (c) => c.notNull())
    .addColumn('licensed_seats', 'integer')
    .addColumn('logins', 'integer', (c) => c.notNull())
    .addColumn('features_adopted', 'integer', (c) => c.notNull())
    .addColumn('features_available', 'integer')
    .addColumn('api_calls', 'integer', (c) => c.notNull())
    .addColumn('integration_calls', 'integer', (c) => c.notNull())
    .addColumn('integration_failures', 'integer', (c) => c.notNull())
    .addColumn('metrics', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addPrimaryKeyConstraint('usage_daily_pkey', ['tenant_id', 'account_id', 'day'])
    .execute();
  await db.schema
    .createIndex('usage_daily_day_idx')
    .on('usage_daily')
    .columns(['tenant_id', 'day'])
    .execute();

  await db.schema
    .createTable('products')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('product_line', 'text')
    .addColumn('monthly_price', 'double precision', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addPrimaryKeyConstraint('products_pkey', ['tenant_id', 'id'])
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('settings_pkey', ['tenant_id', 'key', 'version'])
    .execute();

  await db.schema
    .createTable('account_scores')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('score', 'real')
    .addColumn('tier', 'text')
    .addColumn('coverage', 'real', (c) => c.notNull())
    .addColumn('low_coverage', 'boolean', (c) => c.notNull())
    .addColumn('churn_risk', 'real')
    .addColumn('cltv', 'double precision')
    .addColumn('upsell_score', 'real')
    .addColumn('trend_30d', 'real')
    .addColumn('result', 'jsonb', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_scores_pkey', ['tenant_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('account_scores_tier_idx')
    .on('account_scores')
    .columns(['tenant_id', 'tier'])
    .execute();

  await db.schema
    .createTable('score_history')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('score', 'real')
    .addColumn('tier', 'text')
    .addColumn('coverage', 'real', (c) => c.notNull())
    .addColumn('churn_risk', 'real')
    .addColumn('cltv', 'double precision')
    .addColumn('upsell_score', 'real')
    .addColumn('factors', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('score_history_pkey', ['tenant_id', 'account_id', 'computed_at'])
    .execute();
  await db.schema
    .createIndex('score_history_computed_idx')
    .on('score_history')
    .columns(['tenant_id', 'computed_at'])
    .execute();

  await db.schema
    .createTable('sync_checkpoints')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('checkpoint', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_checkpoints_pkey', ['tenant_id', 'stream'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .execute();
  await db.schema
    .createIndex('audit_log_tenant_at_idx')
    .on('audit_log')
    .columns(['tenant_id', 'at'])
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('rescore_queue')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('queued_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('rescore_queue_pkey', ['tenant_id', 'account_id'])
    .execute();

  await db.schema
    .createTable('crm_writeback')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('values', 'jsonb', (c) => c.notNull())
    .addColumn('written_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('crm_writeback_pkey', ['tenant_id', 'account_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'crm_writeback',
    'rescore_queue',
    'api_keys',
    'audit_log',
    'sync_checkpoints',
    'score_history',
    'account_scores',
    'settings',
    'products',
    'usage_daily',
    ...syncedTables,
    'accounts',
    'tenants',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
