import {
  type AccountHealthResult,
  getAccountHealth,
  listAccounts,
  type NotScoredHealth,
} from '@pulse/shared/api/accounts';
import { AccountHealthResponse, type ScoreHistoryPoint, StoredScore } from '@pulse/shared/api/health';
import { Router } from 'express';
import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema';
import { type Principal, principalOf, requireRole } from '../auth';
import { mount } from '../endpoint';
import { ApiError } from '../errors';
import { accountPage } from './accounts-query';
import type { RouteModule } from './index';

/** CSMs and account executives see their own accounts only (PRODUCT.md §6); read-only sees none. */
const accountReaders = requireRole('admin', 'csm', 'account_executive');

/** The owner a principal is confined to, or null when it sees the whole tenant. */
function ownerScope(principal: Principal): { ownerId: string | null } | null {
  return principal.role === 'csm' || principal.role === 'account_executive'
    ? { ownerId: principal.ownerId }
    : null;
}

const HISTORY_DAYS = 90;

/** null for an account the tenant does not have; `not_scored` for one that recompute has not reached. */
async function loadAccountHealth(
  db: Kysely<Database>,
  tenantId: string,
  accountId: string,
  now: Date,
): Promise<AccountHealthResult | null> {
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'name', 'owner_id', 'owner_name'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', accountId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!account) return null;
  const stored = await db
    .selectFrom('account_scores')
    .select('result')
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!stored) {
    const notScored: NotScoredHealth = {
      status: 'not_scored',
      accountId: account.id,
      accountName: account.name,
      ownerId: account.owner_id,
      ownerName: account.owner_name,
      message:
        'This account has not been scored yet; it is scored on the next recompute (hourly, or within minutes of new usage).',
    };
    return notScored;
  }
  const since = new Date(now.getTime() - HISTORY_DAYS * 24 * 60 * 60 * 1000);
  const history = await db
    .selectFrom('score_history')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('computed_at', '>=', since)
    .orderBy('computed_at')
    .execute();
  const points: ScoreHistoryPoint[] = history.map((row) => ({
    computedAt: new Date(row.computed_at).toISOString(),
    score: row.score,
    tier: row.tier,
    coverage: row.coverage,
    churnRisk: row.churn_risk,
    cltv: row.cltv,
    upsellScore: row.upsell_score,
    factors: row.factors,
  }));
  const score = StoredScore.parse(stored.result);
  return { status: 'scored', ...AccountHealthResponse.parse({ ...score, history: points }) };
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
      const health = await loadAccountHealth(context.db, principal.tenantId, params.id, context.now());
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
