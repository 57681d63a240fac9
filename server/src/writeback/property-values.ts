import { factorPropertyName, type PulsePropertyName } from '@pulse/shared';
import type { StoredScore } from '@pulse/shared/api/health';

/**
 * A stored score → the public-contract property values (PRODUCT.md, "Public contract"), CRM-neutral:
 * whole numbers for scores, one decimal for the trend, the tier's label (the enumeration's option
 * values are the labels), dates as YYYY-MM-DD and the scoring time as ISO. Adapters convert to
 * what their CRM wants (HubSpot: epoch milliseconds).
 */

export type PropertyValues = Record<string, string | number | null>;

const whole = (value: number | null | undefined) =>
  value === null || value === undefined || !Number.isFinite(value) ? null : Math.round(value);
const oneDecimal = (value: number | null | undefined) =>
  value === null || value === undefined || !Number.isFinite(value) ? null : Math.round(value * 10) / 10;

/** Written only alongside a change, so re-scoring an unchanged account writes nothing. */
export const SCORED_AT_PROPERTY: PulsePropertyName = 'pulse_scored_at';

export function propertyValuesFor(stored: StoredScore, factorKeys: readonly string[]): PropertyValues {
  const values: Record<PulsePropertyName, string | number | null> = {
    pulse_health_score: whole(stored.health.score),
    pulse_health_tier: stored.health.tierLabel ?? stored.health.tier,
    pulse_health_trend_30d: oneDecimal(stored.trend30d),
    pulse_data_coverage: whole(stored.health.coverage),
    pulse_churn_risk: whole(stored.churnRisk.value),
    pulse_cltv: whole(stored.cltv.value),
    pulse_upsell_score: whole(stored.upsell.value),
    pulse_top_recommendation: stored.topRecommendations[0]?.productName ?? null,
    pulse_open_flags: stored.openFlags.count,
    pulse_next_renewal_date: stored.nextRenewalDate,
    pulse_scored_at: stored.computedAt,
  };
  const factors: PropertyValues = {};
  const byKey = new Map(stored.health.factors.map((factor) => [factor.key, factor]));
  for (const key of factorKeys) factors[factorPropertyName(key)] = whole(byKey.get(key)?.value);
  return { ...values, ...factors };
}

/**
 * The properties whose value differs from what was last written. A property never written and
 * still empty is not a change. The scoring time rides along only when something else changed.
 */
export function changedValues(
  current: PropertyValues,
  lastWritten: PropertyValues | undefined,
): PropertyValues {
  const changed: PropertyValues = {};
  for (const [name, value] of Object.entries(current)) {
    if (name === SCORED_AT_PROPERTY) continue;
    if ((lastWritten?.[name] ?? null) !== value) changed[name] = value;
  }
  if (Object.keys(changed).length > 0 && SCORED_AT_PROPERTY in current)
    changed[SCORED_AT_PROPERTY] = current[SCORED_AT_PROPERTY]!;
  return changed;
}
