import { tooManyInputs, validationError } from './errors';
import { hubSpotLimits } from './limits';
import { batchEnvelope, batchInputs, objectTypeParam } from './object-json';
import type { ObjectStore } from './object-store';
import { associationTypeIds, type ObjectTypeName } from './object-types';
import type { HandlerRequest, RouteDefinition } from './router';

/** Associations v4: batch read, default (unlabeled) association, and per-object listing. */

function fromIdOf(input: unknown, path: string): string {
  const from = (input as { id?: unknown; from?: { id?: unknown } } | null) ?? {};
  const id = 'from' in from ? from.from?.id : from.id;
  if (typeof id !== 'string' && typeof id !== 'number') throw validationError(`${path}.id is required`);
  return String(id);
}

function batchRead(request: HandlerRequest) {
  const startedAt = new Date().toISOString();
  const from = objectTypeParam(request, 'from');
  const to = objectTypeParam(request, 'to');
  const inputs = batchInputs(request.body, hubSpotLimits.associationBatchMaxInputs, (count) =>
    tooManyInputs(count, hubSpotLimits.associationBatchMaxInputs),
  );
  const { store } = request.state;
  const results = [];
  const withoutAssociations: string[] = [];
  for (const [index, input] of inputs.entries()) {
    const id = fromIdOf(input, `inputs[${index}]`);
    const targets = store.find(from, id) ? store.associations(from, id, to) : [];
    if (targets.length === 0) {
      withoutAssociations.push(id);
      continue;
    }
    results.push({
      from: { id },
      // HubSpot sends toObjectId as a JSON number.
      to: targets.map((target) => ({
        toObjectId: Number(target.toObjectId),
        associationTypes: target.associationTypes,
      })),
    });
  }
  if (withoutAssociations.length === 0) return { status: 200, body: batchEnvelope(results, startedAt) };
  const errors = withoutAssociations.map((id) => ({
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
    message: `No ${store.singular(to)} is associated with ${store.singular(from)} ${id}.`,
    context: { fromObjectId: [id], toObjectType: [to] },
  }));
  return { status: 207, body: batchEnvelope(results, startedAt, errors) };
}

function defaultAssociationResult(
  store: ObjectStore,
  from: ObjectTypeName,
  fromId: string,
  to: ObjectTypeName,
  toId: string,
) {
  store.associate(from, fromId, to, toId, false);
  const forward = associationTypeIds(from, to).unlabeled;
  const backward = associationTypeIds(to, from).unlabeled;
  return [
    {
      from: { id: fromId },
      to: { id: toId },
      associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: forward },
    },
    {
      from: { id: toId },
      to: { id: fromId },
      associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: backward },
    },
  ];
}

function associateDefault(request: HandlerRequest) {
  const startedAt = new Date().toISOString();
  const from = objectTypeParam(request, 'from');
  const to = objectTypeParam(request, 'to');
  const results = defaultAssociationResult(
    request.state.store,
    from,
    request.params.fromId!,
    to,
    request.params.toId!,
  );
  return { status: 200, body: batchEnvelope(results, startedAt) };
}

function batchAssociateDefault(request: HandlerRequest) {
  const startedAt = new Date().toISOString();
  const from = objectTypeParam(request, 'from');
  const to = objectTypeParam(request, 'to');
  const inputs = batchInputs(request.body, hubSpotLimits.batchMaxInputs * 20, (count) =>
    tooManyInputs(count, hubSpotLimits.batchMaxInputs * 20),
  );
  const results = inputs.flatMap((input, index) => {
    const pair = input as { from?: { id?: unknown }; to?: { id?: unknown } };
    if (pair.from?.id === undefined || pair.to?.id === undefined) {
      throw validationError(`inputs[${index}] needs from.id and to.id`);
    }
    return defaultAssociationResult(request.state.store, from, String(pair.from.id), to, String(pair.to.id));
  });
  return { status: 200, body: batchEnvelope(results, startedAt) };
}

function listForObject(request: HandlerRequest) {
  const from = objectTypeParam(request, 'from');
  const to = objectTypeParam(request, 'to');
  const { store } = request.state;
  if (!store.find(from, request.params.fromId!)) {
    return {
      status: 404,
      body: { status: 'error', message: 'Object not found', category: 'OBJECT_NOT_FOUND' },
    };
  }
  const limit = Math.min(Number(request.url.searchParams.get('limit') ?? 500) || 500, 500);
  const after = Number(request.url.searchParams.get('after') ?? 0) || 0;
  const targets = store.associations(from, request.params.fromId!, to);
  const page = targets.slice(after, after + limit);
  const next = after + limit < targets.length ? String(after + limit) : null;
  return {
    status: 200,
    body: {
      results: page.map((target) => ({
        toObjectId: Number(target.toObjectId),
        associationTypes: target.associationTypes,
      })),
      ...(next ? { paging: { next: { after: next } } } : {}),
    },
  };
}

export const associationRoutes: RouteDefinition[] = [
  {
    method: 'POST',
    path: '/crm/v4/associations/{from}/{to}/batch/read',
    authenticated: true,
    handler: batchRead,
  },
  {
    method: 'POST',
    path: '/crm/v4/associations/{from}/{to}/batch/associate/default',
    authenticated: true,
    handler: batchAssociateDefault,
  },
  {
    method: 'PUT',
    path: '/crm/v4/objects/{from}/{fromId}/associations/default/{to}/{toId}',
    authenticated: true,
    handler: associateDefault,
  },
  {
    method: 'GET',
    path: '/crm/v4/objects/{from}/{fromId}/associations/{to}',
    authenticated: true,
    handler: listForObject,
  },
];
