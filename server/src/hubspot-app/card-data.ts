import type { StoredScore } from '@pulse/shared/api/health';
import type { CompanyCardResponse, RecordSummaryResponse } from '@pulse/shared/api/hubspot-app';
import { CompiledQuery, type Kysely, sql } from 'kysely';

import type { Database } from '../db/schema';
import { ApiError } from '../http/errors';

/**
 * What the record cards show, in as few round trips as possible: the card is opened on every
 * company page view, so it reads the stored explained score (one row), the 90-day history line
 * (an index range) and the account's unresolved flags in one statement.
 */

const HISTORY_DAYS = 90;

/** Where the card's history line starts, as the instant text PostgreSQL is given. */
export function cardHistorySince(now: Date): string {
  return new Date(now.getTime() - HISTORY_DAYS * 86_400_000).toISOString();
}

function parsed<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/**
 * The company card as JSON text, assembled by PostgreSQL (`pulse_company_card`, migration 012):
 * account, stored explained score, the 90-day history line and the unresolved flags, with no JSON
 * parsing or serialising in Node. The function keeps its plan per connection, so a view costs no
 * parse or plan of the four-table statement, and the call is compiled once here, not per view.
 */
const companyCardCall = 'select pulse_company_card($1, $2, $3) as card';

export async function loadCompanyCardJson(
  db: Kysely<Database>,
  tenantId: string,
  companyId: string,
  now: Date,
): Promise<string> {
  const since = cardHistorySince(now);
  const { rows } = await db.executeQuery<{ card: string | null }>(
    CompiledQuery.raw(companyCardCall, [tenantId, companyId, since]),
  );
  const card = rows[0]?.card;
  if (!card) throw new ApiError('NOT_FOUND', `Company ${companyId} is not synced to Pulse yet`);
  return card;
}

export async function loadCompanyCard(
  db: Kysely<Database>,
  tenantId: string,
  companyId: string,
  now: Date,
): Promise<CompanyCardResponse> {
  return JSON.parse(await loadCompanyCardJson(db, tenantId, companyId, now)) as CompanyCardResponse;
}

/** A deal's or ticket's company, then that company's health in brief. */
export async function loadRecordSummary(
  db: Kysely<Database>,
  tenantId: string,
  table: 'deals' | 'tickets',
  recordId: string,
): Promise<RecordSummaryResponse> {
  const record = await db
    .selectFrom(table)
    .select('account_id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', recordId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!record) {
    const noun = table === 'deals' ? 'Deal' : 'Ticket';
    throw new ApiError('NOT_FOUND', `${noun} ${recordId} is not synced to Pulse yet`);
  }
  const row = await db
    .selectFrom('accounts')
    .leftJoin('account_scores', (join) =>
      join
        .onRef('account_scores.tenant_id', '=', 'accounts.tenant_id')
        .onRef('account_scores.account_id', '=', 'accounts.id'),
    )
    .select(['accounts.id', 'accounts.name', 'account_scores.result'])
    .where('accounts.tenant_id', '=', tenantId)
    .where('accounts.id', '=', record.account_id)
    .where('accounts.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) return { status: 'no_company' };
  const account = { id: row.id, name: row.name };
  if (!row.result) return { status: 'not_scored', account };
  const stored = parsed(row.result as unknown as StoredScore);
  const best = stored.topRecommendations[0];
  return {
    status: 'scored',
    account,
    score: stored.health.score,
    tier: stored.health.tier,
    tierLabel: stored.health.tierLabel,
    coverage: stored.health.coverage,
    lowCoverage: stored.health.lowCoverage,
    trend30d: stored.trend30d,
    churnRisk: stored.churnRisk.value,
    openFlags: stored.openFlags.count,
    nextRenewalDate: stored.nextRenewalDate,
    topRecommendation: best ? { productName: best.productName, score: best.score } : null,
    computedAt: stored.computedAt,
  };
}

/** Every account's stored factor values (0-100 or null), for the settings preview. */
export async function loadStoredFactorValues(
  db: Kysely<Database>,
  tenantId: string,
): Promise<{ factors: Record<string, number | null> }[]> {
  const { rows } = await sql<{ factors: Record<string, number | null> | string | null }>`
    select (
      select json_object_agg(factor->>'key', factor->'value')
      from json_array_elements(s.result::json->'health'->'factors') factor
    ) as factors
    from account_scores s
    join accounts a on a.tenant_id = s.tenant_id and a.id = s.account_id and a.deleted_at is null
    where s.tenant_id = ${tenantId}
  `.execute(db);
  return rows.map((row) => ({ factors: row.factors ? parsed(row.factors) : {} }));
}
