import { getAccountUsage, listConsoleAccounts, listProducts } from '@pulse/shared/api/console';
import { getDashboard } from '@pulse/shared/api/dashboard';
import { Router } from 'express';
import { sql } from 'kysely';

import type { AppContext } from '../context';
import { ownerScope, principalOf, requireRole } from '../http/auth';
import { mount } from '../http/endpoint';
import { ApiError } from '../http/errors';
import { consoleAccountPage } from './accounts-table';
import { loadDashboard } from './dashboard';

/** Dashboard (every role, PRODUCT.md §6), the account table, usage history and the catalogue. */

const DAY_MS = 86_400_000;

export function consoleDataRouter(context: AppContext): Router {
  const router = Router();
  const everyone = requireRole();
  const accountReaders = requireRole('admin', 'csm', 'account_executive');

  mount(
    router,
    getDashboard,
    async ({ request }) => {
      const principal = principalOf(request);
      return loadDashboard(context.db, principal.tenantId, ownerScope(principal), context.now());
    },
    everyone,
  );

  mount(
    router,
    listConsoleAccounts,
    async ({ query, request }) => {
      const principal = principalOf(request);
      return consoleAccountPage(context.db, principal.tenantId, query, ownerScope(principal), context.now());
    },
    accountReaders,
  );

  mount(
    router,
    getAccountUsage,
    async ({ params, query, request }) => {
      const principal = principalOf(request);
      const account = await context.db
        .selectFrom('accounts')
        .select(['id', 'owner_id'])
        .where('tenant_id', '=', principal.tenantId)
        .where('id', '=', params.id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (!account) throw new ApiError('NOT_FOUND', `No account "${params.id}" in this tenant`);
      const scope = ownerScope(principal);
      if (scope && (scope.ownerId === null || account.owner_id !== scope.ownerId)) {
        throw new ApiError('FORBIDDEN', `Account "${params.id}" is not one of your accounts`);
      }
      const since = new Date(context.now().getTime() - query.days * DAY_MS).toISOString().slice(0, 10);
      const { rows } = await sql<{
        day: string;
        active_users: number;
        licensed_seats: number | null;
        logins: number;
        api_calls: number;
      }>`
        select to_char(day, 'YYYY-MM-DD') as day, active_users, licensed_seats, logins, api_calls
        from usage_daily where tenant_id = ${principal.tenantId} and account_id = ${params.id} and day >= ${since}
        order by day
      `.execute(context.db);
      return {
        accountId: params.id,
        usage: rows.map((row) => ({
          day: row.day,
          activeUsers: Number(row.active_users),
          licensedSeats: row.licensed_seats === null ? null : Number(row.licensed_seats),
          logins: Number(row.logins),
          apiCalls: Number(row.api_calls),
        })),
      };
    },
    accountReaders,
  );

  mount(
    router,
    listProducts,
    async ({ request }) => {
      const products = await context.db
        .selectFrom('products')
        .select(['id', 'name', 'monthly_price'])
        .where('tenant_id', '=', principalOf(request).tenantId)
        .orderBy('name')
        .execute();
      return {
        products: products.map((product) => ({
          id: product.id,
          name: product.name,
          monthlyPrice: Number(product.monthly_price),
        })),
      };
    },
    everyone,
  );

  return router;
}
