import type { FlagItem } from '@pulse/shared/api/flags';
import type { StoredScore } from '@pulse/shared/api/health';
import type { CompanyCardResponse } from '@pulse/shared/api/hubspot-app';
import type { RecommendationItem } from '@pulse/shared/api/recommendations';

/** Response bodies shaped exactly like the server's contracts (shared/src/api/*), typed by them. */

export const COMPANY_ID = '123';

export function storedScore(overrides: Partial<StoredScore['health']> = {}): StoredScore {
  return {
    accountId: COMPANY_ID,
    accountName: 'Acme Corp',
    ownerId: '7',
    ownerName: 'Dana CSM',
    health: {
      score: 64,
      tier: 'at_risk',
      tierLabel: 'At Risk',
      coverage: 90,
      lowCoverage: false,
      factors: [
        {
          key: 'payment',
          label: 'Payment health',
          weight: 25,
          value: 40,
          effectiveWeight: 25,
          points: 10,
          signals: [{ key: 'overdue_invoices', label: 'Overdue invoices', value: 2 }],
          explanation: '2 invoices overdue, avg 18 days late',
          asOf: '2026-11-20T10:00:00.000Z',
        },
        {
          key: 'usage',
          label: 'Product usage',
          weight: 20,
          value: null,
          effectiveWeight: 0,
          points: 0,
          signals: [],
          explanation: 'no usage data',
          asOf: null,
        },
      ],
      drivers: {
        up: [],
        down: [
          {
            factorKey: 'payment',
            label: 'Payment health',
            pointsChange: -6,
            explanation: 'invoices overdue',
          },
        ],
      },
      computedAt: '2026-11-22T09:00:00.000Z',
      ...overrides,
    },
    churnRisk: { value: 55, explanation: 'At Risk, down 8 points in 30 days' },
    cltv: { value: 120000, explanation: 'ARR x margin x lifetime' },
    upsell: { value: 40, explanation: 'moderate' },
    trend30d: -8,
    openFlags: { count: 1, critical: 0, types: ['usage_decline'] },
    topRecommendations: [],
    nextRenewalDate: '2026-12-22',
    arr: 60000,
    computedAt: '2026-11-22T09:00:00.000Z',
  };
}

export function flag(overrides: Partial<FlagItem> = {}): FlagItem {
  return {
    id: 'flag-1',
    accountId: COMPANY_ID,
    type: 'usage_decline',
    status: 'open',
    severity: 'warning',
    magnitude: 35,
    title: 'Usage down 35% month over month',
    recommendedAction: 'Book a usage review with the champion',
    details: {},
    openedAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    acknowledgedBy: null,
    acknowledgedAt: null,
    acknowledgedSeverity: null,
    acknowledgedMagnitude: null,
    resolvedBy: null,
    resolvedAt: null,
    ...overrides,
  };
}

export function scoredCard(
  health: Partial<StoredScore['health']> = {},
  flags = [flag()],
): CompanyCardResponse {
  return {
    status: 'scored',
    account: { id: COMPANY_ID, name: 'Acme Corp' },
    score: storedScore(health),
    history: [
      { computedAt: '2026-10-22T09:00:00.000Z', score: 72 },
      { computedAt: '2026-11-22T09:00:00.000Z', score: 64 },
    ],
    flags,
  };
}

export function recommendation(overrides: Partial<RecommendationItem> = {}): RecommendationItem {
  return {
    ruleId: 'rule-1',
    productId: 'support-premium',
    productName: 'Support Premium',
    score: 85,
    explanation: 'Renewal in 30 days (+20); Support Premium expired (+25)',
    terms: [{ label: 'base', points: 40 }],
    openOpportunity: null,
    ...overrides,
  };
}
