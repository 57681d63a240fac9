import { describe, expect, it } from 'vitest';

import { defaultHealthConfig, type HealthConfig, healthPresets } from './config';
import { scoreAccount, scoreSnapshot } from './score';
import { deriveSignals } from './signals';
import { accountSnapshot } from './testing';
import type { PreviousScore } from './types';
import { workedNow, workedSnapshot } from './worked-example';

const now = workedNow;

describe('scoreSnapshot on the worked example', () => {
  const result = scoreSnapshot(workedSnapshot(), defaultHealthConfig, { now });

  it('weights the six default factors into the score docs/scoring.md derives', () => {
    expect(result.score).toBe(73.7);
    expect(result.tier).toBe('healthy');
    expect(result.tierLabel).toBe('Healthy');
    expect(result.coverage).toBe(100);
    expect(result.lowCoverage).toBe(false);
    expect(result.computedAt).toBe('2026-11-22T12:00:00.000Z');
  });

  it('explains every factor: value, weight, points, signals, a sentence and its date', () => {
    const payment = result.factors.find((factor) => factor.key === 'payment')!;
    expect(payment).toMatchObject({
      label: 'Payment health',
      weight: 25,
      value: 56.2,
      effectiveWeight: 25,
      points: 14.05,
      explanation: '1 invoice overdue (2,500), avg 18 days late',
      asOf: '2026-11-01T00:00:00.000Z',
    });
    expect(payment.signals.find((signal) => signal.key === 'avgDaysLate')?.value).toBe(18);
    const points = result.factors.reduce((sum, factor) => sum + factor.points, 0);
    expect(points).toBeCloseTo(result.score!, 1);
  });
});

describe('missing data', () => {
  it('excludes factors without data and renormalises the others', () => {
    const snapshot = workedSnapshot();
    const partial = { ...snapshot, usage: null, tickets: [] };
    const result = scoreSnapshot(partial, defaultHealthConfig, { now });
    const usage = result.factors.find((factor) => factor.key === 'usage')!;
    expect(usage).toMatchObject({
      value: null,
      points: 0,
      effectiveWeight: 0,
      explanation: 'No data',
      asOf: null,
    });
    expect(result.coverage).toBe(65);
    expect(result.lowCoverage).toBe(false);
    const payment = result.factors.find((factor) => factor.key === 'payment')!;
    expect(payment.effectiveWeight).toBeCloseTo((25 / 65) * 100, 2);
    const total = result.factors.reduce((sum, factor) => sum + factor.effectiveWeight, 0);
    expect(total).toBeCloseTo(100, 1);
  });

  it('marks a score backed by less than the threshold as low coverage', () => {
    const snapshot = accountSnapshot({ invoices: workedSnapshot().invoices });
    const result = scoreSnapshot(snapshot, defaultHealthConfig, { now });
    expect(result.coverage).toBe(25);
    expect(result.lowCoverage).toBe(true);
    // Without subscriptions there is no ARR to size the overdue amount against: that part drops out.
    expect(result.score).toBe(62.1);
  });

  it('gives no score, tier or coverage when nothing has data', () => {
    const result = scoreSnapshot(accountSnapshot(), defaultHealthConfig, { now });
    expect(result).toMatchObject({
      score: null,
      tier: null,
      tierLabel: null,
      coverage: 0,
      lowCoverage: true,
    });
    expect(result.factors).toHaveLength(6);
  });

  it('leaves disabled factors out of the result and the coverage', () => {
    const config: HealthConfig = {
      ...defaultHealthConfig,
      factors: defaultHealthConfig.factors.map((factor) =>
        factor.key === 'usage'
          ? { ...factor, enabled: false }
          : factor.key === 'payment'
            ? { ...factor, weight: 45 }
            : factor,
      ),
    };
    const result = scoreSnapshot({ ...workedSnapshot(), usage: null }, config, { now });
    expect(result.factors.map((factor) => factor.key)).not.toContain('usage');
    expect(result.coverage).toBe(100);
  });
});

describe('drivers', () => {
  const current = scoreSnapshot(workedSnapshot(), defaultHealthConfig, { now });
  const pointsOf = (key: string) => current.factors.find((factor) => factor.key === key)!.points;

  it('names the factors that moved most since the previous score, up and down', () => {
    const previous: PreviousScore = {
      score: 70,
      tier: 'healthy',
      computedAt: '2026-11-21T12:00:00.000Z',
      factors: {
        payment: { value: 80, points: pointsOf('payment') + 6 },
        engagement: { value: 60, points: pointsOf('engagement') - 4 },
        usage: { value: 81.2, points: pointsOf('usage') },
        support: { value: 90, points: pointsOf('support') + 2 },
        relationship: { value: 70, points: pointsOf('relationship') - 1 },
        contract: { value: null, points: 0 },
      },
    };
    const result = scoreSnapshot(workedSnapshot(), defaultHealthConfig, { now, previous });
    expect(result.drivers.up.map((driver) => [driver.factorKey, driver.pointsChange])).toEqual([
      ['contract', 6.25],
      ['engagement', 4],
      ['relationship', 1],
    ]);
    expect(result.drivers.down.map((driver) => [driver.factorKey, driver.pointsChange])).toEqual([
      ['payment', -6],
      ['support', -2],
    ]);
    expect(result.drivers.down[0]?.explanation).toBe(
      'Payment health −6.0 pts (80 → 56.2): 1 invoice overdue (2,500), avg 18 days late',
    );
    expect(result.drivers.up[0]?.explanation).toContain('(no data → 62.5)');
  });

  it('names none without a previous score', () => {
    expect(current.drivers).toEqual({ up: [], down: [] });
  });
});

describe('presets', () => {
  it('scores the worked example under every preset, using the tiers of that preset', () => {
    const signals = deriveSignals(workedSnapshot(), now, { openFlags: { open: 1, critical: 0 } });
    const five = scoreAccount(signals, healthPresets.five_dimension, { now });
    expect(five.coverage).toBe(100);
    expect(['thriving', 'healthy', 'at_risk', 'critical']).toContain(five.tier);
    const workspace = scoreAccount(signals, healthPresets.workspace_activity, { now });
    expect(workspace.coverage).toBe(100);
    expect(workspace.factors.find((factor) => factor.key === 'flag_rate')?.value).toBe(70);
    expect(['healthy', 'fine', 'touch']).toContain(workspace.tier);
  });
});
