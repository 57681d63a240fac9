import type { TierDistribution } from '@pulse/shared/api/hubspot-app';
import type { RenewalList } from '@pulse/shared/api/renewals';
import { healthPresets } from '@pulse/shared/health/config';
import type { RecommendationRule } from '@pulse/shared/recommendations/rules';

/** The server's own presets, so the settings page is tested against the real default model. */
export const defaultConfig = structuredClone(healthPresets.default);

export const savedDistribution: TierDistribution = {
  accounts: 200,
  unscored: 0,
  tiers: [
    { key: 'healthy', label: 'Healthy', count: 120, share: 60 },
    { key: 'at_risk', label: 'At Risk', count: 50, share: 25 },
    { key: 'critical', label: 'Critical', count: 30, share: 15 },
  ],
  factorsWithoutValues: [],
};

export const previewDistribution: TierDistribution = {
  ...savedDistribution,
  tiers: [
    { key: 'healthy', label: 'Healthy', count: 100, share: 50 },
    { key: 'at_risk', label: 'At Risk', count: 70, share: 35 },
    { key: 'critical', label: 'Critical', count: 30, share: 15 },
  ],
};

export const healthSettings = {
  config: defaultConfig,
  version: 3,
  presets: healthPresets,
  distribution: savedDistribution,
};

export const rule: RecommendationRule = {
  id: 'rule-1',
  productId: 'support-premium',
  prerequisites: ['core'],
  exclusions: [],
  minEmployees: 50,
  maxEmployees: null,
  industries: ['Software'],
  baseScore: 40,
  active: true,
  signals: [{ type: 'renewal_within_days', days: 90, weight: 20 }],
};

export function renewals(within: number): RenewalList {
  const all = [
    {
      subscriptionId: 's1',
      accountId: '11',
      accountName: 'Acme Corp',
      productId: 'core',
      productName: 'Core',
      mrr: 5000,
      renewalDate: '2026-12-10',
      daysLeft: 18,
      band: 'red' as const,
      autoRenew: false,
      ownerId: '7',
      ownerName: 'Dana CSM',
      tier: 'at_risk',
    },
    {
      subscriptionId: 's2',
      accountId: '12',
      accountName: 'Globex',
      productId: 'core',
      productName: 'Core',
      mrr: 9000,
      renewalDate: '2027-04-01',
      daysLeft: 130,
      band: 'green' as const,
      autoRenew: true,
      ownerId: null,
      ownerName: null,
      tier: 'healthy',
    },
  ];
  const rows = all.filter((row) => row.daysLeft <= within);
  return { renewals: rows, totals: { count: rows.length, mrr: rows.reduce((sum, row) => sum + row.mrr, 0) } };
}
