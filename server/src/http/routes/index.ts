import type { Express } from 'express';

import { alertWorkflowRoutes } from '../../alerts/route-module';
import { consoleRoutes } from '../../console/route-module';
import type { AppContext } from '../../context';
import { hubspotOAuthRoutes } from '../../crm/hubspot/oauth-routes';
import { salesforceOAuthRoutes } from '../../crm/salesforce/oauth-routes';
import { hubspotAppRoutes } from '../../hubspot-app/routes';
import { customerSignalRoutes } from '../../recommendations/route-module';
import { hubspotWebhookRoutes } from '../../webhooks/hubspot';
import { accountRoutes } from './accounts';
import { healthCheckRoutes } from './health-check';
import { usageRoutes } from './usage';

export type RouteModule = (app: Express, context: AppContext) => void;

/** Every route module, mounted in order. One line per feature module. */
export const routeModules: RouteModule[] = [
  healthCheckRoutes,
  usageRoutes,
  accountRoutes,
  customerSignalRoutes,
  hubspotWebhookRoutes,
  hubspotAppRoutes,
  alertWorkflowRoutes,
  hubspotOAuthRoutes,
  salesforceOAuthRoutes,
  consoleRoutes,
];
