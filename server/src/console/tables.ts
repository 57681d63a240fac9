import type { ColumnType } from 'kysely';

/** Migration 005: console users and their sign-in sessions. */
export interface ConsoleUsersTable {
  id: string;
  tenant_id: string;
  email: string;
  /** `scrypt$N$r$p$salt$hash`, base64 parts (passwords.ts). */
  password_hash: string;
  role: string;
  owner_id: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface ConsoleSessionsTable {
  /** SHA-256 of the cookie value: a database leak does not leak working sessions. */
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: ColumnType<Date, Date | string, never>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

/**
 * Written by the console's scoring extension (metrics-extension.ts): every scoring upserts each
 * account's row, but only a row whose figures changed is rewritten, so `computed_at` is the time
 * of the scoring that last changed them.
 */
export interface ConsoleAccountMetricsTable {
  tenant_id: string;
  account_id: string;
  arr: number;
  seat_utilisation: number | null;
  next_renewal: ColumnType<string | null, string | null, string | null>;
  computed_at: ColumnType<Date, Date | string, Date | string>;
}

declare module '../db/schema' {
  interface Database {
    console_account_metrics: ConsoleAccountMetricsTable;
    console_users: ConsoleUsersTable;
    console_sessions: ConsoleSessionsTable;
  }
}
