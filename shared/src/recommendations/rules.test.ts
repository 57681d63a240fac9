import { describe, expect, it } from 'vitest';

import { productCatalogue } from '../demo/catalogue';
import { exampleRules, exampleRulesFor } from './examples';
import { validateRule } from './rules';
import { catalogue } from './test-fixtures';

const valid = {
  productId: 'analytics',
  prerequisites: ['core'],
  exclusions: ['legacy'],
  minEmployees: 10,
  maxEmployees: 500,
  industries: ['Software'],
  baseScore: 40,
  active: true,
  signals: [{ type: 'renewal_within_days', days: 90, weight: 20 }],
};

describe('validateRule', () => {
  it('accepts a complete rule and fills defaults for omitted lists', () => {
    const result = validateRule({ productId: 'analytics', baseScore: 10 }, catalogue);
    expect(result).toEqual({
      ok: true,
      rule: {
        productId: 'analytics',
        prerequisites: [],
        exclusions: [],
        minEmployees: null,
        maxEmployees: null,
        industries: [],
        baseScore: 10,
        active: true,
        signals: [],
      },
    });
    expect(validateRule(valid, catalogue).ok).toBe(true);
  });

  it.each([
    ['base score above 100', { baseScore: 101 }, 'baseScore'],
    ['negative base score', { baseScore: -1 }, 'baseScore'],
    ['fractional base score', { baseScore: 40.5 }, 'baseScore'],
    ['min size above max size', { minEmployees: 600, maxEmployees: 500 }, 'maxEmployees'],
    ['negative min size', { minEmployees: -5 }, 'minEmployees'],
    ['product not in the catalogue', { productId: 'nope' }, 'productId'],
    ['prerequisite not in the catalogue', { prerequisites: ['core', 'ghost'] }, 'prerequisites.1'],
    ['exclusion not in the catalogue', { exclusions: ['ghost'] }, 'exclusions.0'],
    ['same product as prerequisite and exclusion', { exclusions: ['core'] }, 'exclusions.0'],
    ['blank industry', { industries: ['  '] }, 'industries.0'],
    ['unknown signal type', { signals: [{ type: 'moon_phase', weight: 5 }] }, 'signals.0.type'],
    ['signal without weight', { signals: [{ type: 'renewal_within_days', days: 30 }] }, 'signals.0.weight'],
    [
      'expired-subscription signal naming an unknown product',
      { signals: [{ type: 'subscription_expired', productId: 'ghost', weight: 5 }] },
      'signals.0.productId',
    ],
    [
      'usage signal without a metric',
      { signals: [{ type: 'usage_metric_above', metric: '', threshold: 1, weight: 5 }] },
      'signals.0.metric',
    ],
    ['unknown field', { colour: 'blue' }, '(root)'],
  ])('rejects %s, naming the field', (_name, change, path) => {
    const result = validateRule({ ...valid, ...change }, catalogue);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((error) => error.path)).toContain(path);
  });

  it('reports a missing product id and base score together', () => {
    const result = validateRule({}, catalogue);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((error) => error.path).sort()).toEqual(['baseScore', 'productId']);
  });
});

describe('example rules for a new tenant', () => {
  it('offers 3-5 rules, all valid against the typical SaaS (demo) catalogue', () => {
    const demo = productCatalogue('tenant');
    expect(exampleRules.length).toBeGreaterThanOrEqual(3);
    expect(exampleRules.length).toBeLessThanOrEqual(5);
    expect(exampleRulesFor(demo)).toHaveLength(exampleRules.length);
  });

  it('skips examples whose products a catalogue does not sell', () => {
    expect(exampleRulesFor(catalogue)).toEqual([]);
  });
});
