import { crossedAbove, crossedBelow, type Observation } from './observation';
import type { AlertCondition, AlertRule, AlertSeverity } from './rules';

/** A rule that fired for one account on one scoring. */
export interface FiredAlert {
  ruleId: string;
  ruleName: string;
  severity: AlertSeverity;
  metric: AlertCondition['metric'];
  previousValue: number | string | null;
  currentValue: number | string | null;
  message: string;
}

/**
 * Which enabled rules fire between two observations of one account. Pure: a crossing is "previous
 * on one side, current on the other", so an account that stays below a threshold on every hourly
 * re-score fires once, and fires again only after going back above and crossing down once more.
 * Without a previous observation (first scoring) nothing fires: there is nothing to cross from.
 */
export function evaluateAlerts(
  previous: Observation | null,
  current: Observation,
  rules: readonly AlertRule[],
  accountName: string,
): FiredAlert[] {
  if (!previous) return [];
  const fired: FiredAlert[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const hit = crossingOf(rule.when, previous, current, accountName);
    if (hit)
      fired.push({
        ruleId: rule.id,
        ruleName: rule.name,
        severity: rule.severity,
        metric: rule.when.metric,
        ...hit,
      });
  }
  return fired;
}

function crossingOf(
  when: AlertCondition,
  previous: Observation,
  current: Observation,
  accountName: string,
): Pick<FiredAlert, 'previousValue' | 'currentValue' | 'message'> | null {
  switch (when.metric) {
    case 'health_score':
    case 'churn_risk': {
      const key = when.metric === 'health_score' ? 'score' : 'churnRisk';
      const label = when.metric === 'health_score' ? 'Health score' : 'Churn risk';
      const before = previous[key];
      const after = current[key];
      const crossed =
        when.condition === 'crosses_below'
          ? crossedBelow(before, after, when.threshold)
          : crossedAbove(before, after, when.threshold);
      if (!crossed) return null;
      const direction = when.condition === 'crosses_below' ? 'below' : 'above';
      return {
        previousValue: before,
        currentValue: after,
        message: `${label} of ${accountName} went ${direction} ${when.threshold}: ${before} → ${after}`,
      };
    }
    case 'tier':
      if (current.tier !== when.tier || previous.tier === when.tier || previous.tier === null) return null;
      return {
        previousValue: previous.tier,
        currentValue: current.tier,
        message: `${accountName} moved from tier ${previous.tier} to ${current.tier}`,
      };
    case 'flag': {
      const raised = current.flagTypes.filter(
        (type) => !previous.flagTypes.includes(type) && (when.flagType === null || type === when.flagType),
      );
      if (raised.length === 0) return null;
      return {
        previousValue: null,
        currentValue: raised.join(', '),
        message: `${accountName}: flag raised (${raised.join(', ')})`,
      };
    }
  }
}
