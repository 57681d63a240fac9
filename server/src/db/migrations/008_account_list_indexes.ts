import { type Kysely, sql } from 'kysely';

/**
 * Indexes that keep the account list and usage ingest fast at 100k+ accounts per tenant:
 * - the list by name pages by (name, id) from an index instead of sorting the tenant each page;
 * - the list by score pages by (score, account_id);
 * - usage rows keyed by domain find their account by the normalised domain
 *   (the expression equals NORMALISED_DOMAIN_SQL in server/src/usage/ingest.ts; a test checks it).
 */
export const NORMALISED_DOMAIN_INDEX_EXPRESSION =
  "regexp_replace(regexp_replace(regexp_replace(lower(trim(domain)), '^[a-z][a-z0-9+.-]*://', ''), '^www\\.', ''), '[/?#].*$', '')";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index accounts_list_name_idx on accounts (tenant_id, name, id) where deleted_at is null`.execute(
    db,
  );
  await db.schema
    .createIndex('account_scores_score_idx')
    .on('account_scores')
    .columns(['tenant_id', 'score', 'account_id'])
    .execute();
  await sql`create index accounts_normalised_domain_idx on accounts (tenant_id, (${sql.raw(NORMALISED_DOMAIN_INDEX_EXPRESSION)})) where deleted_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('accounts_normalised_domain_idx').ifExists().execute();
  await db.schema.dropIndex('account_scores_score_idx').ifExists().execute();
  await db.schema.dropIndex('accounts_list_name_idx').ifExists().execute();
}
