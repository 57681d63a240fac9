import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import type { ScoringExtension } from '../scoring/extensions';
import { nextRenewalOf } from '../scoring/recompute';
import { type BulkColumn, bulkInsert } from '../store/bulk';

const columns: BulkColumn[] = [
  { name: 'tenant_id', type: 'text' },
  { name: 'account_id', type: 'text' },
  { name: 'arr', type: 'float8' },
  // The column's own type: a figure is parsed once, as a parameter of the column would be.
  { name: 'seat_utilisation', type: 'real' },
  { name: 'next_renewal', type: 'date' },
  { name: 'computed_at', type: 'timestamptz' },
];

/**
 * Keeps console_account_metrics in step with every scoring: ARR, seat utilisation and the next
 * renewal per account, so portfolio aggregates read a narrow table instead of every stored result.
 */
export const consoleMetricsExtension: ScoringExtension = {
  name: 'console-metrics',
  async begin(_ctx, tenantId, now) {
    // Column arrays, filled as accounts are evaluated (no row object per account).
    let accountIds: string[] = [];
    let arrs: number[] = [];
    let seatUtilisations: (number | null)[] = [];
    let nextRenewals: (string | null)[] = [];
    return {
      evaluate({ snapshot, signals }) {
        accountIds.push(snapshot.account.id);
        arrs.push(signals.arr);
        seatUtilisations.push(signals.seatUtilisation);
        nextRenewals.push(nextRenewalOf(snapshot, now));
        return {};
      },
      async flush(db: Kysely<Database>) {
        const count = accountIds.length;
        const values = [
          new Array<string>(count).fill(tenantId),
          accountIds,
          arrs,
          seatUtilisations,
          nextRenewals,
          new Array<Date>(count).fill(now),
        ];
        accountIds = [];
        arrs = [];
        seatUtilisations = [];
        nextRenewals = [];
        // Hourly re-scores mostly find the same figures: those rows are left alone (no new row
        // version, no index or WAL write); computed_at then says when they last changed.
        await bulkInsert(db, 'console_account_metrics', columns, values, {
          conflict: ['tenant_id', 'account_id'],
          skipUnchanged: ['arr', 'seat_utilisation', 'next_renewal'],
        });
      },
    };
  },
};
