import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../../server/src/context';
import { createSalesforceAdapter } from '../../server/src/crm/salesforce/adapter';
import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase, databaseKinds } from '../../server/src/db/testing';
import { parseEnv } from '../../server/src/env';
import {
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  type SalesforceSandbox,
  startSalesforceSandbox,
} from '../../server/src/sandbox/salesforce/server';
import { ensureTenant } from '../../server/src/store/records';
import { runSync } from '../../server/src/sync/run-sync';
import { adapterFor, testClock } from './helpers';

const noSleep = async () => {};

describe.each(databaseKinds)('runSync with the Salesforce adapter (%s)', (kind) => {
  let handle: DatabaseHandle;
  let sandbox: SalesforceSandbox;
  let ctx: AppContext;
  let tenantId: string;
  const clock = testClock();

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(() => handle.close());

  beforeEach(async () => {
    await sandbox?.close();
    sandbox = await startSalesforceSandbox({ accounts: 20, seed: 5, now: clock.now, pageSize: 40 });
    ctx = { db: handle.db, dbKind: kind, env: parseEnv({}), now: clock.now };
    // A fresh tenant per test: each starts from no checkpoints.
    tenantId = await ensureTenant(handle.db, {
      crm: 'salesforce',
      externalId: `00D${Math.random().toString(36).slice(2, 14)}`,
      name: 'Sandbox org',
    });
  });

  const live = async (table: 'accounts' | 'contacts' | 'tickets' | 'engagements') =>
    (
      await handle.db
        .selectFrom(table)
        .select(['id'])
        .where('tenant_id', '=', tenantId)
        .where('deleted_at', 'is', null)
        .execute()
    ).map((row) => row.id);

  const engagementCount = () =>
    sandbox.store.all('Task').filter((task) => task.Status === 'Completed').length +
    sandbox.store.all('Event').length;

  it('full sync stores the whole org, then an incremental run picks up edits and deletions', async () => {
    const first = await runSync(ctx, { tenantId, adapter: adapterFor(sandbox), sleep: noSleep });
    expect(first.status).toBe('completed');
    expect(first.fullSync).toBe(true);
    expect((await live('accounts')).length).toBe(sandbox.store.all('Account').length);
    expect((await live('engagements')).length).toBe(engagementCount());

    clock.advance(5 * 60_000);
    const account = sandbox.store.all('Account')[3]!;
    sandbox.store.update('Account', account.Id, { Name: 'Renamed Industries' });
    const ticket = sandbox.store.all('Case')[0]!;
    sandbox.store.delete('Case', ticket.Id);
    clock.advance(60_000);

    const second = await runSync(ctx, { tenantId, adapter: adapterFor(sandbox), sleep: noSleep });
    expect(second.status).toBe('completed');
    expect(second.fullSync).toBe(false);
    const stored = await handle.db
      .selectFrom('accounts')
      .select('name')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', account.Id)
      .executeTakeFirstOrThrow();
    expect(stored.name).toBe('Renamed Industries');
    expect(await live('tickets')).not.toContain(ticket.Id);
    expect(second.kinds.find((report) => report.kind === 'tickets')!.deleted).toBe(1);
    const fetched = second.kinds.reduce((sum, report) => sum + report.fetched, 0);
    expect(fetched).toBeLessThan(first.kinds.reduce((sum, report) => sum + report.fetched, 0) / 10);
  });

  it('resumes after a kill mid-sync without re-reading finished pages', async () => {
    const controller = new AbortController();
    const killed = await runSync(ctx, {
      tenantId,
      adapter: adapterFor(sandbox),
      signal: controller.signal,
      sleep: noSleep,
      onProgress: (progress) => {
        if (progress.kind === 'engagements' && progress.pages === 2) controller.abort();
      },
    });
    expect(killed.status).toBe('interrupted');
    const storedBefore = (await live('engagements')).length;
    expect(storedBefore).toBe(80);

    const before = sandbox.requests.length;
    const resumed = await runSync(ctx, { tenantId, adapter: adapterFor(sandbox), sleep: noSleep });
    expect(resumed.status).toBe('completed');
    expect((await live('engagements')).length).toBe(engagementCount());
    const engagementReport = resumed.kinds.find((report) => report.kind === 'engagements')!;
    expect(engagementReport.fetched).toBe(engagementCount() - 80);
    // Accounts, contacts, deals and tickets were finished: each costs one (near-empty) query now.
    const accountQueries = sandbox.requests
      .slice(before)
      .filter((request) => request.kind === 'query' && request.path.includes('FROM%20Account'));
    expect(accountQueries).toHaveLength(1);
  });

  it('stops on REQUEST_LIMIT_EXCEEDED and resumes from the checkpoint when the allowance frees up', async () => {
    const report = await runSync(ctx, {
      tenantId,
      adapter: adapterFor(sandbox),
      sleep: noSleep,
      // Another integration uses up the org's allowance while Pulse is syncing.
      onProgress: (progress) => {
        if (progress.kind === 'deals') sandbox.setApiUsage(sandbox.apiUsage().limit);
      },
    });
    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(report.error!.message).toMatch(/REQUEST_LIMIT_EXCEEDED/);

    sandbox.setApiUsage(0);
    const before = sandbox.requests.length;
    const resumed = await runSync(ctx, { tenantId, adapter: adapterFor(sandbox), sleep: noSleep });
    expect(resumed.status).toBe('completed');
    expect(resumed.kinds.find((entry) => entry.kind === 'accounts')!.phase).toBe('incremental');
    expect((await live('tickets')).length).toBe(sandbox.store.all('Case').length);
    expect((await live('engagements')).length).toBe(engagementCount());
    const accountQueries = sandbox.requests
      .slice(before)
      .filter((request) => request.kind === 'query' && request.path.includes('FROM%20Account'));
    expect(accountQueries).toHaveLength(1);
  });

  it('stops at its share of the allowance before Salesforce refuses', async () => {
    sandbox.setApiUsage(sandbox.apiUsage().limit * 0.8 - 3);
    const report = await runSync(ctx, { tenantId, adapter: adapterFor(sandbox), sleep: noSleep });
    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(report.error!.message).toMatch(/Pulse stops at 80%/);
    expect(sandbox.requests.filter((request) => request.status === 403)).toHaveLength(0);
  });

  it('refreshes an expired session mid-sync and finishes', async () => {
    const tokenResponse = await fetch(
      `${sandbox.loginUrl}/services/oauth2/authorize?response_type=code&client_id=${SANDBOX_CLIENT_ID}&redirect_uri=http://localhost/cb`,
      {
        redirect: 'manual',
      },
    );
    const code = new URL(tokenResponse.headers.get('location')!).searchParams.get('code')!;
    const tokens = (await (
      await fetch(`${sandbox.loginUrl}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          client_id: SANDBOX_CLIENT_ID,
          client_secret: SANDBOX_CLIENT_SECRET,
          redirect_uri: 'http://localhost/cb',
        }),
      })
    ).json()) as { access_token: string; refresh_token: string; instance_url: string };
    const adapter = createSalesforceAdapter({
      loginUrl: sandbox.loginUrl,
      instanceUrl: tokens.instance_url,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      clientId: SANDBOX_CLIENT_ID,
      clientSecret: SANDBOX_CLIENT_SECRET,
    });
    const report = await runSync(ctx, {
      tenantId,
      adapter,
      sleep: noSleep,
      onProgress: (progress) => {
        if (progress.kind === 'contacts' && progress.done) sandbox.auth.expireAllSessions();
      },
    });
    expect(report.status).toBe('completed');
    expect(sandbox.requests.filter((request) => request.status === 401)).toHaveLength(1);
    expect((await live('engagements')).length).toBe(engagementCount());
  });

  it('keeps a page when a record in it is malformed and reports the record', async () => {
    const [bad] = sandbox.store.all('Contact');
    sandbox.faults.malformRecord('Contact', bad!.Id, { Email: 12345 });
    const report = await runSync(ctx, { tenantId, adapter: adapterFor(sandbox), sleep: noSleep });
    expect(report.status).toBe('completed');
    const contacts = report.kinds.find((entry) => entry.kind === 'contacts')!;
    expect(contacts.rejectedCount).toBe(1);
    expect(contacts.rejected[0]).toMatchObject({ id: bad!.Id, reason: expect.stringMatching(/Email/) });
    expect((await live('contacts')).length).toBe(sandbox.store.all('Contact').length - 1);
  });
});
