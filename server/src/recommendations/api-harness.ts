import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Product } from '@pulse/shared';
import express from 'express';

import type { AppContext } from '../context';
import type { CreateOpportunityInput, CrmAdapter } from '../crm/adapter';
import type { DatabaseHandle } from '../db/connection';
import { parseEnv } from '../env';
import type { Role } from '../http/auth';
import { errorHandler } from '../http/errors';
import { ensureTenant } from '../store/records';
import { createCustomerSignalRoutes } from './route-module';

/**
 * A Pulse HTTP server for this feature's API tests: the real route module and error handling over a
 * test database, callers identified by `x-test-role` / `x-test-owner` headers, and a fake CRM
 * adapter that records its calls.
 */

export interface FakeCrm {
  adapter: CrmAdapter;
  created: CreateOpportunityInput[];
  findCalls: number;
  /** Milliseconds createOpportunity takes (to make two clicks overlap). */
  delayMs: number;
  failNext: Error | null;
  /** When set, getting the adapter fails (no connection stored, credentials missing). */
  unreachable: string | null;
}

export function fakeCrm(): FakeCrm {
  const crm: FakeCrm = {
    created: [],
    findCalls: 0,
    delayMs: 0,
    failNext: null,
    unreachable: null,
    adapter: {
      crm: 'demo',
      kinds: [],
      externalId: async () => 'fake',
      fetchPage: async () => {
        throw new Error('not used');
      },
      listProducts: async () => [],
      ensureCustomFields: async () => ({ created: [], updated: [], existing: [] }),
      writeAccountProperties: async () => ({ written: 0, failed: [] }),
      findOpenOpportunity: async () => {
        crm.findCalls += 1;
        return null;
      },
      createOpportunity: async (input) => {
        await new Promise((resolve) => setTimeout(resolve, crm.delayMs));
        if (crm.failNext) {
          const error = crm.failNext;
          crm.failNext = null;
          throw error;
        }
        crm.created.push(input);
        return { id: `deal-${crm.created.length}`, url: `https://crm.example/deal-${crm.created.length}` };
      },
      createTask: async () => ({ id: 'task' }),
    },
  };
  return crm;
}

export interface TestApi {
  url: string;
  tenantId: string;
  context: AppContext;
  crm: FakeCrm;
  call(
    method: string,
    path: string,
    options?: { body?: unknown; role?: Role; owner?: string },
    // biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies of many shapes
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  close(): Promise<void>;
}

export async function startTestApi(
  handle: DatabaseHandle,
  options: { now: Date; catalogue: Omit<Product, 'tenantId'>[]; name?: string },
): Promise<TestApi> {
  const tenantId = await ensureTenant(handle.db, {
    crm: 'demo',
    externalId: options.name ?? 'api',
    name: 'Test',
  });
  if (options.catalogue.length > 0) {
    await handle.db
      .insertInto('products')
      .values(
        options.catalogue.map((product) => ({
          tenant_id: tenantId,
          id: product.id,
          name: product.name,
          product_line: product.productLine,
          monthly_price: product.monthlyPrice,
          active: product.active,
        })),
      )
      .execute();
  }
  const context: AppContext = {
    db: handle.db,
    dbKind: handle.kind,
    env: parseEnv({}),
    now: () => options.now,
  };
  const crm = fakeCrm();
  const app = express();
  app.use(express.json());
  // Stands in for the authenticators: each test app answers for its own tenant only.
  app.use('/api', (request, _response, next) => {
    const role = request.headers['x-test-role'];
    const owner = request.headers['x-test-owner'];
    if (typeof role === 'string') {
      request.principal = {
        tenantId,
        actor: `test-${role}@example.com`,
        role: role as Role,
        ownerId: typeof owner === 'string' ? owner : null,
      };
    }
    next();
  });
  createCustomerSignalRoutes(async () => {
    if (crm.unreachable) throw new Error(crm.unreachable);
    return crm.adapter;
  })(app, context);
  app.use(errorHandler);
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tenantId,
    context,
    crm,
    async call(method, path, callOptions = {}) {
      const headers: Record<string, string> = { 'x-test-role': callOptions.role ?? 'admin' };
      if (callOptions.owner) headers['x-test-owner'] = callOptions.owner;
      if (callOptions.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        body: callOptions.body === undefined ? undefined : JSON.stringify(callOptions.body),
      });
      const text = await response.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      return { status: response.status, body, text, headers: response.headers };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
