import type { AccountHealthResponse } from '@pulse/shared/api/health';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';

import type { AppContext } from '../../context';
import type { Database } from '../../db/schema';
import { parseEnv } from '../../env';
import { type RecomputeSummary, recomputeTenant } from '../../scoring/recompute';
import { withDatabaseFromEnv } from '../../server';
import { getAccountHealth } from '../../store/scores';
import { createProgressBar, type ProgressBarOptions } from '../progress';

/**
 * `pulse score`: recompute a tenant with a progress bar and a summary by tier, or with --account
 * print one account's explained score (factor by factor, drivers, churn risk, CLTV, upsell).
 */
export interface ScoreCommandOptions {
  tenant?: string;
  account?: string;
}

export interface CommandOutput {
  out(line: string): void;
  progressStream?: ProgressBarOptions['stream'];
}

export function registerScoreCommand(program: Command): void {
  program
    .command('score')
    .description('Recompute health scores for a tenant and print a summary by tier')
    .option('--tenant <id>', 'tenant to score (default: the only tenant)')
    .option('--account <id>', 'recompute and explain one account')
    .action(async (options: ScoreCommandOptions) => {
      const env = parseEnv(process.env);
      await withDatabaseFromEnv(env, async (database) => {
        const ctx: AppContext = { db: database.db, dbKind: database.kind, env, now: () => new Date() };
        await runScoreCommand(ctx, options, { out: (line) => console.log(line) });
      });
    });
}

export async function runScoreCommand(
  ctx: AppContext,
  options: ScoreCommandOptions,
  output: CommandOutput,
): Promise<void> {
  const tenantId = await resolveTenant(ctx.db, options.tenant);
  if (options.account !== undefined) {
    const exists = await ctx.db
      .selectFrom('accounts')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', options.account)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!exists) throw new Error(`no account "${options.account}" in tenant ${tenantId}`);
    const result = await recomputeTenant(ctx, tenantId, { accountIds: [options.account] });
    if ('skipped' in result) throw new Error(`another process is recomputing ${tenantId}; try again shortly`);
    const health = await getAccountHealth(ctx.db, tenantId, options.account);
    if (!health) throw new Error(`account "${options.account}" could not be scored`);
    for (const line of formatExplainedScore(health)) output.out(line);
    return;
  }
  const bar = createProgressBar({
    label: 'Scoring',
    total: 0,
    unit: 'accounts',
    ...(output.progressStream ? { stream: output.progressStream } : {}),
  });
  const result = await recomputeTenant(ctx, tenantId, {
    onProgress: (done, total) => {
      bar.setTotal(total);
      bar.update(done);
    },
  });
  if ('skipped' in result) throw new Error(`another process is recomputing ${tenantId}; try again shortly`);
  bar.finish();
  for (const line of formatTierSummary(result)) output.out(line);
}

/** The tenant named, or the only one; otherwise an error listing the tenants. */
export async function resolveTenant(db: Kysely<Database>, requested: string | undefined): Promise<string> {
  const tenants = await db.selectFrom('tenants').select(['id', 'name']).orderBy('id').execute();
  const list = tenants.map((tenant) => `${tenant.id} (${tenant.name})`).join(', ');
  if (requested !== undefined) {
    if (tenants.some((tenant) => tenant.id === requested)) return requested;
    throw new Error(`no tenant "${requested}"; tenants: ${list || 'none yet'}`);
  }
  if (tenants.length === 1) return tenants[0]!.id;
  if (tenants.length === 0) throw new Error('no tenant yet: connect a CRM or run `pulse demo-data` first');
  throw new Error(`several tenants; choose one with --tenant: ${list}`);
}

const count = (value: number) => value.toLocaleString('en-US');
const money = (value: number) => Math.round(value).toLocaleString('en-US');

export function formatTierSummary(summary: RecomputeSummary): string[] {
  const seconds = summary.durationMs / 1000;
  const rate = seconds > 0 ? Math.round(summary.accounts / seconds) : summary.accounts;
  const lines = [
    `Scored ${count(summary.accounts)} accounts of ${summary.tenantId} in ${seconds.toFixed(1)} s (${count(rate)} accounts/s)`,
    '',
    `${'Tier'.padEnd(22)}${'Accounts'.padStart(10)}${'%'.padStart(8)}${'ARR'.padStart(16)}`,
  ];
  for (const tier of Object.values(summary.byTier)) {
    const share = summary.accounts > 0 ? (tier.count / summary.accounts) * 100 : 0;
    lines.push(
      `${tier.label.padEnd(22)}${count(tier.count).padStart(10)}${`${share.toFixed(1)}%`.padStart(8)}${money(tier.arr).padStart(16)}`,
    );
  }
  lines.push(
    `${'Total'.padEnd(22)}${count(summary.accounts).padStart(10)}${'100.0%'.padStart(8)}${money(summary.totalArr).padStart(16)}`,
    '',
    `Low coverage: ${count(summary.lowCoverage)} ${summary.lowCoverage === 1 ? 'account' : 'accounts'} (too little data behind the score to trust it fully)`,
  );
  return lines;
}

export function formatExplainedScore(health: AccountHealthResponse): string[] {
  const result = health.health;
  const lines = [
    `${health.accountName} (${health.accountId})${health.ownerName ? `, owner ${health.ownerName}` : ''}`,
    `Health ${result.score ?? 'unscored'}${result.tierLabel ? ` — ${result.tierLabel}` : ''}, data coverage ${result.coverage}%${result.lowCoverage ? ' (LOW COVERAGE)' : ''}`,
    `30-day trend: ${health.trend30d === null ? 'n/a (no score 30 days ago)' : signed(health.trend30d)}, scored ${result.computedAt}`,
    '',
  ];
  for (const factor of result.factors) {
    const value = factor.value === null ? 'no data (excluded)' : `${factor.value}/100`;
    lines.push(
      `${factor.label} [${factor.key}] — ${value}, ${factor.points} pts, weight ${factor.weight} (effective ${factor.effectiveWeight})`,
      `  ${factor.explanation}`,
      `  as of ${factor.asOf ?? 'n/a'}`,
    );
    for (const signal of factor.signals) {
      lines.push(`    ${signal.label}: ${formatValue(signal.value)}${signal.unit ? ` ${signal.unit}` : ''}`);
    }
  }
  lines.push('', 'What changed since the last score:');
  const drivers = [...result.drivers.up, ...result.drivers.down];
  if (drivers.length === 0) lines.push('  nothing (first score, or no factor moved)');
  for (const driver of drivers) lines.push(`  ${driver.explanation}`);
  lines.push(
    '',
    `Churn risk: ${health.churnRisk.value} — ${health.churnRisk.explanation}`,
    `CLTV: ${health.cltv.value === null ? 'n/a' : money(health.cltv.value)} — ${health.cltv.explanation}`,
    `Upsell score: ${health.upsell.value} — ${health.upsell.explanation}`,
    `ARR: ${money(health.arr)}, next renewal: ${health.nextRenewalDate ?? 'none'}`,
    `Open flags: ${health.openFlags.count} (${health.openFlags.critical} critical)${health.openFlags.types.length ? `: ${health.openFlags.types.join(', ')}` : ''}`,
  );
  for (const recommendation of health.topRecommendations) {
    lines.push(
      `Recommend ${recommendation.productName} (${recommendation.score}): ${recommendation.explanation}`,
    );
  }
  return lines;
}

function signed(value: number): string {
  return `${value > 0 ? '+' : ''}${value}`;
}

function formatValue(value: string | number | boolean | null): string {
  if (value === null) return 'n/a';
  if (typeof value === 'number')
    return Number.isInteger(value) ? count(value) : String(Math.round(value * 100) / 100);
  return String(value);
}
