import type { Command } from 'commander';

import { prepareConsoleForDemo } from '../../console/build';
import type { CrmAdapter } from '../../crm/adapter';
import { createHubSpotAdapter } from '../../crm/hubspot/adapter';
import { saveConnection } from '../../crm/hubspot/connections';
import { PROFESSIONAL_RATE_LIMIT } from '../../crm/hubspot/constants';
import { getCrmAdapter } from '../../crm/registry';
import { startHubSpotSandbox } from '../../sandbox/hubspot/index';
import { createTokenCipher } from '../../security/token-cipher';
import { openDatabaseFromEnv, parseServerEnv, startServer } from '../../server';
import { ensureTenant } from '../../store/records';
import { startSalesforceDemo } from './start-salesforce';
import { runPipelineWithOutput } from './sync';

/**
 * `pulse start` (`npm start`): the whole product on a fresh clone. Without HUBSPOT_ACCESS_TOKEN it
 * starts a sandbox HubSpot portal with demo data in-process; then the server on the embedded
 * database, the first sync + score + write-back with progress, and where to look next.
 */

interface StartOptions {
  accounts: string;
  sandboxPort: string;
  crm: string;
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'Demo: sandbox HubSpot portal (or your real one via HUBSPOT_ACCESS_TOKEN), server, first sync and scores',
    )
    .option('--accounts <count>', 'demo accounts in the sandbox portal', '500')
    .option('--sandbox-port <port>', 'sandbox portal port (0 picks a free one)', '4010')
    .option('--crm <crm>', 'hubspot or salesforce', 'hubspot')
    .action(async (options: StartOptions) => {
      if (options.crm === 'salesforce')
        return startSalesforceDemo({
          accounts: Number(options.accounts),
          sandboxPort: Number(options.sandboxPort),
        });
      if (options.crm !== 'hubspot') throw new Error(`--crm ${options.crm} is not available in this build`);
      const env = parseServerEnv(process.env);
      await prepareConsoleForDemo(env);
      const accounts = Number(options.accounts);
      if (!Number.isInteger(accounts) || accounts < 1)
        throw new Error('--accounts must be a whole number >= 1');
      const sandboxPort = Number(options.sandboxPort);
      if (!Number.isInteger(sandboxPort) || sandboxPort < 0)
        throw new Error('--sandbox-port must be a port number');

      const real = Boolean(env.HUBSPOT_ACCESS_TOKEN);
      let sandbox: Awaited<ReturnType<typeof startHubSpotSandbox>> | null = null;
      if (!real) {
        console.log(
          `Starting a sandbox HubSpot portal with ${accounts.toLocaleString('en-US')} demo accounts…`,
        );
        // The sandbox enforces a Professional portal's budget; Pulse's limiter keeps under it.
        sandbox = await startHubSpotSandbox({
          port: sandboxPort,
          accounts,
          seed: 42,
          rateLimit: {
            max: PROFESSIONAL_RATE_LIMIT.requests,
            intervalMs: PROFESSIONAL_RATE_LIMIT.intervalMs,
          },
        });
        console.log(`  sandbox portal ${sandbox.portalId} at ${sandbox.url}`);
      }

      const database = await openDatabaseFromEnv(env);
      const server = await startServer({ env, database });
      const stop = async () => {
        await server.close();
        await database.close();
        await sandbox?.close();
      };
      process.once('SIGINT', () => void stop().then(() => process.exit(0)));
      process.once('SIGTERM', () => void stop().then(() => process.exit(0)));

      const ctx = server.context;
      let adapter: CrmAdapter;
      let tenantId: string;
      if (sandbox) {
        const portalId = String(sandbox.portalId);
        tenantId = await ensureTenant(ctx.db, {
          crm: 'hubspot',
          externalId: portalId,
          name: 'Sandbox portal',
        });
        const cipher = createTokenCipher(env.PULSE_ENCRYPTION_KEY, env.PULSE_DATA_DIR);
        await saveConnection(
          ctx.db,
          cipher,
          {
            tenantId,
            crm: 'hubspot',
            externalId: portalId,
            authType: 'private_app',
            accessToken: sandbox.accessToken,
            refreshToken: null,
            expiresAt: null,
            scopes: [],
            baseUrl: sandbox.url,
            status: 'connected',
            lastError: null,
          },
          ctx.now(),
        );
        adapter = createHubSpotAdapter({
          basePath: sandbox.url,
          accessToken: sandbox.accessToken,
          portalId,
          rateLimit: PROFESSIONAL_RATE_LIMIT,
        });
      } else {
        const probe = createHubSpotAdapter({
          accessToken: env.HUBSPOT_ACCESS_TOKEN!,
          basePath: env.HUBSPOT_API_BASE_URL,
        });
        const portalId = await probe.externalId();
        tenantId = await ensureTenant(ctx.db, {
          crm: 'hubspot',
          externalId: portalId,
          name: `HubSpot ${portalId}`,
        });
        adapter = await getCrmAdapter(ctx, tenantId);
        console.log(`Using HubSpot portal ${portalId} at ${env.HUBSPOT_API_BASE_URL}`);
      }

      const report = await runPipelineWithOutput(ctx, { tenantId, adapter, ensureFields: true });
      const example = await ctx.db
        .selectFrom('account_scores')
        .innerJoin('accounts', (join) =>
          join
            .onRef('accounts.tenant_id', '=', 'account_scores.tenant_id')
            .onRef('accounts.id', '=', 'account_scores.account_id'),
        )
        .select(['accounts.id', 'accounts.name', 'account_scores.score', 'account_scores.tier'])
        .where('account_scores.tenant_id', '=', tenantId)
        .where('account_scores.score', 'is not', null)
        .orderBy('account_scores.score', 'asc')
        .limit(1)
        .executeTakeFirst();

      console.log('');
      console.log(
        report.sync.status === 'completed'
          ? 'Pulse is running.'
          : 'Pulse is running, but the first sync did not finish (see above).',
      );
      console.log(`  server          ${server.url}  (API under /api/v1, health check /healthz)`);
      if (sandbox)
        console.log(
          `  sandbox portal  ${sandbox.url}  (HubSpot REST API; requests log at /__sandbox/requests)`,
        );
      if (example) {
        console.log(`  lowest score    ${example.name}: ${Math.round(example.score ?? 0)} (${example.tier})`);
        console.log(`  explain it      npx pulse score --account ${example.id}`);
      }
      console.log('  re-sync         npx pulse sync   (with this server stopped, or from another shell)');
      console.log('Ctrl-C stops everything.');
    });
}
