import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/**
 * Table types for Kysely. Columns are snake_case as in SQL; mapping to the camelCase canonical
 * model happens in server/src/store/. Every table except `tenants` is keyed by tenant first, and
 * every query filters on it.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** DATE columns are read as 'YYYY-MM-DD' strings (no timezone shift); see db/connection.ts. */
type CalendarDate = string;
type Json<T extends object | null = object> = JSONColumnType<T, T, T>;
type AttributeMap = Record<string, string | number | boolean | null>;

export interface TenantsTable {
  id: string;
  crm: string;
  external_id: string;
  name: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

interface SyncedColumns {
  tenant_id: string;
  id: string;
  updated_at: Timestamp;
  synced_at: ColumnType<Date, Date | string | undefined, Date | string>;
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface AccountsTable extends SyncedColumns {
  name: string;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  annual_revenue: number | null;
  previous_annual_revenue: number | null;
  owner_id: string | null;
  owner_name: string | null;
  owner_email: string | null;
  region: string | null;
  customer_since: CalendarDate | null;
  cs_opt_out: boolean;
  attributes: Json<AttributeMap>;
}

export interface ContactsTable extends SyncedColumns {
  account_id: string;
  name: string;
  email: string | null;
  role: string;
  left_company: boolean;
  last_engaged_at: Timestamp | null;
}

export interface DealsTable extends SyncedColumns {
  account_id: string;
  name: string;
  amount: number | null;
  stage: string;
  close_date: CalendarDate | null;
  type: string;
  status: string;
  product_id: string | null;
  owner_id: string | null;
}

export interface TicketsTable extends SyncedColumns {
  account_id: string;
  subject: string;
  status: string;
  priority: string;
  opened_at: Timestamp;
  closed_at: Timestamp | null;
  escalated: boolean;
  sentiment: string | null;
}

export interface EngagementsTable extends SyncedColumns {
  account_id: string;
  type: string;
  occurred_at: Timestamp;
  is_qbr: boolean;
  contact_id: string | null;
}

export interface SubscriptionsTable extends SyncedColumns {
  account_id: string;
  product_id: string;
  mrr: number;
  start_date: CalendarDate;
  renewal_date: CalendarDate | null;
  auto_renew: boolean;
  status: string;
  licensed_seats: number | null;
}

export interface InvoicesTable extends SyncedColumns {
  account_id: string;
  amount: number;
  issued_at: CalendarDate;
  due_date: CalendarDate;
  paid_at: Timestamp | null;
  status: string;
}

export interface UsageDailyTable {
  tenant_id: string;
  account_id: string;
  day: CalendarDate;
  active_users: number;
  licensed_seats: number | null;
  logins: number;
  features_adopted: number;
  features_available: number | null;
  api_calls: number;
  integration_calls: number;
  integration_failures: number;
  metrics: Json<Record<string, number>>;
}

/** Every extra usage metric name a tenant has reported (kept by usage ingest). */
export interface UsageMetricNamesTable {
  tenant_id: string;
  name: string;
}

/** A recompute's cache of an account's child records (migration 015). */
export interface ScoringRecordsTable {
  tenant_id: string;
  account_id: string;
  records: string;
  built_at: Date;
}

/** A recompute's cache of an account's usage summary for one UTC day (migration 015). */
export interface ScoringUsageTable {
  tenant_id: string;
  account_id: string;
  day: string;
  summary: string | null;
}

export interface ProductsTable {
  tenant_id: string;
  id: string;
  name: string;
  product_line: string | null;
  monthly_price: number;
  active: boolean;
}

/** Versioned settings: a save appends a version; the newest version is in force. */
export interface SettingsTable {
  tenant_id: string;
  key: string;
  version: number;
  value: Json;
  changed_by: string;
  changed_at: ColumnType<Date, Date | string | undefined, never>;
}

/** The latest explained score per account (what the card and API show). */
export interface AccountScoresTable {
  tenant_id: string;
  account_id: string;
  score: number | null;
  tier: string | null;
  coverage: number;
  low_coverage: boolean;
  churn_risk: number | null;
  cltv: number | null;
  upsell_score: number | null;
  trend_30d: number | null;
  /** The explained StoredScore as JSON text (013: text, not json). */
  result: string;
  computed_at: Timestamp;
}

/** Every scoring, kept for trends, "what changed" and backtests; purged after the retention period. */
export interface ScoreHistoryTable {
  tenant_id: string;
  account_id: string;
  computed_at: Timestamp;
  score: number | null;
  tier: string | null;
  coverage: number;
  churn_risk: number | null;
  cltv: number | null;
  upsell_score: number | null;
  /** factor key -> { value, points } */
  factors: Json<Record<string, { value: number | null; points: number }>>;
}

export interface SyncCheckpointsTable {
  tenant_id: string;
  stream: string;
  checkpoint: Json;
  status: string;
  last_error: string | null;
  updated_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  tenant_id: string;
  at: ColumnType<Date, Date | string | undefined, never>;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: Json | null;
  after: Json | null;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  label: string;
  key_hash: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** Accounts touched by webhooks or usage ingest, waiting to be re-scored. */
export interface RescoreQueueTable {
  tenant_id: string;
  account_id: string;
  reason: string;
  queued_at: Timestamp;
}

/** The property values last written to the CRM, so write-back sends only what changed. */
export interface CrmWritebackTable {
  tenant_id: string;
  account_id: string;
  values: Json<Record<string, string | number | null>>;
  written_at: Timestamp;
}

export interface Database {
  tenants: TenantsTable;
  accounts: AccountsTable;
  contacts: ContactsTable;
  deals: DealsTable;
  tickets: TicketsTable;
  engagements: EngagementsTable;
  subscriptions: SubscriptionsTable;
  invoices: InvoicesTable;
  usage_daily: UsageDailyTable;
  usage_metric_names: UsageMetricNamesTable;
  scoring_records: ScoringRecordsTable;
  scoring_usage: ScoringUsageTable;
  products: ProductsTable;
  settings: SettingsTable;
  account_scores: AccountScoresTable;
  score_history: ScoreHistoryTable;
  sync_checkpoints: SyncCheckpointsTable;
  audit_log: AuditLogTable;
  api_keys: ApiKeysTable;
  rescore_queue: RescoreQueueTable;
  crm_writeback: CrmWritebackTable;
}
