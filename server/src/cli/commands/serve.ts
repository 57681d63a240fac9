import { type Command, InvalidArgumentError } from 'commander';

import { parseEnv } from '../../env';
import { startServer } from '../../server';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new InvalidArgumentError('must be a whole number from 0 to 65535');
  }
  return port;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the Pulse API and the scheduled recompute (hourly, PULSE_SCORE_CRON)')
    .option('-p, --port <port>', 'port to listen on (overrides PORT; 0 picks a free one)', parsePort)
    .option('--no-scheduler', 'serve the API only; another process runs the scheduled jobs')
    .action(async (options: { port?: number; scheduler: boolean }) => {
      const env = parseEnv(process.env);
      if (options.port !== undefined) env.PORT = options.port;
      const server = await startServer({ env, scheduler: options.scheduler ? undefined : false });
      await new Promise<void>((resolve) => {
        let signals = 0;
        const shutdown = (signal: NodeJS.Signals) => {
          signals += 1;
          if (signals > 1) {
            console.error(`${signal} again: exiting without waiting`);
            process.exit(1);
          }
          console.log(`${signal}: finishing requests in flight, then stopping…`);
          server.close().then(
            () => {
              console.log('Pulse stopped');
              resolve();
            },
            (error: unknown) => {
              console.error(`pulse: shutdown failed: ${error instanceof Error ? error.message : error}`);
              process.exitCode = 1;
              resolve();
            },
          );
        };
        process.on('SIGINT', shutdown);
        process.on('SIGTERM', shutdown);
      });
    });
}
