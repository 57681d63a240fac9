import express, { type Express } from 'express';

import type { AppContext } from '../context';
import { authenticate } from './auth';
import { errorHandler } from './errors';
import { routeModules } from './routes';
import { USAGE_BODY_LIMIT } from './routes/usage';

declare module 'express-serve-static-core' {
  interface Request {
    /** The exact bytes received, for signature checks (HubSpot v2/v3, webhooks). */
    rawBody?: Buffer;
  }
}

export function createApp(context: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // Usage batches (10,000 rows) outgrow the 1 MB default; once parsed here the general parser skips them.
  app.use('/api/v1/usage', express.json({ limit: USAGE_BODY_LIMIT }));
  app.use(
    express.json({
      limit: '1mb',
      verify: (request, _response, buffer) => {
        (request as express.Request).rawBody = buffer;
      },
    }),
  );
  app.use('/api', authenticate(context));
  for (const register of routeModules) register(app, context);
  app.use('/api', (_request, response) => {
    response.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such endpoint' } });
  });
  app.use(errorHandler);
  return app;
}
