import type { AccountSnapshot } from '../model';
import type { HealthConfig } from './config';
import { tierFor } from './config';
import { roundTo } from './curves';
import { evaluateCustomFactor } from './factors/custom-factor';
import type { FactorEvaluation } from './factors/factor';
import { factorLibrary } from './factors/library';
import type { AccountSignals, FlagSignals } from './signals';
import { deriveSignals } from './signals';
import { timeFrameAt } from './time';
import type { Driver, FactorResult, HealthResult, PreviousScore } from './types';

export interface ScoreOptions {
  now: Date;
  /** The account's previous scoring, to name what moved; omitted or null: no drivers. */
  previous?: PreviousScore | null;
}

export interface ScoreSnapshotOptions extends ScoreOptions {
  /** Open churn-signal flags (used by the `flag_rate` factor); omitted: that factor has no data. */
  openFlags?: FlagSignals | null;
}

const MAX_DRIVERS = 3;

type Evaluate = (signals: AccountSignals) => FactorEvaluation | null;

interface ResolvedFactor {
  factor: HealthConfig['factors'][number];
  evaluate: Evaluate;
}

const noData: Evaluate = () => null;

// The enabled factors of a config resolved to their evaluators once per config object rather than
// once per account. Keyed weakly by the config itself, so it never outlives it; configs are
// treated as immutable (a changed config is a new object).
const resolvedConfigs = new WeakMap<HealthConfig, ResolvedFactor[]>();

function enabledFactors(config: HealthConfig): ResolvedFactor[] {
  let resolved = resolvedConfigs.get(config);
  if (resolved === undefined) {
    resolved = config.factors
      .filter((factor) => factor.enabled)
      .map((factor) => {
        const custom = factor.custom;
        const evaluate: Evaluate = custom
          ? (signals) => evaluateCustomFactor(custom, factor.label, signals)
          : (factorLibrary[factor.key]?.evaluate ?? noData);
        return { factor, evaluate };
      });
    resolvedConfigs.set(config, resolved);
  }
  return resolved;
}

/**
 * The weighted health score of one account (docs/scoring.md). Factors without data are excluded
 * and the weights of the others renormalised to 100, so a missing signal never reads as a bad one;
 * `coverage` says how much of the configured weight had data.
 */
export function scoreAccount(
  signals: AccountSignals,
  config: HealthConfig,
  options: ScoreOptions,
): HealthResult {
  const configured = enabledFactors(config);
  const evaluations: (FactorEvaluation | null)[] = [];
  let enabledWeight = 0;
  let dataWeight = 0;
  for (const { factor, evaluate } of configured) {
    const evaluation = evaluate(signals);
    evaluations.push(evaluation);
    enabledWeight += factor.weight;
    if (evaluation !== null) dataWeight += factor.weight;
  }

  const factors: FactorResult[] = [];
  let total = 0;
  let index = 0;
  for (const { factor } of configured) {
    const evaluation = evaluations[index++]!;
    if (evaluation === null || dataWeight === 0) {
      factors.push({
        key: factor.key,
        label: factor.label,
        weight: factor.weight,
        value: null,
        effectiveWeight: 0,
        points: 0,
        signals: evaluation?.signals ?? [],
        explanation: evaluation === null ? 'No data' : evaluation.explanation,
        asOf: evaluation?.asOf ?? null,
      });
      continue;
    }
    const effectiveWeight = (factor.weight / dataWeight) * 100;
    const points = (evaluation.value * effectiveWeight) / 100;
    total += points;
    factors.push({
      key: factor.key,
      label: factor.label,
      weight: factor.weight,
      value: roundTo(evaluation.value, 1),
      effectiveWeight: roundTo(effectiveWeight, 2),
      points: roundTo(points, 2),
      signals: evaluation.signals,
      explanation: evaluation.explanation,
      asOf: evaluation.asOf,
    });
  }

  const score = dataWeight === 0 ? null : roundTo(total < 0 ? 0 : Math.min(total, 100), 1);
  const coverage = enabledWeight === 0 ? 0 : roundTo((dataWeight / enabledWeight) * 100, 1);
  const tier = tierFor(score, config);
  return {
    score,
    tier: tier?.key ?? null,
    tierLabel: tier?.label ?? null,
    coverage,
    lowCoverage: score === null || coverage < config.lowCoverageThreshold,
    factors,
    drivers: options.previous ? namedDrivers(factors, options.previous) : { up: [], down: [] },
    computedAt: timeFrameAt(options.now.getTime()).now.iso,
  };
}

function signedPoints(change: number): string {
  return (change > 0 ? '+' : '−') + Math.abs(change).toFixed(1);
}

/** The factors whose contributed points moved most since `previous`: top 3 up and top 3 down. */
function namedDrivers(factors: readonly FactorResult[], previous: PreviousScore): HealthResult['drivers'] {
  const up: Driver[] = [];
  const down: Driver[] = [];
  for (const factor of factors) {
    const before = previous.factors[factor.key];
    const change = roundTo(factor.points - (before?.points ?? 0), 2);
    if (change === 0) continue;
    const was = before?.value === null || before === undefined ? 'no data' : String(roundTo(before.value, 1));
    const now = factor.value === null ? 'no data' : String(factor.value);
    const driver: Driver = {
      factorKey: factor.key,
      label: factor.label,
      pointsChange: change,
      explanation: `${factor.label} ${signedPoints(change)} pts (${was} → ${now}): ${factor.explanation}`,
    };
    (change > 0 ? up : down).push(driver);
  }
  up.sort((first, second) => second.pointsChange - first.pointsChange);
  down.sort((first, second) => first.pointsChange - second.pointsChange);
  return { up: up.slice(0, MAX_DRIVERS), down: down.slice(0, MAX_DRIVERS) };
}

/** `deriveSignals` then `scoreAccount`: the health of one account snapshot at `options.now`. */
export function scoreSnapshot(
  snapshot: AccountSnapshot,
  config: HealthConfig,
  options: ScoreSnapshotOptions,
): HealthResult {
  const signals = deriveSignals(snapshot, options.now, { openFlags: options.openFlags ?? null });
  return scoreAccount(signals, config, options);
}
