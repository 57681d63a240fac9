import { type Kysely, sql } from 'kysely';

import * as singleCard from './012_hubspot_company_card';

/**
 * Company cards by the batch: `pulse_company_cards(tenants, accounts, sinces)` returns, for each
 * position of the three arrays, that company's card as JSON text (null when the account is not
 * synced or is deleted), in one set-based statement: one index walk per table for the whole batch
 * instead of a PL/pgSQL call per card (pgbench, batches of 25 on the 100k tenant: ~70-78 µs of
 * PostgreSQL CPU per card against ~107-119 µs calling `pulse_company_card` once per card). The
 * server's card loader (server/src/hubspot-app/card-loader.ts) sends the cards asked for together
 * through it. PL/pgSQL keeps the statement's plan per connection, as in migration 012.
 *
 * `pulse_company_card` (one card) becomes a call of this function, so both give the same JSON:
 * account, stored explained score, history line since `since`, unresolved flags; the shapes of
 * shared/src/api/hubspot-app.ts, instants as Date.toISOString() writes them.
 */

/** An instant as JSON's ISO-8601 UTC text (what Date.toISOString() gives). */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const companyCards = sql.raw(`
create or replace function pulse_company_cards(p_tenants text[], p_accounts text[], p_sinces timestamptz[])
returns table (request bigint, card text) language plpgsql stable as $cards$
begin
  return query
  select c.n, case
      when a.id is null then null
      when s.account_id is null then
        '{"status":"not_scored","account":' || json_build_object('id', a.id, 'name', a.name)::text || '}'
      else
        '{"status":"scored","account":' || json_build_object('id', a.id, 'name', a.name)::text
        || ',"score":' || s.result::text
        || ',"history":' || coalesce((
          select json_agg(json_build_object('computedAt', ${iso('h.computed_at')}, 'score', h.score)
            order by h.computed_at)
          from score_history h
          where h.tenant_id = a.tenant_id and h.account_id = a.id and h.computed_at >= c.since
        ), '[]'::json)::text
        || ',"flags":' || coalesce((
          select json_agg(json_build_object(
            'id', f.id, 'accountId', f.account_id, 'type', f.type, 'status', f.status,
            'severity', f.severity, 'magnitude', f.magnitude, 'title', f.title,
            'recommendedAction', f.recommended_action, 'details', f.details,
            'openedAt', ${iso('f.opened_at')}, 'updatedAt', ${iso('f.updated_at')},
            'acknowledgedBy', f.acknowledged_by, 'acknowledgedAt', ${iso('f.acknowledged_at')},
            'acknowledgedSeverity', f.acknowledged_severity,
            'acknowledgedMagnitude', f.acknowledged_magnitude,
            'resolvedBy', f.resolved_by, 'resolvedAt', ${iso('f.resolved_at')})
            order by f.opened_at desc, f.id)
          from flags f
          where f.tenant_id = a.tenant_id and f.account_id = a.id and f.status <> 'resolved'
        ), '[]'::json)::text
        || '}'
    end
  from unnest(p_tenants, p_accounts, p_sinces) with ordinality as c(tenant, account, since, n)
  left join accounts a on a.tenant_id = c.tenant and a.id = c.account and a.deleted_at is null
  left join account_scores s on s.tenant_id = a.tenant_id and s.account_id = a.id;
end
$cards$`);

const companyCard = sql.raw(`
create or replace function pulse_company_card(p_tenant text, p_account text, p_since timestamptz)
returns text language sql stable as $card$
  select card from pulse_company_cards(array[p_tenant], array[p_account], array[p_since])
$card$`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await companyCards.execute(db);
  await companyCard.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await singleCard.up(db);
  await sql`drop function if exists pulse_company_cards(text[], text[], timestamptz[])`.execute(db);
}
