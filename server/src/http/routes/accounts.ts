import { type AccountHealthResult, getAccountHealth, listAccounts } from '@pulse/shared/api/accounts';
import { Router } from 'express';
import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema';
import { getAccountHealth as loadStoredHealth } from '../../store/scores';
import { ownerScope, principalOf, requireRole } from '../auth';
import { mount } from '../endpoint';
import { ApiError } from '../errors';
import { accountPage } from './accounts-query';
import type { RouteModule } from './index';

/** CSMs and account executives see their own accounts only (PRODUCT.md §6); read-only sees none. */
const accountReaders = requireRole('admin', 'csm', 'account_executive');

/** null for an account the tenant does not have; `not_scored` for one that recompute has not reached. */
async function loadAccountHealth(
  db: Kysely<Database>,
  tenantId: string,
  accountId: string,
): Promise<AccountHealthResult | null> {
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'name', 'owner_id', 'owner_name'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', accountId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!account) return null;
  const health = await loadStoredHealth(db, tenantId, accountId);
  if (health) return { status: 'scored', ...health };
  return {
    status: 'not_scored',
    accountId: account.id,
    accountName: account.name,
    ownerId: account.owner_id,
    ownerName: account.owner_name,
    message:
      'This account has not been scored yet; it is scored on the next recompute (hourly, or within minutes of new usage).',
  };
}

export const accountRoutes: RouteModule = (app, context) => {
  const router = Router();

  mount(
    router,
    listAccounts,
    async ({ query, request }) => {
      const principal = principalOf(request);
      const scope = ownerScope(principal);
      if (scope && query.ownerId !== undefined && query.ownerId !== scope.ownerId) {
        throw new ApiError('FORBIDDEN', 'You can list only your own accounts: ownerId is not yours');
      }
      return accountPage(context.db, principal.tenantId, query, scope);
    },
    accountReaders,
  );

  mount(
    router,
    getAccountHealth,
    async ({ params, request }): Promise<AccountHealthResult> => {
      const principal = principalOf(request);
      const health = await loadAccountHealth(context.db, principal.tenantId, params.id);
      if (!health) throw new ApiError('NOT_FOUND', `No account "${params.id}" in this tenant`);
      const scope = ownerScope(principal);
      if (scope && (scope.ownerId === null || health.ownerId !== scope.ownerId)) {
        throw new ApiError('FORBIDDEN', `Account "${params.id}" is not one of your accounts`);
      }
      return health;
    },
    accountReaders,
  );

  app.use(router);
};
