import type { StoredScore } from '@pulse/shared/api/health';
import type { CompanyCardResponse, RecordSummaryResponse } from '@pulse/shared/api/hubspot-app';
import { type Kysely, sql } from 'kysely';

import type { Database } from '../db/schema';
import { ApiError } from '../http/errors';

/**
 * What the record cards show, in as few round trips as possible: the card is opened on every
 * company page view, so it reads the stored explained score (one row) and the 90-day history line
 * (an index range) in one statement, plus the account's unresolved flags.
 */

const HISTORY_DAYS = 90;

interface CardRow {
  id: string;
  name: string;
  /** account_scores.result as JSON text: passed through to the response without a parse. */
  result: string | null;
  history: string;
  flags: string;
}

function parsed<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/** An instant as JSON's ISO-8601 UTC text, in SQL (what Date.toISOString() gives). */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** One flag row as the FlagItem JSON of shared/src/api/flags.ts (same shape as toFlagState). */
const flagJson = sql.raw(`json_build_object(
  'id', f.id, 'accountId', f.account_id, 'type', f.type, 'status', f.status, 'severity', f.severity,
  'magnitude', f.magnitude, 'title', f.title, 'recommendedAction', f.recommended_action, 'details', f.details,
  'openedAt', ${iso('f.opened_at')}, 'updatedAt', ${iso('f.updated_at')},
  'acknowledgedBy', f.acknowledged_by, 'acknowledgedAt', ${iso('f.acknowledged_at')},
  'acknowledgedSeverity', f.acknowledged_severity, 'acknowledgedMagnitude', f.acknowledged_magnitude,
  'resolvedBy', f.resolved_by, 'resolvedAt', ${iso('f.resolved_at')})`);

/**
 * The company card as JSON text, from one statement: account, stored explained score, the 90-day
 * history line and the unresolved flags are all assembled by PostgreSQL, so a card view costs Node
 * no JSON parsing or serialising (the card is opened on every company page view).
 */
export async function loadCompanyCardJson(
  db: Kysely<Database>,
  tenantId: string,
  companyId: string,
  now: Date,
): Promise<string> {
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const { rows } = await sql<CardRow>`
    select a.id, a.name, s.result::text as result,
      coalesce((
        select json_agg(json_build_object('computedAt', ${sql.raw(iso('h.computed_at'))}, 'score', h.score)
          order by h.computed_at)
        from score_history h
        where h.tenant_id = a.tenant_id and h.account_id = a.id and h.computed_at >= ${since}
      ), '[]'::json)::text as history,
      coalesce((
        select json_agg(${flagJson} order by f.opened_at desc, f.id)
        from flags f
        where f.tenant_id = a.tenant_id and f.account_id = a.id and f.status <> 'resolved'
      ), '[]'::json)::text as flags
    from accounts a
    left join account_scores s on s.tenant_id = a.tenant_id and s.account_id = a.id
    where a.tenant_id = ${tenantId} and a.id = ${companyId} and a.deleted_at is null
  `.execute(db);
  const row = rows[0];
  if (!row) throw new ApiError('NOT_FOUND', `Company ${companyId} is not synced to Pulse yet`);
  const account = JSON.stringify({ id: row.id, name: row.name });
  if (!row.result) return `{"status":"not_scored","account":${account}}`;
  return `{"status":"scored","account":${account},"score":${row.result},"history":${row.history},"flags":${row.flags}}`;
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
      from json_array_elements(s.result->'health'->'factors') factor
    ) as factors
    from account_scores s
    join accounts a on a.tenant_id = s.tenant_id and a.id = s.account_id and a.deleted_at is null
    where s.tenant_id = ${tenantId}
  `.execute(db);
  return rows.map((row) => ({ factors: row.factors ? parsed(row.factors) : {} }));
}
