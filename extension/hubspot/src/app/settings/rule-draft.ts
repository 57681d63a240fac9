import type { RecommendationRule, RuleSignal } from '@pulse/shared/recommendations/rules';

import type { RuleInput } from '../shared/pulse-client';

/**
 * The rule form edits lists as comma-separated text; these convert between that and the rule the
 * API takes. Validation stays on the server (validateRule), whose field errors the form shows.
 */

export interface RuleDraft {
  productId: string;
  prerequisites: string;
  exclusions: string;
  industries: string;
  minEmployees: number | null;
  maxEmployees: number | null;
  baseScore: number;
  active: boolean;
  signals: RuleSignal[];
}

export const emptyRuleDraft: RuleDraft = {
  productId: '',
  prerequisites: '',
  exclusions: '',
  industries: '',
  minEmployees: null,
  maxEmployees: null,
  baseScore: 50,
  active: true,
  signals: [],
};

export function draftFromRule(rule: RecommendationRule): RuleDraft {
  return {
    productId: rule.productId,
    prerequisites: rule.prerequisites.join(', '),
    exclusions: rule.exclusions.join(', '),
    industries: rule.industries.join(', '),
    minEmployees: rule.minEmployees,
    maxEmployees: rule.maxEmployees,
    baseScore: rule.baseScore,
    active: rule.active,
    signals: rule.signals,
  };
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function ruleInputFromDraft(draft: RuleDraft): RuleInput {
  return {
    productId: draft.productId.trim(),
    prerequisites: list(draft.prerequisites),
    exclusions: list(draft.exclusions),
    industries: list(draft.industries),
    minEmployees: draft.minEmployees,
    maxEmployees: draft.maxEmployees,
    baseScore: draft.baseScore,
    active: draft.active,
    signals: draft.signals,
  };
}

export function ruleInputFromRule(rule: RecommendationRule): RuleInput {
  const { id: _id, ...input } = rule;
  return input;
}

function points(weight: number): string {
  return weight >= 0 ? `+${weight}` : String(weight);
}

export function describeSignal(signal: RuleSignal): string {
  switch (signal.type) {
    case 'renewal_within_days':
      return `Renewal within ${signal.days} days ${points(signal.weight)}`;
    case 'revenue_growth_percent':
      return `Revenue growth ≥ ${signal.percent}% ${points(signal.weight)}`;
    case 'usage_metric_above':
      return `${signal.metric} above ${signal.threshold} ${points(signal.weight)}`;
    case 'usage_metric_below':
      return `${signal.metric} below ${signal.threshold} ${points(signal.weight)}`;
    case 'subscription_expired':
      return `${signal.productId} subscription expired ${points(signal.weight)}`;
    case 'health_tier_is':
      return `Health tier is ${signal.tier} ${points(signal.weight)}`;
    case 'seat_utilisation_above':
      return `Seat utilisation above ${signal.percent}% ${points(signal.weight)}`;
  }
}

/** What the "add signal" row holds before it becomes a signal. */
export interface SignalDraft {
  type: RuleSignal['type'];
  number: number;
  text: string;
  weight: number;
}

export const signalTypeLabels: Record<RuleSignal['type'], string> = {
  renewal_within_days: 'Renewal within N days',
  revenue_growth_percent: 'Revenue growth at least N%',
  usage_metric_above: 'Usage metric above N',
  usage_metric_below: 'Usage metric below N',
  subscription_expired: 'Related subscription expired',
  health_tier_is: 'Health tier is',
  seat_utilisation_above: 'Seat utilisation above N%',
};

/** Which inputs a signal type needs: a number (and its label), a text (and its label). */
export function signalInputs(type: RuleSignal['type']): { number?: string; text?: string } {
  switch (type) {
    case 'renewal_within_days':
      return { number: 'Days' };
    case 'revenue_growth_percent':
    case 'seat_utilisation_above':
      return { number: 'Percent' };
    case 'usage_metric_above':
    case 'usage_metric_below':
      return { number: 'Threshold', text: 'Usage metric' };
    case 'subscription_expired':
      return { text: 'Product id' };
    case 'health_tier_is':
      return { text: 'Tier key' };
  }
}

export function signalFromDraft(draft: SignalDraft): RuleSignal {
  const weight = draft.weight;
  switch (draft.type) {
    case 'renewal_within_days':
      return { type: draft.type, days: draft.number, weight };
    case 'revenue_growth_percent':
    case 'seat_utilisation_above':
      return { type: draft.type, percent: draft.number, weight };
    case 'usage_metric_above':
    case 'usage_metric_below':
      return { type: draft.type, metric: draft.text.trim(), threshold: draft.number, weight };
    case 'subscription_expired':
      return { type: draft.type, productId: draft.text.trim(), weight };
    case 'health_tier_is':
      return { type: draft.type, tier: draft.text.trim(), weight };
  }
}
