import { type Command, InvalidArgumentError } from 'commander';

import { parseServerEnv, startServer } from '../../server';

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
      // Listening for signals before start-up, so Ctrl-C while the database opens still stops cleanly.
      let requestStop: (signal: NodeJS.Signals) => void = () => undefined;
      const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
        requestStop = resolve;
      });
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        signals += 1;
        if (signals > 1) {
          console.error(`${signal} again: exiting without waiting`);
          process.exit(1);
        }
        requestStop(signal);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);

      const env = parseServerEnv(process.env);
      if (options.port !== undefined) env.PORT = options.port;
      const server = await startServer({ env, scheduler: options.scheduler ? undefined : false });
      const signal = await stopRequested;
      console.log(`${signal}: finishing requests in flight, then stopping…`);
      await server.close();
      console.log('Pulse stopped');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
}
