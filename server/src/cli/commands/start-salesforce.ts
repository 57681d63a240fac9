import type { CrmAdapter } from '../../crm/adapter';
import { getCrmAdapter } from '../../crm/registry';
import { createSalesforceAdapter } from '../../crm/salesforce/adapter';
import { salesforceOptionsFromEnv, saveSalesforceConnection } from '../../crm/salesforce/connections';
import { startSalesforceSandbox } from '../../sandbox/salesforce/server';
import { openDatabaseFromEnv, parseServerEnv, startServer } from '../../server';
import { ensureTenant } from '../../store/records';
import { runPipelineWithOutput } from './sync';

/**
 * `pulse start --crm salesforce`: without SALESFORCE_* credentials, a sandbox Salesforce org with
 * demo data in-process; then the server, the first sync + score + write-back, and where to look.
 */
export async function startSalesforceDemo(options: { accounts: number; sandboxPort: number }): Promise<void> {
  const env = parseServerEnv(process.env);
  const fromEnv = salesforceOptionsFromEnv(env);
  let sandbox: Awaited<ReturnType<typeof startSalesforceSandbox>> | null = null;
  if (!fromEnv) {
    console.log(
      `Starting a sandbox Salesforce org with ${options.accounts.toLocaleString('en-US')} demo accounts…`,
    );
    sandbox = await startSalesforceSandbox({
      port: options.sandboxPort,
      accounts: options.accounts,
      seed: 42,
    });
    console.log(`  sandbox org ${sandbox.store.orgId} at ${sandbox.url}`);
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
    tenantId = await ensureTenant(ctx.db, {
      crm: 'salesforce',
      externalId: sandbox.store.orgId,
      name: 'Sandbox org',
    });
    await saveSalesforceConnection(ctx, {
      tenantId,
      externalId: sandbox.store.orgId,
      tokens: { instanceUrl: sandbox.instanceUrl, accessToken: sandbox.accessToken, refreshToken: null },
    });
    adapter = await getCrmAdapter(ctx, tenantId);
  } else {
    const orgId = await createSalesforceAdapter(fromEnv!).externalId();
    tenantId = await ensureTenant(ctx.db, {
      crm: 'salesforce',
      externalId: orgId,
      name: `Salesforce ${orgId}`,
    });
    adapter = await getCrmAdapter(ctx, tenantId);
    console.log(`Using Salesforce org ${orgId}`);
  }

  const report = await runPipelineWithOutput(ctx, { tenantId, adapter, ensureFields: true });
  console.log('');
  console.log(
    report.sync.status === 'completed'
      ? 'Pulse is running.'
      : 'Pulse is running, but the first sync did not finish (see above).',
  );
  console.log(`  server          ${server.url}  (API under /api/v1, health check /healthz)`);
  if (sandbox) {
    console.log(
      `  sandbox org     ${sandbox.url}  (Salesforce REST API; request counts at /__sandbox/requests)`,
    );
    console.log(`  access token    ${sandbox.accessToken}`);
  }
  console.log(
    '  re-sync         npx pulse sync --crm salesforce   (with SALESFORCE_* set, see docs/salesforce.md)',
  );
  console.log('Ctrl-C stops everything.');
}
