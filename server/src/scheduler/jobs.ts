import type { AppContext } from '../context';
import type { ScheduledJob } from './scheduler';

/** What the scheduled jobs call; the real ones live in scoring/ and store/, tests pass their own. */
export interface ScoringOperations {
  recomputeTenant(context: AppContext, tenantId: string): Promise<unknown>;
  /** Re-scores accounts queued by webhooks and usage ingest. */
  recomputeQueued(context: AppContext): Promise<unknown>;
  /** Purges score history past each tenant's retention period. */
  purgeRetention(context: AppContext): Promise<unknown>;
}

export const jobNames = {
  recomputeAll: 'recompute-all-tenants',
  recomputeQueued: 'recompute-queued-accounts',
  retention: 'purge-score-history',
} as const;

/** Every minute, so an account touched by usage or a webhook is re-scored within minutes. */
export const QUEUED_RECOMPUTE_CRON = '* * * * *';
/** Daily at 03:17 (server time), off the hour so it never coincides with the hourly recompute. */
export const RETENTION_CRON = '17 3 * * *';

function isLockedOut(result: unknown): boolean {
  return (
    typeof result === 'object' && result !== null && (result as { skipped?: unknown }).skipped === 'locked'
  );
}

export function pulseJobs(
  context: AppContext,
  loadOperations: () => Promise<ScoringOperations>,
  log: (line: string) => void = () => undefined,
): ScheduledJob[] {
  return [
    {
      name: jobNames.recomputeAll,
      expression: context.env.PULSE_SCORE_CRON,
      run: async () => {
        const operations = await loadOperations();
        const tenants = await context.db.selectFrom('tenants').select('id').orderBy('id').execute();
        const failures: string[] = [];
        // One tenant failing (a bad config, a lock held elsewhere) must not starve the others.
        for (const { id } of tenants) {
          try {
            const result = await operations.recomputeTenant(context, id);
            if (isLockedOut(result))
              log(`recompute of tenant ${id} skipped: another process is recomputing it`);
          } catch (error) {
            failures.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
            log(
              `recompute of tenant ${id} failed: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
        if (failures.length > 0) {
          throw new Error(`${failures.length} of ${tenants.length} tenants failed (${failures.join('; ')})`);
        }
      },
    },
    {
      name: jobNames.recomputeQueued,
      expression: QUEUED_RECOMPUTE_CRON,
      run: async () => {
        await (await loadOperations()).recomputeQueued(context);
      },
    },
    {
      name: jobNames.retention,
      expression: RETENTION_CRON,
      run: async () => {
        await (await loadOperations()).purgeRetention(context);
      },
    },
  ];
}
