import { z } from 'zod';

import type { Product } from '../model';

/**
 * A recommendation rule (seed 000, "Product Recommendations"): which product to suggest, to whom,
 * and which trigger signals raise its score. Each signal adds its weight when it holds.
 */

const weight = z.number().int('must be a whole number').min(-100).max(100);
const percent = z.number().min(0, 'must be 0 or more');

export const RuleSignal = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('renewal_within_days'),
    days: z.number().int('must be a whole number of days').min(1, 'must be at least 1').max(3650),
    weight,
  }),
  z.object({ type: z.literal('revenue_growth_percent'), percent, weight }),
  z.object({
    type: z.literal('usage_metric_above'),
    metric: z.string().trim().min(1, 'name a usage metric'),
    threshold: z.number(),
    weight,
  }),
  z.object({
    type: z.literal('usage_metric_below'),
    metric: z.string().trim().min(1, 'name a usage metric'),
    threshold: z.number(),
    weight,
  }),
  z.object({
    type: z.literal('subscription_expired'),
    productId: z.string().min(1, 'choose a product'),
    weight,
  }),
  z.object({ type: z.literal('health_tier_is'), tier: z.string().trim().min(1, 'choose a tier'), weight }),
  z.object({ type: z.literal('seat_utilisation_above'), percent: percent.max(1000), weight }),
]);
export type RuleSignal = z.infer<typeof RuleSignal>;
export const ruleSignalTypes = RuleSignal.options.map((option) => option.shape.type.value);

const employees = z.number().int('must be a whole number').nonnegative('must be 0 or more').nullable();

/** What an admin submits (no id: the store assigns it). */
export const RecommendationRuleInput = z
  .object({
    productId: z.string().min(1, 'choose the product to recommend'),
    prerequisites: z.array(z.string().min(1)).default([]),
    exclusions: z.array(z.string().min(1)).default([]),
    minEmployees: employees.default(null),
    maxEmployees: employees.default(null),
    industries: z.array(z.string().trim().min(1, 'must not be blank')).default([]),
    baseScore: z.number().int('must be a whole number').min(0, 'must be 0-100').max(100, 'must be 0-100'),
    active: z.boolean().default(true),
    signals: z.array(RuleSignal).max(20).default([]),
  })
  .strict()
  .superRefine((rule, context) => {
    if (rule.minEmployees !== null && rule.maxEmployees !== null && rule.minEmployees > rule.maxEmployees) {
      context.addIssue({
        code: 'custom',
        path: ['maxEmployees'],
        message: `must be at least minEmployees (${rule.minEmployees})`,
      });
    }
    for (const [index, productId] of rule.prerequisites.entries()) {
      if (rule.exclusions.includes(productId)) {
        context.addIssue({
          code: 'custom',
          path: ['exclusions', rule.exclusions.indexOf(productId)],
          message: `${productId} is also a prerequisite (prerequisites.${index}); the rule could never match`,
        });
      }
    }
  });
export type RecommendationRuleInput = z.infer<typeof RecommendationRuleInput>;

export const RecommendationRule = z.object({
  id: z.string().min(1),
  productId: z.string(),
  prerequisites: z.array(z.string()),
  exclusions: z.array(z.string()),
  minEmployees: z.number().int().nullable(),
  maxEmployees: z.number().int().nullable(),
  industries: z.array(z.string()),
  baseScore: z.number(),
  active: z.boolean(),
  signals: z.array(RuleSignal),
});
export type RecommendationRule = z.infer<typeof RecommendationRule>;

export interface RuleFieldError {
  path: string;
  message: string;
}

export type RuleValidation =
  | { ok: true; rule: RecommendationRuleInput }
  | { ok: false; errors: RuleFieldError[] };

/**
 * Validates a submitted rule against the tenant's catalogue: the shape first (base score 0-100,
 * min <= max employees, known signal types), then every product it names must exist. Errors name
 * the field (`prerequisites.1`, `signals.0.productId`).
 */
export function validateRule(input: unknown, catalogue: readonly Pick<Product, 'id'>[]): RuleValidation {
  const parsed = RecommendationRuleInput.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(root)',
        message: issue.message,
      })),
    };
  }
  const known = new Set(catalogue.map((product) => product.id));
  const errors: RuleFieldError[] = [];
  const check = (productId: string, path: string) => {
    if (!known.has(productId)) errors.push({ path, message: `product ${productId} is not in the catalogue` });
  };
  const rule = parsed.data;
  check(rule.productId, 'productId');
  for (const [index, productId] of rule.prerequisites.entries()) check(productId, `prerequisites.${index}`);
  for (const [index, productId] of rule.exclusions.entries()) check(productId, `exclusions.${index}`);
  for (const [index, signal] of rule.signals.entries()) {
    if (signal.type === 'subscription_expired') check(signal.productId, `signals.${index}.productId`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rule };
}
