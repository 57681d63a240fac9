import { createReadStream, statSync } from 'node:fs';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema';
import { parseEnv } from '../../env';
import { withDatabaseFromEnv } from '../../server';
import { type CsvImportProgress, importUsageCsv } from '../../usage/csv-import';

const SHOWN_REJECTIONS = 50;

/** The tenant named, or the only one there is; otherwise a message listing the choices. */
async function resolveTenant(db: Kysely<Database>, requested: string | undefined): Promise<string> {
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

function progressLine(progress: CsvImportProgress, totalBytes: number): string {
  const percent = totalBytes > 0 ? Math.min(100, Math.floor((progress.bytesRead / totalBytes) * 100)) : 100;
  const width = 30;
  const filled = Math.round((percent / 100) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}%  ${progress.rows.toLocaleString('en-US')} rows, ${progress.rejected.toLocaleString('en-US')} rejected`;
}

export function registerUsageCommand(program: Command): void {
  const usage = program.command('usage').description('Product usage');
  usage
    .command('import')
    .description('Import daily usage from a CSV file (see docs/api.md for the columns)')
    .argument('<file>', 'CSV file with a header line')
    .option('--tenant <id>', 'tenant to import into (default: the only tenant)')
    .action(async (file: string, options: { tenant?: string }) => {
      let totalBytes: number;
      try {
        totalBytes = statSync(file).size;
      } catch {
        throw new Error(`cannot read ${file}`);
      }
      const env = parseEnv(process.env);
      const result = await withDatabaseFromEnv(env, async ({ db }) => {
        const tenantId = await resolveTenant(db, options.tenant);
        const interactive = process.stderr.isTTY === true;
        let lastShown = 0;
        const outcome = await importUsageCsv(db, tenantId, createReadStream(file), {
          now: new Date(),
          onProgress: (progress) => {
            const now = Date.now();
            if (interactive) process.stderr.write(`\r${progressLine(progress, totalBytes)}`);
            else if (now - lastShown >= 2_000) {
              // Logs (CI, pipes) get a line every couple of seconds, not a carriage-return animation.
              process.stderr.write(`${progressLine(progress, totalBytes)}\n`);
              lastShown = now;
            }
          },
        });
        if (interactive) process.stderr.write('\n');
        return { tenantId, outcome };
      });
      const { outcome } = result;
      for (const rejection of outcome.rejected.slice(0, SHOWN_REJECTIONS)) {
        console.log(`line ${rejection.row}: ${rejection.reason}`);
      }
      if (outcome.rejected.length > SHOWN_REJECTIONS) {
        console.log(
          `… and ${(outcome.rejected.length - SHOWN_REJECTIONS).toLocaleString('en-US')} more rejected lines`,
        );
      }
      console.log(
        `Imported ${outcome.accepted.toLocaleString('en-US')} of ${outcome.rows.toLocaleString('en-US')} rows into ${result.tenantId}: ` +
          `${outcome.accountsQueued.toLocaleString('en-US')} accounts queued for re-scoring, ` +
          `${outcome.rejected.length.toLocaleString('en-US')} rows rejected.`,
      );
      // Good rows are kept either way; a non-zero exit tells scripts that some lines need fixing.
      if (outcome.rejected.length > 0) process.exitCode = 1;
    });
}
