import { type Command, InvalidArgumentError } from 'commander';

import type { AppContext } from '../../context';
import { parseEnv } from '../../env';
import { withDatabaseFromEnv } from '../../server';
import { type DemoLoadResult, loadDemoPortfolio } from '../../store/demo-data';
import { createProgressBar, type ProgressBarOptions } from '../progress';

/** `pulse demo-data`: load a deterministic synthetic portfolio as tenant `demo:<name>`. */
export interface DemoDataOptions {
  accounts: number;
  seed: number;
  usageDays: number;
  tenant: string;
}

export function registerDemoDataCommand(program: Command): void {
  program
    .command('demo-data')
    .description('Load a realistic synthetic portfolio (deterministic from the seed) as tenant demo:<name>')
    .option(
      '--accounts <n>',
      'accounts to generate (1 to 200,000)',
      integerOption('--accounts', 1, 200_000),
      1000,
    )
    .option('--seed <n>', 'seed: the same seed always gives the same portfolio', integerOption('--seed'), 42)
    .option(
      '--usage-days <n>',
      'days of daily usage (540 = 18 months)',
      integerOption('--usage-days', 0, 3660),
      540,
    )
    .option('--tenant <name>', 'tenant name: data goes to tenant demo:<name>', 'demo')
    .action(async (options: DemoDataOptions) => {
      const env = parseEnv(process.env);
      await withDatabaseFromEnv(env, async (database) => {
        const ctx: AppContext = { db: database.db, dbKind: database.kind, env, now: () => new Date() };
        await runDemoDataCommand(ctx, options, { out: (line) => console.log(line) });
      });
    });
}

export async function runDemoDataCommand(
  ctx: AppContext,
  options: DemoDataOptions,
  output: { out(line: string): void; progressStream?: ProgressBarOptions['stream'] },
): Promise<DemoLoadResult> {
  const bar = createProgressBar({
    label: 'Generating',
    total: options.accounts,
    unit: 'accounts',
    ...(output.progressStream ? { stream: output.progressStream } : {}),
  });
  const result = await loadDemoPortfolio(ctx, {
    name: options.tenant,
    accounts: options.accounts,
    seed: options.seed,
    usageDays: options.usageDays,
    onProgress: ({ accounts, rows }) => bar.update(accounts, `${rows.toLocaleString('en-US')} rows`),
  });
  bar.finish(`${result.rows.toLocaleString('en-US')} rows`);
  const seconds = result.durationMs / 1000;
  const kinds = Object.entries(result.rowsByKind)
    .map(([kind, rows]) => `${rows.toLocaleString('en-US')} ${kind}`)
    .join(', ');
  output.out(
    `Loaded ${result.accounts.toLocaleString('en-US')} accounts into ${result.tenantId} in ${seconds.toFixed(1)} s (${Math.round(result.rows / Math.max(seconds, 0.001)).toLocaleString('en-US')} rows/s)`,
  );
  output.out(`  ${kinds}`);
  output.out(`Next: pulse score --tenant ${result.tenantId}`);
  return result;
}

/** Commander parser for an integer flag; a bad value names the flag. */
function integerOption(flag: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(
        `${flag} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')} (got "${value}")`,
      );
    }
    return parsed;
  };
}
