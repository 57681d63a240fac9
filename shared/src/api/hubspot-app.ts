import { z } from 'zod';
import { endpoint } from './contract';
import { FlagItem } from './flags';
import { StoredScore } from './health';

/**
 * Endpoints the HubSpot app calls (cards and settings page through `hubspot.fetch`, workflow
 * actions from HubSpot's workflow engine). HubSpot adds `portalId`, `userId`, `userEmail` and
 * `appId` to every hubspot.fetch query string, so queries are loose about extra keys.
 */

const hubspotId = z.string().regex(/^\d+$/, 'must be a HubSpot record id (digits)');

export const CardQuery = z.object({ objectId: hubspotId }).loose();

export const CardAccount = z.object({ id: z.string(), name: z.string() });

export const HistoryPoint = z.object({ computedAt: z.string(), score: z.number().nullable() });

export const CompanyCardResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('not_scored'), account: CardAccount }),
  z.object({
    status: z.literal('scored'),
    account: CardAccount,
    score: StoredScore,
    /** Scorings of the last 90 days, oldest first. */
    history: z.array(HistoryPoint),
    /** Open and acknowledged flags, newest first. */
    flags: z.array(FlagItem),
  }),
]);
export type CompanyCardResponse = z.infer<typeof CompanyCardResponse>;

export const companyCardEndpoint = endpoint({
  method: 'get',
  path: '/hubspot/card/company',
  query: CardQuery,
  response: CompanyCardResponse,
});

/** The compact card on deals and tickets: the associated company's health at a glance. */
export const RecordSummaryResponse = z.discriminatedUnion('status', [
  z.object({ status: z.literal('no_company') }),
  z.object({ status: z.literal('not_scored'), account: CardAccount }),
  z.object({
    status: z.literal('scored'),
    account: CardAccount,
    score: z.number().nullable(),
    tier: z.string().nullable(),
    tierLabel: z.string().nullable(),
    coverage: z.number(),
    lowCoverage: z.boolean(),
    trend30d: z.number().nullable(),
    churnRisk: z.number().nullable(),
    openFlags: z.number(),
    nextRenewalDate: z.string().nullable(),
    topRecommendation: z.object({ productName: z.string(), score: z.number() }).nullable(),
    computedAt: z.string(),
  }),
]);
export type RecordSummaryResponse = z.infer<typeof RecordSummaryResponse>;

export const dealCardEndpoint = endpoint({
  method: 'get',
  path: '/hubspot/card/deal',
  query: CardQuery,
  response: RecordSummaryResponse,
});

export const ticketCardEndpoint = endpoint({
  method: 'get',
  path: '/hubspot/card/ticket',
  query: CardQuery,
  response: RecordSummaryResponse,
});

export const TierDistribution = z.object({
  accounts: z.number(),
  /** Accounts with no stored factor value under the draft (no data for any enabled factor). */
  unscored: z.number(),
  tiers: z.array(z.object({ key: z.string(), label: z.string(), count: z.number(), share: z.number() })),
  /** Enabled factors that have no stored values yet: they count once the next recompute ran. */
  factorsWithoutValues: z.array(z.string()),
});
export type TierDistribution = z.infer<typeof TierDistribution>;

export const HealthSettingsResponse = z.object({
  config: z.unknown(),
  version: z.number(),
  presets: z.record(z.string(), z.unknown()),
  distribution: TierDistribution,
});

export const getHealthSettingsEndpoint = endpoint({
  method: 'get',
  path: '/hubspot/settings/health',
  query: z.object({}).loose(),
  response: HealthSettingsResponse,
});

export const saveHealthSettingsEndpoint = endpoint({
  method: 'put',
  path: '/hubspot/settings/health',
  query: z.object({}).loose(),
  body: z.object({ config: z.unknown() }),
  response: z.object({ config: z.unknown(), version: z.number(), recompute: z.enum(['started', 'running']) }),
});

export const previewHealthSettingsEndpoint = endpoint({
  method: 'post',
  path: '/hubspot/settings/health/preview',
  query: z.object({}).loose(),
  body: z.object({ config: z.unknown() }),
  response: TierDistribution,
});

/** HubSpot's custom workflow action request (the parts Pulse reads). */
export const WorkflowActionRequest = z
  .object({
    callbackId: z.string().optional(),
    origin: z.object({ portalId: z.union([z.number(), z.string()]).transform(String) }).loose(),
    object: z
      .object({
        objectId: z.union([z.number(), z.string()]).transform(String),
        objectType: z.string(),
      })
      .loose(),
    inputFields: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

export const WorkflowActionResponse = z.object({
  outputFields: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
});
