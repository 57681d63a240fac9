import { sql } from 'kysely';

import type { RouteModule } from './index';

export const healthCheckRoutes: RouteModule = (app, context) => {
  app.get('/healthz', async (_request, response) => {
    try {
      await sql`select 1`.execute(context.db);
      response.json({ status: 'ok', database: context.dbKind });
    } catch (error) {
      response.status(503).json({ status: 'unavailable', error: (error as Error).message });
    }
  });
};
