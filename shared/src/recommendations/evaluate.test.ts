import { describe, expect, it } from 'vitest';

import type { AccountSnapshot } from '../model';
import { ineligibility, type RecommendationInput, recommend, recommendTop } from './evaluate';
import type { RecommendationRule } from './rules';
import { accountFacts } from './signals';
import { account, catalogue, now, snapshot, subscription, usage, usageWindow } from './test-fixtures';

function rule(overrides: Partial<RecommendationRule> = {}): RecommendationRule {
  return {
    id: 'rule-1',
    productId: 'analytics',
    prerequisites: [],
    exclusions: [],
    minEmployees: null,
    maxEmployees: null,
    industries: [],
    baseScore: 40,
    active: true,
    signals: [],
    ...overrides,
  };
}

function input(accountSnapshot: AccountSnapshot, healthTier: string | null = 'healthy'): RecommendationInput {
  return { snapshot: accountSnapshot, healthTier, catalogue, now };
}

function whyNot(candidate: RecommendationRule, accountSnapshot: AccountSnapshot) {
  return ineligibility(candidate, accountSnapshot, accountFacts(accountSnapshot, null, now), catalogue);
}

const owningCore = snapshot({ subscriptions: [subscription('core')] });

describe('eligibility', () => {
  it.each<[string, Partial<RecommendationRule>, AccountSnapshot, string | null]>([
    ['no conditions, no subscriptions', {}, snapshot(), null],
    ['inactive rule', { active: false }, owningCore, 'inactive'],
    ['product missing from the catalogue', { productId: 'ghost' }, owningCore, 'unknown_product'],
    ['retired product', { productId: 'retired' }, owningCore, 'unknown_product'],
    ['prerequisite owned', { prerequisites: ['core'] }, owningCore, null],
    [
      'prerequisite missing (no subscriptions)',
      { prerequisites: ['core'] },
      snapshot(),
      'missing_prerequisite',
    ],
    [
      'prerequisite only on trial',
      { prerequisites: ['core'] },
      snapshot({ subscriptions: [subscription('core', { status: 'trial' })] }),
      'missing_prerequisite',
    ],
    [
      'prerequisite cancelled',
      { prerequisites: ['core'] },
      snapshot({ subscriptions: [subscription('core', { status: 'cancelled' })] }),
      'missing_prerequisite',
    ],
    [
      'one of two prerequisites missing',
      { prerequisites: ['core', 'support'] },
      owningCore,
      'missing_prerequisite',
    ],
    [
      'exclusion beats an owned prerequisite',
      { prerequisites: ['core'], exclusions: ['legacy'] },
      snapshot({ subscriptions: [subscription('core'), subscription('legacy')] }),
      'excluded',
    ],
    [
      'expired exclusion does not disqualify',
      { exclusions: ['legacy'] },
      snapshot({ subscriptions: [subscription('legacy', { status: 'expired' })] }),
      null,
    ],
    ['product already owned', {}, snapshot({ subscriptions: [subscription('analytics')] }), 'already_owned'],
    [
      'product on trial is still recommendable',
      {},
      snapshot({ subscriptions: [subscription('analytics', { status: 'trial' })] }),
      null,
    ],
    ['size at the minimum', { minEmployees: 120 }, snapshot(), null],
    ['size below the minimum', { minEmployees: 121 }, snapshot(), 'too_small'],
    ['size at the maximum', { maxEmployees: 120 }, snapshot(), null],
    ['size above the maximum', { maxEmployees: 119 }, snapshot(), 'too_large'],
    [
      'size range set, employees unknown',
      { minEmployees: 10 },
      snapshot({ account: account({ employees: null }) }),
      'size_unknown',
    ],
    ['industry matches case-insensitively', { industries: ['fintech', 'SOFTWARE '] }, snapshot(), null],
    ['industry does not match', { industries: ['Retail'] }, snapshot(), 'industry_mismatch'],
    [
      'industries set, account industry missing',
      { industries: ['Software'] },
      snapshot({ account: account({ industry: null }) }),
      'industry_mismatch',
    ],
    [
      'no industries set, account industry missing',
      {},
      snapshot({ account: account({ industry: null }) }),
      null,
    ],
  ])('%s', (_name, overrides, accountSnapshot, expected) => {
    expect(whyNot(rule(overrides), accountSnapshot)).toBe(expected);
  });
});

describe('signals', () => {
  const renewingIn = (days: number) =>
    snapshot({
      subscriptions: [
        subscription('core', {
          renewalDate: new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10),
        }),
      ],
    });
  const growing = (current: number | null, previous: number | null) =>
    snapshot({ account: account({ annualRevenue: current, previousAnnualRevenue: previous }) });

  it.each<[string, RecommendationRule['signals'][number], AccountSnapshot, string | null, string]>([
    [
      'renewal within window',
      { type: 'renewal_within_days', days: 90, weight: 20 },
      renewingIn(45),
      'healthy',
      'Base 40 · renewal in 45 days +20',
    ],
    [
      'renewal exactly at the window',
      { type: 'renewal_within_days', days: 90, weight: 20 },
      renewingIn(90),
      'healthy',
      'Base 40 · renewal in 90 days +20',
    ],
    [
      'renewal beyond the window',
      { type: 'renewal_within_days', days: 90, weight: 20 },
      renewingIn(91),
      'healthy',
      'Base 40',
    ],
    [
      'renewal today',
      { type: 'renewal_within_days', days: 30, weight: 20 },
      renewingIn(0),
      'healthy',
      'Base 40 · renewal today +20',
    ],
    [
      'overdue renewal',
      { type: 'renewal_within_days', days: 30, weight: 20 },
      renewingIn(-3),
      'healthy',
      'Base 40 · renewal 3 days overdue +20',
    ],
    [
      'no subscriptions, no renewal',
      { type: 'renewal_within_days', days: 30, weight: 20 },
      snapshot(),
      'healthy',
      'Base 40',
    ],
    [
      'revenue growing enough',
      { type: 'revenue_growth_percent', percent: 10, weight: 15 },
      growing(118, 100),
      null,
      'Base 40 · revenue +18% +15',
    ],
    [
      'revenue growing too little',
      { type: 'revenue_growth_percent', percent: 10, weight: 15 },
      growing(105, 100),
      null,
      'Base 40',
    ],
    [
      'revenue unknown',
      { type: 'revenue_growth_percent', percent: 0, weight: 15 },
      growing(118, null),
      null,
      'Base 40',
    ],
    [
      'usage above threshold',
      { type: 'usage_metric_above', metric: 'active_users', threshold: 50, weight: 10 },
      snapshot({ usage: usage({ latestActiveUsers: 64 }) }),
      null,
      'Base 40 · active users 64 > 50 +10',
    ],
    [
      'usage equal to threshold is not above',
      { type: 'usage_metric_above', metric: 'active_users', threshold: 64, weight: 10 },
      snapshot({ usage: usage({ latestActiveUsers: 64 }) }),
      null,
      'Base 40',
    ],
    [
      'custom metric above',
      { type: 'usage_metric_above', metric: 'reports_run', threshold: 5, weight: 10 },
      snapshot({ usage: usage({ current: usageWindow({ metrics: { reports_run: 7.5 } }) }) }),
      null,
      'Base 40 · reports_run 7.5 > 5 +10',
    ],
    [
      'usage missing',
      { type: 'usage_metric_below', metric: 'logins', threshold: 5, weight: 10 },
      snapshot(),
      null,
      'Base 40',
    ],
    [
      'usage below threshold',
      { type: 'usage_metric_below', metric: 'features_adopted', threshold: 4, weight: 20 },
      snapshot({ usage: usage({ current: usageWindow({ maxFeaturesAdopted: 2 }) }) }),
      null,
      'Base 40 · features adopted 2 < 4 +20',
    ],
    [
      'related subscription expired',
      { type: 'subscription_expired', productId: 'support', weight: 25 },
      snapshot({ subscriptions: [subscription('support', { status: 'expired' })] }),
      null,
      'Base 40 · Premium Support subscription lapsed +25',
    ],
    [
      'expired but renewed since',
      { type: 'subscription_expired', productId: 'support', weight: 25 },
      snapshot({ subscriptions: [subscription('support', { status: 'expired' }), subscription('support')] }),
      null,
      'Base 40',
    ],
    [
      'health tier matches (case-insensitive)',
      { type: 'health_tier_is', tier: 'At_Risk', weight: 15 },
      snapshot(),
      'at_risk',
      'Base 40 · health tier At_Risk +15',
    ],
    [
      'health tier differs',
      { type: 'health_tier_is', tier: 'at_risk', weight: 15 },
      snapshot(),
      'healthy',
      'Base 40',
    ],
    [
      'unscored account',
      { type: 'health_tier_is', tier: 'at_risk', weight: 15 },
      snapshot(),
      null,
      'Base 40',
    ],
    [
      'seat utilisation above',
      { type: 'seat_utilisation_above', percent: 80, weight: 30 },
      snapshot({ usage: usage({ licensedSeats: 50, latestActiveUsers: 45 }) }),
      null,
      'Base 40 · seat utilisation 90% +30',
    ],
    [
      'seat utilisation from subscription seats when usage has none',
      { type: 'seat_utilisation_above', percent: 80, weight: 30 },
      snapshot({
        subscriptions: [subscription('core', { licensedSeats: 40 })],
        usage: usage({ licensedSeats: null, latestActiveUsers: 38 }),
      }),
      null,
      'Base 40 · seat utilisation 95% +30',
    ],
    [
      'seat utilisation below',
      { type: 'seat_utilisation_above', percent: 80, weight: 30 },
      snapshot({ usage: usage({ licensedSeats: 50, latestActiveUsers: 20 }) }),
      null,
      'Base 40',
    ],
  ])('%s', (_name, signal, accountSnapshot, tier, explanation) => {
    const [result] = recommend([rule({ signals: [signal] })], input(accountSnapshot, tier));
    expect(result?.explanation).toBe(explanation);
  });
});

describe('scoring', () => {
  it('adds every holding signal to the base and names each term', () => {
    const accountSnapshot = snapshot({
      account: account({ annualRevenue: 118, previousAnnualRevenue: 100 }),
      subscriptions: [subscription('core', { renewalDate: '2026-07-30' })],
    });
    const [result] = recommend(
      [
        rule({
          signals: [
            { type: 'renewal_within_days', days: 90, weight: 20 },
            { type: 'revenue_growth_percent', percent: 10, weight: 15 },
            { type: 'health_tier_is', tier: 'critical', weight: 50 },
          ],
        }),
      ],
      input(accountSnapshot),
    );
    expect(result).toMatchObject({
      productId: 'analytics',
      productName: 'Analytics',
      score: 75,
      explanation: 'Base 40 · renewal in 45 days +20 · revenue +18% +15',
    });
  });

  it('caps the score at 100 and says so', () => {
    const [result] = recommend(
      [rule({ baseScore: 90, signals: [{ type: 'health_tier_is', tier: 'healthy', weight: 25 }] })],
      input(snapshot()),
    );
    expect(result?.score).toBe(100);
    expect(result?.explanation).toBe('Base 90 · health tier healthy +25 · capped at 100');
  });

  it('floors a negative total at 0', () => {
    const [result] = recommend(
      [rule({ baseScore: 10, signals: [{ type: 'health_tier_is', tier: 'healthy', weight: -30 }] })],
      input(snapshot()),
    );
    expect(result?.score).toBe(0);
  });
});

describe('top 3', () => {
  it('returns the three best, breaking ties by base score, then product name, then rule id', () => {
    const rules = [
      rule({ id: 'r-api', productId: 'api', baseScore: 50 }),
      rule({
        id: 'r-seats',
        productId: 'seats',
        baseScore: 30,
        signals: [{ type: 'health_tier_is', tier: 'healthy', weight: 20 }],
      }),
      rule({ id: 'r-support', productId: 'support', baseScore: 50 }),
      rule({ id: 'r-analytics', productId: 'analytics', baseScore: 49 }),
      rule({ id: 'r-legacy', productId: 'legacy', baseScore: 90, active: false }),
    ];
    const top = recommendTop(rules, input(snapshot()));
    // api and support tie at 50/50: name order. seats ties at 50 but with base 30: after them.
    expect(top.map((r) => r.productId)).toEqual(['api', 'support', 'seats']);
    // The order does not depend on the order rules are listed in.
    expect(recommendTop([...rules].reverse(), input(snapshot()))).toEqual(top);
  });

  it('keeps one recommendation per product, the better rule winning', () => {
    const rules = [
      rule({ id: 'a', productId: 'api', baseScore: 20 }),
      rule({ id: 'b', productId: 'api', baseScore: 60 }),
    ];
    expect(recommend(rules, input(snapshot())).map((r) => [r.ruleId, r.score])).toEqual([['b', 60]]);
  });

  it('returns nothing when no rule applies', () => {
    expect(recommendTop([rule({ prerequisites: ['core'] })], input(snapshot()))).toEqual([]);
  });
});
