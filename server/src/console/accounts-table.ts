import type { ConsoleAccountRow, ConsoleAccountsQuery } from '@pulse/shared/api/console';
import { type Kysely, sql } from 'kysely';

import type { Database } from '../db/schema';
import { UNSCORED_TIER } from '../scoring/recompute';

/**
 * The console's account table: filters (tier, owner, open flags, renewal window, search), sort and
 * page on the server. ARR and the next renewal come from console_account_metrics (kept by the
 * console's scoring extension), open flags from the flags table; the stored result is never unpacked.
 */

const DAY_MS = 86_400_000;

const sortColumns = {
  name: sql`a.name`,
  score: sql`s.score`,
  arr: sql`m.arr`,
  churnRisk: sql`s.churn_risk`,
  renewal: sql`m.next_renewal`,
} as const;

export async function consoleAccountPage(
  db: Kysely<Database>,
  tenantId: string,
  query: ConsoleAccountsQuery,
  scope: { ownerId: string | null } | null,
  now: Date,
) {
  const conditions = [sql`a.tenant_id = ${tenantId}`, sql`a.deleted_at is null`];
  if (scope) conditions.push(scope.ownerId === null ? sql`false` : sql`a.owner_id = ${scope.ownerId}`);
  if (query.ownerId) conditions.push(sql`a.owner_id = ${query.ownerId}`);
  if (query.tier === UNSCORED_TIER) conditions.push(sql`s.score is null`);
  else if (query.tier) conditions.push(sql`s.tier = ${query.tier}`);
  if (query.search) {
    const pattern = `%${query.search.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
    conditions.push(sql`(a.name ilike ${pattern} or a.domain ilike ${pattern})`);
  }
  const openFlag = sql`exists (select 1 from flags f where f.tenant_id = a.tenant_id and f.account_id = a.id and f.status <> 'resolved')`;
  if (query.flags === 'open') conditions.push(openFlag);
  if (query.flags === 'none') conditions.push(sql`not ${openFlag}`);
  if (query.renewalWithin) {
    const until = new Date(now.getTime() + query.renewalWithin * DAY_MS).toISOString().slice(0, 10);
    conditions.push(sql`m.next_renewal <= ${until}`);
  }
  const where = sql.join(conditions, sql` and `);
  const direction = query.order === 'desc' ? sql`desc` : sql`asc`;
  const offset = (query.page - 1) * query.pageSize;

  const [rows, count, owners] = await Promise.all([
    sql<{
      id: string;
      name: string;
      owner_id: string | null;
      owner_name: string | null;
      score: number | null;
      tier: string | null;
      churn_risk: number | null;
      arr: number | null;
      open_flags: number | string | null;
      next_renewal: string | null;
    }>`
      select a.id, a.name, a.owner_id, a.owner_name, s.score, s.tier, s.churn_risk,
        m.arr, to_char(m.next_renewal, 'YYYY-MM-DD') as next_renewal,
        (select count(*) from flags f
          where f.tenant_id = a.tenant_id and f.account_id = a.id and f.status <> 'resolved') as open_flags
      from accounts a
      left join account_scores s on s.tenant_id = a.tenant_id and s.account_id = a.id
      left join console_account_metrics m on m.tenant_id = a.tenant_id and m.account_id = a.id
      where ${where}
      order by ${sortColumns[query.sort]} ${direction} nulls last, a.name ${direction}, a.id
      limit ${query.pageSize} offset ${offset}
    `.execute(db),
    sql<{ total: string }>`
      select count(*) as total from accounts a
      left join account_scores s on s.tenant_id = a.tenant_id and s.account_id = a.id
      left join console_account_metrics m on m.tenant_id = a.tenant_id and m.account_id = a.id
      where ${where}
    `.execute(db),
    sql<{ id: string; name: string | null }>`
      select a.owner_id as id, max(a.owner_name) as name from accounts a
      where a.tenant_id = ${tenantId} and a.deleted_at is null and a.owner_id is not null
        ${scope ? (scope.ownerId === null ? sql`and false` : sql`and a.owner_id = ${scope.ownerId}`) : sql``}
      group by a.owner_id order by 2, 1 limit 500
    `.execute(db),
  ]);

  const accounts: ConsoleAccountRow[] = rows.rows.map((row) => ({
    id: row.id,
    name: row.name,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    score: row.score === null ? null : Number(row.score),
    tier: row.tier,
    churnRisk: row.churn_risk === null ? null : Number(row.churn_risk),
    arr: row.arr === null ? null : Number(row.arr),
    openFlags: Number(row.open_flags ?? 0),
    nextRenewalDate: row.next_renewal,
  }));
  return {
    accounts,
    total: Number(count.rows[0]?.total ?? 0),
    page: query.page,
    pageSize: query.pageSize,
    owners: owners.rows,
  };
}
