import { z } from 'zod';

import type { FieldError } from '../api/contract';
import { fieldErrors } from '../api/contract';
import { CustomFactorDefinition } from './factors/custom-factor';
import { builtInFactorKeys, factorLibrary, isBuiltInFactor } from './factors/library';

/**
 * The admin's health model: which factors, their integer weights (enabled ones total exactly 100),
 * the tiers, and when a score counts as low-coverage. A save that breaks a rule is rejected with
 * errors naming the offending fields, and nothing changes.
 */

export const healthPresetNames = ['default', 'five_dimension', 'workspace_activity', 'custom'] as const;
export type HealthPresetName = (typeof healthPresetNames)[number];

/** Factor keys become CRM property names (`pulse_factor_<key>`, Salesforce `Pulse_Factor_<Key>__c` ≤ 40 chars). */
const FactorKey = z
  .string()
  .min(1, 'A factor needs a key')
  .max(24, 'Factor keys are at most 24 characters (they become CRM field names)')
  .regex(
    /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/,
    'Use lower-case letters, digits and single underscores, starting with a letter',
  );

export const HealthFactorConfig = z.object({
  key: FactorKey,
  label: z.string().trim().min(1, 'A factor needs a label').max(60, 'Labels are at most 60 characters'),
  enabled: z.boolean(),
  weight: z
    .number({ error: 'Weight must be a whole number from 0 to 100' })
    .int('Weight must be a whole number from 0 to 100')
    .min(0, 'Weight must be a whole number from 0 to 100')
    .max(100, 'Weight must be a whole number from 0 to 100'),
  /** Only for factors that are not built in. */
  custom: CustomFactorDefinition.optional(),
});
export type HealthFactorConfig = z.infer<typeof HealthFactorConfig>;

export const HealthTier = z.object({
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'Use lower-case letters, digits and underscores, starting with a letter')
    .max(40, 'Tier keys are at most 40 characters'),
  label: z.string().trim().min(1, 'A tier needs a label').max(40, 'Labels are at most 40 characters'),
  /** Lowest score in this tier (inclusive). */
  min: z.number().min(0, 'Thresholds run 0-100').max(100, 'Thresholds run 0-100'),
});
export type HealthTier = z.infer<typeof HealthTier>;

export const HealthConfigSchema = z
  .object({
    preset: z.enum(healthPresetNames).default('custom'),
    factors: z.array(HealthFactorConfig).min(1, 'Add at least one factor').max(30, 'At most 30 factors'),
    /** Highest first; the last starts at 0. */
    tiers: z.array(HealthTier).min(1, 'Add at least one tier').max(10, 'At most 10 tiers'),
    /** A score backed by data for less than this % of the weight is marked low-coverage. */
    lowCoverageThreshold: z.number().min(0, 'Use 0-100').max(100, 'Use 0-100').default(60),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    let total = 0;
    let enabled = 0;
    config.factors.forEach((factor, index) => {
      if (seen.has(factor.key)) {
        context.addIssue({
          code: 'custom',
          path: ['factors', index, 'key'],
          message: `Factor '${factor.key}' appears twice`,
        });
      }
      seen.add(factor.key);
      if (isBuiltInFactor(factor.key)) {
        if (factor.custom) {
          context.addIssue({
            code: 'custom',
            path: ['factors', index, 'custom'],
            message: `'${factor.key}' is a built-in factor; give the custom factor a key of its own`,
          });
        }
      } else if (!factor.custom) {
        context.addIssue({
          code: 'custom',
          path: ['factors', index, 'key'],
          message: `Unknown factor '${factor.key}': use a built-in factor (${builtInFactorKeys.join(', ')}) or add a custom definition`,
        });
      }
      if (factor.enabled) {
        total += factor.weight;
        enabled++;
      }
    });
    if (enabled === 0) {
      context.addIssue({ code: 'custom', path: ['factors'], message: 'Enable at least one factor' });
    } else if (total !== 100) {
      context.addIssue({
        code: 'custom',
        path: ['factors'],
        message: `Weights total ${total}; they must total exactly 100`,
      });
    }

    const tierKeys = new Set<string>();
    config.tiers.forEach((tier, index) => {
      if (tierKeys.has(tier.key)) {
        context.addIssue({
          code: 'custom',
          path: ['tiers', index, 'key'],
          message: `Tier '${tier.key}' appears twice`,
        });
      }
      tierKeys.add(tier.key);
      const above = config.tiers[index - 1];
      if (above && tier.min >= above.min) {
        context.addIssue({
          code: 'custom',
          path: ['tiers', index, 'min'],
          message: `Thresholds must descend: '${tier.label}' starts at ${tier.min}, not below '${above.label}' (${above.min})`,
        });
      }
    });
    const lastIndex = config.tiers.length - 1;
    if (config.tiers[lastIndex]!.min !== 0) {
      context.addIssue({
        code: 'custom',
        path: ['tiers', lastIndex, 'min'],
        message: 'The last tier must start at 0 so that every score has a tier',
      });
    }
  });
export type HealthConfig = z.infer<typeof HealthConfigSchema>;
export type HealthConfigInput = z.input<typeof HealthConfigSchema>;

export type HealthConfigValidation = { ok: true; config: HealthConfig } | { ok: false; errors: FieldError[] };

export function validateHealthConfig(input: unknown): HealthConfigValidation {
  const parsed = HealthConfigSchema.safeParse(input);
  return parsed.success
    ? { ok: true, config: parsed.data }
    : { ok: false, errors: fieldErrors(parsed.error) };
}

/** The tier a score falls in: the first (highest) whose `min` it reaches; null for no score. */
export function tierFor(score: number | null, config: Pick<HealthConfig, 'tiers'>): HealthTier | null {
  if (score === null) return null;
  const tiers = config.tiers;
  for (let index = 0; index < tiers.length; index++) {
    if (score >= tiers[index]!.min) return tiers[index]!;
  }
  return tiers[tiers.length - 1] ?? null;
}

function builtIn(key: string, weight: number): HealthFactorConfig {
  return { key, label: factorLibrary[key]!.label, enabled: true, weight };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export const healthPresets: Readonly<Record<Exclude<HealthPresetName, 'custom'>, HealthConfig>> = deepFreeze({
  /** PRODUCT.md §1 / seed 000. */
  default: {
    preset: 'default',
    factors: [
      builtIn('payment', 25),
      builtIn('engagement', 20),
      builtIn('usage', 20),
      builtIn('support', 15),
      builtIn('relationship', 10),
      builtIn('contract', 10),
    ],
    tiers: [
      { key: 'healthy', label: 'Healthy', min: 70 },
      { key: 'at_risk', label: 'At Risk', min: 40 },
      { key: 'critical', label: 'Critical', min: 0 },
    ],
    lowCoverageThreshold: 60,
  },
  /** Seed 002: five dimensions. */
  five_dimension: {
    preset: 'five_dimension',
    factors: [
      builtIn('usage', 30),
      builtIn('engagement', 20),
      builtIn('relationship', 15),
      builtIn('outcomes', 20),
      builtIn('financial', 15),
    ],
    tiers: [
      { key: 'thriving', label: 'Thriving', min: 80 },
      { key: 'healthy', label: 'Healthy', min: 60 },
      { key: 'at_risk', label: 'At-Risk', min: 40 },
      { key: 'critical', label: 'Critical', min: 0 },
    ],
    lowCoverageThreshold: 60,
  },
  /** Seed 003: workspace activity (the seed's two 15% recency signals are one 30% login-recency factor). */
  workspace_activity: {
    preset: 'workspace_activity',
    factors: [
      builtIn('key_action_recency', 30),
      builtIn('integrations', 10),
      builtIn('active_members', 10),
      builtIn('usage_trend', 20),
      builtIn('flag_rate', 10),
      builtIn('plan', 10),
      builtIn('nps', 10),
    ],
    tiers: [
      { key: 'healthy', label: 'Healthy', min: 80 },
      { key: 'fine', label: 'Fine', min: 50 },
      { key: 'touch', label: 'Needs a touch', min: 0 },
    ],
    lowCoverageThreshold: 60,
  },
});

export const defaultHealthConfig: HealthConfig = healthPresets.default;
