import type { Command } from 'commander';

import { startHubSpotSandbox } from '../../sandbox/hubspot/index';
import { sandboxCommand } from './sandbox';

interface SandboxHubSpotOptions {
  port: string;
  accounts: string;
  seed: string;
  portal: string;
  token?: string;
  rateLimit: string;
}

function integer(value: string, flag: string, minimum: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < minimum)
    throw new Error(`${flag} must be an integer >= ${minimum} (got "${value}")`);
  return number;
}

/** `--rate-limit 100/10000` (requests per milliseconds) or `off`. */
function rateLimit(value: string): { max: number; intervalMs: number } | false {
  if (value === 'off') return false;
  const match = /^(\d+)\/(\d+)$/.exec(value);
  if (!match)
    throw new Error(`--rate-limit must look like 100/10000 (requests/ms) or "off" (got "${value}")`);
  return {
    max: integer(match[1]!, '--rate-limit requests', 1),
    intervalMs: integer(match[2]!, '--rate-limit interval', 1),
  };
}

export function registerSandboxHubSpotCommand(program: Command): void {
  sandboxCommand(program)
    .command('hubspot')
    .description(
      'Serve a HubSpot sandbox portal with demo data (the @hubspot/api-client works against it via basePath)',
    )
    .option('--port <port>', 'port to listen on (0 picks a free one)', '4010')
    .option('--accounts <count>', 'demo accounts to generate', '500')
    .option('--seed <seed>', 'demo data seed', '42')
    .option('--portal <id>', 'portal (hub) id', '100001')
    .option('--token <token>', 'fixed private-app access token to accept (default: generated)')
    .option('--rate-limit <spec>', 'rolling rate limit as requests/ms, or "off"', '100/10000')
    .action(async (options: SandboxHubSpotOptions) => {
      const started = performance.now();
      const sandbox = await startHubSpotSandbox({
        port: integer(options.port, '--port', 0),
        accounts: integer(options.accounts, '--accounts', 0),
        seed: integer(options.seed, '--seed', Number.MIN_SAFE_INTEGER),
        portalId: integer(options.portal, '--portal', 1),
        rateLimit: rateLimit(options.rateLimit),
        ...(options.token ? { accessToken: options.token } : {}),
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `HubSpot sandbox portal ${sandbox.portalId} listening on ${sandbox.url} (loaded in ${seconds}s)`,
      );
      console.log(
        `  companies ${sandbox.store.count('companies')}, deals ${sandbox.store.count('deals')}, tickets ${sandbox.store.count('tickets')}, contacts ${sandbox.store.count('contacts')}`,
      );
      console.log(`  HUBSPOT_API_BASE_URL=${sandbox.url}`);
      console.log(`  HUBSPOT_ACCESS_TOKEN=${sandbox.accessToken}`);
      console.log(
        `  OAuth client id / secret: ${sandbox.oauth.client.clientId} / ${sandbox.oauth.client.clientSecret}`,
      );
      console.log(
        '  Faults: POST /__sandbox/faults   Request counts: GET /__sandbox/requests   (Ctrl-C to stop)',
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await sandbox.close();
    });
}
