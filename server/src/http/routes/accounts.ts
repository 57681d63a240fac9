import {
  type AccountHealthResult,
  type AccountListItem,
  type AccountPage,
  getAccountHealth,
  type ListAccountsQuery,
  listAccounts,
  type NotScoredHealth,
} from '@pulse/shared/api/accounts';
import { AccountHealthResponse, type ScoreHistoryPoint, StoredScore } from '@pulse/shared/api/health';
import { Router } from 'express';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { z } from 'zod';

import type { Database } from '../../db/schema';
import { type Principal, principalOf, requireRole } from '../auth';
import { mount } from '../endpoint';
import { ApiError } from '../errors';
import type { RouteModule } from './index';

/** CSMs and account executives see their own accounts only (PRODUCT.md §6); read-only sees none. */
const accountReaders = requireRole('admin', 'csm', 'account_executive');

/** The owner a principal is confined to, or null when it sees the whole tenant. */
function ownerScope(principal: Principal): { ownerId: string | null } | null {
  return principal.role === 'csm' || principal.role === 'account_executive'
    ? { ownerId: principal.ownerId }
    : null;
}

// Sorts unscored accounts after every real score (scores are 0-100).
const UNSCORED_SORT_VALUE = 1000;

interface Cursor {
  sort: ListAccountsQuery['sort'];
  key: string | number;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id])).toString('base64url');
}

const CursorTuple = z.union([
  z.tuple([z.literal('name'), z.string(), z.string()]),
  z.tuple([z.literal('score'), z.number(), z.string()]),
]);

function decodeCursor(value: string, sort: ListAccountsQuery['sort']): Cursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  const parsed = CursorTuple.safeParse(decoded);
  if (!parsed.success) {
    throw ApiError.invalid('cursor is not one this API returned', [
      { path: 'query.cursor', message: 'is not a cursor this API returned' },
    ]);
  }
  const [cursorSort, key, id] = parsed.data;
  if (cursorSort !== sort) {
    throw ApiError.invalid(`cursor belongs to sort=${cursorSort}, not sort=${sort}`, [
      { path: 'query.cursor', message: `belongs to sort=${cursorSort}; keep the same sort across pages` },
    ]);
  }
  return { sort, key, id };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** One page in keyset order (name or score, then id), so page N costs the same as page 1. */
export async function accountPage(
  db: Kysely<Database>,
  tenantId: string,
  query: ListAccountsQuery,
  scope: { ownerId: string | null } | null,
): Promise<AccountPage> {
  const sortKey: RawBuilder<string | number> =
    query.sort === 'score' ? sql`coalesce(s.score, ${sql.lit(UNSCORED_SORT_VALUE)}::real)` : sql`a.name`;
  let select = db
    .selectFrom('accounts as a')
    .leftJoin('account_scores as s', (join) =>
      join.onRef('s.tenant_id', '=', 'a.tenant_id').onRef('s.account_id', '=', 'a.id'),
    )
    .select([
      'a.id',
      'a.name',
      'a.domain',
      'a.owner_id',
      'a.owner_name',
      's.score',
      's.tier',
      sql<string | null>`s.result->'health'->>'tierLabel'`.as('tier_label'),
      's.coverage',
      's.low_coverage',
      's.churn_risk',
      's.upsell_score',
      's.trend_30d',
      's.computed_at',
      sortKey.as('sort_key'),
    ])
    .where('a.tenant_id', '=', tenantId)
    .where('a.deleted_at', 'is', null);
  if (scope) {
    // An owner-scoped user without an owner id owns nothing, rather than everything.
    select =
      scope.ownerId === null
        ? select.where(sql<boolean>`false`)
        : select.where('a.owner_id', '=', scope.ownerId);
  } else if (query.ownerId !== undefined) {
    select = select.where('a.owner_id', '=', query.ownerId);
  }
  if (query.tier === 'unscored') select = select.where('s.account_id', 'is', null);
  else if (query.tier !== undefined) select = select.where('s.tier', '=', query.tier);
  if (query.search !== undefined) {
    const pattern = `%${escapeLike(query.search)}%`;
    select = select.where((where) =>
      where.or([where('a.name', 'ilike', pattern), where('a.domain', 'ilike', pattern)]),
    );
  }
  if (query.cursor !== undefined) {
    const cursor = decodeCursor(query.cursor, query.sort);
    // The key is compared as the column's own type: a float4 score never equals its float8 widening.
    const key = query.sort === 'score' ? sql`${cursor.key}::real` : sql`${cursor.key}`;
    select = select.where(sql<boolean>`(${sortKey}, a.id) > (${key}, ${cursor.id})`);
  }
  const rows = await select
    .orderBy(sortKey)
    .orderBy('a.id')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    accounts: page.map(
      (row): AccountListItem => ({
        id: row.id,
        name: row.name,
        domain: row.domain,
        ownerId: row.owner_id,
        ownerName: row.owner_name,
        score: row.score,
        tier: row.tier,
        tierLabel: row.tier_label,
        coverage: row.coverage,
        lowCoverage: row.low_coverage,
        churnRisk: row.churn_risk,
        upsellScore: row.upsell_score,
        trend30d: row.trend_30d,
        scoredAt: row.computed_at ? new Date(row.computed_at).toISOString() : null,
      }),
    ),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ sort: query.sort, key: last.sort_key, id: last.id })
        : null,
  };
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
