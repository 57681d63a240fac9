import type { RecordByKind, RecordKind } from '@pulse/shared';

import type { CrmAdapter, RecordPage, SyncCheckpoint } from '../../server/src/crm/adapter';
import {
  createSalesforceAdapter,
  type SalesforceAdapterOptions,
} from '../../server/src/crm/salesforce/adapter';
import type { SalesforceSandbox } from '../../server/src/sandbox/salesforce/server';

export const SANDBOX_NOW = new Date('2026-11-01T00:00:00.000Z');

/** A clock tests can move forward; the sandbox stamps writes with it. */
export function testClock(start = SANDBOX_NOW) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
  };
}

export function adapterFor(sandbox: SalesforceSandbox, options: Partial<SalesforceAdapterOptions> = {}) {
  return createSalesforceAdapter({
    loginUrl: sandbox.loginUrl,
    instanceUrl: sandbox.instanceUrl,
    accessToken: sandbox.accessToken,
    ...options,
  });
}

export interface StreamRun<K extends RecordKind> {
  records: RecordByKind[K][];
  deletedIds: string[];
  rejected: RecordPage<K>['rejected'];
  checkpoints: SyncCheckpoint[];
  final: SyncCheckpoint;
}

/** Reads a stream to its end (or `maxPages`), as run-sync does, returning what it saw. */
export async function readStream<K extends RecordKind>(
  adapter: CrmAdapter,
  kind: K,
  checkpoint: SyncCheckpoint | null,
  now: Date,
  maxPages = Number.POSITIVE_INFINITY,
): Promise<StreamRun<K>> {
  const run: StreamRun<K> = {
    records: [],
    deletedIds: [],
    rejected: [],
    checkpoints: [],
    final: checkpoint!,
  };
  let current = checkpoint;
  for (let pages = 0; pages < maxPages; pages += 1) {
    const page = await adapter.fetchPage(kind, current, { now });
    run.records.push(...page.records);
    run.deletedIds.push(...page.deletedIds);
    run.rejected.push(...page.rejected);
    run.checkpoints.push(page.next);
    current = page.next;
    if (page.done) break;
  }
  run.final = current!;
  return run;
}
