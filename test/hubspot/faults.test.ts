import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase } from '../../server/src/db/testing';
import { syncScoreAndWrite } from '../../server/src/sync/pipeline';
import { type SyncFixture, startSyncFixture } from './helpers';

const instant = async () => undefined;

/** The pulse_* values the portal holds per company, minus the scoring time. */
function writtenValues(fixture: SyncFixture): Record<string, Record<string, string>> {
  const result: Record<string, Record<string, string>> = {};
  for (const id of fixture.sandbox.store.ids('companies')) {
    const properties = fixture.sandbox.store.get('companies', id) ?? {};
    result[id] = Object.fromEntries(
      Object.entries(properties).filter(
        ([name]) =>
          name.startsWith('pulse_') &&
          !name.startsWith('pulse_scored_at') &&
          !['pulse_previous_annual_revenue', 'pulse_cs_opt_out'].includes(name),
      ),
    );
  }
  return result;
}

describe('HubSpot sync under 429 storms, 5xx bursts and timeouts', () => {
  let cleanDatabase: DatabaseHandle;
  let faultyDatabase: DatabaseHandle;
  let clean: SyncFixture;
  let faulty: SyncFixture;

  beforeAll(async () => {
    cleanDatabase = await createTestDatabase('pglite');
    faultyDatabase = await createTestDatabase('pglite');
    const now = new Date();
    clean = await startSyncFixture(cleanDatabase, { accounts: 30, seed: 21, now });
    faulty = await startSyncFixture(faultyDatabase, { accounts: 30, seed: 21, now });
  });
  afterAll(async () => {
    await clean.close();
    await faulty.close();
    await cleanDatabase.close();
    await faultyDatabase.close();
  });

  it('completes and writes exactly what a fault-free run writes', async () => {
    const fixedNow = new Date();
    clean.ctx.now = () => fixedNow;
    faulty.ctx.now = () => fixedNow;
    const cleanRun = await syncScoreAndWrite(clean.ctx, {
      tenantId: clean.tenantId,
      adapter: clean.adapter(),
      ensureFields: true,
    });
    expect(cleanRun.sync.status).toBe('completed');
    expect(cleanRun.writeBack?.written).toBeGreaterThan(0);

    const { faults } = faulty.sandbox;
    faults.rateLimitBurst(15, { path: '/crm/v3/objects/deals' });
    faults.serverError(6, 503, { path: '/crm/v4/associations' });
    faults.serverError(4, 502, { path: '/crm/v3/objects/companies/batch/update' });
    faults.rateLimitBurst(5, { path: '/crm/v3/objects/companies/batch/update' });
    faults.timeout(2, 1_500, { path: '/crm/v3/objects/tickets' });
    const faultyRun = await syncScoreAndWrite(faulty.ctx, {
      tenantId: faulty.tenantId,
      adapter: faulty.adapter({ timeoutMs: 500 }),
      ensureFields: true,
      sleep: instant,
    });
    expect(faultyRun.sync.status).toBe('completed');
    expect(faults.pending()).toEqual([]);
    expect(faultyRun.sync.kinds.reduce((sum, kind) => sum + kind.retries, 0)).toBeGreaterThanOrEqual(
      15 + 6 + 2,
    );
    const statuses = faulty.sandbox.requests.map((entry) => entry.status);
    expect(statuses.filter((status) => status === 429).length).toBe(20);

    const expected = writtenValues(clean);
    expect(Object.values(expected).filter((values) => values.pulse_health_tier).length).toBeGreaterThan(20);
    expect(writtenValues(faulty)).toEqual(expected);
    expect(faultyRun.writeBack?.written).toBe(cleanRun.writeBack?.written);
  });

  it('a run that cannot finish records why on the checkpoint, and the next run resumes', async () => {
    faulty.sandbox.store.update('tickets', faulty.sandbox.store.ids('tickets')[0]!, {
      subject: 'After the outage',
    });
    faulty.sandbox.faults.serverError(50, 500, { path: '/crm/v3/objects/tickets' });
    const failed = await syncScoreAndWrite(faulty.ctx, {
      tenantId: faulty.tenantId,
      adapter: faulty.adapter(),
      sleep: instant,
    });
    expect(failed.sync.status).toBe('failed');
    expect(failed.sync.error).toMatchObject({ kind: 'tickets', code: 'TEMPORARY' });
    const row = await faultyDatabase.db
      .selectFrom('sync_checkpoints')
      .selectAll()
      .where('tenant_id', '=', faulty.tenantId)
      .where('stream', '=', 'tickets')
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(row.last_error).toContain('TEMPORARY');
    expect(row.last_error).toContain('500');

    faulty.sandbox.faults.clear();
    const resumed = await syncScoreAndWrite(faulty.ctx, {
      tenantId: faulty.tenantId,
      adapter: faulty.adapter(),
    });
    expect(resumed.sync.status).toBe('completed');
    const ticket = await faultyDatabase.db
      .selectFrom('tickets')
      .select('subject')
      .where('tenant_id', '=', faulty.tenantId)
      .where('id', '=', faulty.sandbox.store.ids('tickets')[0]!)
      .executeTakeFirstOrThrow();
    expect(ticket.subject).toBe('After the outage');
    const after = await faultyDatabase.db
      .selectFrom('sync_checkpoints')
      .select(['status', 'last_error'])
      .where('tenant_id', '=', faulty.tenantId)
      .where('stream', '=', 'tickets')
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'idle', last_error: null });
  });
});
