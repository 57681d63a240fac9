import { alwaysReturnedProperties, defaultReturnedProperties } from './default-properties';
import { validationError } from './errors';
import { defaultMalformedValues } from './faults';
import type { StoredObject } from './object-store';
import { type ObjectTypeName, resolveObjectType } from './object-types';
import type { HandlerRequest } from './router';

/** HubSpot's SimplePublicObject JSON and the request helpers the object routes share. */

export interface SimplePublicObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

export function objectJson(object: StoredObject, requested: readonly string[] | null): SimplePublicObject {
  const names = requested && requested.length > 0 ? requested : defaultReturnedProperties[object.type];
  const properties: Record<string, string | null> = {};
  for (const name of [...names, ...alwaysReturnedProperties])
    properties[name] = object.properties[name] ?? null;
  return {
    id: object.id,
    properties,
    createdAt: object.createdAt,
    updatedAt: object.updatedAt,
    archived: object.archived,
    ...(object.archivedAt ? { archivedAt: object.archivedAt } : {}),
  };
}

export function objectTypeParam(request: HandlerRequest, name = 'type'): ObjectTypeName {
  const raw = request.params[name]!;
  const type = resolveObjectType(raw);
  if (!type) throw validationError(`Unable to infer object type from: ${raw}`);
  return type;
}

/** `properties` arrives repeated (`?properties=a&properties=b`) or comma-separated. */
export function requestedProperties(values: unknown): string[] | null {
  const list = Array.isArray(values) ? values : typeof values === 'string' ? [values] : [];
  const names = list
    .flatMap((value) => String(value).split(','))
    .map((name) => name.trim())
    .filter(Boolean);
  return names.length > 0 ? names : null;
}

/** Applies a pending "malformed" fault to one record of a page, in place. */
export function injectMalformed(
  request: HandlerRequest,
  type: ObjectTypeName,
  results: SimplePublicObject[],
): void {
  if (results.length === 0) return;
  const fault = request.state.faults.takeMalformed(type, request.method, request.url.pathname);
  if (!fault) return;
  const target = results.find((result) => result.id === fault.recordId) ?? results[0]!;
  const values = fault.properties ?? defaultMalformedValues[type] ?? { hs_timestamp: 'not-a-date' };
  target.properties = { ...target.properties, ...values };
}

export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationError('The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** Batch bodies: `{ inputs: [...] }` with HubSpot's per-endpoint maximum. */
export function batchInputs(body: unknown, maximum: number, tooMany: (count: number) => Error): unknown[] {
  const inputs = bodyObject(body).inputs;
  if (!Array.isArray(inputs)) throw validationError('inputs is required and must be an array');
  if (inputs.length > maximum) throw tooMany(inputs.length);
  return inputs;
}

export function batchEnvelope(results: unknown[], startedAt: string, errors: unknown[] = []) {
  return {
    status: 'COMPLETE',
    results,
    startedAt,
    completedAt: new Date().toISOString(),
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
  };
}
