import { type Insertable, type Kysely, sql } from 'kysely';

import type { Database } from '../db/schema';
import type { ScoringExtension } from '../scoring/extensions';
import { nextRenewalOf } from '../scoring/recompute';
import type { ConsoleAccountMetricsTable } from './tables';

/**
 * Keeps console_account_metrics in step with every scoring: ARR, seat utilisation and the next
 * renewal per account, so portfolio aggregates read a narrow table instead of every stored result.
 */
export const consoleMetricsExtension: ScoringExtension = {
  name: 'console-metrics',
  async begin(_ctx, tenantId, now) {
    let pending: Insertable<ConsoleAccountMetricsTable>[] = [];
    return {
      evaluate({ snapshot, signals }) {
        pending.push({
          tenant_id: tenantId,
          account_id: snapshot.account.id,
          arr: signals.arr,
          seat_utilisation: signals.seatUtilisation,
          next_renewal: nextRenewalOf(snapshot, now),
          computed_at: now,
        });
        return {};
      },
      async flush(db: Kysely<Database>) {
        const rows = pending;
        pending = [];
        // Bounded statements: 6 parameters a row x 5,000 rows stays below PostgreSQL's 65,535.
        for (let start = 0; start < rows.length; start += 5000) {
          await db
            .insertInto('console_account_metrics')
            .values(rows.slice(start, start + 5000))
            .onConflict((conflict) =>
              conflict
                .columns(['tenant_id', 'account_id'])
                .doUpdateSet((eb) => ({
                  arr: eb.ref('excluded.arr'),
                  seat_utilisation: eb.ref('excluded.seat_utilisation'),
                  next_renewal: eb.ref('excluded.next_renewal'),
                  computed_at: eb.ref('excluded.computed_at'),
                }))
                // Hourly re-scores mostly find the same figures: leave those rows alone (no new
                // row version, no index or WAL write); computed_at then says when they last changed.
                .where(
                  sql<boolean>`(console_account_metrics.arr, console_account_metrics.seat_utilisation, console_account_metrics.next_renewal) is distinct from (excluded.arr, excluded.seat_utilisation, excluded.next_renewal)`,
                ),
            )
            .execute();
        }
      },
    };
  },
};
