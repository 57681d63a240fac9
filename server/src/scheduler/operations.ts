import { purgeExpiredScoreHistory } from '../store/retention';
import type { ScoringOperations } from './jobs';

interface RecomputeModule {
  recomputeTenant(
    context: Parameters<ScoringOperations['recomputeTenant']>[0],
    tenantId: string,
  ): Promise<unknown>;
  recomputeQueued(context: Parameters<ScoringOperations['recomputeQueued']>[0]): Promise<unknown>;
}

// The recompute pipeline is imported on first use: `pulse serve` starts without loading it, and
// modules that import the server do not pull the whole scoring engine in.
const recomputeModule = '../scoring/recompute';

export async function loadScoringOperations(): Promise<ScoringOperations> {
  const recompute = (await import(/* @vite-ignore */ recomputeModule)) as RecomputeModule;
  return {
    recomputeTenant: (context, tenantId) => recompute.recomputeTenant(context, tenantId),
    recomputeQueued: (context) => recompute.recomputeQueued(context),
    purgeRetention: (context) => purgeExpiredScoreHistory(context.db, context.now()),
  };
}
