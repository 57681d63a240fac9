import type { AccountSnapshot, Product } from '../model';
import type { RecommendationRule } from './rules';
import { type AccountFacts, accountFacts, heldSignalLabel } from './signals';

export interface ScoreTerm {
  label: string;
  points: number;
}

export interface Recommendation {
  ruleId: string;
  productId: string;
  productName: string;
  /** 0-100: base + weights of the signals that hold, capped at 100 (and floored at 0). */
  score: number;
  /** Every term behind the score: "Base 40 · renewal in 45 days +20 · revenue +18% +15". */
  explanation: string;
  terms: ScoreTerm[];
}

export type Ineligibility =
  | 'inactive'
  | 'unknown_product'
  | 'already_owned'
  | 'missing_prerequisite'
  | 'excluded'
  | 'too_small'
  | 'too_large'
  | 'size_unknown'
  | 'industry_mismatch';

export interface RecommendationInput {
  snapshot: AccountSnapshot;
  /** The account's current health tier key (HealthResult.tier), null when unscored. */
  healthTier: string | null;
  catalogue: readonly Product[];
  now: Date;
}

/**
 * Why a rule does not apply to an account, or null when it does. An owned exclusion disqualifies
 * even when every prerequisite is owned. Size and industry are checked only where the rule sets
 * them; an account with no employee count does not fit a rule that sets a size range.
 */
export function ineligibility(
  rule: RecommendationRule,
  snapshot: AccountSnapshot,
  facts: Pick<AccountFacts, 'ownedProductIds'>,
  catalogue: readonly Product[],
): Ineligibility | null {
  // Plain loops: this runs for every rule and account of every recompute.
  if (!rule.active) return 'inactive';
  if (!isActiveProduct(catalogue, rule.productId)) return 'unknown_product';
  const owned = facts.ownedProductIds;
  if (owned.has(rule.productId)) return 'already_owned';
  for (const productId of rule.exclusions) if (owned.has(productId)) return 'excluded';
  for (const productId of rule.prerequisites) if (!owned.has(productId)) return 'missing_prerequisite';
  const employees = snapshot.account.employees;
  if (rule.minEmployees !== null || rule.maxEmployees !== null) {
    if (employees === null) return 'size_unknown';
    if (rule.minEmployees !== null && employees < rule.minEmployees) return 'too_small';
    if (rule.maxEmployees !== null && employees > rule.maxEmployees) return 'too_large';
  }
  if (rule.industries.length > 0) {
    const industry = snapshot.account.industry?.trim().toLowerCase();
    if (!industry || !rule.industries.some((fit) => fit.trim().toLowerCase() === industry)) {
      return 'industry_mismatch';
    }
  }
  return null;
}

function isActiveProduct(catalogue: readonly Product[], productId: string): boolean {
  for (const product of catalogue) if (product.id === productId && product.active) return true;
  return false;
}

function formatPoints(points: number): string {
  return points >= 0 ? `+${points}` : `${points}`;
}

function productNameIn(catalogue: readonly Product[], productId: string): string {
  for (const product of catalogue) if (product.id === productId) return product.name;
  return productId;
}

export function scoreRule(
  rule: RecommendationRule,
  facts: AccountFacts,
  catalogue: readonly Product[],
  nameOf: (productId: string) => string = (productId) => productNameIn(catalogue, productId),
): Recommendation {
  // The terms, their sum and the explanation in one pass; words only for signals that hold.
  const terms: ScoreTerm[] = [{ label: 'Base', points: rule.baseScore }];
  let total = 0 + rule.baseScore;
  let explanation = `Base ${rule.baseScore}`;
  for (const signal of rule.signals) {
    const label = heldSignalLabel(signal, facts, nameOf);
    if (label === null) continue;
    terms.push({ label, points: signal.weight });
    total += signal.weight;
    explanation += ` · ${label} ${formatPoints(signal.weight)}`;
  }
  if (total > 100) explanation += ' · capped at 100';
  if (total < 0) explanation += ' · floored at 0';
  return {
    ruleId: rule.id,
    productId: rule.productId,
    productName: nameOf(rule.productId),
    score: Math.max(0, Math.min(100, total)),
    explanation,
    terms,
  };
}

/**
 * Order of recommendations: higher score first; on a tie the higher base score (the admin's prior
 * belief) first, then product name A-Z, then rule id, so the same data always gives the same top 3.
 */
// One collator for every comparison: `localeCompare(x, 'en')` builds a new one per call.
const nameOrder = new Intl.Collator('en');

export function compareRecommendations(
  a: Recommendation & { baseScore: number },
  b: Recommendation & { baseScore: number },
): number {
  return (
    b.score - a.score ||
    b.baseScore - a.baseScore ||
    nameOrder.compare(a.productName, b.productName) ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/**
 * Every eligible recommendation for an account, best first, one per product (when two rules
 * recommend the same product, the better one wins). `recommendTop` takes the first three.
 */
export function recommend(
  rules: readonly RecommendationRule[],
  input: RecommendationInput,
): Recommendation[] {
  return ranked(rules, input, Number.POSITIVE_INFINITY);
}

export const TOP_RECOMMENDATIONS = 3;

export function recommendTop(
  rules: readonly RecommendationRule[],
  input: RecommendationInput,
  limit = TOP_RECOMMENDATIONS,
): Recommendation[] {
  return ranked(rules, input, limit);
}

interface Scored {
  recommendation: Recommendation;
  baseScore: number;
}

/** `compareRecommendations` of two scored rules. */
function compareScored(a: Scored, b: Scored): number {
  const x = a.recommendation;
  const y = b.recommendation;
  return (
    y.score - x.score ||
    b.baseScore - a.baseScore ||
    nameOrder.compare(x.productName, y.productName) ||
    (x.ruleId < y.ruleId ? -1 : x.ruleId > y.ruleId ? 1 : 0)
  );
}

/** The best `limit` recommendations, one per product (runs for every account of every recompute). */
function ranked(
  rules: readonly RecommendationRule[],
  input: RecommendationInput,
  limit: number,
): Recommendation[] {
  const facts = accountFacts(input.snapshot, input.healthTier, input.now);
  const catalogue = input.catalogue;
  const nameOf = (productId: string) => productNameIn(catalogue, productId);
  const scored: Scored[] = [];
  for (const rule of rules) {
    if (ineligibility(rule, input.snapshot, facts, catalogue) !== null) continue;
    scored.push({ recommendation: scoreRule(rule, facts, catalogue, nameOf), baseScore: rule.baseScore });
  }
  if (scored.length > 1) scored.sort(compareScored);
  const result: Recommendation[] = [];
  for (const { recommendation } of scored) {
    if (result.length >= limit) break;
    let seen = false;
    for (const kept of result) if (kept.productId === recommendation.productId) seen = true;
    if (!seen) result.push(recommendation);
  }
  return result;
}
