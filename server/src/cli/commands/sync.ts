import type { CrmKind } from '@pulse/shared';
import { type Command, Option } from 'commander';

import type { AppContext } from '../../context';
import type { CrmAdapter } from '../../crm/adapter';
import { createHubSpotAdapter } from '../../crm/hubspot/adapter';
import { getCrmAdapter } from '../../crm/registry';
import { resolveSalesforceTenant } from '../../crm/salesforce/tenant';
import { parseEnv } from '../../env';
import { withDatabaseFromEnv } from '../../server';
import { ensureTenant } from '../../store/records';
import { type PipelineReport, syncScoreAndWrite } from '../../sync/pipeline';
import type { SyncProgress } from '../../sync/run-sync';
import { createProgressBar } from '../progress';

/** `pulse sync [--crm hubspot|salesforce] [--full] [--no-score]` */

export interface ConnectedTenant {
  tenantId: string;
  adapter: CrmAdapter;
}

/** How each CRM finds the tenant to sync from the environment or a stored connection. */
export const tenantResolvers: Partial<Record<CrmKind, (ctx: AppContext) => Promise<ConnectedTenant>>> = {
  hubspot: resolveHubSpotTenant,
  salesforce: resolveSalesforceTenant,
};

async function resolveHubSpotTenant(ctx: AppContext): Promise<ConnectedTenant> {
  if (ctx.env.HUBSPOT_ACCESS_TOKEN) {
    const probe = createHubSpotAdapter({
      accessToken: ctx.env.HUBSPOT_ACCESS_TOKEN,
      basePath: ctx.env.HUBSPOT_API_BASE_URL,
    });
    const portalId = await probe.externalId();
    const tenantId = await ensureTenant(ctx.db, {
      crm: 'hubspot',
      externalId: portalId,
      name: `HubSpot ${portalId}`,
    });
    return { tenantId, adapter: await getCrmAdapter(ctx, tenantId) };
  }
  const connected = await ctx.db
    .selectFrom('crm_connections')
    .select('tenant_id')
    .where('crm', '=', 'hubspot')
    .orderBy('updated_at', 'desc')
    .execute();
  if (connected.length === 0)
    throw new Error(
      'No HubSpot portal connected: set HUBSPOT_ACCESS_TOKEN or install the app (docs/hubspot.md)',
    );
  const tenantId = connected[0]!.tenant_id;
  return { tenantId, adapter: await getCrmAdapter(ctx, tenantId) };
}

/** One line per record kind: redrawn in place on a terminal, printed when the kind is done. */
export function printSyncProgress(
  stream: NodeJS.WriteStream = process.stderr,
): (progress: SyncProgress) => void {
  return (progress) => {
    const line = `  ${progress.kind.padEnd(14)} ${progress.fetched.toLocaleString('en-US').padStart(9)} records  ${String(progress.pages).padStart(5)} pages  ${progress.phase}${progress.rejected ? `  ${progress.rejected} rejected` : ''}`;
    if (stream.isTTY) stream.write(`\r${line}\u001b[K${progress.done ? '\n' : ''}`);
    else if (progress.done) stream.write(`${line}\n`);
  };
}

export async function runPipelineWithOutput(
  ctx: AppContext,
  input: { tenantId: string; adapter: CrmAdapter; full?: boolean; score?: boolean; ensureFields?: boolean },
  log: (line: string) => void = (line) => console.log(line),
): Promise<PipelineReport> {
  log(`Syncing ${input.adapter.crm} into tenant ${input.tenantId}${input.full ? ' (full)' : ''}…`);
  let scoreBar: ReturnType<typeof createProgressBar> | null = null;
  const report = await syncScoreAndWrite(ctx, {
    ...input,
    onSyncProgress: printSyncProgress(),
    onScoreProgress: (done, total) => {
      scoreBar ??= createProgressBar({ label: 'Scoring', total, unit: 'accounts' });
      scoreBar.update(done);
    },
  });
  (scoreBar as ReturnType<typeof createProgressBar> | null)?.finish();
  const { sync } = report;
  if (report.fields && report.fields.created.length + report.fields.updated.length > 0)
    log(`CRM properties: ${report.fields.created.length} created, ${report.fields.updated.length} updated`);
  const rejected = sync.kinds.reduce((sum, kind) => sum + kind.rejectedCount, 0);
  log(
    `Sync ${sync.status}: ${sync.kinds.reduce((sum, kind) => sum + kind.stored, 0).toLocaleString('en-US')} records stored, ${rejected} rejected, ${sync.touchedAccounts.toLocaleString('en-US')} accounts touched (${(report.timings.syncMs / 1000).toFixed(1)}s)`,
  );
  for (const kind of sync.kinds)
    for (const rejection of kind.rejected.slice(0, 3))
      log(`  rejected ${kind.kind} ${rejection.id ?? '?'}: ${rejection.reason}`);
  if (sync.error)
    log(
      `Stopped at ${sync.error.kind}: ${sync.error.code} ${sync.error.message} — the next run resumes there`,
    );
  if (report.score && 'accounts' in report.score)
    log(
      `Scored ${report.score.accounts.toLocaleString('en-US')} accounts (${(report.timings.scoreMs / 1000).toFixed(1)}s)`,
    );
  if (report.writeBack)
    log(
      `Write-back: ${report.writeBack.changed.toLocaleString('en-US')} accounts changed, ${report.writeBack.written.toLocaleString('en-US')} written in ${report.writeBack.batches} batches, ${report.writeBack.failed.length} failed`,
    );
  return report;
}

export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description('Sync the CRM, re-score what changed and write the scores back')
    .addOption(new Option('--crm <crm>', 'which CRM').choices(['hubspot', 'salesforce']).default('hubspot'))
    .option('--full', 'list everything again instead of changes since the last sync')
    .option('--no-score', 'sync only: no re-scoring, no write-back')
    .action(async (options: { crm: CrmKind; full?: boolean; score: boolean }) => {
      const env = parseEnv(process.env);
      const resolve = tenantResolvers[options.crm];
      if (!resolve) throw new Error(`--crm ${options.crm} is not available yet`);
      const report = await withDatabaseFromEnv(env, async (database) => {
        const ctx: AppContext = { db: database.db, dbKind: database.kind, env, now: () => new Date() };
        const { tenantId, adapter } = await resolve(ctx);
        const first = !(await ctx.db
          .selectFrom('sync_checkpoints')
          .select('stream')
          .where('tenant_id', '=', tenantId)
          .executeTakeFirst());
        return runPipelineWithOutput(ctx, {
          tenantId,
          adapter,
          score: options.score,
          ensureFields: options.score && (first || options.full === true),
          ...(options.full ? { full: true } : {}),
        });
      });
      if (report.sync.status !== 'completed') process.exitCode = 1;
    });
}
