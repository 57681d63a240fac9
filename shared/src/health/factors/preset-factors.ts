import { countOf, curve, daysAgo, formatNumber, scoreOn, signedPercent } from '../curves';
import type { AccountSignals } from '../signals';
import { parseIsoMs } from '../time';
import { evaluatePayment } from './default-factors';
import type { FactorDefinition, FactorEvaluation } from './factor';
import { PartialScores } from './factor';

/**
 * Factors only the other presets use: `outcomes` and `financial` (five-dimension model, seed 002)
 * and the workspace-activity factors (seed 003). The five-dimension model reuses the default
 * `usage`, `engagement` and `relationship` factors.
 */

export const outcomeCurves = {
  /** Share of success-plan goals met: none met ~ 0-30, some ~ 40-60, all = 100 (seed 002). */
  goalAttainment: curve([
    [0, 0],
    [0.5, 60],
    [1, 100],
  ]),
};
export const outcomePartWeights = { goalAttainment: 0.7, roiDocumented: 0.3 };

export function evaluateOutcomes(signals: AccountSignals): FactorEvaluation | null {
  const outcomes = signals.outcomes;
  if (outcomes === null) return null;
  const parts = new PartialScores();
  const pieces: string[] = [];
  const attainment =
    outcomes.goalsTotal !== null && outcomes.goalsTotal > 0
      ? Math.min(1, Math.max(0, (outcomes.goalsMet ?? 0) / outcomes.goalsTotal))
      : null;
  if (attainment !== null) {
    parts.add(scoreOn(outcomeCurves.goalAttainment, attainment), outcomePartWeights.goalAttainment);
    pieces.push(`${formatNumber(outcomes.goalsMet ?? 0)} of ${countOf(outcomes.goalsTotal!, 'goal')} met`);
  }
  if (outcomes.roiDocumented !== null) {
    parts.add(outcomes.roiDocumented ? 100 : 0, outcomePartWeights.roiDocumented);
    pieces.push(outcomes.roiDocumented ? 'ROI documented' : 'ROI not documented');
  }
  return {
    value: parts.value(),
    signals: [
      { key: 'goalsTotal', label: 'Success-plan goals', value: outcomes.goalsTotal, unit: 'goals' },
      { key: 'goalsMet', label: 'Goals met', value: outcomes.goalsMet, unit: 'goals' },
      { key: 'roiDocumented', label: 'ROI documented', value: outcomes.roiDocumented },
    ],
    explanation: pieces.join(', '),
    asOf: outcomes.asOf,
  };
}

export const financialCurves = {
  /** Won expansions minus won contractions in 12 months: contracting 0-10, flat 25, expanding 75-100. */
  netExpansions: curve([
    [-2, 0],
    [-1, 10],
    [0, 25],
    [1, 75],
    [2, 100],
  ]),
};
export const financialPartWeights = { payment: 0.6, netExpansions: 0.4 };

export function evaluateFinancial(signals: AccountSignals): FactorEvaluation | null {
  const payment = evaluatePayment(signals);
  const contract = signals.contract;
  if (payment === null && contract === null) return null;
  const parts = new PartialScores();
  const pieces: string[] = [];
  if (payment !== null) {
    parts.add(payment.value, financialPartWeights.payment);
    pieces.push(payment.explanation);
  }
  let net: number | null = null;
  if (contract !== null) {
    net = contract.expansionsLast12Months - contract.contractionsLast12Months;
    parts.add(scoreOn(financialCurves.netExpansions, net), financialPartWeights.netExpansions);
    pieces.push(
      `${countOf(contract.expansionsLast12Months, 'expansion')} and ${countOf(contract.contractionsLast12Months, 'contraction')} in 12 months`,
    );
  }
  const paymentAsOf = payment?.asOf ?? null;
  const contractAsOf = contract?.asOf ?? null;
  return {
    value: parts.value(),
    signals: [
      ...(payment?.signals ?? []),
      { key: 'netExpansions', label: 'Net expansions (12 months)', value: net, unit: 'deals' },
    ],
    explanation: pieces.join('; '),
    asOf:
      paymentAsOf === null || (contractAsOf !== null && parseIsoMs(contractAsOf) > parseIsoMs(paymentAsOf))
        ? contractAsOf
        : paymentAsOf,
  };
}

export const workspaceCurves = {
  daysSinceLastLogin: curve([
    [1, 100],
    [7, 85],
    [14, 60],
    [30, 20],
    [60, 0],
  ]),
  activeIntegrations: curve([
    [0, 0],
    [1, 60],
    [2, 80],
    [4, 100],
  ]),
  integrationFailureRate: curve([
    [0, 100],
    [0.05, 80],
    [0.2, 30],
    [0.5, 0],
  ]),
  activeMembers: curve([
    [0, 0],
    [1, 25],
    [3, 55],
    [5, 75],
    [10, 100],
  ]),
  activeUserTrendPct: curve([
    [-50, 0],
    [-20, 30],
    [0, 60],
    [10, 80],
    [30, 100],
  ]),
  /** Open flags, a critical flag counting twice. */
  weightedOpenFlags: curve([
    [0, 100],
    [1, 70],
    [2, 45],
    [4, 15],
    [6, 0],
  ]),
  nps: curve([
    [0, 0],
    [6, 40],
    [7, 65],
    [8, 75],
    [9, 90],
    [10, 100],
  ]),
};
export const planScores = { paid: 100, trial: 50, lapsed: 0 } as const;

export function evaluateKeyActionRecency(signals: AccountSignals): FactorEvaluation | null {
  const usage = signals.usage;
  if (usage === null) return null;
  const days = usage.daysSinceLastLogin;
  return {
    value: days === null ? 0 : scoreOn(workspaceCurves.daysSinceLastLogin, days),
    signals: [{ key: 'daysSinceLastLogin', label: 'Days since last login', value: days, unit: 'days' }],
    explanation: days === null ? 'Nobody has logged in yet' : `Last login ${daysAgo(days)}`,
    asOf: usage.asOf,
  };
}

export function evaluateIntegrations(signals: AccountSignals): FactorEvaluation | null {
  const usage = signals.usage;
  if (usage === null || (usage.activeIntegrations === null && usage.integrationFailureRate === null))
    return null;
  const parts = new PartialScores();
  const pieces: string[] = [];
  if (usage.activeIntegrations !== null) {
    parts.add(scoreOn(workspaceCurves.activeIntegrations, usage.activeIntegrations), 0.6);
    pieces.push(`${countOf(usage.activeIntegrations, 'active integration')}`);
  }
  if (usage.integrationFailureRate !== null) {
    parts.add(scoreOn(workspaceCurves.integrationFailureRate, usage.integrationFailureRate), 0.4);
    pieces.push(`${formatNumber(usage.integrationFailureRate * 100)}% of calls failing`);
  }
  return {
    value: parts.value(),
    signals: [
      {
        key: 'activeIntegrations',
        label: 'Active integrations',
        value: usage.activeIntegrations,
        unit: 'integrations',
      },
      {
        key: 'integrationFailureRate',
        label: 'Integration failure rate',
        value: usage.integrationFailureRate,
        unit: 'ratio',
      },
    ],
    explanation: pieces.join(', '),
    asOf: usage.asOf,
  };
}

export function evaluateActiveMembers(signals: AccountSignals): FactorEvaluation | null {
  const usage = signals.usage;
  if (usage === null) return null;
  return {
    value: scoreOn(workspaceCurves.activeMembers, usage.activeUsers),
    signals: [
      {
        key: 'activeUsers',
        label: 'Active members (daily average)',
        value: usage.activeUsers,
        unit: 'users',
      },
    ],
    explanation: `${formatNumber(usage.activeUsers, 1)} active members a day`,
    asOf: usage.asOf,
  };
}

export function evaluateUsageTrend(signals: AccountSignals): FactorEvaluation | null {
  const usage = signals.usage;
  if (usage === null || usage.activeUserTrendPct === null) return null;
  return {
    value: scoreOn(workspaceCurves.activeUserTrendPct, usage.activeUserTrendPct),
    signals: [
      {
        key: 'activeUserTrendPct',
        label: 'Active users vs prior 30 days',
        value: usage.activeUserTrendPct,
        unit: '%',
      },
    ],
    explanation: `Active users ${signedPercent(usage.activeUserTrendPct)} vs prior 30 days`,
    asOf: usage.asOf,
  };
}

export function evaluateFlagRate(signals: AccountSignals): FactorEvaluation | null {
  const flags = signals.flags;
  if (flags === null) return null;
  return {
    value: scoreOn(workspaceCurves.weightedOpenFlags, flags.open + flags.critical),
    signals: [
      { key: 'openFlags', label: 'Open flags', value: flags.open, unit: 'flags' },
      { key: 'criticalFlags', label: 'Critical open flags', value: flags.critical, unit: 'flags' },
    ],
    explanation:
      flags.open === 0
        ? 'No open flags'
        : `${countOf(flags.open, 'open flag')} (${formatNumber(flags.critical)} critical)`,
    asOf: null,
  };
}

export function evaluatePlan(signals: AccountSignals): FactorEvaluation | null {
  const plan = signals.plan;
  if (plan === null) return null;
  return {
    value: planScores[plan.status],
    signals: [
      { key: 'status', label: 'Plan', value: plan.status },
      {
        key: 'paidSubscriptions',
        label: 'Paid subscriptions',
        value: plan.paidSubscriptions,
        unit: 'subscriptions',
      },
    ],
    explanation:
      plan.status === 'paid'
        ? 'Paying customer'
        : plan.status === 'trial'
          ? 'On a trial'
          : 'Subscription lapsed',
    asOf: plan.asOf,
  };
}

export function evaluateNps(signals: AccountSignals): FactorEvaluation | null {
  const nps = signals.nps;
  if (nps === null) return null;
  return {
    value: scoreOn(workspaceCurves.nps, nps.score),
    signals: [{ key: 'nps', label: 'Likelihood to recommend (0-10)', value: nps.score }],
    explanation: `Rated ${formatNumber(nps.score, 1)} of 10 for likelihood to recommend`,
    asOf: nps.asOf,
  };
}

export const fiveDimensionFactors: readonly FactorDefinition[] = [
  {
    key: 'outcomes',
    label: 'Outcomes',
    description:
      'Success-plan goals met and ROI documented (attributes success_goals_total/met, roi_documented)',
    evaluate: evaluateOutcomes,
  },
  {
    key: 'financial',
    label: 'Financial',
    description: 'Payment history and expansion/contraction history',
    evaluate: evaluateFinancial,
  },
];

export const workspaceActivityFactors: readonly FactorDefinition[] = [
  {
    key: 'key_action_recency',
    label: 'Recency of key actions',
    description: 'Days since anyone last logged in to the product',
    evaluate: evaluateKeyActionRecency,
  },
  {
    key: 'integrations',
    label: 'Integrations',
    description: 'Active integrations and their failure rate',
    evaluate: evaluateIntegrations,
  },
  {
    key: 'active_members',
    label: 'Active members',
    description: 'Average daily active users over the last 30 days',
    evaluate: evaluateActiveMembers,
  },
  {
    key: 'usage_trend',
    label: '30-day trend',
    description: 'Active users over the last 30 days vs the 30 before',
    evaluate: evaluateUsageTrend,
  },
  {
    key: 'flag_rate',
    label: 'Flag rate',
    description: 'Open churn-signal flags, critical ones counting twice',
    evaluate: evaluateFlagRate,
  },
  {
    key: 'plan',
    label: 'Trial / paid',
    description: 'Paying, on a trial, or lapsed',
    evaluate: evaluatePlan,
  },
  {
    key: 'nps',
    label: 'NPS',
    description: 'Self-reported likelihood to recommend, 0-10 (attribute nps)',
    evaluate: evaluateNps,
  },
];
