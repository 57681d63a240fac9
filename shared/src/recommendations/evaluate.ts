import type { AccountSnapshot, Product } from '../model';
import type { RecommendationRule } from './rules';
import { type AccountFacts, accountFacts, evaluateSignal } from './signals';

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
  if (!rule.active) return 'inactive';
  if (!catalogue.some((product) => product.id === rule.productId && product.active)) return 'unknown_product';
  const owned = facts.ownedProductIds;
  if (owned.has(rule.productId)) return 'already_owned';
  if (rule.exclusions.some((productId) => owned.has(productId))) return 'excluded';
  if (!rule.prerequisites.every((productId) => owned.has(productId))) return 'missing_prerequisite';
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
  const terms: ScoreTerm[] = [{ label: 'Base', points: rule.baseScore }];
  for (const signal of rule.signals) {
    const result = evaluateSignal(signal, facts, nameOf);
    if (result.holds) terms.push({ label: result.label, points: signal.weight });
  }
  const total = terms.reduce((sum, term) => sum + term.points, 0);
  const score = Math.max(0, Math.min(100, total));
  const parts = terms.map((term, index) =>
    index === 0 ? `Base ${term.points}` : `${term.label} ${formatPoints(term.points)}`,
  );
  if (total > 100) parts.push('capped at 100');
  if (total < 0) parts.push('floored at 0');
  return {
    ruleId: rule.id,
    productId: rule.productId,
    productName: nameOf(rule.productId),
    score,
    explanation: parts.join(' · '),
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
  const facts = accountFacts(input.snapshot, input.healthTier, input.now);
  const catalogue = input.catalogue;
  const nameOf = (productId: string) => productNameIn(catalogue, productId);
  const scored: (Recommendation & { baseScore: number })[] = [];
  for (const rule of rules) {
    if (ineligibility(rule, input.snapshot, facts, catalogue) !== null) continue;
    const recommendation = scoreRule(rule, facts, catalogue, nameOf);
    scored.push({ ...recommendation, baseScore: rule.baseScore });
  }
  if (scored.length > 1) scored.sort(compareRecommendations);
  const seen = new Set<string>();
  const result: Recommendation[] = [];
  for (const { baseScore: _baseScore, ...recommendation } of scored) {
    if (seen.has(recommendation.productId)) continue;
    seen.add(recommendation.productId);
    result.push(recommendation);
  }
  return result;
}

export const TOP_RECOMMENDATIONS = 3;

export function recommendTop(
  rules: readonly RecommendationRule[],
  input: RecommendationInput,
  limit = TOP_RECOMMENDATIONS,
): Recommendation[] {
  return recommend(rules, input).slice(0, limit);
}
