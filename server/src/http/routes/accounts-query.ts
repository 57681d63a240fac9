import type { AccountListItem, AccountPage, ListAccountsQuery } from '@pulse/shared/api/accounts';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';

import type { Database } from '../../db/schema';
import { ApiError } from '../errors';

/**
 * The account list in keyset order, so page 1,000 costs what page 1 does (indexes in migration
 * 008_account_list_indexes). By name: (name, id). By score: scored accounts by (score, id) from
 * the score index, then the accounts without a score by id.
 */

// A name cursor carries [name, id]; a score cursor [score, id], or [null, id] once in the unscored tail.
const CursorTuple = z.union([
  z.tuple([z.literal('name'), z.string(), z.string()]),
  z.tuple([z.literal('score'), z.number().nullable(), z.string()]),
]);
type Cursor = z.infer<typeof CursorTuple>;

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

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
  if (parsed.data[0] !== sort) {
    throw ApiError.invalid(`cursor belongs to sort=${parsed.data[0]}, not sort=${sort}`, [
      { path: 'query.cursor', message: `belongs to sort=${parsed.data[0]}; keep the same sort across pages` },
    ]);
  }
  return parsed.data;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function baseQuery(
  db: Kysely<Database>,
  tenantId: string,
  query: ListAccountsQuery,
  scope: { ownerId: string | null } | null,
) {
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
      sql<string | null>`s.result::json->'health'->>'tierLabel'`.as('tier_label'),
      's.coverage',
      's.low_coverage',
      's.churn_risk',
      's.upsell_score',
      's.trend_30d',
      's.computed_at',
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
  // "unscored" covers accounts recompute has not reached and those it could not score (no data).
  if (query.tier === 'unscored') select = select.where('s.score', 'is', null);
  else if (query.tier !== undefined) select = select.where('s.tier', '=', query.tier);
  if (query.search !== undefined) {
    const pattern = `%${escapeLike(query.search)}%`;
    select = select.where((where) =>
      where.or([where('a.name', 'ilike', pattern), where('a.domain', 'ilike', pattern)]),
    );
  }
  return select;
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

export async function accountPage(
  db: Kysely<Database>,
  tenantId: string,
  query: ListAccountsQuery,
  scope: { ownerId: string | null } | null,
): Promise<AccountPage> {
  const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor, query.sort);
  const wanted = query.limit + 1;
  let rows: Row[];
  if (query.sort === 'name') {
    let select = baseQuery(db, tenantId, query, scope);
    if (cursor) select = select.where(sql<boolean>`(a.name, a.id) > (${cursor[1]}, ${cursor[2]})`);
    rows = await select.orderBy('a.name').orderBy('a.id').limit(wanted).execute();
  } else {
    rows = [];
    const inUnscoredTail = cursor !== null && cursor[1] === null;
    if (!inUnscoredTail && query.tier !== 'unscored') {
      let scored = baseQuery(db, tenantId, query, scope).where('s.score', 'is not', null);
      // Compared as float4 like the column, so a score read back as 72.3 matches the stored 72.3.
      if (cursor)
        scored = scored.where(sql<boolean>`(s.score, s.account_id) > (${cursor[1]}::real, ${cursor[2]})`);
      rows = await scored.orderBy('s.score').orderBy('s.account_id').limit(wanted).execute();
    }
    if (rows.length < wanted) {
      let unscored = baseQuery(db, tenantId, query, scope).where('s.score', 'is', null);
      if (inUnscoredTail) unscored = unscored.where('a.id', '>', cursor[2]);
      rows.push(
        ...(await unscored
          .orderBy('a.id')
          .limit(wanted - rows.length)
          .execute()),
      );
    }
  }
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  let nextCursor: string | null = null;
  if (rows.length > query.limit && last) {
    nextCursor = encodeCursor(
      query.sort === 'name' ? ['name', last.name, last.id] : ['score', last.score, last.id],
    );
  }
  return { accounts: page.map(toListItem), nextCursor };
}

function toListItem(row: Row): AccountListItem {
  return {
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
  };
}
