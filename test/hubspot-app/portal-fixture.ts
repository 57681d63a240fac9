import type { RecordByKind, RecordKind } from '@pulse/shared';
import { type DemoPortfolioBatch, portfolioBatches, productCatalogue } from '@pulse/shared/demo/index';
import type { Kysely } from 'kysely';

import type { Database } from '../../server/src/db/schema';
import { insertProducts, insertRecords, insertUsage } from '../../server/src/store/bulk-records';
import { ensureTenant } from '../../server/src/store/records';

/**
 * A HubSpot portal's data in the store: the demo portfolio with HubSpot-shaped (numeric) record
 * ids, under tenant `hubspot:<portalId>`. `portalOffset` makes two portals' ids disjoint.
 */
const recordKinds = [
  'accounts',
  'contacts',
  'deals',
  'tickets',
  'engagements',
  'subscriptions',
  'invoices',
] as const;

/** 'acc-000012' -> '9000012' (+ offset): numeric like HubSpot ids, unique per kind. */
export function hubspotStyleId(id: string, portalOffset = 0): string {
  const digits = id.replace(/\D/g, '');
  return portalOffset === 0 ? `9${digits}` : `${portalOffset}${digits}`;
}

function renumber<K extends RecordKind>(records: RecordByKind[K][], offset: number): RecordByKind[K][] {
  return records.map((record) => {
    const copy = { ...record } as Record<string, unknown>;
    copy.id = hubspotStyleId(String(copy.id), offset);
    if (typeof copy.accountId === 'string') copy.accountId = hubspotStyleId(copy.accountId, offset);
    if (typeof copy.contactId === 'string') copy.contactId = hubspotStyleId(copy.contactId, offset);
    return copy as RecordByKind[K];
  });
}

export async function loadPortalFixture(
  db: Kysely<Database>,
  options: {
    portalId: string;
    accounts: number;
    seed: number;
    now: Date;
    usageDays?: number;
    portalOffset?: number;
    onBatch?: (done: number) => void;
  },
): Promise<{ tenantId: string; accountIds: string[] }> {
  const tenantId = await ensureTenant(db, {
    crm: 'hubspot',
    externalId: options.portalId,
    name: `Portal ${options.portalId}`,
  });
  await insertProducts(db, productCatalogue(tenantId));
  const accountIds: string[] = [];
  const offset = options.portalOffset ?? 0;
  let done = 0;
  for (const batch of portfolioBatches(
    {
      seed: options.seed,
      accounts: options.accounts,
      tenantId,
      now: options.now,
      usageDays: options.usageDays ?? 60,
    },
    1000,
  ) as Iterable<DemoPortfolioBatch>) {
    for (const kind of recordKinds) {
      const records = renumber(batch[kind] as RecordByKind[typeof kind][], offset);
      if (kind === 'accounts') accountIds.push(...records.map((record) => record.id));
      await insertRecords(db, kind, records, options.now);
    }
    await insertUsage(
      db,
      batch.usage.map((row) => ({ ...row, accountId: hubspotStyleId(row.accountId, offset) })),
    );
    done += batch.accounts.length;
    options.onBatch?.(done);
  }
  return { tenantId, accountIds };
}
