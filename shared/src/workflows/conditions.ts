import type { FieldCondition, WorkflowCondition } from './definition';

/** What conditions can test about an account. */
export interface AccountFacts {
  accountId: string;
  name: string;
  ownerId: string | null;
  ownerName: string | null;
  region: string | null;
  industry: string | null;
  /** Product lines of the account's active subscriptions. */
  productLines: string[];
  csOptOut: boolean;
  arr: number;
  attributes: Record<string, string | number | boolean | null>;
}

type Scalar = string | number | boolean | null;

/** Evaluates a condition tree; a missing tree matches every account. */
export function matchesConditions(
  condition: WorkflowCondition | null,
  facts: AccountFacts,
  metrics: { tier: string | null; score: number | null; churnRisk: number | null },
): boolean {
  if (condition === null) return true;
  if ('all' in condition) return condition.all.every((child) => matchesConditions(child, facts, metrics));
  if ('any' in condition) return condition.any.some((child) => matchesConditions(child, facts, metrics));
  if ('not' in condition) return !matchesConditions(condition.not, facts, metrics);
  return matchesField(condition, valuesOf(condition.field, facts, metrics));
}

/** A field's values: one for most, every product line for `productLine` (any may match). */
function valuesOf(
  field: string,
  facts: AccountFacts,
  metrics: { tier: string | null; score: number | null; churnRisk: number | null },
): Scalar[] {
  switch (field) {
    case 'tier':
      return [metrics.tier];
    case 'score':
      return [metrics.score];
    case 'churnRisk':
      return [metrics.churnRisk];
    case 'region':
      return [facts.region];
    case 'industry':
      return [facts.industry];
    case 'ownerId':
      return [facts.ownerId];
    case 'arr':
      return [facts.arr];
    case 'productLine':
      return facts.productLines.length > 0 ? facts.productLines : [null];
    default:
      return [facts.attributes[field.slice('attributes.'.length)] ?? null];
  }
}

function same(left: Scalar, right: Scalar | undefined): boolean {
  if (typeof left === 'string' && typeof right === 'string')
    return left.toLowerCase() === right.toLowerCase();
  return left === right;
}

function matchesField(condition: FieldCondition, values: Scalar[]): boolean {
  const expected = condition.value;
  switch (condition.op) {
    case 'exists':
      return values.some((value) => value !== null && value !== '');
    case 'eq':
      return values.some((value) => same(value, expected as Scalar));
    case 'neq':
      return values.every((value) => !same(value, expected as Scalar));
    case 'in':
      return values.some((value) => (expected as (string | number)[]).some((item) => same(value, item)));
    case 'not_in':
      return values.every((value) => !(expected as (string | number)[]).some((item) => same(value, item)));
    default: {
      const limit = expected as number;
      return values.some((value) => {
        if (typeof value !== 'number') return false;
        if (condition.op === 'gt') return value > limit;
        if (condition.op === 'gte') return value >= limit;
        if (condition.op === 'lt') return value < limit;
        return value <= limit;
      });
    }
  }
}
