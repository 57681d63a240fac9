import { type AccountSnapshot, emptySnapshot } from '@pulse/shared';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../context';
import type { DatabaseHandle } from '../db/connection';
import { createTestDatabase, databaseKinds } from '../db/testing';
import { parseEnv } from '../env';
import { scoringExtensions } from '../scoring/extensions';
import { scoreOne } from '../scoring/recompute';
import { loadDemoPortfolio } from './demo-data';
import { markDeleted, mergeAccounts, upsertRecords } from './records';
import { fillFromScoringInputs } from './scoring-inputs';
import { getSetting } from './settings';
import { loadSnapshots, streamSnapshots } from './snapshots';

const now = new Date('2026-11-20T12:00:00.000Z');
const DAY_MS = 86_400_000;

describe.each(databaseKinds)('scoring inputs kept between recomputes on %s', (kind) => {
  let handle: DatabaseHandle;
  let ctx: AppContext;
  let tenantId: string;

  /** The recompute's read: through the kept inputs. */
  const read = async (at: Date = now): Promise<AccountSnapshot[]> => {
    const snapshots: AccountSnapshot[] = [];
    for await (const chunk of streamSnapshots(ctx.db, tenantId, {
      now: at,
      chunkSize: 50,
      scoringWindow: true,
    }))
      snapshots.push(...chunk);
    return snapshots;
  };
  /** The same read with nothing kept: every input built from the records. */
  const fresh = async (at: Date = now): Promise<AccountSnapshot[]> => {
    await sql`delete from scoring_records`.execute(ctx.db);
    await sql`delete from scoring_usage`.execute(ctx.db);
    return read(at);
  };
  const kept = async () => {
    const records = await sql<{ n: number }>`select count(*)::int as n from scoring_records`.execute(ctx.db);
    const usage = await sql<{ n: number }>`select count(*)::int as n from scoring_usage`.execute(ctx.db);
    return { records: records.rows[0]!.n, usage: usage.rows[0]!.n };
  };
  const byId = (snapshots: AccountSnapshot[], id: string) => snapshots.find((s) => s.account.id === id)!;
  /** Records in a stable order: the database returns them in no particular one. */
  const normalised = (snapshots: AccountSnapshot[]) =>
    snapshots.map((snapshot) => ({
      ...snapshot,
      contacts: [...snapshot.contacts].sort((a, b) => a.id.localeCompare(b.id)),
      deals: [...snapshot.deals].sort((a, b) => a.id.localeCompare(b.id)),
      tickets: [...snapshot.tickets].sort((a, b) => a.id.localeCompare(b.id)),
      engagements: [...snapshot.engagements].sort((a, b) => a.id.localeCompare(b.id)),
      subscriptions: [...snapshot.subscriptions].sort((a, b) => a.id.localeCompare(b.id)),
      invoices: [...snapshot.invoices].sort((a, b) => a.id.localeCompare(b.id)),
    }));

  const scored = async (snapshots: AccountSnapshot[], at: Date) => {
    const config = await getSetting(ctx.db, tenantId, 'health_config');
    const grossMargin = await getSetting(ctx.db, tenantId, 'gross_margin');
    const runs = await Promise.all(scoringExtensions.map((extension) => extension.begin(ctx, tenantId, at)));
    const noPast = { previous: null, recent: [], scoreThirtyDaysAgo: null, openFlags: null };
    return snapshots.map((snapshot) => scoreOne(snapshot, noPast, { config, grossMargin, now: at, runs }));
  };

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    ctx = { db: handle.db, dbKind: handle.kind, env: parseEnv({}), now: () => now };
    const loaded = await loadDemoPortfolio(ctx, { name: 'kept', accounts: 120, seed: 11, usageDays: 60 });
    tenantId = loaded.tenantId;
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
  });

  beforeEach(async () => {
    await fresh();
  });

  it('keeps every account it reads and reads the same snapshots back', async () => {
    const first = await fresh();
    expect(await kept()).toEqual({ records: 120, usage: 120 });
    const again = await read();
    expect(normalised(again)).toEqual(normalised(first));
    expect(first.some((snapshot) => snapshot.usage !== null)).toBe(true);
  });

  it('reads kept inputs without building any, and builds only what is missing', async () => {
    const all = await read();
    const chunkOf = () => all.slice(0, 50).map((snapshot) => emptySnapshot(snapshot.account));
    const ids = all.slice(0, 50).map((snapshot) => snapshot.account.id);
    const range = { from: ids[0]!, to: ids[ids.length - 1]! };
    const warm = chunkOf();
    expect(await fillFromScoringInputs(ctx.db, tenantId, warm, range, now)).toEqual({ records: 0, usage: 0 });
    await sql`delete from scoring_records where account_id = ${ids[3]!}`.execute(ctx.db);
    await sql`delete from scoring_usage where account_id = ${ids[7]!}`.execute(ctx.db);
    const partial = chunkOf();
    expect(await fillFromScoringInputs(ctx.db, tenantId, partial, range, now)).toEqual({
      records: 1,
      usage: 1,
    });
    expect(partial).toEqual(warm);
    expect(normalised(warm)).toEqual(normalised(all.slice(0, 50)));
  });

  it('drops an account’s kept records when a statement changes them, whatever the write path', async () => {
    const before = await read();
    const target = before.find((snapshot) => snapshot.contacts.length > 0 && snapshot.tickets.length > 0)!;
    const id = target.account.id;
    const otherId = before.find((snapshot) => snapshot.account.id !== id && snapshot.deals.length > 0)!
      .account.id;

    // A sync page (insert or update), a CRM deletion, a record moved by a merge.
    const contact = { ...target.contacts[0]!, role: 'exec_sponsor' as const, leftCompany: true };
    await upsertRecords(ctx.db, 'contacts', [contact], now);
    let after = await read();
    expect(byId(after, id).contacts.find((c) => c.id === contact.id)).toMatchObject({ leftCompany: true });

    await markDeleted(ctx.db, tenantId, 'tickets', [target.tickets[0]!.id], now);
    after = await read();
    expect(byId(after, id).tickets.map((t) => t.id)).not.toContain(target.tickets[0]!.id);

    const otherDeals = byId(before, otherId).deals.length;
    await mergeAccounts(ctx.db, tenantId, [{ from: otherId, into: id }], now);
    after = await read();
    expect(byId(after, id).deals.length).toBe(target.deals.length + otherDeals);

    expect(normalised(after)).toEqual(normalised(await fresh()));
  });

  it('drops a kept usage summary when the usage behind it changes, and keeps it for its day only', async () => {
    const before = await read();
    const target = before.find((snapshot) => snapshot.usage?.current)!;
    const id = target.account.id;
    const yesterday = new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10);
    await sql`
      insert into usage_daily (tenant_id, account_id, day, active_users, logins, features_adopted, api_calls,
        integration_calls, integration_failures, metrics)
      values (${tenantId}, ${id}, ${yesterday}::date, 1, 5000, 1, 0, 0, 0, '{}'::jsonb)
      on conflict (tenant_id, account_id, day) do update set logins = 5000
    `.execute(ctx.db);
    const after = await read();
    expect(byId(after, id).usage!.current!.logins).not.toBe(target.usage!.current!.logins);
    expect(normalised(after)).toEqual(normalised(await fresh()));

    // The next day's windows differ: every summary is built again, and equals a fresh one.
    await read();
    const tomorrow = new Date(now.getTime() + DAY_MS);
    const nextDay = await read(tomorrow);
    expect(await kept()).toEqual({ records: nextDay.length, usage: nextDay.length });
    const rows = await sql<{ day: string }>`select distinct day::text as day from scoring_usage`.execute(
      ctx.db,
    );
    expect(rows.rows.map((row) => row.day)).toEqual([tomorrow.toISOString().slice(0, 10)]);
    // Records kept from the day before hold a few engagements and invoices that a build today would
    // leave out (they fell out of the window); scoring reads past them, so the results are equal.
    expect(await scored(nextDay, tomorrow)).toEqual(await scored(await fresh(tomorrow), tomorrow));
  });

  it('rebuilds records kept for a later instant when asked for an earlier one', async () => {
    const later = new Date(now.getTime() + 40 * DAY_MS);
    await read(later);
    const earlier = await read(now);
    const built = await sql<{
      at: string;
    }>`select distinct built_at::text as at from scoring_records`.execute(ctx.db);
    expect(built.rows).toHaveLength(1);
    expect(normalised(earlier)).toEqual(normalised(await fresh(now)));
  });
});

describe('building kept inputs while a sync writes on PostgreSQL', () => {
  let handle: DatabaseHandle;
  let tenantId: string;
  let url: string;

  beforeAll(async () => {
    handle = await createTestDatabase('postgres');
    const ctx = { db: handle.db, dbKind: handle.kind, env: parseEnv({}), now: () => now };
    const loaded = await loadDemoPortfolio(ctx, { name: 'race', accounts: 20, seed: 3, usageDays: 10 });
    tenantId = loaded.tenantId;
    url = handle.location;
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
  });

  it('waits for a writer that has changed the records to commit, then builds from its data', async () => {
    const accounts = await sql<{ id: string }>`
      select distinct account_id as id from contacts where tenant_id = ${tenantId} order by account_id limit 1
    `.execute(handle.db);
    const id = accounts.rows[0]!.id;
    const [{ account }] = (await loadSnapshots(handle.db, tenantId, [id], now)) as [AccountSnapshot];
    const writer = new pg.Client({ connectionString: url });
    await writer.connect();
    try {
      await writer.query('begin');
      await writer.query(
        `update contacts set name = 'Renamed In Flight' where tenant_id = $1 and account_id = $2`,
        [tenantId, id],
      );
      const startedAt = performance.now();
      const snapshot = emptySnapshot(account);
      const building = fillFromScoringInputs(handle.db, tenantId, [snapshot], { ids: [id] }, now);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writer.query('commit');
      expect(await building).toEqual({ records: 1, usage: 1 });
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(250);
      expect(snapshot.contacts.map((contact) => contact.name)).toContain('Renamed In Flight');
    } finally {
      await writer.end();
    }
  });
});
