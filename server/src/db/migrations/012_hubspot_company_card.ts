import { type Kysely, sql } from 'kysely';

/**
 * The HubSpot company card as one PL/pgSQL function, `pulse_company_card(tenant, account, since)`:
 * the card's JSON text (account, stored explained score, history line since `since`, unresolved
 * flags), or null when the account is not synced or is deleted. The card is opened on every company
 * page view. Sent as a plain statement, the four-table query was parsed and planned again on every
 * view, which cost PostgreSQL more than running it; PL/pgSQL keeps each connection's plan of the
 * statement inside the function, so a view costs its execution and the planning of a one-call
 * statement (bench:card: PostgreSQL CPU per card ~600 µs before, ~200-250 µs after). Named prepared
 * statements would do the same but cannot be sent through Kysely.
 *
 * The JSON shapes are those of shared/src/api/hubspot-app.ts: flags as `toFlagState` gives them
 * (server/src/flags/store.ts), instants as Date.toISOString() writes them. PL/pgSQL binds columns
 * when the function first runs, so later column changes need no new version; a change to the card's
 * shape is a `create or replace` in a new migration.
 */

/** An instant as JSON's ISO-8601 UTC text (what Date.toISOString() gives). */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const companyCard = sql.raw(`
create or replace function pulse_company_card(p_tenant text, p_account text, p_since timestamptz)
returns text language plpgsql stable as $card$
declare
  card text;
begin
  select case
      when s.account_id is null then
        '{"status":"not_scored","account":' || json_build_object('id', a.id, 'name', a.name)::text || '}'
      else
        '{"status":"scored","account":' || json_build_object('id', a.id, 'name', a.name)::text
        || ',"score":' || s.result::text
        || ',"history":' || coalesce((
          select json_agg(json_build_object('computedAt', ${iso('h.computed_at')}, 'score', h.score)
            order by h.computed_at)
          from score_history h
          where h.tenant_id = a.tenant_id and h.account_id = a.id and h.computed_at >= p_since
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
  into card
  from accounts a
  left join account_scores s on s.tenant_id = a.tenant_id and s.account_id = a.id
  where a.tenant_id = p_tenant and a.id = p_account and a.deleted_at is null;
  return card;
end
$card$`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await companyCard.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function if exists pulse_company_card(text, text, timestamptz)`.execute(db);
}
