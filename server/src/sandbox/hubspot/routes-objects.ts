import { tooManyInputs, validationError } from './errors';
import { hubSpotLimits } from './limits';
import {
  batchEnvelope,
  batchInputs,
  bodyObject,
  injectMalformed,
  objectJson,
  objectTypeParam,
  requestedProperties,
} from './object-json';
import type { ObjectStore, StoredObject } from './object-store';
import { associationTypeIds, type ObjectTypeName, objectTypeNames } from './object-types';
import type { HandlerRequest, RouteDefinition } from './router';
import { parseSearchRequest } from './search';

/** CRM v3 objects: list, get, create, update, archive, batch, search and merge. */

function idOf(input: unknown, path: string): string {
  const id = (input as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' && typeof id !== 'number') throw validationError(`${path}.id is required`);
  return String(id);
}

/** `associations` in a create payload: `[{ to: { id }, types: [{ associationCategory, associationTypeId }] }]`. */
function createAssociations(
  store: ObjectStore,
  type: ObjectTypeName,
  object: StoredObject,
  raw: unknown,
  path: string,
) {
  if (raw === undefined || raw === null) return;
  if (!Array.isArray(raw)) throw validationError(`${path}.associations must be an array`);
  for (const [index, association] of raw.entries()) {
    const toId = idOf((association as { to?: unknown }).to, `${path}.associations[${index}].to`);
    const types = (association as { types?: { associationTypeId?: unknown }[] }).types ?? [];
    const typeId = Number(types[0]?.associationTypeId);
    const toType = associationTargetType(type, typeId);
    if (!toType)
      throw validationError(`${path}.associations[${index}].types: unknown associationTypeId ${typeId}`);
    // A "Primary" type id labels the association as primary (the unlabeled one comes with it).
    store.associate(type, object.id, toType, toId, typeId === associationTypeIds(type, toType).primary);
  }
}

/** Finds which object type an association type id from `from` points at. */
function associationTargetType(from: ObjectTypeName, typeId: number): ObjectTypeName | null {
  for (const candidate of objectTypeNames) {
    const ids = associationTypeIdsFor(from, candidate);
    if (ids.includes(typeId)) return candidate;
  }
  return null;
}

function associationTypeIdsFor(from: ObjectTypeName, to: ObjectTypeName): number[] {
  const ids = associationTypeIds(from, to);
  return ids.primary === undefined ? [ids.unlabeled] : [ids.unlabeled, ids.primary];
}

function list(request: HandlerRequest) {
  const type = objectTypeParam(request);
  const { store } = request.state;
  const query = request.url.searchParams;
  const limitParam = Number(query.get('limit') ?? hubSpotLimits.listDefaultPageSize);
  if (!Number.isInteger(limitParam) || limitParam < 1)
    throw validationError('limit must be a positive integer');
  const limit = Math.min(limitParam, hubSpotLimits.listMaxPageSize);
  const archived = query.get('archived') === 'true';
  const after = query.get('after');
  const afterId = after === null || after === '' ? 0 : Number(after);
  if (!Number.isFinite(afterId)) throw validationError(`after '${after}' is not a valid paging cursor`);
  const properties = requestedProperties(query.getAll('properties'));
  const objects = store.objectsOf(type);
  // Ids ascend, so the cursor's position is found by binary search.
  let low = 0;
  let high = objects.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (objects[middle]!.numericId < afterId) low = middle + 1;
    else high = middle;
  }
  const page: StoredObject[] = [];
  let next: string | null = null;
  for (let index = low; index < objects.length; index++) {
    const object = objects[index]!;
    if (object.mergedInto || object.archived !== archived) continue;
    if (page.length === limit) {
      next = object.id;
      break;
    }
    page.push(object);
  }
  const results = page.map((object) => objectJson(object, properties));
  injectMalformed(request, type, results);
  const link = new URL(`${request.state.baseUrl()}${request.url.pathname}`);
  if (next) {
    for (const [name, value] of query) if (name !== 'after') link.searchParams.append(name, value);
    link.searchParams.set('after', next);
  }
  return {
    status: 200,
    body: { results, ...(next ? { paging: { next: { after: next, link: link.href } } } : {}) },
  };
}

function getOne(request: HandlerRequest) {
  const type = objectTypeParam(request);
  const archived = request.url.searchParams.get('archived') === 'true';
  const object = request.state.store.find(type, request.params.id!, { archived });
  if (!object) return notFoundReply();
  return {
    status: 200,
    body: objectJson(object, requestedProperties(request.url.searchParams.getAll('properties'))),
  };
}

function notFoundReply() {
  return {
    status: 404,
    body: {
      status: 'error',
      message: 'Object not found.  objectId are usually numeric.',
      category: 'OBJECT_NOT_FOUND',
    },
  };
}

function createOne(request: HandlerRequest, input: unknown, path: string) {
  const type = objectTypeParam(request);
  const { store } = request.state;
  const values = store.normalise(type, bodyObject(input).properties ?? {});
  const object = store.insert(type, values);
  createAssociations(store, type, object, (input as { associations?: unknown }).associations, path);
  return object;
}

function update(request: HandlerRequest) {
  const type = objectTypeParam(request);
  const { store } = request.state;
  const object = store.find(type, request.params.id!);
  if (!object) return notFoundReply();
  store.apply(object, store.normalise(type, bodyObject(request.body).properties ?? {}));
  return { status: 200, body: objectJson(object, Object.keys(object.properties)) };
}

function archiveOne(request: HandlerRequest) {
  const type = objectTypeParam(request);
  request.state.store.archive(type, request.params.id!);
  return { status: 204 };
}

function batchRead(request: HandlerRequest) {
  const startedAt = new Date().toISOString();
  const type = objectTypeParam(request);
  const { store } = request.state;
  const body = bodyObject(request.body);
  const inputs = batchInputs(body, hubSpotLimits.batchMaxInputs, (count) =>
    tooManyInputs(count, hubSpotLimits.batchMaxInputs),
  );
  if (body.idProperty !== undefined && body.idProperty !== 'hs_object_id') {
    throw validationError('The sandbox reads by record id only (idProperty is not supported)');
  }
  const archived = request.url.searchParams.get('archived') === 'true';
  const properties = requestedProperties(body.properties);
  const missing: string[] = [];
  const seen = new Set<string>();
  const results = [];
  for (const [index, input] of inputs.entries()) {
    const id = idOf(input, `inputs[${index}]`);
    const object = store.find(type, id, { archived });
    if (!object) missing.push(id);
    else if (!seen.has(object.id)) {
      seen.add(object.id);
      results.push(objectJson(object, properties));
    }
  }
  injectMalformed(request, type, results);
  return batchReply(200, type, results, startedAt, missing, 'get');
}

function batchReply(
  status: number,
  type: ObjectTypeName,
  results: unknown[],
  startedAt: string,
  missing: string[],
  verb: string,
) {
  if (missing.length === 0) return { status, body: batchEnvelope(results, startedAt) };
  const error = {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not ${verb} some ${type.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids: missing },
  };
  return { status: 207, body: batchEnvelope(results, startedAt, [error]) };
}

function batchCreate(request: HandlerRequest) {
  const startedAt = new Date().toISOString();
  const type = objectTypeParam(request);
  const { store } = request.state;
  const inputs = batchInputs(request.body, hubSpotLimits.batchMaxInputs, (count) =>
    tooManyInputs(count, hubSpotLimits.batchMaxInputs),
  );
  // Validate every input first: HubSpot rejects the whole batch when one input is invalid.
  inputs.forEach((input, index) => {
    try {
      store.normalise(type, bodyObject(input).properties ?? {});
    } catch (error) {
      throw validationError(`inputs[${index}]: ${(error as Error).message}`);
    }
  });
  const results = inputs.map((input, index) => createOne(request, input, `inputs[${index}]`));
  return {
    status: 201,
    body: batchEnvelope(
      results.map((object) => objectJson(object, Object.keys(object.properties))),
      startedAt,
    ),
  };
}

function batchUpdate(request: HandlerRequest) {
  const startedAt = new Date().toISOString();
  const type = objectTypeParam(request);
  const { store } = request.state;
  const inputs = batchInputs(request.body, hubSpotLimits.batchMaxInputs, (count) =>
    tooManyInputs(count, hubSpotLimits.batchMaxInputs),
  );
  const ids = inputs.map((input, index) => idOf(input, `inputs[${index}]`));
  const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (duplicates.length > 0)
    throw validationError(
      `Duplicate IDs found in batch input: [${[...new Set(duplicates)].join(', ')}]. IDs must be unique`,
    );
  const updates = inputs.map((input, index) => {
    try {
      return store.normalise(type, bodyObject(input).properties ?? {});
    } catch (error) {
      throw validationError(`inputs[${index}]: ${(error as Error).message}`);
    }
  });
  const missing: string[] = [];
  const results = [];
  for (const [index, id] of ids.entries()) {
    const object = store.find(type, id);
    if (!object) {
      missing.push(id);
      continue;
    }
    store.apply(object, updates[index]!);
    results.push(objectJson(object, Object.keys(updates[index]!)));
  }
  return batchReply(200, type, results, startedAt, missing, 'update');
}

function batchArchive(request: HandlerRequest) {
  const type = objectTypeParam(request);
  const inputs = batchInputs(request.body, hubSpotLimits.batchMaxInputs, (count) =>
    tooManyInputs(count, hubSpotLimits.batchMaxInputs),
  );
  inputs.forEach((input, index) => {
    request.state.store.archive(type, idOf(input, `inputs[${index}]`));
  });
  return { status: 204 };
}

function search(request: HandlerRequest) {
  const type = objectTypeParam(request);
  const parsed = parseSearchRequest(request.body);
  const matches = request.state.search.run(type, parsed);
  const page = matches.slice(parsed.after, parsed.after + parsed.limit);
  const results = page.map((object) => objectJson(object, parsed.properties));
  injectMalformed(request, type, results);
  const nextAfter = parsed.after + parsed.limit;
  return {
    status: 200,
    body: {
      total: matches.length,
      results,
      ...(nextAfter < matches.length && parsed.limit > 0
        ? { paging: { next: { after: String(nextAfter) } } }
        : {}),
    },
  };
}

function merge(request: HandlerRequest) {
  const type = objectTypeParam(request);
  const body = bodyObject(request.body);
  const primary = body.primaryObjectId;
  const merged = body.objectIdToMerge;
  if (primary === undefined || merged === undefined) {
    throw validationError('primaryObjectId and objectIdToMerge are required');
  }
  const survivor = request.state.store.merge(type, String(primary), String(merged));
  return { status: 200, body: objectJson(survivor, null) };
}

export const objectRoutes: RouteDefinition[] = [
  { method: 'GET', path: '/crm/v3/objects/{type}', authenticated: true, handler: list },
  {
    method: 'POST',
    path: '/crm/v3/objects/{type}',
    authenticated: true,
    handler: (request) => {
      const object = createOne(request, request.body, 'body');
      return { status: 201, body: objectJson(object, Object.keys(object.properties)) };
    },
  },
  { method: 'POST', path: '/crm/v3/objects/{type}/search', authenticated: true, handler: search },
  { method: 'POST', path: '/crm/v3/objects/{type}/merge', authenticated: true, handler: merge },
  { method: 'POST', path: '/crm/v3/objects/{type}/batch/read', authenticated: true, handler: batchRead },
  { method: 'POST', path: '/crm/v3/objects/{type}/batch/create', authenticated: true, handler: batchCreate },
  { method: 'POST', path: '/crm/v3/objects/{type}/batch/update', authenticated: true, handler: batchUpdate },
  {
    method: 'POST',
    path: '/crm/v3/objects/{type}/batch/archive',
    authenticated: true,
    handler: batchArchive,
  },
  { method: 'GET', path: '/crm/v3/objects/{type}/{id}', authenticated: true, handler: getOne },
  { method: 'PATCH', path: '/crm/v3/objects/{type}/{id}', authenticated: true, handler: update },
  { method: 'DELETE', path: '/crm/v3/objects/{type}/{id}', authenticated: true, handler: archiveOne },
];
