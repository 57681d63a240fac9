import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { HealthConfig } from './config';
import { defaultHealthConfig } from './config';
import { builtInFactorKeys } from './factors/library';
import { scoreAccount } from './score';
import type { AccountSignals } from './signals';
import { arbitrarySignals } from './testing';
import type { PreviousScore } from './types';

const now = new Date('2026-11-22T12:00:00.000Z');

/** Every built-in factor, enabled, with arbitrary weights: scoreAccount must cope with any mix. */
const arbitraryConfig: fc.Arbitrary<HealthConfig> = fc
  .array(fc.integer({ min: 0, max: 100 }), {
    minLength: builtInFactorKeys.length,
    maxLength: builtInFactorKeys.length,
  })
  .map((weights) => ({
    ...defaultHealthConfig,
    factors: builtInFactorKeys.map((key, index) => ({
      key,
      label: key,
      enabled: true,
      weight: weights[index]!,
    })),
  }));

type Improvement = (signals: AccountSignals, step: number) => AccountSignals | null;

function lower(value: number, step: number): number {
  return Math.max(0, value - step);
}

/** How to make each signal better by `step`, in its documented direction (docs/scoring.md). */
const improvements: Record<string, Improvement> = {
  'payment.avgDaysLate ↓': (s, step) =>
    s.payment?.avgDaysLate == null
      ? null
      : { ...s, payment: { ...s.payment, avgDaysLate: lower(s.payment.avgDaysLate, step) } },
  'payment.overdueCount ↓': (s, step) =>
    s.payment && {
      ...s,
      payment: { ...s.payment, overdueCount: lower(s.payment.overdueCount, Math.ceil(step)) },
    },
  'payment.overdueAmount ↓': (s, step) =>
    s.payment && {
      ...s,
      payment: { ...s.payment, overdueAmount: lower(s.payment.overdueAmount, step * 1000) },
    },
  'engagement.daysSinceLastTouch ↓': (s, step) =>
    s.engagement?.daysSinceLastTouch == null
      ? null
      : {
          ...s,
          engagement: {
            ...s.engagement,
            daysSinceLastTouch: lower(s.engagement.daysSinceLastTouch, Math.ceil(step)),
          },
        },
  'engagement.meetingsLast90Days ↑': (s, step) =>
    s.engagement && {
      ...s,
      engagement: { ...s.engagement, meetingsLast90Days: s.engagement.meetingsLast90Days + Math.ceil(step) },
    },
  'engagement.loginsLast30Days ↑': (s, step) =>
    s.engagement?.loginsLast30Days == null
      ? null
      : {
          ...s,
          engagement: {
            ...s.engagement,
            loginsLast30Days: s.engagement.loginsLast30Days + Math.ceil(step * 10),
          },
        },
  'usage.activeUsers ↑': (s, step) =>
    s.usage && { ...s, usage: { ...s.usage, activeUsers: s.usage.activeUsers + step } },
  'usage.seatUtilisation ↑': (s, step) =>
    s.usage?.seatUtilisation == null
      ? null
      : { ...s, usage: { ...s.usage, seatUtilisation: s.usage.seatUtilisation + step / 10 } },
  'usage.activeUserTrendPct ↑': (s, step) =>
    s.usage?.activeUserTrendPct == null
      ? null
      : { ...s, usage: { ...s.usage, activeUserTrendPct: s.usage.activeUserTrendPct + step * 5 } },
  'usage.adoptionBreadth ↑': (s, step) =>
    s.usage?.adoptionBreadth == null
      ? null
      : { ...s, usage: { ...s.usage, adoptionBreadth: Math.min(1, s.usage.adoptionBreadth + step / 10) } },
  'usage.apiCallsLast30Days ↑': (s, step) =>
    s.usage && {
      ...s,
      usage: { ...s.usage, apiCallsLast30Days: s.usage.apiCallsLast30Days + Math.ceil(step * 100) },
    },
  'usage.integrationFailureRate ↓': (s, step) =>
    s.usage?.integrationFailureRate == null
      ? null
      : {
          ...s,
          usage: { ...s.usage, integrationFailureRate: lower(s.usage.integrationFailureRate, step / 10) },
        },
  'usage.activeIntegrations ↑': (s, step) =>
    s.usage?.activeIntegrations == null
      ? null
      : { ...s, usage: { ...s.usage, activeIntegrations: s.usage.activeIntegrations + Math.ceil(step) } },
  'usage.daysSinceLastLogin ↓': (s, step) =>
    s.usage?.daysSinceLastLogin == null
      ? null
      : {
          ...s,
          usage: { ...s.usage, daysSinceLastLogin: lower(s.usage.daysSinceLastLogin, Math.ceil(step)) },
        },
  'support.openTickets ↓': (s, step) =>
    s.support && {
      ...s,
      support: { ...s.support, openTickets: lower(s.support.openTickets, Math.ceil(step)) },
    },
  'support.avgResolutionDays ↓': (s, step) =>
    s.support?.avgResolutionDays == null
      ? null
      : { ...s, support: { ...s.support, avgResolutionDays: lower(s.support.avgResolutionDays, step) } },
  'support.escalationsLast90Days ↓': (s, step) =>
    s.support && {
      ...s,
      support: {
        ...s.support,
        escalationsLast90Days: lower(s.support.escalationsLast90Days, Math.ceil(step)),
      },
    },
  'support.negativeTicketsLast90Days ↓': (s, step) =>
    s.support && {
      ...s,
      support: {
        ...s.support,
        negativeTicketsLast90Days: lower(s.support.negativeTicketsLast90Days, Math.ceil(step)),
      },
    },
  'relationship.engagedContacts ↑': (s, step) =>
    s.relationship && {
      ...s,
      relationship: { ...s.relationship, engagedContacts: s.relationship.engagedContacts + Math.ceil(step) },
    },
  'relationship.championPresent ↑': (s) =>
    s.relationship && { ...s, relationship: { ...s.relationship, championPresent: true } },
  'relationship.execSponsorPresent ↑': (s) =>
    s.relationship && { ...s, relationship: { ...s.relationship, execSponsorPresent: true } },
  'relationship.daysSinceLastQbr ↓': (s, step) =>
    s.relationship && {
      ...s,
      relationship: {
        ...s.relationship,
        // A QBR held (at any time) is better than none on record.
        daysSinceLastQbr:
          s.relationship.daysSinceLastQbr === null
            ? 365 + Math.ceil(step)
            : lower(s.relationship.daysSinceLastQbr, Math.ceil(step * 10)),
      },
    },
  'contract.daysToRenewal ↑': (s, step) =>
    s.contract?.daysToRenewal == null
      ? null
      : { ...s, contract: { ...s.contract, daysToRenewal: s.contract.daysToRenewal + Math.ceil(step * 10) } },
  'contract.autoRenew ↑': (s) =>
    s.contract?.autoRenew == null ? null : { ...s, contract: { ...s.contract, autoRenew: true } },
  'contract.expansionsLast12Months ↑': (s, step) =>
    s.contract && {
      ...s,
      contract: {
        ...s.contract,
        expansionsLast12Months: s.contract.expansionsLast12Months + Math.ceil(step),
      },
    },
  'contract.contractionsLast12Months ↓': (s, step) =>
    s.contract && {
      ...s,
      contract: {
        ...s.contract,
        contractionsLast12Months: lower(s.contract.contractionsLast12Months, Math.ceil(step)),
      },
    },
  'outcomes.goalsMet ↑': (s, step) =>
    s.outcomes && {
      ...s,
      outcomes: { ...s.outcomes, goalsMet: (s.outcomes.goalsMet ?? 0) + Math.ceil(step) },
    },
  'outcomes.roiDocumented ↑': (s) => s.outcomes && { ...s, outcomes: { ...s.outcomes, roiDocumented: true } },
  'plan.status ↑': (s) =>
    s.plan && { ...s, plan: { ...s.plan, status: s.plan.status === 'lapsed' ? 'trial' : 'paid' } },
  'nps.score ↑': (s, step) => s.nps && { ...s, nps: { ...s.nps, score: Math.min(10, s.nps.score + step) } },
  'flags.open ↓': (s, step) =>
    s.flags && { ...s, flags: { ...s.flags, open: lower(s.flags.open, Math.ceil(step)) } },
  'flags.critical ↓': (s, step) =>
    s.flags && { ...s, flags: { ...s.flags, critical: lower(s.flags.critical, Math.ceil(step)) } },
};

describe('scoreAccount properties', () => {
  it('always scores within 0-100, with coverage within 0-100', () => {
    fc.assert(
      fc.property(arbitrarySignals, arbitraryConfig, (signals, config) => {
        const result = scoreAccount(signals, config, { now });
        if (result.score !== null) {
          expect(result.score).toBeGreaterThanOrEqual(0);
          expect(result.score).toBeLessThanOrEqual(100);
        }
        expect(result.coverage).toBeGreaterThanOrEqual(0);
        expect(result.coverage).toBeLessThanOrEqual(100);
        for (const factor of result.factors) {
          if (factor.value !== null) expect(factor.value >= 0 && factor.value <= 100).toBe(true);
        }
      }),
    );
  });

  it.each(Object.keys(improvements))('never falls when %s improves', (name) => {
    const improve = improvements[name]!;
    fc.assert(
      fc.property(
        arbitrarySignals,
        arbitraryConfig,
        fc.double({ min: 0.01, max: 20, noNaN: true }),
        (signals, config, step) => {
          const better = improve(signals, step);
          if (better === null) return;
          const before = scoreAccount(signals, config, { now });
          const after = scoreAccount(better, config, { now });
          if (before.score === null) return;
          expect(after.score!).toBeGreaterThanOrEqual(before.score);
          for (const factor of after.factors) {
            const was = before.factors.find((candidate) => candidate.key === factor.key)!;
            if (was.value !== null) expect(factor.value!).toBeGreaterThanOrEqual(was.value);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is unchanged by adding a factor that has no data (only coverage drops)', () => {
    fc.assert(
      fc.property(
        arbitrarySignals,
        arbitraryConfig,
        fc.integer({ min: 1, max: 100 }),
        (signals, config, weight) => {
          const withEmpty: HealthConfig = {
            ...config,
            factors: [
              ...config.factors,
              {
                key: 'never_reported',
                label: 'Never reported',
                enabled: true,
                weight,
                custom: {
                  kind: 'numeric',
                  source: 'attribute',
                  name: 'never_reported',
                  direction: 'higher_is_better',
                  points: [
                    { value: 0, score: 0 },
                    { value: 1, score: 100 },
                  ],
                },
              },
            ],
          };
          const before = scoreAccount(signals, config, { now });
          const after = scoreAccount(signals, withEmpty, { now });
          expect(after.score).toBe(before.score);
          expect(after.coverage).toBeLessThanOrEqual(before.coverage);
        },
      ),
    );
  });

  it('depends only on the ratios of the weights of factors with data', () => {
    fc.assert(
      fc.property(
        arbitrarySignals,
        arbitraryConfig,
        fc.integer({ min: 2, max: 9 }),
        (signals, config, factor) => {
          const scaled: HealthConfig = {
            ...config,
            factors: config.factors.map((entry) => ({ ...entry, weight: entry.weight * factor })),
          };
          const before = scoreAccount(signals, config, { now });
          const after = scoreAccount(signals, scaled, { now });
          if (before.score === null) expect(after.score).toBeNull();
          else expect(Math.abs(after.score! - before.score)).toBeLessThanOrEqual(0.1);
          expect(after.coverage).toBeCloseTo(before.coverage, 5);
        },
      ),
    );
  });

  it('names as drivers the three biggest non-zero moves each way, biggest first', () => {
    const previousPoints = fc.dictionary(
      fc.constantFrom(...builtInFactorKeys),
      fc.double({ min: 0, max: 40, noNaN: true }).map((points) => Math.round(points * 100) / 100),
    );
    fc.assert(
      fc.property(arbitrarySignals, arbitraryConfig, previousPoints, (signals, config, points) => {
        const previous: PreviousScore = {
          score: 50,
          tier: null,
          computedAt: '2026-11-21T12:00:00.000Z',
          factors: Object.fromEntries(
            Object.entries(points).map(([key, value]) => [key, { value: 50, points: value }]),
          ),
        };
        const result = scoreAccount(signals, config, { now, previous });
        const changes = result.factors
          .map((factor) => ({
            key: factor.key,
            change: Math.round((factor.points - (points[factor.key] ?? 0)) * 100) / 100,
          }))
          .filter((entry) => entry.change !== 0);
        const ups = changes.filter((entry) => entry.change > 0).sort((a, b) => b.change - a.change);
        const downs = changes.filter((entry) => entry.change < 0).sort((a, b) => a.change - b.change);
        expect(result.drivers.up.map((driver) => driver.pointsChange)).toEqual(
          ups.slice(0, 3).map((entry) => entry.change),
        );
        expect(result.drivers.down.map((driver) => driver.pointsChange)).toEqual(
          downs.slice(0, 3).map((entry) => entry.change),
        );
        for (const driver of [...result.drivers.up, ...result.drivers.down]) {
          const factor = result.factors.find((candidate) => candidate.key === driver.factorKey)!;
          expect(driver.label).toBe(factor.label);
          expect(driver.pointsChange).toBeCloseTo(factor.points - (points[factor.key] ?? 0), 2);
          expect(driver.explanation.startsWith(factor.label)).toBe(true);
        }
      }),
    );
  });
});
