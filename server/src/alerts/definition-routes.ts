import type { Endpoint } from '@pulse/shared/api/contract';
import type { RequestHandler, Router } from 'express';

import type { AppContext } from '../context';
import { principalOf } from '../http/auth';
import { mount } from '../http/endpoint';
import { ApiError } from '../http/errors';
import {
  createDefinition,
  type DefinitionTable,
  deleteDefinition,
  getDefinition,
  listDefinitions,
  type StoredDefinition,
  updateDefinition,
} from './definitions-store';

/**
 * List, get, create, replace and delete of a stored definition (alert rules, workflows): tenant
 * from the principal, 404 naming the id, every change audited by the store. Each contract's
 * response schema describes `view`'s output.
 */
export interface DefinitionCrud<T extends DefinitionTable, V> {
  table: T;
  /** For messages: "alert rule", "workflow". */
  noun: string;
  /** The list response's key: `{ rules: [...] }`. */
  listKey: string;
  view: (stored: StoredDefinition<T>) => V;
  contracts: { list: Endpoint; get: Endpoint; create: Endpoint; update: Endpoint; remove: Endpoint };
  readers: RequestHandler;
  writers: RequestHandler;
}

export function mountDefinitionCrud<T extends DefinitionTable, V>(
  router: Router,
  context: AppContext,
  crud: DefinitionCrud<T, V>,
): void {
  const { db } = context;
  const { table, view, contracts } = crud;
  const notFound = (id: string) => new ApiError('NOT_FOUND', `No ${crud.noun} "${id}"`);
  const idOf = (params: unknown) => (params as { id: string }).id;

  mount(
    router,
    contracts.list,
    async ({ request }) => {
      const stored = await listDefinitions(db, table, principalOf(request).tenantId);
      return { [crud.listKey]: stored.map(view) } as never;
    },
    crud.readers,
  );

  mount(
    router,
    contracts.get,
    async ({ params, request }) => {
      const stored = await getDefinition(db, table, principalOf(request).tenantId, idOf(params));
      if (!stored) throw notFound(idOf(params));
      return view(stored) as never;
    },
    crud.readers,
  );

  mount(
    router,
    contracts.create,
    async ({ body, request }) => {
      const principal = principalOf(request);
      const stored = await createDefinition(
        db,
        table,
        principal.tenantId,
        body as never,
        principal.actor,
        context.now(),
      );
      return view(stored) as never;
    },
    crud.writers,
  );

  mount(
    router,
    contracts.update,
    async ({ params, body, request }) => {
      const principal = principalOf(request);
      const stored = await updateDefinition(
        db,
        table,
        principal.tenantId,
        idOf(params),
        { definition: body as never },
        principal.actor,
        context.now(),
      );
      if (!stored) throw notFound(idOf(params));
      return view(stored) as never;
    },
    crud.writers,
  );

  mount(
    router,
    contracts.remove,
    async ({ params, request }) => {
      const principal = principalOf(request);
      const deleted = await deleteDefinition(
        db,
        table,
        principal.tenantId,
        idOf(params),
        principal.actor,
        context.now(),
      );
      if (!deleted) throw notFound(idOf(params));
      return { deleted: true } as never;
    },
    crud.writers,
  );
}
