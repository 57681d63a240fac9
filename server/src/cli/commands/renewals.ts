import { toCsv } from '@pulse/shared/csv/csv';
import {
  RenewalQuery,
  type RenewalRow,
  renewalCsvHeader,
  renewalCsvRow,
} from '@pulse/shared/renewals/renewals';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema';
import { parseEnv } from '../../env';
import { loadRenewals } from '../../renewals/store';
import { withDatabaseFromEnv } from '../../server';

export interface RenewalsCommandOptions {
  tenant?: string;
  within?: string;
  owner?: string;
  tier?: string;
  sort?: string;
  order?: string;
  csv?: boolean;
}

/** The tenant named, or the only one there is; otherwise an error listing the choices. */
export async function resolveCliTenant(db: Kysely<Database>, tenant: string | undefined): Promise<string> {
  const tenants = await db.selectFrom('tenants').select(['id', 'name']).orderBy('id').execute();
  if (tenant !== undefined) {
    if (!tenants.some((row) => row.id === tenant)) {
      throw new Error(
        `--tenant: no tenant "${tenant}" (known: ${tenants.map((row) => row.id).join(', ') || 'none'})`,
      );
    }
    return tenant;
  }
  if (tenants.length === 1) return tenants[0]!.id;
  if (tenants.length === 0) throw new Error('No tenant yet: connect a CRM or load the demo portfolio first');
  throw new Error(`Several tenants: pass --tenant <id> (one of ${tenants.map((row) => row.id).join(', ')})`);
}

function table(rows: RenewalRow[]): string {
  const money = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  const body = rows.map((row) => [
    row.accountName,
    row.productName,
    money(row.mrr),
    row.renewalDate,
    String(row.daysLeft),
    row.band,
    row.autoRenew ? 'yes' : 'no',
    row.ownerName ?? row.ownerId ?? '-',
    row.tier ?? '-',
  ]);
  const all = [['ACCOUNT', 'PRODUCT', 'MRR', 'RENEWAL', 'DAYS', 'BAND', 'AUTO', 'OWNER', 'TIER'], ...body];
  const widths = all[0]!.map((_, column) => Math.max(...all.map((line) => line[column]!.length)));
  const lines = all.map((line) =>
    line
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
  const total = rows.reduce((sum, row) => sum + row.mrr, 0);
  lines.push('', `${rows.length} renewal${rows.length === 1 ? '' : 's'}, MRR ${money(total)}`);
  return `${lines.join('\n')}\n`;
}

/** The text `pulse renewals` prints: an aligned table, or RFC 4180 CSV with `--csv`. */
export async function renewalsReport(
  db: Kysely<Database>,
  options: RenewalsCommandOptions,
  now: Date,
): Promise<string> {
  const parsed = RenewalQuery.safeParse({
    within: options.within,
    owner: options.owner,
    tier: options.tier,
    sort: options.sort,
    order: options.order,
  });
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  }
  const tenantId = await resolveCliTenant(db, options.tenant);
  const rows = await loadRenewals(db, tenantId, parsed.data, now);
  return options.csv ? toCsv(renewalCsvHeader, rows.map(renewalCsvRow)) : table(rows);
}

export function registerRenewalsCommand(program: Command): void {
  program
    .command('renewals')
    .description('Every upcoming subscription renewal: days left, red/amber/green band, owner, tier')
    .option('--tenant <id>', 'tenant (default: the only one)')
    .option('--within <days>', 'due within 30, 60, 90 or 180 days (overdue always included)')
    .option('--owner <owner>', 'owner id, name or email')
    .option('--tier <tier>', 'health tier key, e.g. at_risk')
    .option('--sort <column>', 'account, product, mrr, renewalDate, daysLeft, band, autoRenew, owner, tier')
    .option('--order <order>', 'asc or desc')
    .option('--csv', 'print RFC 4180 CSV (formula-safe) instead of a table')
    .action(async (options: RenewalsCommandOptions) => {
      await withDatabaseFromEnv(parseEnv(process.env), async ({ db }) => {
        process.stdout.write(await renewalsReport(db, options, new Date()));
      });
    });
}
