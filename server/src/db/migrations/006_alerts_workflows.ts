import { type Kysely, sql } from 'kysely';

/** Alert rules and history, workflows and their runs, the last observation per account, the outbox (issue 8). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const definitionTable = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('enabled', 'boolean', (c) => c.notNull())
      .addColumn('definition', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${name}_pkey`, ['tenant_id', 'id']);
  await definitionTable('alert_rules').execute();
  await definitionTable('workflows').addColumn('template_key', 'text').execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('previous_value', 'jsonb')
    .addColumn('current_value', 'jsonb')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_fired_at', 'timestamptz', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'timestamptz')
    .execute();
  await sql`create unique index alerts_dedupe on alerts (tenant_id, dedupe_key)`.execute(db);
  // At most one unresolved alert per rule and account: a new crossing while one is open counts as an occurrence.
  await sql`create unique index alerts_one_unresolved on alerts (tenant_id, rule_id, account_id) where status <> 'resolved'`.execute(
    db,
  );
  await sql`create index alerts_by_status on alerts (tenant_id, status, fired_at desc)`.execute(db);

  await db.schema
    .createTable('alert_observations')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('previous', 'jsonb')
    .addColumn('current', 'jsonb', (c) => c.notNull())
    .addColumn('observed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_observations_pkey', ['tenant_id', 'account_id'])
    .execute();

  await db.schema
    .createTable('workflow_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('trigger_key', 'text', (c) => c.notNull())
    .addColumn('trigger', 'jsonb', (c) => c.notNull())
    .addColumn('actions', 'jsonb', (c) => c.notNull())
    .addColumn('ran_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create unique index workflow_runs_once on workflow_runs (tenant_id, workflow_id, account_id, trigger_key, ran_at)`.execute(
    db,
  );

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text')
    .addColumn('delivery', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('lease_until', 'timestamptz')
    .addColumn('claimed_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('delivered_at', 'timestamptz')
    .execute();
  await sql`create unique index outbox_idempotency on outbox (tenant_id, idempotency_key)`.execute(db);
  await sql`create index outbox_due on outbox (status, next_attempt_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'outbox',
    'workflow_runs',
    'alert_observations',
    'alerts',
    'workflows',
    'alert_rules',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
