import { type Kysely, sql } from 'kysely';

/**
 * Indexes that keep the account list fast at 100k+ accounts per tenant: by name it pages by
 * (name, id) from an index instead of sorting the tenant on every page; by score by
 * (score, account_id).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index accounts_list_name_idx on accounts (tenant_id, name, id) where deleted_at is null`.execute(
    db,
  );
  await db.schema
    .createIndex('account_scores_score_idx')
    .on('account_scores')
    .columns(['tenant_id', 'score', 'account_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('account_scores_score_idx').ifExists().execute();
  await db.schema.dropIndex('accounts_list_name_idx').ifExists().execute();
}
