import type { RuleSignal } from '@pulse/shared/recommendations/rules';
import type { ColumnType } from 'kysely';

/** Kysely types of migration 003's recommendation tables, added to Database by augmentation. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** jsonb written as JSON text: node-postgres would send a JS array as a Postgres array, not JSON. */
type Json<T> = ColumnType<T, string, string>;

export interface RecommendationRulesTable {
  tenant_id: string;
  id: string;
  product_id: string;
  prerequisites: Json<string[]>;
  exclusions: Json<string[]>;
  min_employees: number | null;
  max_employees: number | null;
  industries: Json<string[]>;
  base_score: number;
  active: boolean;
  signals: Json<RuleSignal[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RecommendationRuleSeedsTable {
  tenant_id: string;
  seeded_at: Timestamp;
}

export type OpportunityStatus = 'pending' | 'open' | 'closed';

export interface OpportunitiesCreatedTable {
  id: string;
  tenant_id: string;
  account_id: string;
  product_id: string;
  status: OpportunityStatus;
  crm_id: string | null;
  url: string | null;
  name: string;
  amount: number;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

declare module '../db/schema' {
  interface Database {
    recommendation_rules: RecommendationRulesTable;
    recommendation_rule_seeds: RecommendationRuleSeedsTable;
    opportunities_created: OpportunitiesCreatedTable;
  }
}
