import { z } from 'zod';

import { RecommendationRule } from '../recommendations/rules';
import { endpoint } from './contract';

/** Recommendation rules CRUD, an account's top recommendations, and Create Opportunity. */

const RuleParams = z.object({ id: z.string().min(1) });
const AccountParams = z.object({ id: z.string().min(1) });

export const RuleList = z.object({ rules: z.array(RecommendationRule) });

export const listRules = endpoint({ method: 'get', path: '/api/v1/rules', response: RuleList });
export const getRule = endpoint({
  method: 'get',
  path: '/api/v1/rules/:id',
  params: RuleParams,
  response: RecommendationRule,
});
/** The body is checked by `validateRule` against the tenant catalogue: 400 naming every bad field. */
export const createRule = endpoint({
  method: 'post',
  path: '/api/v1/rules',
  body: z.unknown(),
  response: RecommendationRule,
});
export const updateRule = endpoint({
  method: 'put',
  path: '/api/v1/rules/:id',
  params: RuleParams,
  body: z.unknown(),
  response: RecommendationRule,
});
export const deleteRule = endpoint({
  method: 'delete',
  path: '/api/v1/rules/:id',
  params: RuleParams,
  response: z.object({ deleted: z.literal(true) }),
});

export const RecommendationItem = z.object({
  ruleId: z.string(),
  productId: z.string(),
  productName: z.string(),
  score: z.number(),
  explanation: z.string(),
  terms: z.array(z.object({ label: z.string(), points: z.number() })),
  /** A Pulse-created opportunity already open for this product, if any. */
  openOpportunity: z.object({ id: z.string(), url: z.string().nullable() }).nullable(),
});
export type RecommendationItem = z.infer<typeof RecommendationItem>;

export const AccountRecommendations = z.object({
  accountId: z.string(),
  recommendations: z.array(RecommendationItem),
});

export const getAccountRecommendations = endpoint({
  method: 'get',
  path: '/api/v1/accounts/:id/recommendations',
  params: AccountParams,
  response: AccountRecommendations,
});

export const CreateOpportunityBody = z.object({ productId: z.string().min(1, 'choose a product') }).strict();

export const CreatedOpportunity = z.object({
  id: z.string(),
  url: z.string().nullable(),
  name: z.string(),
  amount: z.number(),
  accountId: z.string(),
  productId: z.string(),
  /** false when an open Pulse opportunity for this account and product already existed. */
  created: z.boolean(),
});
export type CreatedOpportunity = z.infer<typeof CreatedOpportunity>;

export const createAccountOpportunity = endpoint({
  method: 'post',
  path: '/api/v1/accounts/:id/opportunities',
  params: AccountParams,
  body: CreateOpportunityBody,
  response: CreatedOpportunity,
});
