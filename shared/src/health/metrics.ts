import { clamp, curve, formatNumber, roundTo, scoreOn } from './curves';

/**
 * Per-account metrics beside the health score (PRODUCT.md §1). Formulas are in docs/scoring.md;
 * each returns its value with a one-line explanation a CSM can read.
 */

export interface MetricResult {
  value: number;
  explanation: string;
}

export interface ChurnRiskTerm {
  key: 'health' | 'trend' | 'renewal' | 'flags';
  label: string;
  /** Risk points this term adds (negative: lowers risk). */
  points: number;
}

export interface ChurnRiskInput {
  /** Health score 0-100; null when unscored (counts as a middling 50). */
  score: number | null;
  /** Change of the health score over the last 30 days, in points; null when unknown. */
  trend30d: number | null;
  /** Days to the next renewal (negative: passed); null when there is none. */
  daysToRenewal: number | null;
  openFlags: { count: number; critical: number };
}

export interface ChurnRiskResult extends MetricResult {
  terms: ChurnRiskTerm[];
}

export const churnRiskConstants = {
  /** Weight of (100 − health). */
  healthWeight: 0.7,
  /** Risk points per point of 30-day health decline, capped; an improving score lowers risk less. */
  declinePointsCap: 15,
  improvementPointsCap: 10,
  improvementRate: 0.5,
  /** Renewal term: up to 15 points, full within 30 days, fading to 0 at 90. */
  renewalPoints: 15,
  renewal: curve([
    [30, 1],
    [90, 0],
  ]),
  /** Renewal proximity matters in proportion to ill health: full weight at health ≤ 40. */
  renewalFullAtHealth: 40,
  /** Per open flag, per critical one (on top), and the cap of the flags term. */
  flagPoints: 4,
  criticalFlagPoints: 4,
  flagsCap: 20,
};

/**
 * Churn risk 0-100:
 *   health  = 0.7 × (100 − score)
 *   trend   = min(15, −trend30d) when falling, −min(10, 0.5 × trend30d) when rising
 *   renewal = 15 × proximity(daysToRenewal) × min(1, (100 − score) ÷ 60)
 *   flags   = min(20, 4 × open + 4 × critical)
 * clamped to 0-100 and rounded to one decimal.
 */
export function computeChurnRisk(input: ChurnRiskInput): ChurnRiskResult {
  const constants = churnRiskConstants;
  const score = input.score === null ? 50 : clamp(input.score, 0, 100);
  const illness = 100 - score;
  const terms: ChurnRiskTerm[] = [
    {
      key: 'health',
      label: input.score === null ? 'No health score (counted as 50)' : `Health ${formatNumber(score, 1)}`,
      points: constants.healthWeight * illness,
    },
  ];
  const trend = input.trend30d;
  if (trend !== null && trend !== 0) {
    const points =
      trend < 0
        ? Math.min(constants.declinePointsCap, -trend)
        : -Math.min(constants.improvementPointsCap, constants.improvementRate * trend);
    terms.push({
      key: 'trend',
      label: `Trend ${trend > 0 ? '+' : ''}${formatNumber(trend, 1)} pts in 30 days`,
      points,
    });
  }
  if (input.daysToRenewal !== null) {
    const proximity = scoreOn(constants.renewal, input.daysToRenewal);
    const points =
      constants.renewalPoints * proximity * Math.min(1, illness / (100 - constants.renewalFullAtHealth));
    if (points > 0) {
      const when =
        input.daysToRenewal < 0
          ? `renewal ${formatNumber(-input.daysToRenewal)} days overdue`
          : `renewal in ${formatNumber(input.daysToRenewal)} days`;
      terms.push({ key: 'renewal', label: when.charAt(0).toUpperCase() + when.slice(1), points });
    }
  }
  const { count, critical } = input.openFlags;
  if (count > 0 || critical > 0) {
    const points = Math.min(
      constants.flagsCap,
      constants.flagPoints * Math.max(count, critical) + constants.criticalFlagPoints * critical,
    );
    terms.push({
      key: 'flags',
      label: `${formatNumber(count)} open flag${count === 1 ? '' : 's'} (${formatNumber(critical)} critical)`,
      points,
    });
  }
  let total = 0;
  for (const term of terms) {
    term.points = roundTo(term.points, 1);
    total += term.points;
  }
  const value = roundTo(clamp(total, 0, 100), 1);
  const explanation = terms
    .filter((term) => term.points !== 0)
    .map((term) => `${term.label} (${term.points > 0 ? '+' : ''}${formatNumber(term.points, 1)})`)
    .join(', ');
  return { value, explanation: explanation === '' ? 'No risk signals' : explanation, terms };
}

export interface CltvInput {
  /** Annual recurring revenue. */
  arr: number;
  /** Share of revenue kept after the cost of serving it, 0-1; default 0.8. */
  grossMargin?: number;
  /** Churn risk 0-100, read as the probability (%) of churning within a year. */
  churnRisk: number;
}

export const cltvConstants = {
  defaultGrossMargin: 0.8,
  /** Expected lifetime is capped at 10 years (annual churn probability floored at 10%). */
  maxLifetimeYears: 10,
};

/**
 * CLTV = ARR × gross margin × expected remaining lifetime. With annual churn probability
 * p = max(churnRisk ÷ 100, 1 ÷ 10) the customer pays this year and each further year with
 * probability 1 − p, so the expected number of years is 1 ÷ p: 1 year at risk 100, 10 at risk ≤ 10.
 * Rounded to a whole currency unit.
 */
export function computeCltv(input: CltvInput): MetricResult {
  const margin = input.grossMargin ?? cltvConstants.defaultGrossMargin;
  if (!(input.arr >= 0) || !Number.isFinite(input.arr))
    throw new RangeError('arr must be a non-negative number');
  if (!(margin >= 0 && margin <= 1)) throw new RangeError('grossMargin must be between 0 and 1');
  const probability = Math.max(clamp(input.churnRisk, 0, 100) / 100, 1 / cltvConstants.maxLifetimeYears);
  const years = 1 / probability;
  const value = Math.round(input.arr * margin * years);
  return {
    value,
    explanation: `ARR ${formatNumber(input.arr)} × ${formatNumber(margin * 100)}% margin × ${formatNumber(years, 1)} years expected lifetime (churn risk ${formatNumber(input.churnRisk, 1)})`,
  };
}

export interface UpsellInput {
  score: number | null;
  /** Active users ÷ licensed seats (0-1+); null when unknown. */
  seatUtilisation: number | null;
  /** Active-user growth, last 30 days vs the 30 before, in %; null when unknown. */
  usageGrowthPct: number | null;
  /** Score 0-100 of the best product recommendation; null when there is none. */
  bestRecommendationScore: number | null;
}

export const upsellCurves = {
  health: curve([
    [40, 0],
    [70, 60],
    [90, 100],
  ]),
  seatUtilisation: curve([
    [0.5, 0],
    [0.8, 70],
    [1, 100],
  ]),
  usageGrowthPct: curve([
    [-10, 0],
    [0, 40],
    [20, 80],
    [50, 100],
  ]),
};
export const upsellWeights = {
  health: 0.35,
  seatUtilisation: 0.25,
  usageGrowthPct: 0.2,
  recommendation: 0.2,
};

/**
 * Upsell score 0-100: the weighted mean of curve(health), curve(seat utilisation),
 * curve(usage growth) and the best recommendation's score (weights 35/25/20/20), over the inputs
 * that are known. With none known the value is 0 and the explanation says so.
 */
export function computeUpsellScore(input: UpsellInput): MetricResult {
  let total = 0;
  let weight = 0;
  const pieces: string[] = [];
  if (input.score !== null) {
    total += upsellWeights.health * scoreOn(upsellCurves.health, input.score);
    weight += upsellWeights.health;
    pieces.push(`health ${formatNumber(input.score, 1)}`);
  }
  if (input.seatUtilisation !== null) {
    total += upsellWeights.seatUtilisation * scoreOn(upsellCurves.seatUtilisation, input.seatUtilisation);
    weight += upsellWeights.seatUtilisation;
    pieces.push(`${formatNumber(input.seatUtilisation * 100)}% of seats used`);
  }
  if (input.usageGrowthPct !== null) {
    total += upsellWeights.usageGrowthPct * scoreOn(upsellCurves.usageGrowthPct, input.usageGrowthPct);
    weight += upsellWeights.usageGrowthPct;
    pieces.push(`usage ${input.usageGrowthPct > 0 ? '+' : ''}${formatNumber(input.usageGrowthPct)}%`);
  }
  if (input.bestRecommendationScore !== null) {
    total += upsellWeights.recommendation * clamp(input.bestRecommendationScore, 0, 100);
    weight += upsellWeights.recommendation;
    pieces.push(`best recommendation ${formatNumber(input.bestRecommendationScore)}`);
  }
  if (weight === 0) return { value: 0, explanation: 'Not enough data for an upsell score' };
  const explanation = pieces.join(', ');
  return {
    value: roundTo(total / weight, 1),
    explanation: explanation.charAt(0).toUpperCase() + explanation.slice(1),
  };
}
