import type { StoredScore } from '@pulse/shared/api/health';
import { describe, expect, it } from 'vitest';

import { changedValues, propertyValuesFor } from './property-values';

const stored = {
  accountId: '1',
  accountName: 'Acme',
  ownerId: null,
  ownerName: null,
  health: {
    score: 63.6,
    tier: 'at_risk',
    tierLabel: 'At Risk',
    coverage: 84.49,
    lowCoverage: false,
    factors: [
      {
        key: 'payment',
        label: 'Payment',
        weight: 25,
        value: 71.5,
        effectiveWeight: 30,
        points: 21,
        signals: [],
        explanation: '',
        asOf: null,
      },
      {
        key: 'usage',
        label: 'Usage',
        weight: 20,
        value: null,
        effectiveWeight: 0,
        points: 0,
        signals: [],
        explanation: '',
        asOf: null,
      },
    ],
    drivers: { up: [], down: [] },
    computedAt: '2026-11-22T12:00:00.000Z',
  },
  churnRisk: { value: 41.2, explanation: '' },
  cltv: { value: 182_345.67, explanation: '' },
  upsell: { value: 12.5, explanation: '' },
  trend30d: -4.26,
  openFlags: { count: 2, critical: 1, types: [] },
  topRecommendations: [{ productId: 'p1', productName: 'Analytics Pro', score: 80, explanation: '' }],
  nextRenewalDate: '2027-03-01',
  arr: 120_000,
  computedAt: '2026-11-22T12:00:00.000Z',
} as StoredScore;

describe('public-contract property values', () => {
  it('rounds scores, keeps the tier label, one factor property per factor, dates as calendar days', () => {
    expect(propertyValuesFor(stored, ['payment', 'usage', 'support'])).toEqual({
      pulse_health_score: 64,
      pulse_health_tier: 'At Risk',
      pulse_health_trend_30d: -4.3,
      pulse_data_coverage: 84,
      pulse_churn_risk: 41,
      pulse_cltv: 182_346,
      pulse_upsell_score: 13,
      pulse_top_recommendation: 'Analytics Pro',
      pulse_open_flags: 2,
      pulse_next_renewal_date: '2027-03-01',
      pulse_scored_at: '2026-11-22T12:00:00.000Z',
      pulse_factor_payment: 72,
      pulse_factor_usage: null,
      pulse_factor_support: null,
    });
  });

  it('a re-scoring that changes nothing visible is no change, even though the scoring time moved', () => {
    const first = propertyValuesFor(stored, ['payment']);
    const again = propertyValuesFor(
      { ...stored, computedAt: '2026-11-22T13:00:00.000Z', health: { ...stored.health, score: 63.9 } },
      ['payment'],
    );
    expect(changedValues(again, first)).toEqual({});
  });

  it('only changed properties are sent, with the scoring time alongside; never-written empties are skipped', () => {
    const first = propertyValuesFor(stored, ['payment', 'usage']);
    const moved = propertyValuesFor(
      { ...stored, computedAt: '2026-11-22T13:00:00.000Z', churnRisk: { value: 55, explanation: '' } },
      ['payment', 'usage'],
    );
    expect(changedValues(moved, first)).toEqual({
      pulse_churn_risk: 55,
      pulse_scored_at: '2026-11-22T13:00:00.000Z',
    });
    const firstWrite = changedValues(first, undefined);
    expect(firstWrite).not.toHaveProperty('pulse_factor_usage');
    expect(firstWrite).toHaveProperty('pulse_health_score', 64);
  });
});
