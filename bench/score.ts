/**
 * `npm run bench:score [-- --accounts N] [--usage-days D] [--only pglite|postgres|engine]`
 *
 * Generates a demo portfolio (default 100k accounts, 60 days of usage: > 1M child records plus
 * ~5M usage days), loads it into a fresh PGlite (temp directory) and a fresh PostgreSQL database
 * (created and dropped here), and times:
 *   (a) the engine alone on in-memory snapshots (bench/score-engine.ts),
 *   (b) a full recompute store-to-store (read snapshots, score, write scores and history): the
 *       first run, which builds every kept scoring input, a run an hour later, which reads them
 *       all kept (the hourly recompute), and one the next day, which summarises usage again.
 * Prints accounts/s and peak RSS. Targets: engine ≥ 200k accounts/s; 100k accounts ≤ 10 s on
 * PostgreSQL and ≤ 30 s on PGlite; < 1 GiB RSS.
 *
 * PostgreSQL, PGlite and the engine each run in a process of their own, and each portfolio is
 * generated and loaded by a child process (this script with `--load-into`), so the peak RSS printed
 * for a recompute is that of a process that opened the database and scored it, as `pulse score`
 * does, not of the generator; the loader's own peak is printed beside it.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';

import { type DatabaseHandle, openDatabase } from '../server/src/db/connection';
import { TEST_POSTGRES_URL } from '../server/src/db/testing';
import { parseEnv } from '../server/src/env';
import { recomputeTenant } from '../server/src/scoring/recompute';
import { loadDemoPortfolio } from '../server/src/store/demo-data';
import { machineSlowness, runEngineBench } from './score-engine';

interface BenchOptions {
  accounts: number;
  usageDays: number;
  only: 'engine' | 'pglite' | 'postgres' | null;
  /** Internal: load the portfolio into this database (`pglite:DIR` or a PostgreSQL URL) and exit. */
  loadInto: string | null;
}

function parseArguments(argv: string[]): BenchOptions {
  const options: BenchOptions = { accounts: 100_000, usageDays: 60, only: null, loadInto: null };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = argv[index + 1];
    if (flag === '--accounts' || flag === '--usage-days') {
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${flag} needs a positive whole number`);
      if (flag === '--accounts') options.accounts = parsed;
      else options.usageDays = parsed;
      index++;
    } else if (flag === '--load-into' && value) {
      options.loadInto = value;
      index++;
    } else if (flag === '--only' && (value === 'engine' || value === 'pglite' || value === 'postgres')) {
      options.only = value;
      index++;
    } else {
      throw new Error(
        `unknown argument ${flag}; use --accounts N, --usage-days D, --only engine|pglite|postgres`,
      );
    }
  }
  return options;
}

const POOL_SIZE = 8;
const mib = () => Math.round(process.resourceUsage().maxRSS / 1024);
const number = (value: number) => Math.round(value).toLocaleString('en-US');

interface LoadReport {
  tenantId: string;
  accounts: number;
  children: number;
  usage: number;
  rows: number;
  durationMs: number;
  peakRssMiB: number;
}

/** The child process: generate and load the portfolio, print a LoadReport as JSON. */
async function loadOnly(target: string, options: BenchOptions): Promise<void> {
  const handle = target.startsWith('pglite:')
    ? await openDatabase({ dataDir: target.slice('pglite:'.length) })
    : await openDatabase({ url: target, poolSize: 8 });
  try {
    const now = new Date();
    const ctx = { db: handle.db, dbKind: handle.kind, env: parseEnv({}), now: () => now };
    const loaded = await loadDemoPortfolio(ctx, {
      name: 'bench',
      accounts: options.accounts,
      seed: 42,
      usageDays: options.usageDays,
      batchSize: 1000,
    });
    const report: LoadReport = {
      tenantId: loaded.tenantId,
      accounts: loaded.accounts,
      children: loaded.rows - loaded.accounts - loaded.rowsByKind.usage - loaded.rowsByKind.products,
      usage: loaded.rowsByKind.usage,
      rows: loaded.rows,
      durationMs: loaded.durationMs,
      peakRssMiB: mib(),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await handle.close();
  }
}

/** This script again, in a child process, with the same portfolio size and one more flag. */
function selfArguments(options: BenchOptions, flag: '--load-into' | '--only', value: string): string[] {
  return [
    ...process.execArgv,
    // As `pulse` runs (server/bin/pulse.js and the npm scripts).
    '--max-semi-space-size=16',
    process.argv[1]!,
    '--accounts',
    String(options.accounts),
    '--usage-days',
    String(options.usageDays),
    flag,
    value,
  ];
}

function loadInChild(target: string, options: BenchOptions): LoadReport {
  const output = execFileSync(process.execPath, selfArguments(options, '--load-into', target), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(output.trim().split('\n').pop()!) as LoadReport;
}

async function benchStore(handle: DatabaseHandle, loaded: LoadReport, rssBefore: number): Promise<void> {
  const now = new Date();
  const ctx = { db: handle.db, dbKind: handle.kind, env: parseEnv({}), now: () => now };
  console.log(
    `  load (child process): ${number(loaded.accounts)} accounts, ${number(loaded.children)} child records, ${number(loaded.usage)} usage days in ${(loaded.durationMs / 1000).toFixed(1)} s (${number(loaded.rows / (loaded.durationMs / 1000))} rows/s), loader peak RSS ${loaded.peakRssMiB} MiB`,
  );
  const baseline = await timeBaselineScan(handle, loaded.tenantId);
  console.log(
    `  baseline (same run): reading ${number(baseline.rows)} child and usage rows as text took ${baseline.seconds.toFixed(2)} s; load average ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')}; RSS after opening the database ${rssBefore} MiB`,
  );
  // Open every pooled connection now, so the server processes counted below are all of the run's.
  if (handle.kind === 'postgres') {
    await Promise.all(Array.from({ length: POOL_SIZE }, () => sql`select pg_sleep(0.05)`.execute(handle.db)));
  }
  // The first run finds no kept scoring inputs and builds them all; an hour later every input is
  // kept; the next day the usage summaries are built again (their windows moved) and the records
  // are still kept (docs/store.md, "Scoring inputs kept between recomputes").
  const runs = [
    { name: 'first recompute (nothing kept)', at: now },
    { name: 'an hour later (inputs kept)', at: new Date(now.getTime() + 3_600_000) },
    { name: 'the next day (usage summarised again)', at: new Date(now.getTime() + 86_400_000) },
  ];
  for (const { name: run, at: runAt } of runs) {
    const backends = handle.kind === 'postgres' ? await backendPids(handle) : [];
    const backendCpuBefore = backendCpuSeconds(backends);
    const cpuBefore = process.cpuUsage();
    const result = await recomputeTenant(ctx, loaded.tenantId, { now: runAt });
    const cpu = process.cpuUsage(cpuBefore);
    if ('skipped' in result) throw new Error('recompute skipped: locked');
    const seconds = result.durationMs / 1000;
    // Printed only when the run kept the same connections: one opened or closed during it (the
    // pool closes a connection idle for 10 s) would take its CPU time out of the count.
    const backendsAfter = handle.kind === 'postgres' ? await backendPids(handle) : [];
    const databaseCpu =
      backends.length > 0 &&
      backendsAfter.length === backends.length &&
      backendsAfter.every((pid) => backends.includes(pid))
        ? `, PostgreSQL ${(backendCpuSeconds(backendsAfter) - backendCpuBefore).toFixed(1)} s`
        : '';
    console.log(
      `  ${run}: ${number(result.accounts)} accounts in ${seconds.toFixed(2)} s = ${number(result.accounts / seconds)} accounts/s, ${(seconds / baseline.seconds).toFixed(1)}x the baseline scan; CPU: this process ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s${databaseCpu} (peak RSS so far ${mib()} MiB)`,
    );
  }
}

/** Server processes of this database's connections (PostgreSQL on this machine only). */
async function backendPids(handle: DatabaseHandle): Promise<number[]> {
  const result = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'
  `.execute(handle.db);
  return result.rows.map((row) => row.pid);
}

/**
 * CPU seconds (user + system) of the given server processes from /proc: the database's share of a
 * run, which a loaded machine inflates far less than wall-clock time. 0 where /proc is not there.
 */
function backendCpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended or /proc is not readable: its share is left out.
    }
  }
  return ticks / 100;
}

/**
 * A same-run yardstick for a noisy machine: read every child row and the usage window of the
 * tenant once as text, without scoring. A recompute can hardly be faster than this, so the ratio
 * says more than absolute seconds on a loaded host.
 */
async function timeBaselineScan(
  handle: DatabaseHandle,
  tenantId: string,
): Promise<{ rows: number; seconds: number }> {
  const tables = ['contacts', 'deals', 'tickets', 'engagements', 'subscriptions', 'invoices', 'usage_daily'];
  const startedAt = performance.now();
  let rows = 0;
  for (const table of tables) {
    const result = await sql<{ rows: number; bytes: number }>`
      select count(*)::int as rows, coalesce(sum(length(row_to_json(t)::text)), 0)::float8 as bytes
      from ${sql.table(table)} as t where tenant_id = ${tenantId}
    `.execute(handle.db);
    rows += result.rows[0]!.rows;
  }
  return { rows, seconds: (performance.now() - startedAt) / 1000 };
}

async function benchPglite(options: BenchOptions): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'pulse-bench-'));
  console.log(`PGlite (${directory})`);
  try {
    const loaded = loadInChild(`pglite:${directory}`, options);
    const handle = await openDatabase({ dataDir: directory });
    try {
      await benchStore(handle, loaded, mib());
    } finally {
      await handle.close();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function benchPostgres(options: BenchOptions): Promise<void> {
  const name = `pulse_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  console.log(`PostgreSQL (${url.host}/${name})`);
  try {
    const loaded = loadInChild(url.toString(), options);
    const handle = await openDatabase({ url: url.toString(), poolSize: POOL_SIZE });
    try {
      await benchStore(handle, loaded, mib());
    } finally {
      await handle.close();
    }
  } finally {
    // The pool's end resolves before its connections have closed: wait for them (up to 5 s), so
    // the forced drop does not cut live ones and print their errors.
    for (let waited = 0; waited < 5000; waited += 50) {
      const open = await admin.query('select count(*)::int as n from pg_stat_activity where datname = $1', [
        name,
      ]);
      if (open.rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

function benchEngine(options: BenchOptions): void {
  // Throughput does not depend on the portfolio size; 5k snapshots (x 10 passes) keep the
  // in-memory portfolio from setting the process's peak RSS (20k reached 2.1 GiB).
  const accounts = Math.min(options.accounts, 5_000);
  const result = runEngineBench({ accounts, source: 'demo', passes: 10 });
  console.log(`Engine alone (deriveSignals + scoreAccount, ${number(accounts)} in-memory demo snapshots)`);
  console.log(
    `  ${number(result.accountsPerSecond)} accounts/s wall-clock, ${number(result.accountsPerCpuSecond)} accounts/s of CPU time`,
  );
}

const options = parseArguments(process.argv.slice(2));
if (options.loadInto) {
  await loadOnly(options.loadInto, options);
} else if (!options.only) {
  // One process per part, so each part's peak RSS is its own.
  for (const part of ['postgres', 'pglite', 'engine']) {
    execFileSync(process.execPath, selfArguments(options, '--only', part), { stdio: 'inherit' });
  }
} else {
  console.log(
    `bench:score — ${number(options.accounts)} accounts, ${options.usageDays} usage days, ${options.only}; machine: ${machineSlowness().toFixed(2)} ns per trivial loop iteration (idle core ≈ 0.3-1 ns), load average ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')}`,
  );
  if (options.only === 'postgres') await benchPostgres(options);
  if (options.only === 'pglite') await benchPglite(options);
  if (options.only === 'engine') benchEngine(options);
  console.log(`  peak RSS of this process: ${mib()} MiB (target < 1024)`);
}
