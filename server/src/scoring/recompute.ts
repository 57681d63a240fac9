import type { AccountSnapshot } from '@pulse/shared';
import type { StoredScore } from '@pulse/shared/api/health';
import {
  type AccountSignals,
  computeChurnRisk,
  computeCltv,
  computeUpsellScore,
  deriveSignals,
  type HealthConfig,
  scoreAccount,
} from '@pulse/shared/health/index';
import { sql } from 'kysely';

import type { AppContext } from '../context';
import { arrayLiteral } from '../store/bulk';
import { getSetting } from '../store/settings';
import { streamSnapshots } from '../store/snapshots';
import { type ExtensionOutput, type ExtensionRun, scoringExtensions } from './extensions';
import { type AccountPast, loadPast } from './history';
import { withTenantLock } from './lock';
import { writeScores } from './write';

/**
 * The recompute pipeline: stream account snapshots chunk by chunk, score each in memory (health,
 * extensions, churn risk, CLTV, upsell), write the chunk's latest scores and history rows in bulk,
 * and clear the rescore queue for what was scored. On PostgreSQL the next chunk is read while the
 * current one is scored and the previous one written, so database and engine time overlap.
 */
export interface RecomputeOptions {
  /** Only these accounts (webhooks, usage ingest); default every live account of the tenant. */
  accountIds?: readonly string[];
  onProgress?: (done: number, total: number) => void;
  now?: Date;
  /** Accounts per chunk (default 2,000 on PostgreSQL, 1,000 on PGlite). */
  chunkSize?: number;
}

export interface TierCount {
  label: string;
  count: number;
  /** Total ARR of the tier's accounts. */
  arr: number;
}

export interface RecomputeSummary {
  tenantId: string;
  accounts: number;
  /** Per tier key in the configured order, plus `unscored` for accounts without any data. */
  byTier: Record<string, TierCount>;
  lowCoverage: number;
  totalArr: number;
  computedAt: string;
  durationMs: number;
}

export type RecomputeResult = RecomputeSummary | { skipped: 'locked' };

const DAY_MS = 86_400_000;
/**
 * PGlite runs in this process's WebAssembly heap, which grows to fit the largest statement and
 * never shrinks: smaller chunks keep the ~5 MB-per-1,000-accounts result parameters (and their
 * copies inside the database) from setting the process's peak (3,000 accounts: 1,034 -> 920 MiB
 * peak RSS, no slower). On PostgreSQL three chunks are in flight (read, scored, written); 2,000
 * accounts a chunk scored 20k as fast as 5,000 did (1,380 vs 1,213 accounts/s in one session) with
 * a lower first-run peak (825 vs 1,047 MiB).
 */
const POSTGRES_CHUNK = 2000;
const PGLITE_CHUNK = 1000;
export const UNSCORED_TIER = 'unscored';

export async function recomputeTenant(
  ctx: AppContext,
  tenantId: string,
  options: RecomputeOptions = {},
): Promise<RecomputeResult> {
  return withTenantLock(ctx, tenantId, () => runRecompute(ctx, tenantId, options));
}

async function runRecompute(
  ctx: AppContext,
  tenantId: string,
  options: RecomputeOptions,
): Promise<RecomputeSummary> {
  const startedAt = performance.now();
  const now = options.now ?? ctx.now();
  const config = await getSetting(ctx.db, tenantId, 'health_config');
  const grossMargin = await getSetting(ctx.db, tenantId, 'gross_margin');
  const scoresFlags = config.factors.some((factor) => factor.enabled && factor.key === 'flag_rate');
  const total = await countAccounts(ctx, tenantId, options.accountIds);
  const runs = await Promise.all(scoringExtensions.map((extension) => extension.begin(ctx, tenantId, now)));

  const summary: RecomputeSummary = {
    tenantId,
    accounts: 0,
    byTier: Object.fromEntries(
      config.tiers.map((tier) => [tier.key, { label: tier.label, count: 0, arr: 0 }]),
    ),
    lowCoverage: 0,
    totalArr: 0,
    computedAt: now.toISOString(),
    durationMs: 0,
  };
  options.onProgress?.(0, total);

  const chunks = streamSnapshots(ctx.db, tenantId, {
    now,
    chunkSize: options.chunkSize ?? (ctx.dbKind === 'pglite' ? PGLITE_CHUNK : POSTGRES_CHUNK),
    scoringWindow: true,
    ...(options.accountIds ? { accountIds: options.accountIds } : {}),
  });
  let next = prefetch(chunks, ctx, tenantId, now, scoresFlags, runs);
  let writing: Promise<void> = Promise.resolve();
  for (;;) {
    const loaded = await next;
    if (loaded === null) break;
    next = prefetch(chunks, ctx, tenantId, now, scoresFlags, runs);
    const scored = loaded.snapshots.map((snapshot) =>
      scoreOne(snapshot, loaded.past.get(snapshot.account.id)!, { config, grossMargin, now, runs }),
    );
    await writing;
    writing = (async () => {
      await writeScores(ctx.db, tenantId, scored, now);
      for (const run of runs) await run.flush(ctx.db, scored);
      await clearQueue(ctx, tenantId, loaded.snapshots, now);
    })();
    writing.catch(() => undefined);
    for (const result of scored) tally(summary, result, config);
    options.onProgress?.(summary.accounts, total);
  }
  await writing;
  if (options.accountIds) {
    // Queued ids that are gone (deleted, merged away) would otherwise stay queued forever.
    await sql`
      delete from rescore_queue
      where tenant_id = ${tenantId} and account_id = any(${idArray(options.accountIds)}::text[])
        and queued_at <= ${now}
    `.execute(ctx.db);
  } else {
    await dropScoresOfDeletedAccounts(ctx, tenantId, now);
  }
  summary.durationMs = Math.round(performance.now() - startedAt);
  return summary;
}

interface LoadedChunk {
  snapshots: AccountSnapshot[];
  past: Map<string, AccountPast>;
}

/**
 * Start reading the next chunk (snapshots, then its history and what each extension needs of its
 * accounts) without waiting for it.
 */
function prefetch(
  chunks: AsyncGenerator<AccountSnapshot[]>,
  ctx: AppContext,
  tenantId: string,
  now: Date,
  withOpenFlags: boolean,
  runs: readonly ExtensionRun[],
): Promise<LoadedChunk | null> {
  const loading = (async () => {
    const next = await chunks.next();
    if (next.done) return null;
    const snapshots = next.value;
    const ids = snapshots.map((snapshot) => snapshot.account.id);
    const past = await loadPast(ctx.db, tenantId, ids, now, { withOpenFlags });
    for (const run of runs) await run.prepare?.(ctx.db, ids);
    return { snapshots, past };
  })();
  loading.catch(() => undefined);
  return loading;
}

interface ScoringInputs {
  config: HealthConfig;
  grossMargin: number;
  now: Date;
  runs: ExtensionRun[];
}

/** Health, extension outputs and the derived metrics of one account: the stored result. */
export function scoreOne(snapshot: AccountSnapshot, past: AccountPast, inputs: ScoringInputs): StoredScore {
  const { now } = inputs;
  const signals: AccountSignals = deriveSignals(snapshot, now, { openFlags: past.openFlags });
  const health = scoreAccount(signals, inputs.config, { now, previous: past.previous });
  const output = mergeOutputs(
    inputs.runs.map((run) => run.evaluate({ snapshot, signals, health, history: past.recent })),
  );

  const openFlags = output.openFlags ?? { count: 0, critical: 0, types: [] };
  const nextRenewalDate =
    output.nextRenewalDate !== undefined ? output.nextRenewalDate : nextRenewalOf(snapshot, now);
  const todayMs = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const daysToRenewal =
    nextRenewalDate !== null
      ? Math.round((Date.parse(nextRenewalDate) - todayMs) / DAY_MS)
      : (signals.contract?.daysToRenewal ?? null);
  const trend30d =
    health.score !== null && past.scoreThirtyDaysAgo !== null
      ? Math.round((health.score - past.scoreThirtyDaysAgo) * 10) / 10
      : null;

  const churn = computeChurnRisk({
    score: health.score,
    trend30d,
    daysToRenewal,
    openFlags: { count: openFlags.count, critical: openFlags.critical },
  });
  const cltv = computeCltv({ arr: signals.arr, grossMargin: inputs.grossMargin, churnRisk: churn.value });
  const topRecommendations = output.topRecommendations ?? [];
  const upsell = computeUpsellScore({
    score: health.score,
    seatUtilisation: signals.seatUtilisation,
    usageGrowthPct: signals.usageGrowthPct,
    bestRecommendationScore:
      topRecommendations.length > 0 ? Math.max(...topRecommendations.map((r) => r.score)) : null,
  });

  const account = snapshot.account;
  return {
    accountId: account.id,
    accountName: account.name,
    ownerId: account.ownerId,
    ownerName: account.ownerName,
    health,
    churnRisk: { value: churn.value, explanation: churn.explanation },
    cltv: { value: cltv.value, explanation: cltv.explanation },
    upsell: { value: upsell.value, explanation: upsell.explanation },
    trend30d,
    openFlags,
    topRecommendations,
    nextRenewalDate,
    arr: signals.arr,
    computedAt: health.computedAt,
  };
}

/** Extensions in registry order; a later extension's field replaces an earlier one's. */
function mergeOutputs(outputs: ExtensionOutput[]): ExtensionOutput {
  const merged: ExtensionOutput = {};
  for (const output of outputs) {
    if (output.openFlags) merged.openFlags = output.openFlags;
    if (output.topRecommendations) merged.topRecommendations = output.topRecommendations.slice(0, 3);
    if (output.nextRenewalDate !== undefined) merged.nextRenewalDate = output.nextRenewalDate;
  }
  return merged;
}

/** Earliest renewal date, today or later, of an active subscription. */
export function nextRenewalOf(snapshot: AccountSnapshot, now: Date): string | null {
  const today = now.toISOString().slice(0, 10);
  let next: string | null = null;
  for (const subscription of snapshot.subscriptions) {
    const date = subscription.renewalDate;
    if (subscription.status !== 'active' || date === null || date < today) continue;
    if (next === null || date < next) next = date;
  }
  return next;
}

function tally(summary: RecomputeSummary, result: StoredScore, config: HealthConfig): void {
  summary.accounts++;
  summary.totalArr += result.arr;
  if (result.health.lowCoverage) summary.lowCoverage++;
  const key = result.health.tier ?? UNSCORED_TIER;
  let bucket = summary.byTier[key];
  if (!bucket) {
    const label =
      key === UNSCORED_TIER ? 'Unscored (no data)' : (config.tiers.find((t) => t.key === key)?.label ?? key);
    bucket = { label, count: 0, arr: 0 };
    summary.byTier[key] = bucket;
  }
  bucket.count++;
  bucket.arr += result.arr;
}

async function countAccounts(
  ctx: AppContext,
  tenantId: string,
  accountIds?: readonly string[],
): Promise<number> {
  let query = ctx.db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('tenant_id', '=', tenantId)
    .where('deleted_at', 'is', null);
  if (accountIds) {
    if (accountIds.length === 0) return 0;
    query = query.where('id', 'in', [...new Set(accountIds)]);
  }
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Scored accounts leave the queue, unless they were queued again after this run started. */
async function clearQueue(
  ctx: AppContext,
  tenantId: string,
  snapshots: AccountSnapshot[],
  now: Date,
): Promise<void> {
  const ids = snapshots.map((snapshot) => snapshot.account.id);
  await sql`
    delete from rescore_queue
    where tenant_id = ${tenantId} and account_id = any(${idArray(ids)}::text[]) and queued_at <= ${now}
  `.execute(ctx.db);
}

function idArray(ids: readonly string[]): string {
  return arrayLiteral(ids, 'text');
}

/**
 * Scores of accounts deleted (or merged away) since they were scored, with the scoring inputs kept
 * for them. Every live account was just written at `now`, so only rows older than that can be
 * stale: the `computed_at` filter leaves the existence check a handful of rows, whatever plan stale
 * statistics (right after a bulk load) give.
 */
async function dropScoresOfDeletedAccounts(ctx: AppContext, tenantId: string, now: Date): Promise<void> {
  await sql`
    with gone as (
      delete from account_scores as score
      where score.tenant_id = ${tenantId} and score.computed_at < ${now} and not exists (
        select 1 from accounts as account
        where account.tenant_id = score.tenant_id and account.id = score.account_id and account.deleted_at is null
      )
      returning score.account_id
    ), kept_records as (
      delete from scoring_records where tenant_id = ${tenantId} and account_id in (select account_id from gone)
    )
    delete from scoring_usage where tenant_id = ${tenantId} and account_id in (select account_id from gone)
  `.execute(ctx.db);
}

/** Re-score accounts waiting in the rescore queue (queued at least `olderThanMs` ago), tenant by tenant. */
export async function recomputeQueued(
  ctx: AppContext,
  options: { olderThanMs?: number; now?: Date } = {},
): Promise<{ tenantId: string; result: RecomputeResult }[]> {
  const now = options.now ?? ctx.now();
  const cutoff = new Date(now.getTime() - (options.olderThanMs ?? 0));
  const queued = await ctx.db
    .selectFrom('rescore_queue')
    .select(['tenant_id', 'account_id'])
    .where('queued_at', '<=', cutoff)
    .orderBy('tenant_id')
    .orderBy('account_id')
    .execute();
  const byTenant = new Map<string, string[]>();
  for (const row of queued) {
    const ids = byTenant.get(row.tenant_id) ?? [];
    ids.push(row.account_id);
    byTenant.set(row.tenant_id, ids);
  }
  const results: { tenantId: string; result: RecomputeResult }[] = [];
  for (const [tenantId, accountIds] of byTenant) {
    results.push({ tenantId, result: await recomputeTenant(ctx, tenantId, { accountIds, now }) });
  }
  return results;
}
