import { Router } from 'express';

import type { RouteModule } from '../http/routes/index';
import { mountWorkflowRoutes } from '../workflows/routes';
import { mountAlertRoutes } from './routes';

/** Alert rules and history, workflows and templates, outbox dead letters, the audit log (issue 8). */
export const alertWorkflowRoutes: RouteModule = (app, context) => {
  const router = Router();
  mountAlertRoutes(router, context);
  mountWorkflowRoutes(router, context);
  app.use(router);
};
