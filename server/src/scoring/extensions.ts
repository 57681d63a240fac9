import type { AccountSnapshot } from '@pulse/shared';
import type { StoredScore } from '@pulse/shared/api/health';
import type { AccountSignals, HealthResult } from '@pulse/shared/health/index';
import type { Kysely } from 'kysely';
import { alertsExtension } from '../alerts/extension';
import { consoleMetricsExtension } from '../console/metrics-extension';
import type { AppContext } from '../context';
import type { Database } from '../db/schema';
import { flagsExtension } from '../flags/extension';
import { recommendationsExtension } from '../recommendations/extension';

export type { AccountSignals };

/**
 * A feature that adds to every scoring (flags, recommendations, renewals). The recompute pipeline
 * calls `begin` once per run, `prepare` once per chunk before its accounts are evaluated,
 * `evaluate` once per account and `flush` once per chunk, so an extension loads per-account state
 * a chunk at a time (memory stays that of a chunk, whatever the tenant's size) and writes its own
 * rows in bulk.
 */
export interface ScoringExtension {
  name: string;
  begin(ctx: AppContext, tenantId: string, now: Date): Promise<ExtensionRun>;
}

export interface ExtensionRun {
  /**
   * Load what `evaluate` needs for these accounts. Called for the next chunk while the current one
   * is evaluated and the previous one flushed, so state is kept per account and dropped once used.
   */
  prepare?(db: Kysely<Database>, accountIds: readonly string[]): Promise<void>;
  evaluate(input: {
    snapshot: AccountSnapshot;
    signals: AccountSignals;
    health: HealthResult;
    /** Previous scorings, newest first (at least the last 3 when they exist). */
    history: { score: number | null; computedAt: string }[];
  }): ExtensionOutput;
  /**
   * After a chunk's scores are written, with those scores. On PostgreSQL the next chunk may already
   * have been evaluated, so an extension that needs the stored score matches by account id.
   */
  flush(db: Kysely<Database>, scored: readonly StoredScore[]): Promise<void>;
}

/** What an extension adds to the stored result; the pipeline merges outputs in registry order. */
export interface ExtensionOutput {
  openFlags?: { count: number; critical: number; types: string[] };
  topRecommendations?: { productId: string; productName: string; score: number; explanation: string }[];
  nextRenewalDate?: string | null;
}

/** The registry: one line per feature module. */
export const scoringExtensions: ScoringExtension[] = [
  flagsExtension,
  recommendationsExtension,
  alertsExtension,
  consoleMetricsExtension,
];
