import { validationError } from './errors';
import type { ObjectStore, StoredObject } from './object-store';
import type { ObjectTypeName } from './object-types';
import type { PropertyDefinition } from './property-registry';
import { comparableNumber } from './property-values';

/**
 * CRM search: filterGroups (OR of ANDed filters), sorts, `after` offsets and HubSpot's limits.
 * https://developers.hubspot.com/docs/api/crm/search#limitations
 */
export const searchLimits = {
  maxPageSize: 200,
  /** Any query pages at most this deep; `after` at or beyond it is a 400. */
  maxResults: 10_000,
  maxFilterGroups: 5,
  maxFiltersPerGroup: 6,
  maxFilters: 18,
} as const;

const operators = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
type Operator = (typeof operators)[number];

interface Filter {
  propertyName: string;
  operator: Operator;
  value?: string;
  highValue?: string;
  values?: string[];
}

interface Sort {
  propertyName: string;
  direction: 'ASCENDING' | 'DESCENDING';
}

export interface SearchRequest {
  filterGroups: Filter[][];
  sorts: Sort[];
  query: string | null;
  limit: number;
  after: number;
  properties: string[] | null;
}

function asString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return String(value);
}

export function parseSearchRequest(body: unknown): SearchRequest {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const limit = input.limit === undefined ? 10 : Number(input.limit);
  if (!Number.isInteger(limit) || limit < 0) throw validationError('limit must be a non-negative integer');
  if (limit > searchLimits.maxPageSize) {
    throw validationError(`limit must be at most ${searchLimits.maxPageSize}, got ${limit}`);
  }
  const after =
    input.after === undefined || input.after === null || input.after === '' ? 0 : Number(input.after);
  if (!Number.isInteger(after) || after < 0)
    throw validationError(`after '${String(input.after)}' is not a valid offset`);
  if (after >= searchLimits.maxResults) {
    throw validationError(
      `Cannot page beyond ${searchLimits.maxResults} results: the search API returns at most ${searchLimits.maxResults} results for any query (after=${after}).`,
    );
  }
  const groups = Array.isArray(input.filterGroups) ? input.filterGroups : [];
  if (groups.length > searchLimits.maxFilterGroups) {
    throw validationError(
      `Too many filterGroups: ${groups.length} (maximum is ${searchLimits.maxFilterGroups})`,
    );
  }
  let filterCount = 0;
  const filterGroups = groups.map((group, groupIndex) => {
    const filters = Array.isArray((group as { filters?: unknown }).filters)
      ? (group as { filters: unknown[] }).filters
      : [];
    if (filters.length > searchLimits.maxFiltersPerGroup) {
      throw validationError(`filterGroups[${groupIndex}] has ${filters.length} filters (maximum is 6)`);
    }
    filterCount += filters.length;
    return filters.map((raw, filterIndex) =>
      parseFilter(raw, `filterGroups[${groupIndex}].filters[${filterIndex}]`),
    );
  });
  if (filterCount > searchLimits.maxFilters) {
    throw validationError(`Too many filters: ${filterCount} (maximum is ${searchLimits.maxFilters})`);
  }
  const sorts = (Array.isArray(input.sorts) ? input.sorts : []).map(parseSort);
  const properties = Array.isArray(input.properties) ? input.properties.map(String) : null;
  const query =
    typeof input.query === 'string' && input.query.trim() !== '' ? input.query.trim().toLowerCase() : null;
  return { filterGroups, sorts, query, limit, after, properties };
}

function parseFilter(raw: unknown, path: string): Filter {
  const filter = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (typeof filter.propertyName !== 'string' || filter.propertyName === '') {
    throw validationError(`${path}.propertyName is required`);
  }
  const operator = String(filter.operator ?? 'EQ') as Operator;
  if (!operators.includes(operator))
    throw validationError(`${path}.operator '${operator}' is not a supported operator`);
  const values = Array.isArray(filter.values) ? filter.values.map(String) : undefined;
  if ((operator === 'IN' || operator === 'NOT_IN') && !values)
    throw validationError(`${path}.values is required for ${operator}`);
  const needsValue = !['IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY'].includes(operator);
  if (needsValue && asString(filter.value) === undefined)
    throw validationError(`${path}.value is required for ${operator}`);
  if (operator === 'BETWEEN' && asString(filter.highValue) === undefined) {
    throw validationError(`${path}.highValue is required for BETWEEN`);
  }
  return {
    propertyName: filter.propertyName,
    operator,
    value: asString(filter.value),
    highValue: asString(filter.highValue),
    values,
  };
}

/** Sorts arrive as `{propertyName, direction}` objects or as strings (`"-createdate"`). */
function parseSort(raw: unknown): Sort {
  if (typeof raw === 'string') {
    return raw.startsWith('-')
      ? { propertyName: raw.slice(1), direction: 'DESCENDING' }
      : { propertyName: raw, direction: 'ASCENDING' };
  }
  const sort = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (typeof sort.propertyName !== 'string') throw validationError('sorts[].propertyName is required');
  return {
    propertyName: sort.propertyName,
    direction: sort.direction === 'DESCENDING' ? 'DESCENDING' : 'ASCENDING',
  };
}

function compare(property: PropertyDefinition | undefined, left: string, right: string): number {
  const leftNumber = comparableNumber(property, left);
  const rightNumber = comparableNumber(property, right);
  if (leftNumber !== null && rightNumber !== null) return leftNumber - rightNumber;
  return left.toLowerCase() < right.toLowerCase() ? -1 : left.toLowerCase() > right.toLowerCase() ? 1 : 0;
}

function matches(store: ObjectStore, type: ObjectTypeName, object: StoredObject, filter: Filter): boolean {
  const property = store.registry.get(type, filter.propertyName);
  const actual = object.properties[filter.propertyName];
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return actual !== undefined;
    case 'NOT_HAS_PROPERTY':
      return actual === undefined;
    case 'IN':
      return actual !== undefined && filter.values!.some((value) => compare(property, actual, value) === 0);
    case 'NOT_IN':
      return actual === undefined || filter.values!.every((value) => compare(property, actual, value) !== 0);
    case 'NEQ':
      return actual === undefined || compare(property, actual, filter.value!) !== 0;
    case 'CONTAINS_TOKEN':
      return actual?.toLowerCase().includes(filter.value!.replaceAll('*', '').toLowerCase()) === true;
    case 'NOT_CONTAINS_TOKEN':
      return (
        actual === undefined ||
        !actual.toLowerCase().includes(filter.value!.replaceAll('*', '').toLowerCase())
      );
    default:
      break;
  }
  if (actual === undefined) return false;
  const order = compare(property, actual, filter.value!);
  switch (filter.operator) {
    case 'EQ':
      return order === 0;
    case 'LT':
      return order < 0;
    case 'LTE':
      return order <= 0;
    case 'GT':
      return order > 0;
    case 'GTE':
      return order >= 0;
    case 'BETWEEN':
      return order >= 0 && compare(property, actual, filter.highValue!) <= 0;
    default:
      return false;
  }
}

type SortKey = number | string | undefined;

/** Sorts in place. Keys are computed once per object (numbers for numeric and date properties),
 * not once per comparison: sorting 100k tickets by hs_lastmodifieddate stays in milliseconds. */
function sortResults(store: ObjectStore, type: ObjectTypeName, sorts: Sort[], results: StoredObject[]): void {
  // The incremental sync's sort: compare the stored numbers directly, no key arrays.
  if (sorts.length === 1 && modifiedProperties.has(sorts[0]!.propertyName)) {
    const sign = sorts[0]!.direction === 'ASCENDING' ? 1 : -1;
    results.sort(
      (left, right) => sign * (left.updatedMs - right.updatedMs) || left.numericId - right.numericId,
    );
    return;
  }
  const keyed = results.map((object) => ({
    object,
    keys: sorts.map((sort): SortKey => {
      if (modifiedProperties.has(sort.propertyName)) return object.updatedMs;
      const value = object.properties[sort.propertyName];
      if (value === undefined) return undefined;
      return comparableNumber(store.registry.get(type, sort.propertyName), value) ?? value.toLowerCase();
    }),
  }));
  keyed.sort((left, right) => {
    for (const [index, sort] of sorts.entries()) {
      const leftKey = left.keys[index];
      const rightKey = right.keys[index];
      if (leftKey === rightKey) continue;
      // Objects without the property sort last either way.
      if (leftKey === undefined) return 1;
      if (rightKey === undefined) return -1;
      const order =
        typeof leftKey === 'number' && typeof rightKey === 'number'
          ? leftKey - rightKey
          : String(leftKey) < String(rightKey)
            ? -1
            : 1;
      return sort.direction === 'ASCENDING' ? order : -order;
    }
    return left.object.numericId - right.object.numericId;
  });
  keyed.forEach((entry, index) => {
    results[index] = entry.object;
  });
}

const rangeOperators = new Set<Operator>(['EQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN']);
const modifiedProperties = new Set(['hs_lastmodifieddate', 'lastmodifieddate']);

/** A filter as a predicate. Range filters on hs_lastmodifieddate (every incremental sync's query)
 * compare the stored millisecond timestamp instead of parsing each object's ISO string. */
function compile(
  store: ObjectStore,
  type: ObjectTypeName,
  filter: Filter,
): (object: StoredObject) => boolean {
  const property = store.registry.get(type, filter.propertyName);
  if (modifiedProperties.has(filter.propertyName) && rangeOperators.has(filter.operator)) {
    const low = comparableNumber(property, filter.value!);
    const high = filter.highValue === undefined ? null : comparableNumber(property, filter.highValue);
    if (low !== null && (filter.operator !== 'BETWEEN' || high !== null)) {
      switch (filter.operator) {
        case 'EQ':
          return (object) => object.updatedMs === low;
        case 'LT':
          return (object) => object.updatedMs < low;
        case 'LTE':
          return (object) => object.updatedMs <= low;
        case 'GT':
          return (object) => object.updatedMs > low;
        case 'GTE':
          return (object) => object.updatedMs >= low;
        default:
          return (object) => object.updatedMs >= low && object.updatedMs <= high!;
      }
    }
  }
  return (object) => matches(store, type, object, filter);
}

/** Matching objects in result order. Cached per store version, so paging a query is a slice. */
export class SearchEngine {
  private readonly cache = new Map<
    ObjectTypeName,
    { version: number; results: Map<string, StoredObject[]> }
  >();

  constructor(private readonly store: ObjectStore) {}

  run(type: ObjectTypeName, request: SearchRequest): StoredObject[] {
    const version = this.store.versionOf(type);
    let entry = this.cache.get(type);
    if (!entry || entry.version !== version) {
      entry = { version, results: new Map() };
      this.cache.set(type, entry);
    }
    const key = JSON.stringify([request.filterGroups, request.sorts, request.query]);
    const cached = entry.results.get(key);
    if (cached) return cached;
    const groups = request.filterGroups.map((filters) =>
      filters.map((filter) => compile(this.store, type, filter)),
    );
    const results: StoredObject[] = [];
    for (const object of this.store.objectsOf(type)) {
      if (object.archived || object.mergedInto) continue;
      if (
        request.query &&
        !Object.values(object.properties).some((value) => value.toLowerCase().includes(request.query!))
      ) {
        continue;
      }
      if (
        groups.length > 0 &&
        !groups.some((predicates) => predicates.every((predicate) => predicate(object)))
      ) {
        continue;
      }
      results.push(object);
    }
    if (request.sorts.length > 0) sortResults(this.store, type, request.sorts, results);
    if (entry.results.size > 50) entry.results.clear();
    entry.results.set(key, results);
    return results;
  }
}
