import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppContext } from '../context';
import type { DatabaseHandle } from '../db/connection';
import { createTestDatabase, databaseKinds } from '../db/testing';
import { parseEnv } from '../env';
import { scoringExtensions } from '../scoring/extensions';
import { scoreOne } from '../scoring/recompute';
import { loadDemoPortfolio } from './demo-data';
import { getSetting } from './settings';
import { streamSnapshots } from './snapshots';

const now = new Date('2026-11-20T12:00:00.000Z');

describe.each(databaseKinds)('scoring window on %s', (kind) => {
  let handle: DatabaseHandle;
  let ctx: AppContext;
  let tenantId: string;

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    ctx = { db: handle.db, dbKind: handle.kind, env: parseEnv({}), now: () => now };
    const loaded = await loadDemoPortfolio(ctx, { name: 'window', accounts: 300, seed: 7, usageDays: 60 });
    tenantId = loaded.tenantId;
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
  });

  it('scores every account exactly as with all its engagements and invoices, while reading fewer of them', async () => {
    const read = async (scoringWindow: boolean) => {
      const snapshots = [];
      for await (const chunk of streamSnapshots(ctx.db, tenantId, { now, chunkSize: 120, scoringWindow }))
        snapshots.push(...chunk);
      return snapshots;
    };
    const full = await read(false);
    const windowed = await read(true);
    expect(windowed.map((snapshot) => snapshot.account.id)).toEqual(full.map((s) => s.account.id));

    const config = await getSetting(ctx.db, tenantId, 'health_config');
    const grossMargin = await getSetting(ctx.db, tenantId, 'gross_margin');
    const runs = await Promise.all(scoringExtensions.map((extension) => extension.begin(ctx, tenantId, now)));
    const inputs = { config, grossMargin, now, runs };
    const noPast = { previous: null, recent: [], scoreThirtyDaysAgo: null, openFlags: null };
    for (let index = 0; index < full.length; index++) {
      const expected = scoreOne(full[index]!, noPast, inputs);
      expect(scoreOne(windowed[index]!, noPast, inputs)).toEqual(expected);
    }

    const count = (snapshots: typeof full, kind: 'engagements' | 'invoices') =>
      snapshots.reduce((total, s) => total + s[kind].length, 0);
    expect(count(windowed, 'engagements')).toBeLessThan(count(full, 'engagements') * 0.8);
    // The demo bills 12 months back, so only the odd invoice falls outside; real histories are longer.
    expect(count(windowed, 'invoices')).toBeLessThan(count(full, 'invoices'));
    // Everything else is read in full.
    expect(windowed.map((s) => [s.contacts, s.deals, s.tickets, s.subscriptions, s.usage])).toEqual(
      full.map((s) => [s.contacts, s.deals, s.tickets, s.subscriptions, s.usage]),
    );
  }, 120_000);
});
