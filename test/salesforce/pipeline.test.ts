import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppContext } from '../../server/src/context';
import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase } from '../../server/src/db/testing';
import { parseEnv } from '../../server/src/env';
import { type SalesforceSandbox, startSalesforceSandbox } from '../../server/src/sandbox/salesforce/server';
import { ensureTenant } from '../../server/src/store/records';
import { syncScoreAndWrite } from '../../server/src/sync/pipeline';
import { adapterFor, testClock } from './helpers';

describe('sync, score and write back into the Salesforce sandbox', () => {
  let sandbox: SalesforceSandbox;
  let database: DatabaseHandle;
  let ctx: AppContext;
  let tenantId: string;
  const clock = testClock();
  const noSleep = async () => {};

  beforeAll(async () => {
    sandbox = await startSalesforceSandbox({ accounts: 30, seed: 21, now: clock.now, sessionMs: 86_400_000 });
    database = await createTestDatabase('postgres');
    ctx = { db: database.db, dbKind: 'postgres', env: parseEnv({}), now: clock.now };
    tenantId = await ensureTenant(database.db, {
      crm: 'salesforce',
      externalId: sandbox.store.orgId,
      name: 'Sandbox',
    });
  });
  afterAll(async () => {
    await database.close();
    await sandbox.close();
  });

  const writes = (from: number) =>
    sandbox.requests.slice(from).filter((request) => request.kind === 'collection-update');

  it('writes scores into the Pulse Account fields, then only what changed', async () => {
    const first = await syncScoreAndWrite(ctx, {
      tenantId,
      adapter: adapterFor(sandbox),
      ensureFields: true,
      sleep: noSleep,
    });
    expect(first.sync.status).toBe('completed');
    expect(first.writeBack?.written).toBe(30);
    const account = sandbox.store.all('Account')[0]!;
    expect(account.Pulse_Health_Score__c).toEqual(expect.any(Number));
    expect(account.Pulse_Scored_At__c).toEqual(expect.any(String));
    const written = writes(0).flatMap(
      (request) => (request.body as { records: Record<string, unknown>[] }).records,
    );
    for (const record of written) {
      for (const field of Object.keys(record).filter((name) => name !== 'attributes' && name !== 'id')) {
        expect(field).toMatch(/^Pulse_.*__c$/);
      }
    }

    clock.advance(60 * 60_000);
    const before = sandbox.requests.length;
    const second = await syncScoreAndWrite(ctx, { tenantId, adapter: adapterFor(sandbox), sleep: noSleep });
    expect(second.sync.status).toBe('completed');
    // Nothing in the org changed (only Pulse's own fields): no write at all.
    expect(writes(before)).toHaveLength(0);

    // One account's invoices go overdue: only that account is written, only the fields that moved.
    clock.advance(60 * 60_000);
    const target = sandbox.store.all('Pulse_Invoice__c')[0]!.Account__c as string;
    for (const invoice of sandbox.store.all('Pulse_Invoice__c').filter((row) => row.Account__c === target)) {
      sandbox.store.update('Pulse_Invoice__c', invoice.Id, {
        Status__c: 'Overdue',
        Paid_At__c: null,
        Due_Date__c: '2026-08-01',
      });
    }
    const scoreBefore = sandbox.store.get('Account', target)!.Pulse_Health_Score__c;
    const mark = sandbox.requests.length;
    const third = await syncScoreAndWrite(ctx, { tenantId, adapter: adapterFor(sandbox), sleep: noSleep });
    expect(third.sync.error).toBeNull();
    expect(third.sync.status).toBe('completed');
    const sent = writes(mark).flatMap(
      (request) => (request.body as { records: Record<string, unknown>[] }).records,
    );
    expect(sent.map((record) => record.id)).toEqual([target]);
    expect(Object.keys(sent[0]!)).toContain('Pulse_Factor_Payment__c');
    expect(Object.keys(sent[0]!).length).toBeLessThan(10);
    expect(sandbox.store.get('Account', target)!.Pulse_Health_Score__c).not.toBe(scoreBefore);
  });
});
