import { demoProductIds } from '../demo/catalogue';
import type { Product } from '../model';
import { type RecommendationRuleInput, validateRule } from './rules';

/**
 * The rules a new tenant starts with (seed 000: "start with 3-5 rules for your most common upsell
 * paths"), written for a typical SaaS catalogue (the demo catalogue's product ids). A tenant gets
 * only the examples whose products all exist in its own catalogue.
 */
export const exampleRules: readonly RecommendationRuleInput[] = [
  {
    // Teams that outgrow their seats are the cheapest expansion there is.
    productId: demoProductIds.extraSeats,
    prerequisites: [demoProductIds.corePlatform],
    exclusions: [],
    minEmployees: null,
    maxEmployees: null,
    industries: [],
    baseScore: 35,
    active: true,
    signals: [
      { type: 'seat_utilisation_above', percent: 80, weight: 30 },
      { type: 'renewal_within_days', days: 90, weight: 15 },
      { type: 'revenue_growth_percent', percent: 10, weight: 10 },
    ],
  },
  {
    productId: demoProductIds.analytics,
    prerequisites: [demoProductIds.corePlatform],
    exclusions: [demoProductIds.legacyReporting],
    minEmployees: 50,
    maxEmployees: null,
    industries: [],
    baseScore: 40,
    active: true,
    signals: [
      { type: 'usage_metric_above', metric: 'active_users', threshold: 50, weight: 10 },
      { type: 'renewal_within_days', days: 90, weight: 20 },
      { type: 'revenue_growth_percent', percent: 10, weight: 15 },
    ],
  },
  {
    // A lapsed support plan on an account that is struggling is a save play as much as a sale.
    productId: demoProductIds.premiumSupport,
    prerequisites: [demoProductIds.corePlatform],
    exclusions: [],
    minEmployees: null,
    maxEmployees: null,
    industries: [],
    baseScore: 30,
    active: true,
    signals: [
      { type: 'subscription_expired', productId: demoProductIds.premiumSupport, weight: 25 },
      { type: 'health_tier_is', tier: 'at_risk', weight: 15 },
      { type: 'renewal_within_days', days: 60, weight: 10 },
    ],
  },
  {
    productId: demoProductIds.apiAccess,
    prerequisites: [demoProductIds.corePlatform],
    exclusions: [],
    minEmployees: 20,
    maxEmployees: null,
    industries: ['Software', 'Technology', 'Financial Services'],
    baseScore: 30,
    active: true,
    signals: [
      { type: 'usage_metric_above', metric: 'integration_calls', threshold: 1000, weight: 20 },
      { type: 'revenue_growth_percent', percent: 15, weight: 10 },
    ],
  },
  {
    // Low adoption: training lifts activation before the renewal conversation.
    productId: demoProductIds.training,
    prerequisites: [demoProductIds.corePlatform],
    exclusions: [],
    minEmployees: null,
    maxEmployees: null,
    industries: [],
    baseScore: 25,
    active: true,
    signals: [
      { type: 'usage_metric_below', metric: 'features_adopted', threshold: 4, weight: 20 },
      { type: 'renewal_within_days', days: 120, weight: 10 },
    ],
  },
];

/** The example rules that are valid against this catalogue (every product they name exists). */
export function exampleRulesFor(catalogue: readonly Pick<Product, 'id'>[]): RecommendationRuleInput[] {
  return exampleRules.filter((rule) => validateRule(rule, catalogue).ok);
}
