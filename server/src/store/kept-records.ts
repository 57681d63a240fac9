import type { RecordByKind } from '@pulse/shared';

import { type ChildKind, columnMaps } from './records';

/**
 * How `scoring_records` holds an account's child records: per kind, each record as the array of
 * its field values in `columnMaps` order, the tenant left out, timestamps as the ISO strings the
 * canonical model holds. That is 4.1 kB of JSON per bench account where objects took 7.3 kB (PGlite
 * writes 1,000 of them in ~140 instead of ~300 ms), and a record is rebuilt with one object
 * literal per kind below: 2,000 accounts parse and rebuild in ~30 ms of Node CPU, against ~60 ms
 * for the objects' JSON and ~135 ms for rebuilding by field list. The literals must list the
 * fields in `columnMaps` order (kept-records.test.ts checks every kind). A change of this layout
 * needs a migration that empties `scoring_records`, so nothing kept in the old one is read.
 */
type Row = readonly unknown[];
type Builders = { [K in ChildKind]: (row: Row, tenantId: string) => RecordByKind[K] };

const builders: Builders = {
  contacts: (r, tenantId) =>
    ({
      tenantId,
      id: r[0],
      updatedAt: r[1],
      accountId: r[2],
      name: r[3],
      email: r[4],
      role: r[5],
      leftCompany: r[6],
      lastEngagedAt: r[7],
    }) as RecordByKind['contacts'],
  deals: (r, tenantId) =>
    ({
      tenantId,
      id: r[0],
      updatedAt: r[1],
      accountId: r[2],
      name: r[3],
      amount: r[4],
      stage: r[5],
      closeDate: r[6],
      type: r[7],
      status: r[8],
      productId: r[9],
      ownerId: r[10],
    }) as RecordByKind['deals'],
  tickets: (r, tenantId) =>
    ({
      tenantId,
      id: r[0],
      updatedAt: r[1],
      accountId: r[2],
      subject: r[3],
      status: r[4],
      priority: r[5],
      openedAt: r[6],
      closedAt: r[7],
      escalated: r[8],
      sentiment: r[9],
    }) as RecordByKind['tickets'],
  engagements: (r, tenantId) =>
    ({
      tenantId,
      id: r[0],
      updatedAt: r[1],
      accountId: r[2],
      type: r[3],
      occurredAt: r[4],
      isQbr: r[5],
      contactId: r[6],
    }) as RecordByKind['engagements'],
  subscriptions: (r, tenantId) =>
    ({
      tenantId,
      id: r[0],
      updatedAt: r[1],
      accountId: r[2],
      productId: r[3],
      mrr: r[4],
      startDate: r[5],
      renewalDate: r[6],
      autoRenew: r[7],
      status: r[8],
      licensedSeats: r[9],
    }) as RecordByKind['subscriptions'],
  invoices: (r, tenantId) =>
    ({
      tenantId,
      id: r[0],
      updatedAt: r[1],
      accountId: r[2],
      amount: r[3],
      issuedAt: r[4],
      dueDate: r[5],
      paidAt: r[6],
      status: r[7],
    }) as RecordByKind['invoices'],
};

const fieldsOf = (kind: ChildKind): string[] =>
  columnMaps[kind].map(([field]) => field).filter((field) => field !== 'tenantId');
const keptFields: { [K in ChildKind]: string[] } = {
  contacts: fieldsOf('contacts'),
  deals: fieldsOf('deals'),
  tickets: fieldsOf('tickets'),
  engagements: fieldsOf('engagements'),
  subscriptions: fieldsOf('subscriptions'),
  invoices: fieldsOf('invoices'),
};

/** A kind's records as kept: arrays of field values. */
export function keptRows<K extends ChildKind>(kind: K, records: readonly RecordByKind[K][]): unknown[][] {
  const fields = keptFields[kind];
  return records.map((record) => {
    const values = record as unknown as Record<string, unknown>;
    return fields.map((field) => values[field] ?? null);
  });
}

/** The records of kept rows of a kind. */
export function recordsFromKept<K extends ChildKind>(
  kind: K,
  tenantId: string,
  rows: readonly Row[],
): RecordByKind[K][] {
  const build = builders[kind] as (row: Row, tenantId: string) => RecordByKind[K];
  const records = new Array<RecordByKind[K]>(rows.length);
  for (let index = 0; index < rows.length; index++) records[index] = build(rows[index]!, tenantId);
  return records;
}
