import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { computeChurnRisk, computeCltv, computeUpsellScore } from './metrics';

describe('computeChurnRisk', () => {
  it('adds up health, trend, renewal and flags (worked example of docs/scoring.md)', () => {
    const result = computeChurnRisk({
      score: 45,
      trend30d: -8,
      daysToRenewal: 45,
      openFlags: { count: 2, critical: 1 },
    });
    // 0.7 × 55 = 38.5; decline 8; renewal 15 × 0.75 × min(1, 55/60) = 10.3; flags 4 × 2 + 4 × 1 = 12.
    expect(result.terms.map((term) => [term.key, term.points])).toEqual([
      ['health', 38.5],
      ['trend', 8],
      ['renewal', 10.3],
      ['flags', 12],
    ]);
    expect(result.value).toBe(68.8);
    expect(result.explanation).toBe(
      'Health 45 (+38.5), Trend -8 pts in 30 days (+8), Renewal in 45 days (+10.3), 2 open flags (1 critical) (+12)',
    );
  });

  it('is low for a healthy, improving account far from renewal', () => {
    const result = computeChurnRisk({
      score: 92,
      trend30d: 6,
      daysToRenewal: 300,
      openFlags: { count: 0, critical: 0 },
    });
    expect(result.value).toBe(2.6);
  });

  it('counts an unscored account as middling and caps at 100', () => {
    expect(
      computeChurnRisk({
        score: null,
        trend30d: null,
        daysToRenewal: null,
        openFlags: { count: 0, critical: 0 },
      }).value,
    ).toBe(35);
    expect(
      computeChurnRisk({ score: 0, trend30d: -40, daysToRenewal: -5, openFlags: { count: 9, critical: 9 } })
        .value,
    ).toBe(100);
  });

  const input = fc.record({
    score: fc.double({ min: 0, max: 100, noNaN: true }),
    trend30d: fc.double({ min: -50, max: 50, noNaN: true }),
    daysToRenewal: fc.integer({ min: -30, max: 400 }),
    count: fc.integer({ min: 0, max: 10 }),
    critical: fc.integer({ min: 0, max: 10 }),
  });
  const risk = (value: {
    score: number;
    trend30d: number;
    daysToRenewal: number;
    count: number;
    critical: number;
  }) =>
    computeChurnRisk({
      score: value.score,
      trend30d: value.trend30d,
      daysToRenewal: value.daysToRenewal,
      openFlags: { count: Math.max(value.count, value.critical), critical: value.critical },
    }).value;

  it('stays within 0-100 and rises as health, trend or renewal runway fall, or flags grow', () => {
    fc.assert(
      fc.property(input, fc.double({ min: 0.1, max: 30, noNaN: true }), (value, step) => {
        const base = risk(value);
        expect(base).toBeGreaterThanOrEqual(0);
        expect(base).toBeLessThanOrEqual(100);
        expect(risk({ ...value, score: Math.max(0, value.score - step) })).toBeGreaterThanOrEqual(base);
        expect(risk({ ...value, trend30d: value.trend30d - step })).toBeGreaterThanOrEqual(base);
        expect(
          risk({ ...value, daysToRenewal: value.daysToRenewal - Math.ceil(step) }),
        ).toBeGreaterThanOrEqual(base);
        expect(risk({ ...value, count: value.count + 1 })).toBeGreaterThanOrEqual(base);
        expect(risk({ ...value, critical: value.critical + 1 })).toBeGreaterThanOrEqual(base);
      }),
    );
  });
});

describe('computeCltv', () => {
  it('is ARR × margin × expected lifetime 1 ÷ churn probability', () => {
    const result = computeCltv({ arr: 120_000, churnRisk: 25 });
    expect(result.value).toBe(384_000);
    expect(result.explanation).toBe('ARR 120,000 × 80% margin × 4 years expected lifetime (churn risk 25)');
    expect(computeCltv({ arr: 120_000, grossMargin: 0.7, churnRisk: 100 }).value).toBe(84_000);
  });

  it('caps the lifetime at 10 years however low the risk', () => {
    expect(computeCltv({ arr: 10_000, churnRisk: 0 }).value).toBe(80_000);
    expect(computeCltv({ arr: 10_000, churnRisk: 5 }).value).toBe(80_000);
  });

  it('rejects a negative ARR or a margin outside 0-1', () => {
    expect(() => computeCltv({ arr: -1, churnRisk: 10 })).toThrow('arr');
    expect(() => computeCltv({ arr: 1, grossMargin: 1.5, churnRisk: 10 })).toThrow('grossMargin');
  });

  it('falls as churn risk rises', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.double({ min: 0, max: 99, noNaN: true }),
        (arr, churnRisk) => {
          expect(computeCltv({ arr, churnRisk: churnRisk + 1 }).value).toBeLessThanOrEqual(
            computeCltv({ arr, churnRisk }).value,
          );
        },
      ),
    );
  });
});

describe('computeUpsellScore', () => {
  it('blends health, seat utilisation, usage growth and the best recommendation', () => {
    const result = computeUpsellScore({
      score: 80,
      seatUtilisation: 0.9,
      usageGrowthPct: 10,
      bestRecommendationScore: 70,
    });
    // 0.35 × 80 + 0.25 × 85 + 0.2 × 60 + 0.2 × 70 = 75.25
    expect(result.value).toBe(75.3);
    expect(result.explanation).toBe('Health 80, 90% of seats used, usage +10%, best recommendation 70');
  });

  it('renormalises over the inputs it has, and says when it has none', () => {
    expect(
      computeUpsellScore({
        score: 90,
        seatUtilisation: null,
        usageGrowthPct: null,
        bestRecommendationScore: null,
      }).value,
    ).toBe(100);
    expect(
      computeUpsellScore({
        score: null,
        seatUtilisation: null,
        usageGrowthPct: null,
        bestRecommendationScore: null,
      }),
    ).toEqual({ value: 0, explanation: 'Not enough data for an upsell score' });
  });

  it('stays within 0-100 and never falls as any input rises', () => {
    const input = fc.record({
      score: fc.double({ min: 0, max: 100, noNaN: true }),
      seatUtilisation: fc.double({ min: 0, max: 1.5, noNaN: true }),
      usageGrowthPct: fc.double({ min: -80, max: 200, noNaN: true }),
      bestRecommendationScore: fc.double({ min: 0, max: 100, noNaN: true }),
    });
    fc.assert(
      fc.property(input, fc.double({ min: 0.01, max: 10, noNaN: true }), (value, step) => {
        const base = computeUpsellScore(value).value;
        expect(base >= 0 && base <= 100).toBe(true);
        for (const key of [
          'score',
          'seatUtilisation',
          'usageGrowthPct',
          'bestRecommendationScore',
        ] as const) {
          expect(computeUpsellScore({ ...value, [key]: value[key] + step }).value).toBeGreaterThanOrEqual(
            base,
          );
        }
      }),
    );
  });
});
