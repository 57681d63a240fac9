import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { AppContext } from './context';
import { type DatabaseHandle, openDatabase } from './db/connection';
import { type Env, EnvError, parseEnv } from './env';
import { createApp } from './http/app';
import { withCompanyCardFastLane } from './hubspot-app/card-fast-lane';
import { startOutboxWorker } from './outbox/worker';
import { pulseJobs, type ScoringOperations } from './scheduler/jobs';
import { loadScoringOperations } from './scheduler/operations';
import { isValidCron, Scheduler, type Trigger } from './scheduler/scheduler';

/**
 * `pulse serve`: the HTTP API plus the scheduler, in one process. `close()` shuts down gracefully:
 * stop accepting connections, let requests in flight finish, let a running job finish, then close
 * the database.
 */

export interface StartServerOptions {
  env: Env;
  /** An open database to use (tests); otherwise one is opened from the environment and closed on close(). */
  database?: DatabaseHandle;
  /** Interface to bind; all interfaces when omitted. */
  host?: string;
  log?: (line: string) => void;
  now?: () => Date;
  /** false: no scheduled jobs (e.g. a read replica); a Trigger: ticks fired by hand (tests). */
  scheduler?: false | Trigger;
  operations?: () => Promise<ScoringOperations>;
  /** How long close() waits for requests in flight before cutting connections. */
  shutdownGraceMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  context: AppContext;
  httpServer: Server;
  scheduler: Scheduler | null;
  close(): Promise<void>;
}

export function openDatabaseFromEnv(env: Env): Promise<DatabaseHandle> {
  return openDatabase({ url: env.DATABASE_URL, dataDir: join(env.PULSE_DATA_DIR, 'db') });
}

function cronProblem(expression: string): string {
  return `PULSE_SCORE_CRON: "${expression}" is not a valid cron expression (e.g. "0 * * * *" for hourly)`;
}

/**
 * parseEnv plus what only the server needs (a valid cron expression), so one message still lists
 * every invalid variable.
 */
export function parseServerEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const problems: string[] = [];
  let env: Env | null = null;
  try {
    env = parseEnv(source);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    problems.push(...error.problems);
  }
  const cron = source.PULSE_SCORE_CRON;
  if (cron && !problems.some((problem) => problem.startsWith('PULSE_SCORE_CRON')) && !isValidCron(cron)) {
    problems.push(cronProblem(cron));
  }
  if (problems.length > 0 || !env) throw new EnvError(problems);
  return env;
}

/** For one-shot CLI commands: open, work, always close. */
export async function withDatabaseFromEnv<T>(
  env: Env,
  work: (database: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const database = await openDatabaseFromEnv(env);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { env } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  if (options.scheduler !== false && !isValidCron(env.PULSE_SCORE_CRON)) {
    throw new EnvError([cronProblem(env.PULSE_SCORE_CRON)]);
  }
  const ownsDatabase = !options.database;
  const database = options.database ?? (await openDatabaseFromEnv(env));
  const context: AppContext = {
    db: database.db,
    dbKind: database.kind,
    env,
    now: options.now ?? (() => new Date()),
  };

  const app = createApp(context);
  const httpServer = await new Promise<Server>((resolve, reject) => {
    // Company cards (every company page view in HubSpot) are answered before Express when they can be.
    const server = createServer(withCompanyCardFastLane(context, app));
    server.once('error', reject);
    const listening = () => resolve(server);
    if (options.host) server.listen(env.PORT, options.host, listening);
    else server.listen(env.PORT, listening);
  }).catch(async (error: unknown) => {
    if (ownsDatabase) await database.close();
    throw error;
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://localhost:${port}`;

  let scheduler: Scheduler | null = null;
  if (options.scheduler !== false) {
    const jobs = pulseJobs(context, options.operations ?? loadScoringOperations, log);
    scheduler = new Scheduler(jobs, { trigger: options.scheduler, log, now: context.now });
    scheduler.start();
  }
  const outboxWorker = options.scheduler !== false ? startOutboxWorker(context, { log }) : null;

  log(`Pulse listening on ${url} (database: ${database.kind} ${database.location})`);
  log(`  health check  ${url}/healthz`);
  log(`  API           ${url}/api/v1`);
  if (env.PULSE_PUBLIC_URL) log(`  public URL    ${env.PULSE_PUBLIC_URL}`);
  if (scheduler) log(`  recompute     ${env.PULSE_SCORE_CRON} (queued accounts every minute)`);

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      const serverClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // Keep-alive connections with no request in flight would otherwise hold close() open.
      httpServer.closeIdleConnections();
      const idleSweep = setInterval(() => httpServer.closeIdleConnections(), 50);
      const deadline = setTimeout(() => httpServer.closeAllConnections(), options.shutdownGraceMs ?? 10_000);
      try {
        await Promise.all([serverClosed, scheduler?.stop(), outboxWorker?.stop()]);
      } finally {
        clearInterval(idleSweep);
        clearTimeout(deadline);
      }
      if (ownsDatabase) await database.close();
    })();
    return closing;
  };

  return { url, port, context, httpServer, scheduler, close };
}
