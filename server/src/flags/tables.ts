import type { FlagStatus } from '@pulse/shared/flags/lifecycle';
import type { FlagDetailValue, FlagSeverity, FlagType } from '@pulse/shared/flags/types';
import type { ColumnType } from 'kysely';

/** Kysely type of migration 003's flags table, added to Database by augmentation. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface FlagsTable {
  id: string;
  tenant_id: string;
  account_id: string;
  type: FlagType;
  status: FlagStatus;
  severity: FlagSeverity;
  magnitude: number;
  title: string;
  recommended_action: string;
  /** Written as JSON text (see recommendations/tables.ts). */
  details: ColumnType<Record<string, FlagDetailValue>, string, string>;
  opened_at: Timestamp;
  updated_at: Timestamp;
  acknowledged_by: string | null;
  acknowledged_at: Timestamp | null;
  acknowledged_severity: FlagSeverity | null;
  acknowledged_magnitude: number | null;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
}

/** The scorings where an account's score moved (read by the health-decline detector). */
export interface ScoreChangesTable {
  tenant_id: string;
  account_id: string;
  changed_at: Timestamp;
  score: number;
}

declare module '../db/schema' {
  interface Database {
    flags: FlagsTable;
    score_changes: ScoreChangesTable;
  }
}
