import type { FiredAlert } from '../alerts/evaluate';
import { crossedAbove, crossedBelow, type Observation } from '../alerts/observation';
import type { WorkflowTrigger } from './definition';

/** One firing of a trigger; `key` tells firings of the same scoring apart (idempotency). */
export interface TriggerEvent {
  key: string;
  description: string;
  /** The renewal / onboarding milestone (days) for milestone triggers. */
  milestone: number | null;
}

/**
 * The trigger's firings between two observations of one account. Like alerts, every trigger is a
 * crossing, so a re-score that changes nothing fires nothing, and a milestone skipped over during a
 * gap in scoring still fires once.
 */
export function triggerEvents(
  trigger: WorkflowTrigger,
  previous: Observation | null,
  current: Observation,
  alerts: readonly (FiredAlert & { ruleId: string })[],
): TriggerEvent[] {
  if (trigger.type === 'alert_fired') {
    return alerts
      .filter(
        (alert) =>
          (trigger.ruleId === null || alert.ruleId === trigger.ruleId) &&
          (trigger.severity === null || alert.severity === trigger.severity),
      )
      .map((alert) => ({
        key: `alert:${alert.ruleId}`,
        description: `Alert "${alert.ruleName}" fired: ${alert.message}`,
        milestone: null,
      }));
  }
  if (!previous) return [];
  switch (trigger.type) {
    case 'score_change': {
      if (previous.score === null || current.score === null) return [];
      const change = current.score - previous.score;
      const matches =
        Math.abs(change) >= trigger.minChange &&
        (trigger.direction === 'either' || (trigger.direction === 'down' ? change < 0 : change > 0));
      if (!matches) return [];
      const rounded = Math.round(change * 10) / 10;
      return [
        {
          key: 'score',
          description: `Health score changed by ${rounded > 0 ? '+' : ''}${rounded} (${previous.score} → ${current.score})`,
          milestone: null,
        },
      ];
    }
    case 'tier_change': {
      if (previous.tier === null || current.tier === null || previous.tier === current.tier) return [];
      if (trigger.to !== null && current.tier !== trigger.to) return [];
      return [
        {
          key: 'tier',
          description: `Tier changed from ${previous.tier} to ${current.tier}`,
          milestone: null,
        },
      ];
    }
    case 'usage_milestone': {
      const before = previous.usage[trigger.metric] ?? null;
      const after = current.usage[trigger.metric] ?? null;
      const crossed =
        trigger.direction === 'reaches'
          ? crossedAbove(before, after, trigger.value)
          : crossedBelow(before, after, trigger.value);
      if (!crossed) return [];
      const verb = trigger.direction === 'reaches' ? 'reached' : 'dropped below';
      return [
        {
          key: `usage:${trigger.metric}`,
          description: `${trigger.metric} ${verb} ${trigger.value} (${before} → ${after})`,
          milestone: null,
        },
      ];
    }
    case 'renewal_approaching':
      return countdown(previous.daysToRenewal, current.daysToRenewal, trigger.daysBefore).map((days) => ({
        key: `renewal:${days}`,
        description: `Renewal in ${current.daysToRenewal} days (the ${days}-day milestone)`,
        milestone: days,
      }));
    case 'onboarding_day':
      return countup(previous.customerDays, current.customerDays, trigger.days).map((days) => ({
        key: `onboarding:${days}`,
        description: `Day ${current.customerDays} as a customer (the day-${days} check-in)`,
        milestone: days,
      }));
  }
}

/** Milestones passed while a count of days went down: previous above, current at or below. */
function countdown(previous: number | null, current: number | null, milestones: number[]): number[] {
  if (previous === null || current === null || current < 0) return [];
  return [...new Set(milestones)].filter((days) => previous > days && current <= days).sort((a, b) => b - a);
}

/** Milestones passed while a count of days went up: previous below, current at or above. */
function countup(previous: number | null, current: number | null, milestones: number[]): number[] {
  if (previous === null || current === null) return [];
  return [...new Set(milestones)].filter((days) => previous < days && current >= days).sort((a, b) => a - b);
}
