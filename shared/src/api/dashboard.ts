import { z } from 'zod';

import { endpoint } from './contract';

/**
 * The portfolio dashboard: one request, every figure an aggregate computed in SQL over the
 * caller's accounts (CSMs and account executives: their own; admins and read-only: the tenant).
 */

const Kpi = z.object({
  value: z.number().nullable(),
  /** What the figure means and how it is computed, shown beside the tile. */
  explanation: z.string(),
});

export const DashboardResponse = z.object({
  accounts: z.number().int(),
  scoredAccounts: z.number().int(),
  totalArr: z.number(),
  kpis: z.object({
    averageHealth: Kpi,
    adoptionRate: Kpi,
    timeToValueDays: Kpi,
    renewalRisk: Kpi,
    expansionSignal: Kpi,
  }),
  /** The tenant's tiers, healthiest first, then `unscored`. */
  tiers: z.array(z.object({ key: z.string(), label: z.string(), count: z.number().int(), arr: z.number() })),
  /** Daily average score over the last 90 days, oldest first. */
  trend: z.array(z.object({ day: z.string(), averageScore: z.number(), accounts: z.number().int() })),
  renewals: z.array(z.object({ withinDays: z.number().int(), count: z.number().int(), arr: z.number() })),
  arrAtRisk: z.object({ arr: z.number(), accounts: z.number().int(), explanation: z.string() }),
  movers: z.array(
    z.object({
      accountId: z.string(),
      accountName: z.string(),
      score: z.number(),
      previousScore: z.number(),
      change: z.number(),
      tier: z.string().nullable(),
    }),
  ),
  computedAt: z.string(),
});
export type DashboardResponse = z.infer<typeof DashboardResponse>;

export const getDashboard = endpoint({
  method: 'get',
  path: '/api/v1/dashboard',
  response: DashboardResponse,
});
