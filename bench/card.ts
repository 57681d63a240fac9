/**
 * `npm run bench:card [-- --accounts 100000 --seconds 10 --concurrency 50]`
 *
 * The HubSpot company-card endpoint under concurrent signed requests, on a 100k-account HubSpot
 * tenant in PostgreSQL. The server runs in its own process (`pulse serve`), the load generator
 * here, both on this machine. Beside the card it measures `/healthz` under the same load: the
 * machine's ceiling for a request that does no work, so the card figure can be read as a ratio.
 * Targets (issue 5): p99 <= 25 ms and >= 1,500 requests/s.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';

import { createTestDatabase } from '../server/src/db/testing';
import { parseEnv } from '../server/src/env';
import { recomputeTenant } from '../server/src/scoring/recompute';
import { loadPortalFixture } from '../test/hubspot-app/portal-fixture';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '50' },
  },
});
const accounts = Number(values.accounts);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const PORTAL = '5550001';
const SECRET = 'bench-client-secret';
const now = new Date();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function startPulse(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['server/bin/pulse.js', 'serve', '--port', String(port), '--no-scheduler'],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        HUBSPOT_CLIENT_SECRET: SECRET,
        NODE_ENV: 'production',
        // One portal sending far more than any real one: measure the server, not the limiter.
        PULSE_HUBSPOT_PORTAL_RATE_LIMIT: '1000000',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('pulse serve did not start within 60 s')), 60_000);
    const poll = setInterval(() => {
      http
        .get({ host: '127.0.0.1', port, path: '/healthz' }, (response) => {
          response.resume();
          if (response.statusCode === 200) {
            clearInterval(poll);
            clearTimeout(timer);
            resolve(child);
          }
        })
        .on('error', () => undefined);
    }, 250);
    child.on('exit', (code) => reject(new Error(`pulse serve exited with ${code}`)));
  });
}

interface LoadResult {
  requests: number;
  errors: number;
  failures: string;
  perSecond: number;
  p50: number;
  p99: number;
}

/** `concurrency` keep-alive connections, each sending its next request as soon as one answers. */
async function runLoad(
  port: number,
  paths: readonly { path: string; headers: Record<string, string> }[],
  durationMs: number,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const failures = new Map<number, number>();
  let next = 0;
  const deadline = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const target = paths[next++ % paths.length]!;
      const started = performance.now();
      const status = await new Promise<number>((resolve) => {
        const request = http.get(
          { host: '127.0.0.1', port, path: target.path, headers: target.headers, agent },
          (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
          },
        );
        request.on('error', () => resolve(0));
      });
      if (status === 200) latencies.push(performance.now() - started);
      else {
        errors += 1;
        failures.set(status, (failures.get(status) ?? 0) + 1);
      }
    }
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - startedAt) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    requests: latencies.length,
    errors,
    failures: [...failures]
      .map(([status, count]) => `${count}× ${status === 0 ? 'connection error' : status}`)
      .join(', '),
    perSecond: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
  } satisfies LoadResult;
}

function signedCardRequests(port: number, accountIds: readonly string[]) {
  const timestamp = String(Date.now());
  return accountIds.map((accountId) => {
    const path = `/hubspot/card/company?objectId=${accountId}&portalId=${PORTAL}&userId=1&appId=1`;
    const signature = createHmac('sha256', SECRET)
      .update(`GET${`http://127.0.0.1:${port}${path}`}${timestamp}`)
      .digest('base64');
    return {
      path,
      headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp },
    };
  });
}

const format = (result: LoadResult) =>
  `${result.perSecond.toFixed(0).padStart(6)} req/s   p50 ${result.p50.toFixed(2).padStart(6)} ms   p99 ${result.p99
    .toFixed(2)
    .padStart(
      6,
    )} ms   (${result.requests} ok, ${result.errors} errors${result.failures ? `: ${result.failures}` : ''})`;

async function main() {
  console.log(
    `bench:card — ${accounts.toLocaleString()} accounts, ${concurrency} concurrent, ${seconds}s per run`,
  );
  const database = await createTestDatabase('postgres');
  let server: ChildProcess | null = null;
  try {
    const loadStarted = performance.now();
    const { tenantId, accountIds } = await loadPortalFixture(database.db, {
      portalId: PORTAL,
      accounts,
      seed: 11,
      now,
      usageDays: 7,
      onBatch: (done) => {
        if (done % 10_000 === 0 || done === accounts)
          process.stdout.write(`\r  loading portal ${done}/${accounts}`);
      },
    });
    console.log(`\n  loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);
    const context = { db: database.db, dbKind: database.kind, env: parseEnv({}), now: () => now };
    const scoreStarted = performance.now();
    await recomputeTenant(context, tenantId);
    console.log(`  scored in ${((performance.now() - scoreStarted) / 1000).toFixed(1)} s`);

    const port = await freePort();
    server = await startPulse(database.location.replace('***', ''), port);
    const sample = Array.from(
      { length: 5_000 },
      (_, index) => accountIds[(index * 7919) % accountIds.length]!,
    );
    const cards = signedCardRequests(port, sample);
    const health = [{ path: '/healthz', headers: {} }];

    await runLoad(port, cards, 2_000); // warm-up: connections, JIT, PostgreSQL caches
    const baseline = await runLoad(port, health, seconds * 1000);
    const card = await runLoad(port, cards, seconds * 1000);
    console.log(`  /healthz (baseline)      ${format(baseline)}`);
    console.log(`  /hubspot/card/company    ${format(card)}`);
    console.log(
      `  card/baseline throughput ${(card.perSecond / baseline.perSecond).toFixed(2)}; targets: p99 <= 25 ms ${
        card.p99 <= 25 ? 'met' : 'MISSED'
      }, >= 1,500 req/s ${card.perSecond >= 1500 ? 'met' : 'MISSED'}`,
    );
  } finally {
    server?.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await database.close();
  }
}

await main();
