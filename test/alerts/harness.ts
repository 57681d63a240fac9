import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

import { alertWorkflowRoutes } from '../../server/src/alerts/route-module';
import type { AppContext } from '../../server/src/context';
import type { Role } from '../../server/src/http/auth';
import { errorHandler } from '../../server/src/http/errors';

/**
 * The alert/workflow route module over a test context, callers identified by `x-test-role` /
 * `x-test-owner` headers (standing in for the authenticators), answering for one tenant.
 */
export interface AlertsApi {
  call(
    method: string,
    path: string,
    options?: { body?: unknown; role?: Role; owner?: string },
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the endpoint answered
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startAlertsApi(context: AppContext, tenantId: string): Promise<AlertsApi> {
  const app = express();
  app.use(express.json());
  app.use('/api', (request, _response, next) => {
    const role = request.headers['x-test-role'];
    const owner = request.headers['x-test-owner'];
    if (typeof role === 'string') {
      request.principal = {
        tenantId,
        actor: `${role}@example.com`,
        role: role as Role,
        ownerId: typeof owner === 'string' ? owner : null,
      };
    }
    next();
  });
  alertWorkflowRoutes(app, context);
  app.use(errorHandler);
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { 'x-test-role': options.role ?? 'admin' };
      if (options.owner) headers['x-test-owner'] = options.owner;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
