import type { RecordByKind } from '@pulse/shared';
import { describe, expect, it } from 'vitest';

import { keptRows, recordsFromKept } from './kept-records';
import { type ChildKind, childKinds, columnMaps } from './records';

describe('kept records', () => {
  it.each(childKinds)('rebuild %s with every field in place and in column order', (kind: ChildKind) => {
    // A record whose every field holds a value no other field holds, so a misplaced one shows.
    const fields = columnMaps[kind].map(([field]) => field);
    const record = Object.fromEntries(
      fields.map((field, index) => [field, field === 'tenantId' ? 't-1' : `${field}-${index}`]),
    ) as unknown as RecordByKind[typeof kind];

    const kept = JSON.parse(JSON.stringify(keptRows(kind, [record]))) as unknown[][];
    expect(kept[0]).toHaveLength(fields.length - 1);
    const [rebuilt] = recordsFromKept(kind, 't-1', kept);
    expect(rebuilt).toEqual(record);
    expect(Object.keys(rebuilt!)).toEqual(fields);
  });

  it('keeps a missing optional field as null', () => {
    const contact = {
      tenantId: 't-1',
      id: 'c1',
      updatedAt: '2026-11-01T10:00:00.000Z',
      accountId: 'a1',
      name: 'Ada',
      email: null,
      role: 'champion',
      leftCompany: false,
      lastEngagedAt: null,
    } as RecordByKind['contacts'];
    expect(recordsFromKept('contacts', 't-1', keptRows('contacts', [contact]))).toEqual([contact]);
  });
});
