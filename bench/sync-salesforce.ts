import { parseArgs } from 'node:util';
import { type RecordKind, recordKinds } from '@pulse/shared';

import type { SyncCheckpoint } from '../server/src/crm/adapter';
import { createSalesforceAdapter } from '../server/src/crm/salesforce/adapter';
import { COLLECTION_SIZE, QUERY_PAGE_SIZE } from '../server/src/crm/salesforce/constants';
import { streamObjects } from '../server/src/crm/salesforce/streams';
import { type SalesforceSandbox, startSalesforceSandbox } from '../server/src/sandbox/salesforce/server';

/**
 * Salesforce sync benchmark against the sandbox org (real HTTP, real jsforce): API calls per phase
 * beside the lower bound, i.e. one query page per 2,000 rows of each object (at least one query
 * per object), one getDeleted per object in incremental phases (the only way to learn deletions),
 * and one collection call per 200 written accounts. Target: at most 1.10x the bound in every phase.
 */

const TARGET_RATIO = 1.1;

interface PhaseResult {
  phase: string;
  calls: number;
  lowerBound: number;
  rows: number;
  seconds: number;
}

const objectsOf = (kind: RecordKind) => streamObjects[kind].map((stream) => stream.object);
const allObjects = recordKinds.flatMap(objectsOf);

export async function runBench(argv: string[]): Promise<boolean> {
  const { values } = parseArgs({
    args: argv,
    options: {
      accounts: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '42' },
      change: { type: 'string', default: '0.01' },
    },
  });
  const accounts = Number(values.accounts);
  const changeShare = Number(values.change);
  if (!Number.isInteger(accounts) || accounts < 1)
    throw new Error(`--accounts must be a positive integer (got ${values.accounts})`);
  if (!(changeShare > 0 && changeShare <= 1))
    throw new Error(`--change must be in (0, 1] (got ${values.change})`);

  let clock = Date.parse('2026-11-01T00:00:00.000Z');
  const now = () => new Date(clock);
  const seedStarted = performance.now();
  const sandbox = await startSalesforceSandbox({
    accounts,
    seed: Number(values.seed),
    now,
    dailyApiLimit: 10_000_000,
    sessionMs: 365 * 86_400_000,
  });
  console.log(
    `Salesforce sandbox: ${accounts} accounts, ${allObjects.map((object) => `${object} ${sandbox.store.all(object).length}`).join(', ')} (seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)}s)`,
  );
  const adapter = createSalesforceAdapter({
    instanceUrl: sandbox.instanceUrl,
    accessToken: sandbox.accessToken,
  });
  const checkpoints = new Map<RecordKind, SyncCheckpoint | null>();
  const results: PhaseResult[] = [];

  const apiCalls = () => sandbox.requests.filter((request) => request.apiCall).length;
  const queryBound = (rowsByObject: Map<string, number>, incremental: boolean) =>
    allObjects.reduce(
      (sum, object) =>
        sum +
        Math.max(1, Math.ceil((rowsByObject.get(object) ?? 0) / QUERY_PAGE_SIZE)) +
        (incremental ? 1 : 0),
      0,
    );

  async function syncPhase(phase: string, incremental: boolean) {
    const before = sandbox.requests.length;
    const callsBefore = apiCalls();
    const started = performance.now();
    let rows = 0;
    for (const kind of recordKinds) {
      let checkpoint = checkpoints.get(kind) ?? null;
      for (;;) {
        const page = await adapter.fetchPage(kind, checkpoint, { now: now() });
        rows += page.records.length + page.rejected.length;
        checkpoint = page.next;
        if (page.done) break;
      }
      checkpoints.set(kind, checkpoint);
    }
    const rowsByObject = new Map<string, number>();
    for (const request of sandbox.requests.slice(before)) {
      if (request.kind !== 'query' && request.kind !== 'query-more') continue;
      const object = request.object ?? 'unknown';
      rowsByObject.set(object, (rowsByObject.get(object) ?? 0) + request.records);
    }
    results.push({
      phase,
      calls: apiCalls() - callsBefore,
      lowerBound: queryBound(rowsByObject, incremental),
      rows,
      seconds: (performance.now() - started) / 1000,
    });
  }

  async function writePhase(phase: string, accountIds: string[]) {
    const callsBefore = apiCalls();
    const started = performance.now();
    const result = await adapter.writeAccountProperties(
      accountIds.map((accountId, index) => ({
        accountId,
        values: { pulse_health_score: (index * 7) % 101 },
      })),
    );
    if (result.failed.length > 0) throw new Error(`write-back failed for ${result.failed.length} accounts`);
    results.push({
      phase,
      calls: apiCalls() - callsBefore,
      lowerBound: Math.ceil(accountIds.length / COLLECTION_SIZE),
      rows: result.written,
      seconds: (performance.now() - started) / 1000,
    });
  }

  try {
    await syncPhase('full sync', false);
    clock += 60 * 60_000;
    const changed = changeRecords(sandbox, changeShare, () => {
      // Edits spread over the hour, as a day of CRM activity would be.
      clock += 1000;
    });
    clock += 60_000;
    await syncPhase(`incremental (${(changeShare * 100).toFixed(0)}% changed: ${changed} records)`, true);
    clock += 60 * 60_000;
    await syncPhase('incremental (no change)', true);
    const accountIds = sandbox.store.all('Account').map((account) => account.Id);
    await writePhase('write-back (all accounts)', accountIds);
    await writePhase(
      `write-back (${(changeShare * 100).toFixed(0)}% changed)`,
      accountIds.filter((_, index) => index % Math.round(1 / changeShare) === 0),
    );
  } finally {
    await sandbox.close();
  }

  console.log('');
  console.log('| phase | API calls | lower bound | ratio | rows | seconds |');
  console.log('|---|---:|---:|---:|---:|---:|');
  let withinTarget = true;
  for (const result of results) {
    const ratio = result.calls / result.lowerBound;
    if (ratio > TARGET_RATIO) withinTarget = false;
    console.log(
      `| ${result.phase} | ${result.calls} | ${result.lowerBound} | ${ratio.toFixed(2)}x | ${result.rows} | ${result.seconds.toFixed(1)} |`,
    );
  }
  console.log('');
  console.log(
    withinTarget
      ? `Every phase within ${TARGET_RATIO}x of the lower bound.`
      : `Some phase exceeds ${TARGET_RATIO}x.`,
  );
  return withinTarget;
}

/** Touches `share` of every object's records (and deletes a few), as a day of CRM activity would. */
function changeRecords(sandbox: SalesforceSandbox, share: number, tick: () => void): number {
  const edits: Record<string, Record<string, unknown>> = {
    Account: { Industry: 'Retail' },
    Contact: { Email: 'changed@example.com' },
    Opportunity: { Amount: 1234 },
    Case: { Priority: 'High' },
    Task: { Subject: 'Follow-up call' },
    Event: { Subject: 'Check-in' },
    Pulse_Subscription__c: { Licensed_Seats__c: 42 },
    Pulse_Invoice__c: { Status__c: 'Paid' },
  };
  let changed = 0;
  for (const [object, values] of Object.entries(edits)) {
    const records = sandbox.store.all(object);
    const step = Math.max(1, Math.round(1 / share));
    for (let index = 0; index < records.length; index += step) {
      if (index % (step * 10) === step * 5 && object !== 'Account')
        sandbox.store.delete(object, records[index]!.Id);
      else sandbox.store.update(object, records[index]!.Id, values);
      changed += 1;
      tick();
    }
  }
  return changed;
}

// `npm run bench:sync:salesforce -- --accounts 5000` runs this file directly.
if (process.argv[1]?.endsWith('sync-salesforce.ts')) {
  process.exit((await runBench(process.argv.slice(2))) ? 0 : 1);
}
