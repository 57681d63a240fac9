import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { HealthConfig } from './config';
import { defaultHealthConfig, healthPresets, tierFor, validateHealthConfig } from './config';

function withFactors(factors: unknown[]): unknown {
  return { ...defaultHealthConfig, factors };
}

function errorsOf(input: unknown) {
  const result = validateHealthConfig(input);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.errors;
}

describe('validateHealthConfig', () => {
  it.each(Object.entries(healthPresets))('accepts the %s preset as it ships', (_name, preset) => {
    const result = validateHealthConfig(preset);
    expect(result).toEqual({ ok: true, config: preset });
  });

  it('ships the documented presets', () => {
    const weights = (config: HealthConfig) =>
      Object.fromEntries(config.factors.map((factor) => [factor.key, factor.weight]));
    expect(weights(healthPresets.default)).toEqual({
      payment: 25,
      engagement: 20,
      usage: 20,
      support: 15,
      relationship: 10,
      contract: 10,
    });
    expect(weights(healthPresets.five_dimension)).toEqual({
      usage: 30,
      engagement: 20,
      relationship: 15,
      outcomes: 20,
      financial: 15,
    });
    expect(healthPresets.five_dimension.tiers.map((tier) => [tier.label, tier.min])).toEqual([
      ['Thriving', 80],
      ['Healthy', 60],
      ['At-Risk', 40],
      ['Critical', 0],
    ]);
    expect(healthPresets.workspace_activity.tiers.map((tier) => tier.min)).toEqual([80, 50, 0]);
  });

  it('rejects weights that do not total 100, saying what they total', () => {
    const factors = defaultHealthConfig.factors.map((factor) =>
      factor.key === 'support' ? { ...factor, weight: 10 } : factor,
    );
    expect(errorsOf(withFactors(factors))).toEqual([
      { path: 'factors', message: 'Weights total 95; they must total exactly 100' },
    ]);
  });

  it('counts only enabled factors towards the total', () => {
    const factors = defaultHealthConfig.factors.map((factor) =>
      factor.key === 'contract' ? { ...factor, enabled: false } : factor,
    );
    expect(errorsOf(withFactors(factors))[0]?.message).toBe('Weights total 90; they must total exactly 100');
    const rebalanced = factors.map((factor) =>
      factor.key === 'payment' ? { ...factor, weight: 35 } : factor,
    );
    expect(validateHealthConfig(withFactors(rebalanced)).ok).toBe(true);
  });

  it('names the factor whose weight is not a whole number from 0 to 100', () => {
    const fractional = defaultHealthConfig.factors.map((factor, index) =>
      index === 2 ? { ...factor, weight: 19.5 } : factor,
    );
    expect(errorsOf(withFactors(fractional))).toEqual([
      { path: 'factors.2.weight', message: 'Weight must be a whole number from 0 to 100' },
    ]);
    const negative = defaultHealthConfig.factors.map((factor, index) =>
      index === 0 ? { ...factor, weight: -5 } : factor,
    );
    expect(errorsOf(withFactors(negative))[0]?.path).toBe('factors.0.weight');
    const text = defaultHealthConfig.factors.map((factor, index) =>
      index === 1 ? { ...factor, weight: '20' } : factor,
    );
    expect(errorsOf(withFactors(text))[0]?.path).toBe('factors.1.weight');
  });

  it('rejects unknown and duplicate factor keys', () => {
    const unknown = [
      ...defaultHealthConfig.factors.slice(0, 5),
      { key: 'vibes', label: 'Vibes', enabled: true, weight: 10 },
    ];
    const [error] = errorsOf(withFactors(unknown));
    expect(error?.path).toBe('factors.5.key');
    expect(error?.message).toContain("Unknown factor 'vibes'");
    const duplicate = [
      ...defaultHealthConfig.factors.slice(0, 5),
      { ...defaultHealthConfig.factors[0]!, weight: 10 },
    ];
    expect(errorsOf(withFactors(duplicate))).toContainEqual({
      path: 'factors.5.key',
      message: "Factor 'payment' appears twice",
    });
  });

  it('accepts a custom factor with a valid curve and rejects one that is not monotone', () => {
    const custom = {
      key: 'seats_purchased',
      label: 'Seats purchased',
      enabled: true,
      weight: 10,
      custom: {
        kind: 'numeric',
        source: 'attribute',
        name: 'seats_purchased',
        direction: 'higher_is_better',
        points: [
          { value: 0, score: 0 },
          { value: 50, score: 100 },
        ],
      },
    };
    const factors = [
      ...defaultHealthConfig.factors.map((factor) =>
        factor.key === 'payment' ? { ...factor, weight: 15 } : factor,
      ),
      custom,
    ];
    expect(validateHealthConfig(withFactors(factors)).ok).toBe(true);

    const wrongWay = factors.map((factor) =>
      factor.key === 'seats_purchased'
        ? {
            ...custom,
            custom: {
              ...custom.custom,
              points: [
                { value: 0, score: 50 },
                { value: 50, score: 10 },
              ],
            },
          }
        : factor,
    );
    expect(errorsOf(withFactors(wrongWay))).toEqual([
      {
        path: 'factors.6.custom.points.1.score',
        message: 'Scores must not fall as the value grows (higher is better)',
      },
    ]);
  });

  it('does not let a custom definition shadow a built-in factor', () => {
    const factors = defaultHealthConfig.factors.map((factor, index) =>
      index === 0
        ? {
            ...factor,
            custom: { kind: 'enumerated', source: 'attribute', name: 'tier', scores: { gold: 100 } },
          }
        : factor,
    );
    expect(errorsOf(withFactors(factors))[0]?.path).toBe('factors.0.custom');
  });

  it('requires tier thresholds to descend and the last tier to start at 0', () => {
    const tiers = [
      { key: 'healthy', label: 'Healthy', min: 40 },
      { key: 'at_risk', label: 'At Risk', min: 70 },
      { key: 'critical', label: 'Critical', min: 10 },
    ];
    const errors = errorsOf({ ...defaultHealthConfig, tiers });
    expect(errors.map((error) => error.path)).toEqual(['tiers.1.min', 'tiers.2.min']);
    expect(errors[0]?.message).toContain('Thresholds must descend');
    expect(errors[1]?.message).toBe('The last tier must start at 0 so that every score has a tier');
  });

  it('fills in the low-coverage threshold and preset when omitted', () => {
    const { lowCoverageThreshold: _threshold, preset: _preset, ...rest } = defaultHealthConfig;
    const result = validateHealthConfig(rest);
    expect(result.ok && result.config.lowCoverageThreshold).toBe(60);
    expect(result.ok && result.config.preset).toBe('custom');
  });

  it('rejects any set of weights that does not total exactly 100', () => {
    const weights = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(weights, (list) => {
        const keys = [
          'payment',
          'engagement',
          'usage',
          'support',
          'relationship',
          'contract',
          'outcomes',
          'financial',
        ];
        const factors = list.map((weight, index) => ({
          key: keys[index]!,
          label: keys[index]!,
          enabled: true,
          weight,
        }));
        const total = list.reduce((sum, weight) => sum + weight, 0);
        expect(validateHealthConfig(withFactors(factors)).ok).toBe(total === 100);
      }),
    );
  });
});

describe('tierFor', () => {
  it('puts a score in the highest tier whose threshold it reaches', () => {
    expect(tierFor(70, defaultHealthConfig)?.key).toBe('healthy');
    expect(tierFor(69.9, defaultHealthConfig)?.key).toBe('at_risk');
    expect(tierFor(40, defaultHealthConfig)?.label).toBe('At Risk');
    expect(tierFor(39.9, defaultHealthConfig)?.key).toBe('critical');
    expect(tierFor(0, defaultHealthConfig)?.key).toBe('critical');
    expect(tierFor(null, defaultHealthConfig)).toBeNull();
    expect(tierFor(55, healthPresets.workspace_activity)?.label).toBe('Fine');
  });
});
