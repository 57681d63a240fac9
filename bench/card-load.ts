/**
 * bench:card's load generator, in a process of its own (bench/card.ts starts it once the tenant is
 * loaded and the server is up, and sends it a `LoadPlan`). The bench process holds the loaded
 * portfolio and the recompute's leftovers in its heap; generating load from a fresh process keeps
 * that process's garbage collections out of the latencies measured.
 *
 * It is a plain HTTP/1.1 client on `concurrency` keep-alive sockets, each sending its next request
 * as soon as the previous answer is complete. Node's http client cost ~100 µs of CPU per request on
 * the same two cores as the server and PostgreSQL; this one ~50 µs. Every card request is signed
 * when it is sent (its own timestamp), names a different company (a shuffled walk over the whole
 * tenant), and is checked by the server like any HubSpot request; one answer in 64 is parsed and
 * must be that company's scored card.
 *
 * The card load runs as several consecutive windows, each reported on its own, then all of them
 * together: one noisy second on a shared machine shows as one bad window instead of deciding the
 * figure. CPU time per request is read from /proc (Linux) for this process, the server and the
 * PostgreSQL backends of the bench database.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { loadavg } from 'node:os';
import pg from 'pg';

export interface LoadPlan {
  port: number;
  serverPid: number;
  databaseUrl: string;
  portalId: string;
  clientSecret: string;
  accountIds: string[];
  concurrency: number;
  windows: number;
  windowSeconds: number;
  healthzSeconds: number;
}

/** One answer in this many is parsed and checked against the company it was asked for. */
const CHECK_EVERY = 64;
const WARM_UP_MS = 3_000;

/** One request to send: its bytes, and what a correct answer must contain. */
interface Outgoing {
  bytes: Buffer;
  check?: (body: Buffer) => string | null;
}

interface Response {
  status: number;
  body: Buffer;
}

/** Latencies in ms, sorted; the figures of one window or of several together. */
interface Latencies {
  sorted: number[];
  seconds: number;
  errors: number;
  failures: Map<string, number>;
}

interface WindowResult extends Latencies {
  /** CPU seconds used in the window, per process kind. */
  cpu: CpuFigures | null;
  loadAverage: number;
}

/**
 * One keep-alive HTTP/1.1 connection that sends a request, reads the whole answer (Content-Length
 * framed: every Pulse answer has one), and calls back. No pipelining: one request in flight.
 */
function keepAliveConnection(port: number) {
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  let buffer: Buffer | null = null;
  let waiting: ((response: Response | Error) => void) | null = null;
  const fail = (error: Error) => {
    const callback = waiting;
    waiting = null;
    callback?.(error);
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));
  socket.on('data', (chunk: Buffer) => {
    buffer = buffer ? Buffer.concat([buffer, chunk]) : chunk;
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const head = buffer.toString('latin1', 0, headerEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) {
      socket.destroy();
      fail(new Error('answer without Content-Length'));
      return;
    }
    const end = headerEnd + 4 + Number(length[1]);
    if (buffer.length < end) return;
    const response = { status: Number(head.slice(9, 12)), body: buffer.subarray(headerEnd + 4, end) };
    buffer = buffer.length > end ? buffer.subarray(end) : null;
    const callback = waiting;
    waiting = null;
    callback?.(response);
  });
  const ready = new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    ready,
    send(bytes: Buffer): Promise<Response | Error> {
      return new Promise((resolve) => {
        waiting = resolve;
        socket.write(bytes);
      });
    },
    close: () => socket.destroy(),
  };
}

/** `concurrency` connections, each sending its next request as soon as the previous one is answered. */
async function runLoad(
  plan: LoadPlan,
  next: () => Outgoing,
  durationMs: number,
  cpu: CpuMeter | null,
): Promise<WindowResult> {
  const latencies: number[] = [];
  let errors = 0;
  const failures = new Map<string, number>();
  const failed = (reason: string) => {
    errors += 1;
    failures.set(reason, (failures.get(reason) ?? 0) + 1);
  };
  const connections = Array.from({ length: plan.concurrency }, () => keepAliveConnection(plan.port));
  await Promise.all(connections.map((connection) => connection.ready));
  const deadline = performance.now() + durationMs;
  const worker = async (connection: ReturnType<typeof keepAliveConnection>) => {
    while (performance.now() < deadline) {
      const outgoing = next();
      const started = performance.now();
      const response = await connection.send(outgoing.bytes);
      const elapsed = performance.now() - started;
      if (response instanceof Error) {
        failed(response.message);
        return;
      }
      if (response.status !== 200) {
        failed(`HTTP ${response.status}`);
        continue;
      }
      const problem = outgoing.check?.(response.body) ?? null;
      if (problem) failed(problem);
      else latencies.push(elapsed);
    }
  };
  const before = await cpu?.read();
  const startedAt = performance.now();
  await Promise.all(connections.map(worker));
  const seconds = (performance.now() - startedAt) / 1000;
  const after = await cpu?.read();
  for (const connection of connections) connection.close();
  latencies.sort((a, b) => a - b);
  return {
    sorted: latencies,
    seconds,
    errors,
    failures,
    cpu: before && after ? cpuUsed(before, after) : null,
    loadAverage: loadavg()[0]!,
  };
}

/** A fresh signature per request, the way HubSpot's proxy signs each call it forwards. */
function signedCardRequests(plan: LoadPlan): () => Outgoing {
  const order = [...plan.accountIds];
  // A fixed shuffle (xorshift): consecutive requests name unrelated companies across the tenant.
  let seed = 0x2545f491;
  for (let index = order.length - 1; index > 0; index -= 1) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    const other = (seed >>> 0) % (index + 1);
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  let sent = 0;
  return () => {
    const accountId = order[sent % order.length]!;
    sent += 1;
    const path = `/hubspot/card/company?objectId=${accountId}&portalId=${plan.portalId}&userId=1&appId=1`;
    const timestamp = String(Date.now());
    const signature = createHmac('sha256', plan.clientSecret)
      .update(`GEThttp://127.0.0.1:${plan.port}${path}${timestamp}`)
      .digest('base64');
    const bytes = Buffer.from(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${plan.port}\r\n` +
        `X-HubSpot-Signature-v3: ${signature}\r\nX-HubSpot-Request-Timestamp: ${timestamp}\r\n\r\n`,
      'latin1',
    );
    if (sent % CHECK_EVERY !== 0) return { bytes };
    return {
      bytes,
      check: (body) => {
        const card = JSON.parse(body.toString('utf8'));
        return card.status === 'scored' &&
          card.account?.id === accountId &&
          card.score?.accountId === accountId &&
          Array.isArray(card.history) &&
          Array.isArray(card.flags)
          ? null
          : `not company ${accountId}'s scored card`;
      },
    };
  };
}

// --- CPU per request (Linux /proc; skipped elsewhere) -------------------------------------------

interface CpuSample {
  generator: number;
  server: number;
  /** CPU seconds per backend process id. */
  postgres: Map<number, number>;
}

interface CpuFigures {
  generator: number;
  server: number;
  postgres: number;
}

interface CpuUse {
  /** CPU microseconds per answered request. */
  perRequest: CpuFigures;
  /** Cores busy on average. */
  cores: CpuFigures;
}

interface CpuMeter {
  read(): Promise<CpuSample>;
}

/** utime + stime of a process, in seconds (USER_HZ is 100 on Linux). */
function cpuSeconds(pid: number | 'self'): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN; // gone: an idle pooled connection closed
  }
}

/** The server, this process, and every backend of the bench database (listed again at each read). */
function cpuMeter(plan: LoadPlan, database: pg.Client): CpuMeter | null {
  if (process.platform !== 'linux') return null;
  return {
    read: async () => {
      const { rows } = await database.query<{ pid: number }>(
        'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      return {
        generator: cpuSeconds('self'),
        server: cpuSeconds(plan.serverPid),
        postgres: new Map(rows.map(({ pid }) => [pid, cpuSeconds(pid)])),
      };
    },
  };
}

function cpuUsed(before: CpuSample, after: CpuSample): CpuFigures {
  let postgres = 0;
  for (const [pid, end] of after.postgres) {
    const start = before.postgres.get(pid) ?? Number.NaN;
    if (Number.isFinite(start) && Number.isFinite(end)) postgres += end - start;
  }
  return { generator: after.generator - before.generator, server: after.server - before.server, postgres };
}

/** CPU per answered request and cores busy, over one window or several together. */
function cpuUse(windows: WindowResult[]): CpuUse | null {
  if (windows.some((window) => !window.cpu)) return null;
  const seconds = windows.reduce((sum, window) => sum + window.seconds, 0);
  const requests = windows.reduce((sum, window) => sum + window.sorted.length + window.errors, 0);
  const used = (key: keyof CpuFigures) => windows.reduce((sum, window) => sum + window.cpu![key], 0);
  const per = (key: keyof CpuFigures) => (used(key) * 1e6) / Math.max(1, requests);
  const cores = (key: keyof CpuFigures) => used(key) / seconds;
  return {
    perRequest: { generator: per('generator'), server: per('server'), postgres: per('postgres') },
    cores: { generator: cores('generator'), server: cores('server'), postgres: cores('postgres') },
  };
}

// --- report ------------------------------------------------------------------------------------

function together(windows: WindowResult[]): Latencies {
  const failures = new Map<string, number>();
  for (const window of windows)
    for (const [reason, count] of window.failures) failures.set(reason, (failures.get(reason) ?? 0) + count);
  return {
    sorted: windows.flatMap((window) => window.sorted).sort((a, b) => a - b),
    seconds: windows.reduce((sum, window) => sum + window.seconds, 0),
    errors: windows.reduce((sum, window) => sum + window.errors, 0),
    failures,
  };
}

const quantile = ({ sorted }: Latencies, q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const perSecond = (result: Latencies) => result.sorted.length / result.seconds;

const format = (result: Latencies) =>
  `${perSecond(result).toFixed(0).padStart(6)} req/s   p50 ${quantile(result, 0.5).toFixed(2).padStart(6)} ms` +
  `   p99 ${quantile(result, 0.99).toFixed(2).padStart(6)} ms   (${result.sorted.length} ok, ${result.errors} errors` +
  `${result.failures.size > 0 ? `: ${[...result.failures].map(([reason, count]) => `${count}× ${reason}`).join(', ')}` : ''})`;

const formatCpu = ({ perRequest, cores }: CpuUse) =>
  `load generator ${perRequest.generator.toFixed(0)} µs, server ${perRequest.server.toFixed(0)} µs, ` +
  `PostgreSQL ${perRequest.postgres.toFixed(0)} µs (cores busy ${cores.generator.toFixed(2)} + ` +
  `${cores.server.toFixed(2)} + ${cores.postgres.toFixed(2)})`;

export async function generateLoad(plan: LoadPlan): Promise<{ p99: number; perSecond: number }> {
  const database = new pg.Client({ connectionString: plan.databaseUrl });
  await database.connect();
  try {
    const cards = signedCardRequests(plan);
    const healthBytes = Buffer.from(
      `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${plan.port}\r\n\r\n`,
      'latin1',
    );
    const health = () => ({ bytes: healthBytes });
    // Warm-up: connections, JIT, PostgreSQL caches.
    await runLoad(plan, health, WARM_UP_MS / 3, null);
    await runLoad(plan, cards, WARM_UP_MS, null);
    const cpu = cpuMeter(plan, database);
    const baseline = await runLoad(plan, health, plan.healthzSeconds * 1000, cpu);
    console.log(
      `  /healthz (baseline)      ${format(baseline)}   load average ${baseline.loadAverage.toFixed(2)}`,
    );
    const baselineCpu = cpuUse([baseline]);
    if (baselineCpu) console.log(`  CPU per /healthz: ${formatCpu(baselineCpu)}`);
    const windows: WindowResult[] = [];
    for (let index = 0; index < plan.windows; index += 1) {
      const window = await runLoad(plan, cards, plan.windowSeconds * 1000, cpu);
      windows.push(window);
      const label = `card, window ${index + 1}/${plan.windows}`.padEnd(24);
      console.log(`  ${label} ${format(window)}   load average ${window.loadAverage.toFixed(2)}`);
    }
    const all = together(windows);
    console.log(`  /hubspot/card/company    ${format(all)}   (all ${plan.windows} windows)`);
    const p99s = windows.map((window) => quantile(window, 0.99)).sort((a, b) => a - b);
    console.log(
      `  p99 per window: median ${p99s[Math.floor(p99s.length / 2)]!.toFixed(2)} ms, worst ` +
        `${p99s.at(-1)!.toFixed(2)} ms; ${p99s.filter((p99) => p99 <= 25).length} of ${p99s.length} windows <= 25 ms`,
    );
    const cpuAll = cpuUse(windows);
    if (cpuAll) console.log(`  CPU per card:     ${formatCpu(cpuAll)}`);
    console.log(`  card/baseline throughput ${(perSecond(all) / perSecond(baseline)).toFixed(2)}`);
    return { p99: quantile(all, 0.99), perSecond: perSecond(all) };
  } finally {
    await database.end();
  }
}

// Started by bench/card.ts with an IPC channel: the plan comes in, the headline figures go back.
if (process.send) {
  process.once('message', (plan: LoadPlan) => {
    generateLoad(plan).then(
      (result) => process.send!(result, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
