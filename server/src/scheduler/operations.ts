import type { ScoringOperations } from './jobs';

/**
 * The real scheduled work, imported on first use: `pulse serve` starts without loading the scoring
 * pipeline, and modules that import the server do not pull the whole engine in.
 */
export async function loadScoringOperations(): Promise<ScoringOperations> {
  const [recompute, retention] = await Promise.all([
    import('../scoring/recompute'),
    import('../store/retention'),
  ]);
  return {
    recomputeTenant: (context, tenantId) => recompute.recomputeTenant(context, tenantId),
    recomputeQueued: (context) => recompute.recomputeQueued(context),
    purgeRetention: (context) => retention.purgeExpiredScoreHistory(context.db, context.now()),
  };
}
