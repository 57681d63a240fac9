import type { Observation } from '@pulse/shared/alerts/observation';
import type { ColumnType } from 'kysely';

/** Kysely types of migration 006's tables, added to Database by augmentation. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** jsonb: read as a value, written as JSON text. */
type JsonColumn<T> = ColumnType<T, string, string>;

export interface DefinitionTable {
  tenant_id: string;
  id: string;
  name: string;
  enabled: boolean;
  definition: JsonColumn<unknown>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WorkflowsTable extends DefinitionTable {
  template_key: string | null;
}

export interface AlertsTable {
  id: string;
  tenant_id: string;
  rule_id: string;
  account_id: string;
  owner_id: string | null;
  severity: string;
  metric: string;
  message: string;
  previous_value: ColumnType<unknown, string | null, string | null>;
  current_value: ColumnType<unknown, string | null, string | null>;
  status: string;
  occurrences: number;
  dedupe_key: string;
  fired_at: Timestamp;
  last_fired_at: Timestamp;
  acknowledged_by: string | null;
  acknowledged_at: Timestamp | null;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
}

export interface AlertObservationsTable {
  tenant_id: string;
  account_id: string;
  previous: ColumnType<Observation | null, string | null, string | null>;
  current: JsonColumn<Observation>;
  observed_at: Timestamp;
}

export interface WorkflowRunsTable {
  id: string;
  tenant_id: string;
  workflow_id: string;
  account_id: string;
  trigger_key: string;
  trigger: JsonColumn<unknown>;
  actions: JsonColumn<unknown>;
  ran_at: Timestamp;
}

export interface OutboxTable {
  id: string;
  tenant_id: string;
  kind: string;
  idempotency_key: string;
  source_type: string;
  source_id: string;
  account_id: string | null;
  delivery: JsonColumn<unknown>;
  status: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  lease_until: Timestamp | null;
  claimed_by: string | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  delivered_at: Timestamp | null;
}

declare module '../db/schema' {
  interface Database {
    alert_rules: DefinitionTable;
    workflows: WorkflowsTable;
    alerts: AlertsTable;
    alert_observations: AlertObservationsTable;
    workflow_runs: WorkflowRunsTable;
    outbox: OutboxTable;
  }
}
