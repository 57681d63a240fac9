/**
 * Health-engine throughput: deriveSignals + scoreAccount over in-memory snapshots, one core.
 * Run: `npx tsx bench/score-engine.ts [accounts]` (default 20,000). Target: ≥ 200k accounts/s.
 */
import { pathToFileURL } from 'node:url';

import { portfolioBatches } from '../shared/src/demo/index';
import { defaultHealthConfig } from '../shared/src/health/config';
import { scoreAccount } from '../shared/src/health/score';
import { deriveSignals, summariseUsage } from '../shared/src/health/signals';
import type { AccountSnapshot, UsageSnapshot } from '../shared/src/model';

export interface EngineBenchOptions {
  /** Accounts to generate when `snapshots` is not given. */
  accounts: number;
  snapshots?: AccountSnapshot[];
  now?: Date;
  /** Timed passes over the snapshots (the best is reported); default 5. */
  passes?: number;
}

export interface EngineBenchResult {
  accounts: number;
  /** By wall-clock time of the best pass. */
  accountsPerSecond: number;
  /** Wall-clock milliseconds of the best pass. */
  ms: number;
  /**
   * By the process's CPU time of the best pass: the one-core figure when other processes share
   * the machine (wall-clock then also counts time spent waiting for a core).
   */
  accountsPerCpuSecond: number;
  cpuMs: number;
  childRecordsPerAccount: number;
}

const BENCH_NOW = new Date('2026-11-22T12:00:00Z');

/** Builds snapshots from the demo portfolio generator, usage summarised the way the store does. */
export function buildBenchSnapshots(accounts: number, now: Date = BENCH_NOW): AccountSnapshot[] {
  const snapshots: AccountSnapshot[] = [];
  for (const batch of portfolioBatches({ seed: 42, accounts, tenantId: 'bench', now, usageDays: 60 }, 1000)) {
    const byId = new Map<string, AccountSnapshot>();
    const usageById = new Map<string, UsageSnapshot[]>();
    for (const account of batch.accounts) {
      const snapshot: AccountSnapshot = {
        account,
        contacts: [],
        deals: [],
        tickets: [],
        engagements: [],
        subscriptions: [],
        invoices: [],
        usage: null,
      };
      byId.set(account.id, snapshot);
      snapshots.push(snapshot);
    }
    for (const record of batch.contacts) byId.get(record.accountId)?.contacts.push(record);
    for (const record of batch.deals) byId.get(record.accountId)?.deals.push(record);
    for (const record of batch.tickets) byId.get(record.accountId)?.tickets.push(record);
    for (const record of batch.engagements) byId.get(record.accountId)?.engagements.push(record);
    for (const record of batch.subscriptions) byId.get(record.accountId)?.subscriptions.push(record);
    for (const record of batch.invoices) byId.get(record.accountId)?.invoices.push(record);
    for (const row of batch.usage) {
      const rows = usageById.get(row.accountId);
      if (rows) rows.push(row);
      else usageById.set(row.accountId, [row]);
    }
    for (const [accountId, rows] of usageById) {
      const snapshot = byId.get(accountId);
      if (snapshot) snapshot.usage = summariseUsage(rows, now);
    }
  }
  return snapshots;
}

export function runEngineBench(options: EngineBenchOptions): EngineBenchResult {
  const now = options.now ?? BENCH_NOW;
  const snapshots = options.snapshots ?? buildBenchSnapshots(options.accounts, now);
  const config = defaultHealthConfig;
  let childRecords = 0;
  for (const snapshot of snapshots) {
    childRecords +=
      snapshot.contacts.length +
      snapshot.deals.length +
      snapshot.tickets.length +
      snapshot.engagements.length +
      snapshot.subscriptions.length +
      snapshot.invoices.length;
  }
  // The checksum keeps the optimiser from discarding the work.
  let checksum = 0;
  const cpuMs = (): number => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const pass = (): { wall: number; cpu: number } => {
    const started = performance.now();
    const cpuStarted = cpuMs();
    for (const snapshot of snapshots) {
      const result = scoreAccount(deriveSignals(snapshot, now), config, { now });
      checksum += result.score ?? 0;
    }
    return { wall: performance.now() - started, cpu: cpuMs() - cpuStarted };
  };
  pass(); // warm-up: lets the JIT optimise before timing
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  for (let index = 0; index < (options.passes ?? 5); index++) {
    const timing = pass();
    best = Math.min(best, timing.wall);
    bestCpu = Math.min(bestCpu, timing.cpu);
  }
  if (Number.isNaN(checksum)) throw new Error('A score came out as NaN');
  return {
    accounts: snapshots.length,
    accountsPerSecond: Math.round((snapshots.length / best) * 1000),
    ms: Math.round(best * 10) / 10,
    accountsPerCpuSecond: Math.round((snapshots.length / bestCpu) * 1000),
    cpuMs: Math.round(bestCpu * 10) / 10,
    childRecordsPerAccount:
      snapshots.length === 0 ? 0 : Math.round((childRecords / snapshots.length) * 10) / 10,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const accounts = Number(process.argv[2] ?? 20_000);
  const buildStarted = performance.now();
  const snapshots = buildBenchSnapshots(accounts);
  const buildMs = Math.round(performance.now() - buildStarted);
  const result = runEngineBench({ accounts, snapshots });
  console.log(
    `snapshots built: ${result.accounts} accounts in ${buildMs} ms (${result.childRecordsPerAccount} child records each)`,
  );
  console.log(
    `engine: ${result.accountsPerSecond.toLocaleString('en')} accounts/s wall-clock (best pass ${result.ms} ms)`,
  );
  console.log(
    `engine: ${result.accountsPerCpuSecond.toLocaleString('en')} accounts/s of CPU time (best pass ${result.cpuMs} ms)`,
  );
}
