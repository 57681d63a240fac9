import type { HealthConfig } from '../health/index';
import { tierFor } from '../health/index';

/**
 * The tier distribution a draft health model would give, computed from the factor values already
 * stored for every account (0-100 each). The draft's weights are renormalised over the factors
 * that have data, exactly as scoring does, so the preview matches what the next recompute shows
 * for the factors it already has values for.
 */
export interface StoredFactorValues {
  /** factor key -> 0-100, or null when the factor had no data */
  factors: Record<string, number | null>;
}

export interface TierPreview {
  accounts: number;
  unscored: number;
  tiers: { key: string; label: string; count: number; share: number }[];
  factorsWithoutValues: string[];
}

export function previewTierDistribution(
  rows: readonly StoredFactorValues[],
  config: HealthConfig,
): TierPreview {
  const enabled = config.factors.filter((factor) => factor.enabled && factor.weight > 0);
  const counts = new Map<string, number>(config.tiers.map((tier) => [tier.key, 0]));
  const seen = new Set<string>();
  let unscored = 0;
  for (const row of rows) {
    let weighted = 0;
    let weights = 0;
    for (const factor of enabled) {
      const value = row.factors[factor.key];
      if (value === null || value === undefined) continue;
      seen.add(factor.key);
      weighted += value * factor.weight;
      weights += factor.weight;
    }
    if (weights === 0) {
      unscored += 1;
      continue;
    }
    const score = Math.round((weighted / weights) * 10) / 10;
    const tier = tierFor(score, config)!;
    counts.set(tier.key, (counts.get(tier.key) ?? 0) + 1);
  }
  const scored = rows.length - unscored;
  return {
    accounts: rows.length,
    unscored,
    tiers: config.tiers.map((tier) => {
      const count = counts.get(tier.key) ?? 0;
      return {
        key: tier.key,
        label: tier.label,
        count,
        share: scored === 0 ? 0 : Math.round((count / scored) * 1000) / 10,
      };
    }),
    factorsWithoutValues: enabled.filter((factor) => !seen.has(factor.key)).map((factor) => factor.key),
  };
}
