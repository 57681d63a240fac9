import { AccountHealthResult } from '@pulse/shared/api/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApiKey } from '../../server/src/api-keys/api-keys';
import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase, databaseKinds } from '../../server/src/db/testing';
import { parseEnv } from '../../server/src/env';
import { jobNames } from '../../server/src/scheduler/jobs';
import type { Trigger } from '../../server/src/scheduler/scheduler';
import { type RunningServer, startServer } from '../../server/src/server';
import { ensureTenant } from '../../server/src/store/records';
import { account, seedAccounts } from './helpers';

describe.each(databaseKinds)('usage ingest to explained score on %s', (kind) => {
  let database: DatabaseHandle;
  let server: RunningServer;
  let key: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const tenantId = await ensureTenant(database.db, { crm: 'demo', externalId: 'flow', name: 'Flow' });
    await seedAccounts(database, [account(tenantId, 'acme', { domain: 'acme.example.com' })]);
    ({ key } = await createApiKey(database.db, { tenantId, label: 'flow' }));
    // No ticks from the clock: the test runs the every-minute job itself.
    const neverTicks: Trigger = () => ({ stop: () => undefined });
    server = await startServer({
      env: parseEnv({ PORT: '0' }),
      database,
      scheduler: neverTicks,
      log: () => undefined,
      now: () => new Date('2026-11-20T12:00:00.000Z'),
    });
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  async function health() {
    const response = await fetch(`${server.url}/api/v1/accounts/acme/health`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return AccountHealthResult.parse(await response.json());
  }

  it('scores an account on the next queued-recompute run after its usage arrives', async () => {
    expect((await health()).status).toBe('not_scored');
    const snapshots = Array.from({ length: 60 }, (_, index) => ({
      domain: 'acme.example.com',
      day: new Date(Date.UTC(2026, 8, 22 + index)).toISOString().slice(0, 10),
      activeUsers: 40,
      licensedSeats: 50,
      logins: 200,
      featuresAdopted: 7,
      featuresAvailable: 10,
    }));
    const ingest = await fetch(`${server.url}/api/v1/usage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ snapshots }),
    });
    expect(await ingest.json()).toMatchObject({ accepted: 60, rejected: [], accountsQueued: 1 });

    expect(await server.scheduler!.runJob(jobNames.recomputeQueued)).toBe('completed');
    const scored = await health();
    if (scored.status !== 'scored') throw new Error('expected the account to be scored');
    const usage = scored.health.factors.find((factor) => factor.key === 'usage');
    expect(usage?.value).not.toBeNull();
    expect(scored.health.score).not.toBeNull();
    const queue = await database.db.selectFrom('rescore_queue').selectAll().execute();
    expect(queue).toEqual([]);
  });
});
