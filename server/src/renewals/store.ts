import { utcDay } from '@pulse/shared/renewals/calendar';
import {
  queryRenewals,
  type RenewalQuery,
  type RenewalRow,
  type RenewalSubscription,
  renewalRows,
} from '@pulse/shared/renewals/renewals';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';

export interface RenewalScope {
  /** Only accounts of this owner (a CSM or account executive sees their own). */
  ownerId: string | null;
}

/**
 * The renewal listing of a tenant: active subscriptions with a renewal date, joined with their
 * account, product and current health tier in one query. The `within` window is applied in SQL
 * too, so a 30-day listing never reads a year of renewals.
 */
export async function loadRenewals(
  db: Kysely<Database>,
  tenantId: string,
  query: Partial<RenewalQuery>,
  now: Date,
  scope: RenewalScope | null = null,
): Promise<RenewalRow[]> {
  let select = db
    .selectFrom('subscriptions as s')
    .innerJoin('accounts as a', (join) =>
      join.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.account_id'),
    )
    .leftJoin('products as p', (join) =>
      join.onRef('p.tenant_id', '=', 's.tenant_id').onRef('p.id', '=', 's.product_id'),
    )
    .leftJoin('account_scores as sc', (join) =>
      join.onRef('sc.tenant_id', '=', 's.tenant_id').onRef('sc.account_id', '=', 's.account_id'),
    )
    .select([
      's.id as subscription_id',
      's.account_id',
      's.product_id',
      's.mrr',
      's.renewal_date',
      's.auto_renew',
      's.status',
      'a.name as account_name',
      'a.owner_id',
      'a.owner_name',
      'a.owner_email',
      'p.name as product_name',
      'sc.tier',
    ])
    .where('s.tenant_id', '=', tenantId)
    .where('s.deleted_at', 'is', null)
    .where('a.deleted_at', 'is', null)
    .where('s.status', '=', 'active')
    .where('s.renewal_date', 'is not', null);
  if (query.within !== undefined) {
    const last = utcDay(new Date(now.getTime() + query.within * 86_400_000));
    select = select.where('s.renewal_date', '<=', last);
  }
  if (scope) select = select.where('a.owner_id', scope.ownerId === null ? 'is' : '=', scope.ownerId);
  const rows = await select.execute();

  const subscriptions: RenewalSubscription[] = [];
  const accounts = new Map<
    string,
    { id: string; name: string; ownerId: string | null; ownerName: string | null; ownerEmail: string | null }
  >();
  const products = new Map<string, { id: string; name: string }>();
  const tiers = new Map<string, string | null>();
  for (const row of rows) {
    subscriptions.push({
      id: row.subscription_id,
      accountId: row.account_id,
      productId: row.product_id,
      mrr: row.mrr,
      renewalDate: row.renewal_date,
      autoRenew: row.auto_renew,
      status: 'active',
    });
    accounts.set(row.account_id, {
      id: row.account_id,
      name: row.account_name,
      ownerId: row.owner_id,
      ownerName: row.owner_name,
      ownerEmail: row.owner_email,
    });
    if (row.product_name !== null)
      products.set(row.product_id, { id: row.product_id, name: row.product_name });
    tiers.set(row.account_id, row.tier);
  }
  return queryRenewals(renewalRows({ subscriptions, accounts, products, tiers }, now), query, accounts);
}
