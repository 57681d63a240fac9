import type { Command } from 'commander';

import { startSalesforceSandbox } from '../../sandbox/salesforce/server';
import { sandboxCommand } from './sandbox';

interface SandboxSalesforceOptions {
  port: string;
  accounts: string;
  seed: string;
  token?: string;
  dailyLimit: string;
}

function integer(value: string, flag: string, minimum: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < minimum) {
    throw new Error(`${flag} must be an integer >= ${minimum} (got "${value}")`);
  }
  return number;
}

export function registerSandboxSalesforceCommand(program: Command): void {
  sandboxCommand(program)
    .command('salesforce')
    .description(
      'Serve a Salesforce sandbox org with demo data (jsforce works against it via instanceUrl/loginUrl)',
    )
    .option('--port <port>', 'port to listen on (0 picks a free one)', '4020')
    .option('--accounts <count>', 'demo accounts to generate', '500')
    .option('--seed <seed>', 'demo data seed', '42')
    .option('--token <token>', 'fixed access token to accept (default: generated)')
    .option('--daily-limit <calls>', "the org's daily API allowance (Sforce-Limit-Info)", '100000')
    .action(async (options: SandboxSalesforceOptions) => {
      const started = performance.now();
      const sandbox = await startSalesforceSandbox({
        port: integer(options.port, '--port', 0),
        accounts: integer(options.accounts, '--accounts', 0),
        seed: integer(options.seed, '--seed', Number.MIN_SAFE_INTEGER),
        dailyApiLimit: integer(options.dailyLimit, '--daily-limit', 1),
        ...(options.token ? { accessToken: options.token } : {}),
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const count = (object: string) => sandbox.store.all(object).length;
      console.log(
        `Salesforce sandbox org ${sandbox.store.orgId} listening on ${sandbox.url} (loaded in ${seconds}s)`,
      );
      console.log(
        `  Account ${count('Account')}, Contact ${count('Contact')}, Opportunity ${count('Opportunity')}, Case ${count('Case')}, Task ${count('Task')}, Event ${count('Event')}`,
      );
      console.log(`  SALESFORCE_LOGIN_URL=${sandbox.loginUrl}`);
      console.log(`  SALESFORCE_INSTANCE_URL=${sandbox.instanceUrl}`);
      console.log(`  SALESFORCE_ACCESS_TOKEN=${sandbox.accessToken}`);
      console.log(`  Connected app: ${sandbox.connectedApp.clientId} / ${sandbox.connectedApp.clientSecret}`);
      console.log('  Request counts: GET /__sandbox/requests   (Ctrl-C to stop)');
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await sandbox.close();
    });
}
