import { type Kysely, sql } from 'kysely';

/** Console sign-in: users (scrypt password hashes, role, CRM owner id), sessions, dashboard metrics. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('console_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('disabled_at', 'timestamptz')
    .execute();
  // One account per email across tenants: sign-in is by email alone.
  await sql`create unique index console_users_email_idx on console_users (lower(email))`.execute(db);

  await db.schema
    .createTable('console_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('console_users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('console_sessions_user_idx').on('console_sessions').column('user_id').execute();

  // Per-account figures the dashboard and account table aggregate, kept narrow so a scan of 100k
  // rows does not have to unpack each account's stored explained result.
  await db.schema
    .createTable('console_account_metrics')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('arr', 'double precision', (c) => c.notNull())
    .addColumn('seat_utilisation', 'real')
    .addColumn('next_renewal', 'date')
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('console_account_metrics_pkey', ['tenant_id', 'account_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('console_account_metrics').ifExists().execute();
  await db.schema.dropTable('console_sessions').ifExists().execute();
  await db.schema.dropTable('console_users').ifExists().execute();
}
