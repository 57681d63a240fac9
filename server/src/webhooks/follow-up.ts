import type { AppContext } from '../context';
import { getCrmAdapter } from '../crm/registry';
import { runSync } from '../sync/run-sync';
import { writeBack } from '../writeback/write-back';

/**
 * After a webhook: fetch what changed (an incremental sync, which also queues the accounts of new
 * deals/tickets the store has not seen yet), re-score the queued accounts and write back what
 * changed. Debounced per tenant, so a burst of events costs one sync, and never two at once.
 */

export interface FollowUp {
  schedule(tenantId: string): void;
  /** Resolves when nothing is scheduled or running (tests, shutdown). */
  idle(): Promise<void>;
}

interface RecomputeModule {
  recomputeQueued(ctx: AppContext): Promise<unknown>;
}
const recomputeModule = '../scoring/recompute';

export async function syncScoreAndWriteBack(ctx: AppContext, tenantId: string): Promise<void> {
  const adapter = await getCrmAdapter(ctx, tenantId);
  const report = await runSync(ctx, { tenantId, adapter });
  if (report.status !== 'completed') throw new Error(`sync ${report.status}: ${report.error?.message ?? ''}`);
  const recompute = (await import(/* @vite-ignore */ recomputeModule)) as RecomputeModule;
  await recompute.recomputeQueued(ctx);
  await writeBack(ctx, tenantId, adapter);
}

export function createFollowUp(
  ctx: AppContext,
  options: {
    delayMs?: number;
    run?: (tenantId: string) => Promise<void>;
    log?: (line: string) => void;
  } = {},
): FollowUp {
  const delayMs = options.delayMs ?? 5_000;
  const run = options.run ?? ((tenantId: string) => syncScoreAndWriteBack(ctx, tenantId));
  const log = options.log ?? ((line: string) => console.error(line));
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  const start = (tenantId: string) => {
    timers.delete(tenantId);
    if (running.has(tenantId)) {
      again.add(tenantId);
      return;
    }
    const job = run(tenantId)
      .catch((error: unknown) =>
        log(
          `webhook follow-up for ${tenantId} failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
      .finally(() => {
        running.delete(tenantId);
        if (again.delete(tenantId)) schedule(tenantId);
      });
    running.set(tenantId, job);
  };

  const schedule = (tenantId: string) => {
    if (timers.has(tenantId)) return;
    const timer = setTimeout(() => start(tenantId), delayMs);
    timer.unref();
    timers.set(tenantId, timer);
  };

  return {
    schedule,
    async idle() {
      while (timers.size > 0 || running.size > 0) {
        await Promise.all(running.values());
        if (timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}
