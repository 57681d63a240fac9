import type { DashboardResponse } from '@pulse/shared/api/dashboard';
import { type Kysely, type RawBuilder, sql } from 'kysely';

import type { Database } from '../db/schema';
import { UNSCORED_TIER } from '../scoring/recompute';
import { getSetting } from '../store/settings';

/**
 * Portfolio figures as SQL aggregates over narrow per-account rows (account_scores' columns and
 * console_account_metrics, never the stored explained result), so the dashboard stays a handful of
 * parallel scans at 100k accounts.
 * `ownerId` narrows every figure to one owner's accounts (CSMs, account executives).
 */

const DAY_MS = 86_400_000;
const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Math.round(Number(value) * 10) / 10;

function ownerFilter(ownerId: string | null | undefined): RawBuilder<unknown> {
  return ownerId === undefined ? sql`true` : ownerId === null ? sql`false` : sql`a.owner_id = ${ownerId}`;
}

/** `scope` undefined: every account; `{ ownerId }`: that owner's accounts only. */
export async function loadDashboard(
  db: Kysely<Database>,
  tenantId: string,
  scope: { ownerId: string | null } | null,
  now: Date,
): Promise<DashboardResponse> {
  const owner = ownerFilter(scope ? scope.ownerId : undefined);
  const config = await getSetting(db, tenantId, 'health_config');
  const today = now.toISOString().slice(0, 10);
  const from = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);

  const [summary, tiers, trend, renewals, movers, timeToValue] = await Promise.all([
    sql<Record<string, unknown>>`
      select count(*) as accounts,
        count(s.score) as scored,
        avg(s.score) as average_health,
        avg(s.churn_risk) as average_churn_risk,
        count(*) filter (where s.churn_risk >= 60) as high_risk,
        avg(s.upsell_score) as average_upsell,
        count(*) filter (where s.upsell_score >= 70) as expansion_ready,
        sum(coalesce(m.arr, 0)) as total_arr,
        avg(least(m.seat_utilisation, 1)) as adoption
      from accounts a
      left join account_scores s on s.tenant_id = a.tenant_id and s.account_id = a.id
      left join console_account_metrics m on m.tenant_id = a.tenant_id and m.account_id = a.id
      where a.tenant_id = ${tenantId} and a.deleted_at is null and ${owner}
    `.execute(db),
    sql<{ tier: string | null; count: string; arr: string | null }>`
      select coalesce(s.tier, ${UNSCORED_TIER}) as tier, count(*) as count,
        sum(coalesce(m.arr, 0)) as arr
      from accounts a
      left join account_scores s on s.tenant_id = a.tenant_id and s.account_id = a.id
      left join console_account_metrics m on m.tenant_id = a.tenant_id and m.account_id = a.id
      where a.tenant_id = ${tenantId} and a.deleted_at is null and ${owner}
      group by 1
    `.execute(db),
    sql<{ day: string; average: number; accounts: string }>`
      select to_char(date_trunc('day', h.computed_at at time zone 'UTC'), 'YYYY-MM-DD') as day,
        avg(h.score) as average, count(distinct h.account_id) as accounts
      from score_history h
      join accounts a on a.tenant_id = h.tenant_id and a.id = h.account_id and a.deleted_at is null
      where h.tenant_id = ${tenantId} and h.computed_at >= ${new Date(now.getTime() - 90 * DAY_MS)}
        and h.score is not null and ${owner}
      group by 1 order by 1
    `.execute(db),
    sql<{ within: number; count: string; arr: string | null }>`
      select w.within, count(distinct sub.account_id) as count, sum(sub.mrr * 12) as arr
      from (values (30), (60), (90)) as w(within)
      left join (
        select s.account_id, s.mrr, s.renewal_date from subscriptions s
        join accounts a on a.tenant_id = s.tenant_id and a.id = s.account_id and a.deleted_at is null
        where s.tenant_id = ${tenantId} and s.deleted_at is null and s.status = 'active'
          and s.renewal_date is not null and s.renewal_date >= ${today} and s.renewal_date <= ${from(90)}
          and ${owner}
      ) sub on sub.renewal_date <= (${today}::date + w.within)
      group by w.within order by w.within
    `.execute(db),
    sql<{ id: string; name: string; score: number; previous: number; tier: string | null }>`
      select a.id, a.name, s.score, past.score as previous, s.tier
      from account_scores s
      join accounts a on a.tenant_id = s.tenant_id and a.id = s.account_id and a.deleted_at is null
      join lateral (
        select h.score from score_history h
        where h.tenant_id = s.tenant_id and h.account_id = s.account_id
          and h.computed_at <= ${new Date(now.getTime() - 7 * DAY_MS)} and h.score is not null
        order by h.computed_at desc limit 1
      ) past on true
      where s.tenant_id = ${tenantId} and s.score is not null and ${owner}
      order by abs(s.score - past.score) desc, a.name
      limit 10
    `.execute(db),
    // Customers of the last 180 days only: one index probe each into usage_daily.
    sql<{ ttv: number | null; customers: string }>`
      select avg(ttv.days) as ttv, count(ttv.days) as customers
      from accounts a
      join lateral (
        select (u.day - a.customer_since) as days from usage_daily u
        where u.tenant_id = a.tenant_id and u.account_id = a.id and u.day >= a.customer_since
          and u.active_users > 0
        order by u.day limit 1
      ) ttv on true
      where a.tenant_id = ${tenantId} and a.deleted_at is null and a.customer_since >= ${from(-180)} and ${owner}
    `.execute(db),
  ]);

  const row = summary.rows[0] ?? {};
  const ttv = timeToValue.rows[0]?.ttv ?? null;
  const tierCounts = new Map(tiers.rows.map((tier) => [tier.tier ?? UNSCORED_TIER, tier]));
  const tierRows = [
    ...config.tiers.map((tier) => ({ key: tier.key, label: tier.label })),
    { key: UNSCORED_TIER, label: 'Not scored' },
  ].map((tier) => ({
    ...tier,
    count: num(tierCounts.get(tier.key)?.count),
    arr: Math.round(num(tierCounts.get(tier.key)?.arr)),
  }));
  // Every tier below the healthiest one counts as at risk.
  const atRisk = tierRows.filter((tier, index) => index > 0 && tier.key !== UNSCORED_TIER);
  const adoption = row.adoption === null || row.adoption === undefined ? null : Number(row.adoption) * 100;
  const healthiest = config.tiers[0];

  return {
    accounts: num(row.accounts),
    scoredAccounts: num(row.scored),
    totalArr: Math.round(num(row.total_arr)),
    kpis: {
      averageHealth: {
        value: numOrNull(row.average_health),
        explanation: `Average health score of ${num(row.scored)} scored accounts (0-100)`,
      },
      adoptionRate: {
        value: numOrNull(adoption),
        explanation:
          'Average seat utilisation (active users / licensed seats, last 30 days; over-used seats count as 100%)',
      },
      timeToValueDays: {
        value: numOrNull(ttv),
        explanation:
          ttv === null
            ? 'No customer of the last 180 days has usage yet'
            : `Average days from customer start to the first day with active users (${num(timeToValue.rows[0]?.customers)} customers of the last 180 days)`,
      },
      renewalRisk: {
        value: numOrNull(row.average_churn_risk),
        explanation: `Average churn risk (0-100); ${num(row.high_risk)} accounts at 60 or above`,
      },
      expansionSignal: {
        value: numOrNull(row.average_upsell),
        explanation: `Average upsell score (0-100); ${num(row.expansion_ready)} accounts at 70 or above`,
      },
    },
    tiers: tierRows,
    trend: trend.rows.map((point) => ({
      day: point.day,
      averageScore: Math.round(Number(point.average) * 10) / 10,
      accounts: num(point.accounts),
    })),
    renewals: renewals.rows.map((bucket) => ({
      withinDays: Number(bucket.within),
      count: num(bucket.count),
      arr: Math.round(num(bucket.arr)),
    })),
    arrAtRisk: {
      arr: atRisk.reduce((total, tier) => total + tier.arr, 0),
      accounts: atRisk.reduce((total, tier) => total + tier.count, 0),
      explanation: `ARR of accounts below ${healthiest ? `"${healthiest.label}" (${healthiest.min})` : 'the top tier'}`,
    },
    movers: movers.rows.map((mover) => ({
      accountId: mover.id,
      accountName: mover.name,
      score: Math.round(Number(mover.score) * 10) / 10,
      previousScore: Math.round(Number(mover.previous) * 10) / 10,
      change: Math.round((Number(mover.score) - Number(mover.previous)) * 10) / 10,
      tier: mover.tier,
    })),
    computedAt: now.toISOString(),
  };
}
