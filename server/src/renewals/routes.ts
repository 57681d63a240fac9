import { exportRenewalsCsv, listRenewals } from '@pulse/shared/api/renewals';
import { toCsv } from '@pulse/shared/csv/csv';
import { utcDay } from '@pulse/shared/renewals/calendar';
import { renewalCsvHeader, renewalCsvRow } from '@pulse/shared/renewals/renewals';
import type { Router } from 'express';

import type { AppContext } from '../context';
import { principalOf, requireRole } from '../http/auth';
import { mount } from '../http/endpoint';
import { ownerScope } from '../recommendations/access';
import { loadRenewals } from './store';

const readers = requireRole('admin', 'csm', 'account_executive');

export function mountRenewalRoutes(router: Router, context: AppContext): void {
  mount(
    router,
    listRenewals,
    async ({ query, request }) => {
      const principal = principalOf(request);
      const rows = await loadRenewals(
        context.db,
        principal.tenantId,
        query,
        context.now(),
        ownerScope(principal),
      );
      return {
        renewals: rows,
        totals: {
          count: rows.length,
          mrr: Math.round(rows.reduce((total, row) => total + row.mrr, 0) * 100) / 100,
        },
      };
    },
    readers,
  );

  mount(
    router,
    exportRenewalsCsv,
    async ({ query, request, response }) => {
      const principal = principalOf(request);
      const now = context.now();
      const rows = await loadRenewals(context.db, principal.tenantId, query, now, ownerScope(principal));
      const csv = toCsv(renewalCsvHeader, rows.map(renewalCsvRow));
      response
        .status(200)
        .type('text/csv; charset=utf-8')
        .attachment(`renewals-${utcDay(now)}.csv`)
        .send(csv);
      return csv;
    },
    readers,
  );
}
