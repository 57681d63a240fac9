import { postUsage } from '@pulse/shared/api/usage';
import { Router } from 'express';

import { ingestUsageRows } from '../../usage/ingest';
import { principalOf, requireRole } from '../auth';
import { mount } from '../endpoint';
import type { RouteModule } from './index';

/** A full batch of 10,000 rows with a few custom metrics is about 3 MB of JSON. */
export const USAGE_BODY_LIMIT = '5mb';

export const usageRoutes: RouteModule = (app, context) => {
  const router = Router();
  mount(
    router,
    postUsage,
    async ({ body, request }) => {
      const { tenantId } = principalOf(request);
      const outcome = await ingestUsageRows(
        context.db,
        tenantId,
        body.snapshots.map((value, index) => ({ row: index, value })),
        context.now(),
      );
      return {
        accepted: outcome.accepted,
        rejected: outcome.rejected,
        accountsQueued: outcome.accountIds.length,
      };
    },
    requireRole('admin'),
  );
  app.use(router);
};
