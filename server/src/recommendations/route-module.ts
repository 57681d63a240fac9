import { Router } from 'express';

import { getCrmAdapter } from '../crm/registry';

import { mountFlagRoutes } from '../flags/routes';
import type { RouteModule } from '../http/routes/index';
import { mountRenewalRoutes } from '../renewals/routes';
import { type CrmAdapterProvider, mountRecommendationRoutes } from './routes';

/** Rules, recommendations, Create Opportunity, renewals and flags: one route module (issue 4). */
export function createCustomerSignalRoutes(crmAdapter: CrmAdapterProvider): RouteModule {
  return (app, context) => {
    const router = Router();
    mountRecommendationRoutes(router, context, crmAdapter);
    mountRenewalRoutes(router, context);
    mountFlagRoutes(router, context);
    app.use(router);
  };
}

/** The module the server mounts: the tenant's real CRM through the adapter registry. */
export const customerSignalRoutes: RouteModule = createCustomerSignalRoutes(getCrmAdapter);
