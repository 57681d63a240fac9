import { recordKinds } from '@pulse/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CrmError } from '../../server/src/crm/adapter';
import { type SalesforceSandbox, startSalesforceSandbox } from '../../server/src/sandbox/salesforce/server';
import { adapterFor, readStream, testClock } from './helpers';

describe('Salesforce adapter: sync against the sandbox org', () => {
  let sandbox: SalesforceSandbox;
  let clock: ReturnType<typeof testClock>;

  beforeEach(async () => {
    clock = testClock();
    sandbox = await startSalesforceSandbox({ accounts: 25, seed: 11, now: clock.now, pageSize: 40 });
  });
  afterEach(() => sandbox.close());

  it('full sync returns every record of every kind, mapped to the canonical model', async () => {
    const adapter = adapterFor(sandbox);
    const store = sandbox.store;
    const expected = {
      accounts: store.all('Account').length,
      contacts: store.all('Contact').length,
      deals: store.all('Opportunity').length,
      tickets: store.all('Case').length,
      engagements:
        store.all('Task').filter((task) => task.Status === 'Completed').length + store.all('Event').length,
      subscriptions: store.all('Pulse_Subscription__c').length,
      invoices: store.all('Pulse_Invoice__c').length,
    };
    for (const kind of recordKinds) {
      const run = await readStream(adapter, kind, null, clock.now());
      expect(run.rejected, kind).toEqual([]);
      expect(new Set(run.records.map((record) => record.id)).size, kind).toBe(expected[kind]);
      expect(run.final.phase).toBe('incremental');
    }
    const accounts = await readStream(adapter, 'accounts', null, clock.now());
    const seededAccount = store.all('Account')[0]!;
    const synced = accounts.records.find((account) => account.id === seededAccount.Id)!;
    expect(synced.name).toBe(seededAccount.Name);
    expect(synced.ownerName).toBe(store.get('User', String(seededAccount.OwnerId))?.Name ?? null);
  });

  it('copies configured Account fields into attributes, refusing names that are not fields', async () => {
    const [account] = sandbox.store.all('Account');
    sandbox.store.update('Account', account!.Id, { Rating: 'Hot', Type: 'Customer' });
    const run = await readStream(adapterFor(sandbox), 'accounts', null, clock.now());
    expect(run.records.find((record) => record.id === account!.Id)?.attributes).toEqual({
      type: 'Customer',
      rating: 'Hot',
    });
    expect(() =>
      adapterFor(sandbox, { accountAttributeFields: ["Name FROM Account WHERE Name != ''"] }),
    ).toThrow(/Not a SOQL field/);
  });

  it('saves a checkpoint per query page and reads each row once', async () => {
    const adapter = adapterFor(sandbox);
    const before = sandbox.requests.length;
    const run = await readStream(adapter, 'engagements', null, clock.now());
    const queries = sandbox.requests
      .slice(before)
      .filter((request) => request.kind === 'query' || request.kind === 'query-more');
    const tasks = sandbox.store.all('Task').filter((task) => task.Status === 'Completed').length;
    const events = sandbox.store.all('Event').length;
    expect(queries.length).toBe(Math.ceil(tasks / 40) + Math.ceil(events / 40));
    expect(run.checkpoints.length).toBe(queries.length);
    expect(run.records.length).toBe(tasks + events);
    expect(new Set(run.records.map((record) => record.id)).size).toBe(tasks + events);
  });

  it('incremental sync returns what changed and what was deleted since the last run', async () => {
    const adapter = adapterFor(sandbox);
    const full = await readStream(adapter, 'contacts', null, clock.now());
    clock.advance(60_000);
    const [edited, removed] = sandbox.store.all('Contact');
    sandbox.store.update('Contact', edited!.Id, { Email: 'new.address@example.com' });
    sandbox.store.delete('Contact', removed!.Id);
    clock.advance(60_000);

    const incremental = await readStream(adapter, 'contacts', full.final, clock.now());
    expect(incremental.records.map((contact) => contact.id)).toContain(edited!.Id);
    expect(incremental.records.find((contact) => contact.id === edited!.Id)?.email).toBe(
      'new.address@example.com',
    );
    expect(incremental.records.length).toBeLessThan(5);
    expect(incremental.deletedIds).toEqual([removed!.Id]);

    const again = await readStream(adapter, 'contacts', incremental.final, clock.now());
    expect(again.records.map((contact) => contact.id)).not.toContain(removed!.Id);
    expect(again.records.length).toBeLessThan(3);
  });

  it('resumes from the saved checkpoint after a stop mid-stream, without losing rows', async () => {
    const first = await readStream(adapterFor(sandbox), 'engagements', null, clock.now(), 2);
    expect(first.final.cursor).not.toBeNull();
    // A new process (new adapter, new connection) picks up from the stored checkpoint.
    const rest = await readStream(
      adapterFor(sandbox),
      'engagements',
      JSON.parse(JSON.stringify(first.final)),
      clock.now(),
    );
    const ids = new Set([...first.records, ...rest.records].map((record) => record.id));
    const expected =
      sandbox.store.all('Task').filter((task) => task.Status === 'Completed').length +
      sandbox.store.all('Event').length;
    expect(ids.size).toBe(expected);
  });

  it('restarts from the watermark when a query locator has expired', async () => {
    const first = await readStream(adapterFor(sandbox), 'accounts', null, clock.now(), 1);
    sandbox.faults.failNext({
      path: '/query/',
      status: 400,
      errorCode: 'INVALID_QUERY_LOCATOR',
      message: 'invalid query locator',
    });
    const rest = await readStream(adapterFor(sandbox), 'accounts', first.final, clock.now());
    const ids = new Set([...first.records, ...rest.records].map((record) => record.id));
    expect(ids.size).toBe(sandbox.store.all('Account').length);
  });

  it('reports malformed records as rejected and keeps the rest of the page', async () => {
    const [bad] = sandbox.store.all('Account');
    sandbox.faults.malformRecord('Account', bad!.Id, { NumberOfEmployees: 'lots', Name: 42 });
    const run = await readStream(adapterFor(sandbox), 'accounts', null, clock.now());
    expect(run.rejected).toHaveLength(1);
    expect(run.rejected[0]!.id).toBe(bad!.Id);
    expect(run.rejected[0]!.reason).toMatch(/NumberOfEmployees/);
    expect(run.records.length).toBe(sandbox.store.all('Account').length - 1);
  });

  it('turns REQUEST_LIMIT_EXCEEDED into RATE_LIMITED with a resume hint', async () => {
    sandbox.setApiUsage(sandbox.apiUsage().limit);
    const error = await adapterFor(sandbox)
      .fetchPage('accounts', null, { now: clock.now() })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(CrmError);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.message).toMatch(/REQUEST_LIMIT_EXCEEDED/);
    expect(error.retryAfterMs).toBeGreaterThan(0);
  });

  it('stops before using more than its share of the daily allowance', async () => {
    // A 100-call org: Pulse may use up to 80.
    const small = await startSalesforceSandbox({
      accounts: 25,
      seed: 11,
      now: clock.now,
      pageSize: 40,
      dailyApiLimit: 100,
      apiUsed: 78,
    });
    try {
      const limited = adapterFor(small, { budgetShare: 0.8 });
      await limited.fetchPage('accounts', null, { now: clock.now() }); // call 79
      await limited.fetchPage('contacts', null, { now: clock.now() }); // call 80
      const sent = small.requests.length;
      const error = await limited.fetchPage('deals', null, { now: clock.now() }).catch((caught) => caught);
      expect(error).toBeInstanceOf(CrmError);
      expect(error.code).toBe('RATE_LIMITED');
      expect(error.message).toMatch(/80 of its 100 daily API calls/);
      expect(small.requests.length).toBe(sent);
    } finally {
      await small.close();
    }
  });

  it('rides out a transient 503 on reads (retried) and reports one on writes as TEMPORARY', async () => {
    const adapter = adapterFor(sandbox);
    sandbox.faults.failNext({ path: '/query', status: 503 });
    const page = await adapter.fetchPage('accounts', null, { now: clock.now() });
    expect(page.records.length).toBeGreaterThan(0);

    sandbox.faults.failNext({ path: '/composite/sobjects', status: 503 });
    const error = await adapter
      .writeAccountProperties([{ accountId: page.records[0]!.id, values: { pulse_health_score: 50 } }])
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(CrmError);
    expect(error.code).toBe('TEMPORARY');
  });
});
