import { z } from 'zod';

import { formatNumber } from '../curves';
import type { AccountSignals } from '../signals';
import type { FactorEvaluation } from './factor';

/**
 * Admin-defined factors (PRODUCT.md §1): a numeric CRM property or usage metric through a curve,
 * or an enumerated CRM property through a value → score map.
 */

const curvePoint = z.object({
  value: z.number().finite(),
  score: z.number().min(0, 'Scores run 0-100').max(100, 'Scores run 0-100'),
});

export const NumericCustomFactor = z
  .object({
    kind: z.literal('numeric'),
    /** `attribute`: a CRM property of the account; `usage_metric`: a product usage metric (30-day daily average). */
    source: z.enum(['attribute', 'usage_metric']),
    name: z.string().trim().min(1, 'Name the property or metric'),
    direction: z.enum(['higher_is_better', 'lower_is_better']),
    /** The curve: scores at given values, strictly increasing values; flat beyond both ends. */
    points: z
      .array(curvePoint)
      .min(2, 'A curve needs at least 2 points')
      .max(12, 'A curve takes at most 12 points'),
    unit: z.string().max(20).optional(),
  })
  .superRefine((definition, context) => {
    const points = definition.points;
    for (let index = 1; index < points.length; index++) {
      const previous = points[index - 1]!;
      const point = points[index]!;
      if (point.value <= previous.value) {
        context.addIssue({
          code: 'custom',
          path: ['points', index, 'value'],
          message: `Point values must increase: ${point.value} follows ${previous.value}`,
        });
      }
      const wrongWay =
        definition.direction === 'higher_is_better'
          ? point.score < previous.score
          : point.score > previous.score;
      if (wrongWay) {
        context.addIssue({
          code: 'custom',
          path: ['points', index, 'score'],
          message: `Scores must ${definition.direction === 'higher_is_better' ? 'not fall' : 'not rise'} as the value grows (${definition.direction.replaceAll('_', ' ')})`,
        });
      }
    }
  });
export type NumericCustomFactor = z.infer<typeof NumericCustomFactor>;

export const EnumeratedCustomFactor = z.object({
  kind: z.literal('enumerated'),
  source: z.literal('attribute'),
  name: z.string().trim().min(1, 'Name the property'),
  /** Property value (matched case-insensitively, booleans as `true`/`false`) → 0-100. */
  scores: z
    .record(z.string(), z.number().min(0, 'Scores run 0-100').max(100, 'Scores run 0-100'))
    .refine((scores) => Object.keys(scores).length > 0, 'Map at least one value to a score'),
  /** Score for a value not in the map; omitted: such a value counts as no data. */
  otherwise: z.number().min(0).max(100).optional(),
});
export type EnumeratedCustomFactor = z.infer<typeof EnumeratedCustomFactor>;

export const CustomFactorDefinition = z.discriminatedUnion('kind', [
  NumericCustomFactor,
  EnumeratedCustomFactor,
]);
export type CustomFactorDefinition = z.infer<typeof CustomFactorDefinition>;

function scoreOnPoints(points: NumericCustomFactor['points'], value: number): number {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (value <= first.value) return first.score;
  if (value >= last.value) return last.score;
  for (let index = 1; index < points.length; index++) {
    const upper = points[index]!;
    if (value <= upper.value) {
      const lower = points[index - 1]!;
      return (
        lower.score + ((upper.score - lower.score) * (value - lower.value)) / (upper.value - lower.value)
      );
    }
  }
  return last.score;
}

function numericValue(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

export function evaluateCustomFactor(
  definition: CustomFactorDefinition,
  label: string,
  signals: AccountSignals,
): FactorEvaluation | null {
  if (definition.kind === 'numeric') {
    const fromUsage = definition.source === 'usage_metric';
    const raw = fromUsage ? signals.usageMetrics?.[definition.name] : signals.attributes[definition.name];
    const value = numericValue(raw);
    if (value === null) return null;
    const unit = definition.unit ? ' ' + definition.unit : '';
    return {
      value: scoreOnPoints(definition.points, value),
      signals: [
        { key: definition.name, label, value, ...(definition.unit ? { unit: definition.unit } : {}) },
      ],
      explanation: `${label}: ${formatNumber(value, Number.isInteger(value) ? 0 : 1)}${unit}`,
      asOf: fromUsage ? (signals.usage?.asOf ?? null) : signals.attributesAsOf,
    };
  }
  const raw = signals.attributes[definition.name];
  if (raw === null || raw === undefined || raw === '') return null;
  const text = String(raw).trim().toLowerCase();
  let score: number | undefined;
  for (const key in definition.scores) {
    if (key.trim().toLowerCase() === text) {
      score = definition.scores[key];
      break;
    }
  }
  score ??= definition.otherwise;
  if (score === undefined) return null;
  return {
    value: score,
    signals: [{ key: definition.name, label, value: raw }],
    explanation: `${label}: ${String(raw)}`,
    asOf: signals.attributesAsOf,
  };
}
