import { z } from 'zod';

import type { Driver, FactorResult, HealthResult, SignalValue } from '../health/types';

/**
 * The explained score as stored (account_scores.result) and served by
 * `GET /api/v1/accounts/:id/health` (contract: shared/src/api/accounts.ts `getAccountHealth`). The HubSpot card, the Salesforce component and the console all
 * read this one shape.
 */
const isoDateTime = z.iso.datetime({ offset: true });

export const SignalValueSchema = z.object({
  key: z.string(),
  label: z.string(),
  value: z.union([z.number(), z.string(), z.boolean(), z.null()]),
  unit: z.string().optional(),
}) satisfies z.ZodType<SignalValue>;

export const FactorResultSchema = z.object({
  key: z.string(),
  label: z.string(),
  weight: z.number(),
  value: z.number().nullable(),
  effectiveWeight: z.number(),
  points: z.number(),
  signals: z.array(SignalValueSchema),
  explanation: z.string(),
  asOf: z.string().nullable(),
}) satisfies z.ZodType<FactorResult>;

export const DriverSchema = z.object({
  factorKey: z.string(),
  label: z.string(),
  pointsChange: z.number(),
  explanation: z.string(),
}) satisfies z.ZodType<Driver>;

export const HealthResultSchema = z.object({
  score: z.number().min(0).max(100).nullable(),
  tier: z.string().nullable(),
  tierLabel: z.string().nullable(),
  coverage: z.number().min(0).max(100),
  lowCoverage: z.boolean(),
  factors: z.array(FactorResultSchema),
  drivers: z.object({ up: z.array(DriverSchema), down: z.array(DriverSchema) }),
  computedAt: isoDateTime,
}) satisfies z.ZodType<HealthResult>;

/** A derived metric with the sentence that explains it. */
export const ExplainedValue = z.object({ value: z.number().nullable(), explanation: z.string() });
export type ExplainedValue = z.infer<typeof ExplainedValue>;

export const OpenFlagsSummary = z.object({
  count: z.number().int().nonnegative(),
  critical: z.number().int().nonnegative(),
  types: z.array(z.string()),
});
export type OpenFlagsSummary = z.infer<typeof OpenFlagsSummary>;

export const RecommendationSummary = z.object({
  productId: z.string(),
  productName: z.string(),
  score: z.number(),
  explanation: z.string(),
});
export type RecommendationSummary = z.infer<typeof RecommendationSummary>;

export const StoredScore = z.object({
  accountId: z.string(),
  accountName: z.string(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  health: HealthResultSchema,
  churnRisk: ExplainedValue,
  cltv: ExplainedValue,
  upsell: ExplainedValue,
  /** Score change against the newest scoring at least 30 days old; null without one. */
  trend30d: z.number().nullable(),
  openFlags: OpenFlagsSummary,
  /** Best first, at most 3. */
  topRecommendations: z.array(RecommendationSummary),
  nextRenewalDate: z.iso.date().nullable(),
  /** Annual recurring revenue from active subscriptions (MRR x 12). */
  arr: z.number(),
  computedAt: isoDateTime,
});
export type StoredScore = z.infer<typeof StoredScore>;

/** One past scoring, for trend lines. */
export const ScoreHistoryPoint = z.object({
  computedAt: isoDateTime,
  score: z.number().nullable(),
  tier: z.string().nullable(),
  coverage: z.number(),
  churnRisk: z.number().nullable(),
  cltv: z.number().nullable(),
  upsellScore: z.number().nullable(),
  factors: z.record(z.string(), z.object({ value: z.number().nullable(), points: z.number() })),
});
export type ScoreHistoryPoint = z.infer<typeof ScoreHistoryPoint>;

export const AccountHealthResponse = StoredScore.extend({
  /** Scorings of the last 90 days, oldest first. */
  history: z.array(ScoreHistoryPoint),
});
export type AccountHealthResponse = z.infer<typeof AccountHealthResponse>;
