import type { HealthConfig } from '@pulse/shared/health/index';
import type { AppContext } from '../context';
import type { CrmAdapter, EnsureFieldsInput } from '../crm/adapter';
import { type RecomputeResult, recomputeTenant } from '../scoring/recompute';
import { getSetting } from '../store/settings';
import { type WriteBackReport, writeBack } from '../writeback/write-back';
import { type RunSyncOptions, runSync, type SyncReport } from './run-sync';

/**
 * What `pulse sync`, `pulse start` and the benchmark run: make sure the CRM has Pulse's
 * properties, sync, re-score what the sync touched (everything after a full sync), write back
 * what changed.
 */

export function crmFieldsFor(config: HealthConfig): EnsureFieldsInput {
  return {
    tierLabels: config.tiers.map((tier) => tier.label),
    factors: config.factors.filter((factor) => factor.enabled).map(({ key, label }) => ({ key, label })),
  };
}

export interface PipelineOptions {
  tenantId: string;
  adapter: RunSyncOptions['adapter'];
  full?: boolean;
  /** Re-score and write back after the sync (default true). */
  score?: boolean;
  /** Create/update the CRM properties first (on connect, and when tiers or factors changed). */
  ensureFields?: boolean;
  signal?: AbortSignal;
  /** Waits between retries (tests make them instant). */
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  onSyncProgress?: RunSyncOptions['onProgress'];
  onScoreProgress?: (done: number, total: number) => void;
  onWriteProgress?: (progress: { considered: number; changed: number; written: number }) => void;
  log?: (line: string) => void;
}

export interface PipelineReport {
  fields: Awaited<ReturnType<CrmAdapter['ensureCustomFields']>> | null;
  products: number;
  sync: SyncReport;
  score: RecomputeResult | null;
  writeBack: WriteBackReport | null;
  timings: { fieldsMs: number; syncMs: number; scoreMs: number; writeBackMs: number };
}

export async function syncScoreAndWrite(ctx: AppContext, options: PipelineOptions): Promise<PipelineReport> {
  const { tenantId, adapter } = options;
  const config = await getSetting(ctx.db, tenantId, 'health_config');
  const fieldsStarted = performance.now();
  const fields = options.ensureFields ? await adapter.ensureCustomFields(crmFieldsFor(config)) : null;
  const fieldsMs = performance.now() - fieldsStarted;
  const syncStarted = performance.now();
  const sync = await runSync(ctx, {
    tenantId,
    adapter,
    ...(options.full ? { full: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.onSyncProgress ? { onProgress: options.onSyncProgress } : {}),
  });
  const products =
    sync.status === 'completed' && sync.fullSync ? await syncProducts(ctx, tenantId, adapter) : 0;
  const timings = { fieldsMs, syncMs: performance.now() - syncStarted, scoreMs: 0, writeBackMs: 0 };
  if (sync.status !== 'completed' || options.score === false)
    return { fields, products, sync, score: null, writeBack: null, timings };

  const scoreStarted = performance.now();
  const queued = sync.fullSync
    ? null
    : (
        await ctx.db
          .selectFrom('rescore_queue')
          .select('account_id')
          .where('tenant_id', '=', tenantId)
          .execute()
      ).map((row) => row.account_id);
  const score =
    queued !== null && queued.length === 0
      ? null
      : await recomputeTenant(ctx, tenantId, {
          ...(queued ? { accountIds: queued } : {}),
          ...(options.onScoreProgress ? { onProgress: options.onScoreProgress } : {}),
        });
  timings.scoreMs = performance.now() - scoreStarted;

  const writeStarted = performance.now();
  const written = await writeBack(ctx, tenantId, adapter, {
    factorKeys: crmFieldsFor(config).factors.map((factor) => factor.key),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.onWriteProgress ? { onProgress: options.onWriteProgress } : {}),
  });
  timings.writeBackMs = performance.now() - writeStarted;
  return { fields, products, sync, score, writeBack: written, timings };
}

/** The product catalogue, for recommendations and Create Opportunity. */
async function syncProducts(ctx: AppContext, tenantId: string, adapter: CrmAdapter): Promise<number> {
  const products = await adapter.listProducts();
  if (products.length === 0) return 0;
  await ctx.db
    .insertInto('products')
    .values(
      products.map((product) => ({
        tenant_id: tenantId,
        id: product.id,
        name: product.name,
        product_line: product.productLine,
        monthly_price: product.monthlyPrice,
        active: product.active,
      })),
    )
    .onConflict((conflict) =>
      conflict.columns(['tenant_id', 'id']).doUpdateSet((update) => ({
        name: update.ref('excluded.name'),
        product_line: update.ref('excluded.product_line'),
        monthly_price: update.ref('excluded.monthly_price'),
        active: update.ref('excluded.active'),
      })),
    )
    .execute();
  return products.length;
}
