import {
  buildCatalogue,
  findField,
  type SandboxCatalogue,
  type SandboxField,
  type SandboxObject,
} from './catalogue';
import type { ParsedSoql, SoqlCondition, SoqlLiteral } from './soql-parser';

/**
 * The sandbox org's data: sObject records in Salesforce's own JSON shapes (datetimes as
 * `2026-01-02T03:04:05.000+0000`, dates as `YYYY-MM-DD`), system fields kept by the store as the
 * platform keeps them (SystemModstamp on every write, IsClosed/IsWon derived from the stage), and
 * a recycle bin for getDeleted.
 */

export type SalesforceRecord = Record<string, unknown> & { Id: string };

/** A Salesforce-style error: thrown by the store, rendered by the server with its HTTP status. */
export class SandboxApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
  }
}

export function salesforceDateTime(instant: Date): string {
  return instant.toISOString().replace('Z', '+0000');
}

const closedStages = new Set(['Closed Won', 'Closed Lost']);
const closedCaseStatuses = new Set(['Closed']);

export class SandboxOrgStore {
  readonly catalogue: SandboxCatalogue;
  readonly orgId = '00D5g00000PULSE1AAA';
  private readonly records = new Map<string, Map<string, SalesforceRecord>>();
  private readonly recycleBin = new Map<string, { id: string; deletedDate: string }[]>();
  private readonly counters = new Map<string, number>();
  private lastStamp = 0;

  constructor(
    readonly now: () => Date,
    options: { pulseFields?: boolean; factorKeys?: readonly string[] } = {},
  ) {
    this.catalogue = buildCatalogue({
      pulseFields: options.pulseFields ?? true,
      factorKeys: options.factorKeys,
    });
  }

  object(name: string): SandboxObject {
    for (const [key, object] of this.catalogue) if (key.toLowerCase() === name.toLowerCase()) return object;
    throw new SandboxApiError(
      404,
      'NOT_FOUND',
      `The requested resource does not exist: sObject type '${name}' is not supported.`,
    );
  }

  private table(objectName: string): Map<string, SalesforceRecord> {
    const name = this.object(objectName).name;
    let table = this.records.get(name);
    if (!table) {
      table = new Map();
      this.records.set(name, table);
    }
    return table;
  }

  /** Modstamps strictly increase, as in a real org where two saves never share a millisecond order. */
  private stamp(at?: Date): string {
    const candidate = (at ?? this.now()).getTime();
    const next = at ? candidate : Math.max(candidate, this.lastStamp + 1);
    if (!at) this.lastStamp = next;
    return salesforceDateTime(new Date(next));
  }

  private newId(object: SandboxObject): string {
    const count = (this.counters.get(object.name) ?? 0) + 1;
    this.counters.set(object.name, count);
    return `${object.keyPrefix}5g${count.toString(36).toUpperCase().padStart(13, '0')}`;
  }

  private checkValues(object: SandboxObject, values: Record<string, unknown>, creating: boolean) {
    const clean: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(values)) {
      if (name === 'attributes') continue;
      const definition = findField(object, name);
      if (!definition) {
        throw new SandboxApiError(
          400,
          'INVALID_FIELD',
          `No such column '${name}' on sobject of type ${object.name}`,
          [name],
        );
      }
      if (!definition.updateable && !(creating && definition.type === 'reference')) {
        throw new SandboxApiError(
          400,
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${definition.name}. Please check the security settings of this field.`,
          [definition.name],
        );
      }
      checkType(object, definition, value);
      clean[definition.name] =
        definition.type === 'datetime' && value !== null
          ? salesforceDateTime(new Date(String(value)))
          : value;
    }
    return clean;
  }

  private derive(object: SandboxObject, record: SalesforceRecord): void {
    if (object.name === 'Opportunity') {
      const stage = String(record.StageName ?? '');
      record.IsClosed = closedStages.has(stage);
      record.IsWon = stage === 'Closed Won';
    }
    if (object.name === 'Case') {
      const closed = closedCaseStatuses.has(String(record.Status ?? ''));
      if (closed && !record.IsClosed) record.ClosedDate = record.ClosedDate ?? record.SystemModstamp;
      if (!closed) record.ClosedDate = null;
      record.IsClosed = closed;
    }
    if (object.name === 'Contact') {
      record.Name = [record.FirstName, record.LastName].filter(Boolean).join(' ');
    }
    if (object.name === 'Task' || object.name === 'Event') {
      const whatId = typeof record.WhatId === 'string' ? record.WhatId : null;
      record.AccountId = whatId?.startsWith('001') ? whatId : null;
      if (object.name === 'Task' && record.Status === 'Completed' && !record.CompletedDateTime) {
        record.CompletedDateTime = record.SystemModstamp;
      }
    }
    if (object.name === 'OpportunityLineItem') {
      const entry = this.get('PricebookEntry', String(record.PricebookEntryId));
      if (!entry)
        throw new SandboxApiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [
          'PricebookEntryId',
        ]);
      record.Product2Id = entry.Product2Id;
      record.UnitPrice = record.UnitPrice ?? entry.UnitPrice;
      record.TotalPrice = Number(record.UnitPrice) * Number(record.Quantity ?? 1);
    }
  }

  get(objectName: string, id: string): SalesforceRecord | undefined {
    return this.table(objectName).get(id);
  }

  all(objectName: string): SalesforceRecord[] {
    return [...this.table(objectName).values()];
  }

  /** Creates a record. `system` lets seeding set read-only fields (CreatedDate, CompletedDateTime...). */
  insert(objectName: string, values: Record<string, unknown>, system: Record<string, unknown> = {}): string {
    const object = this.object(objectName);
    const clean = this.checkValues(object, values, true);
    const stamp = this.stamp(system.SystemModstamp ? new Date(String(system.SystemModstamp)) : undefined);
    const record: SalesforceRecord = {
      ...Object.fromEntries(object.fields.map((definition) => [definition.name, null])),
      ...clean,
      Id: this.newId(object),
      CreatedDate: stamp,
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
      IsDeleted: false,
      ...Object.fromEntries(
        Object.entries(system).map(([name, value]) => [
          name,
          findField(object, name)?.type === 'datetime' && typeof value === 'string'
            ? salesforceDateTime(new Date(value))
            : value,
        ]),
      ),
    };
    this.derive(object, record);
    this.table(object.name).set(record.Id, record);
    return record.Id;
  }

  update(objectName: string, id: string, values: Record<string, unknown>): void {
    const object = this.object(objectName);
    const record = this.table(object.name).get(id);
    if (!record) throw this.missing(object, id);
    const clean = this.checkValues(object, values, false);
    Object.assign(record, clean);
    const stamp = this.stamp();
    record.LastModifiedDate = stamp;
    record.SystemModstamp = stamp;
    this.derive(object, record);
  }

  delete(objectName: string, id: string): void {
    const object = this.object(objectName);
    const table = this.table(object.name);
    if (!table.delete(id)) throw this.missing(object, id);
    const bin = this.recycleBin.get(object.name) ?? [];
    bin.push({ id, deletedDate: this.stamp() });
    this.recycleBin.set(object.name, bin);
  }

  missing(object: SandboxObject, id: string): SandboxApiError {
    const deleted = this.recycleBin.get(object.name)?.some((entry) => entry.id === id);
    return deleted
      ? new SandboxApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted', [])
      : new SandboxApiError(
          404,
          'NOT_FOUND',
          `Provided external ID field does not exist or is not accessible: ${id}`,
        );
  }

  deletedBetween(objectName: string, start: Date, end: Date) {
    const object = this.object(objectName);
    return (this.recycleBin.get(object.name) ?? []).filter((entry) => {
      const at = new Date(entry.deletedDate).getTime();
      return at >= start.getTime() && at <= end.getTime();
    });
  }

  /** Runs a parsed query and returns records shaped as the REST API returns them. */
  query(parsed: ParsedSoql, apiVersion: string): Record<string, unknown>[] {
    const object = this.object(parsed.object);
    const selected = parsed.fields.map((path) => this.resolvePath(object, path));
    const conditions = parsed.where.map((condition) => ({
      condition,
      field: this.filterField(object, condition),
    }));
    let rows = this.all(object.name).filter((record) =>
      conditions.every(({ condition, field }) => matches(record[field.name], field, condition)),
    );
    if (parsed.orderBy.length > 0) {
      const orders = parsed.orderBy.map((order) => ({
        ...order,
        field: this.filterField(object, { field: order.field }),
      }));
      rows = rows.sort((left, right) => {
        for (const order of orders) {
          const comparison = compareValues(left[order.field.name], right[order.field.name], order.field);
          if (comparison !== 0) return order.descending ? -comparison : comparison;
        }
        return 0;
      });
    }
    if (parsed.limit !== null) rows = rows.slice(0, parsed.limit);
    return rows.map((record) => {
      const output: Record<string, unknown> = {
        attributes: {
          type: object.name,
          url: `/services/data/v${apiVersion}/sobjects/${object.name}/${record.Id}`,
        },
      };
      for (const path of selected) {
        if (!path.relationship) {
          output[path.field.name] = record[path.field.name] ?? null;
          continue;
        }
        const parentId = record[path.field.name];
        const parent =
          typeof parentId === 'string' ? this.get(path.relationship.target.name, parentId) : undefined;
        if (!parent) {
          output[path.relationship.name] = null;
          continue;
        }
        output[path.relationship.name] ??= {
          attributes: {
            type: path.relationship.target.name,
            url: `/services/data/v${apiVersion}/sobjects/${path.relationship.target.name}/${parent.Id}`,
          },
        };
        const nested = output[path.relationship.name] as Record<string, unknown>;
        nested[path.relationship.targetField.name] = parent[path.relationship.targetField.name] ?? null;
      }
      return output;
    });
  }

  private filterField(object: SandboxObject, condition: { field: string }): SandboxField {
    const definition = findField(object, condition.field);
    if (!definition) {
      throw new SandboxApiError(
        400,
        'INVALID_FIELD',
        `No such column '${condition.field}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`,
      );
    }
    return definition;
  }

  private resolvePath(object: SandboxObject, path: string) {
    const [head, tail, ...more] = path.split('.');
    if (!tail) return { field: this.filterField(object, { field: path }), relationship: null };
    const link = object.fields.find(
      (candidate) => candidate.relationshipName?.toLowerCase() === head!.toLowerCase(),
    );
    if (!link?.referenceTo || more.length > 0) {
      throw new SandboxApiError(
        400,
        'INVALID_FIELD',
        `Didn't understand relationship '${head}' in field path.`,
      );
    }
    const target = this.object(link.referenceTo);
    return {
      field: link,
      relationship: {
        name: link.relationshipName!,
        target,
        targetField: this.filterField(target, { field: tail }),
      },
    };
  }
}

function checkType(object: SandboxObject, definition: SandboxField, value: unknown): void {
  if (value === null) return;
  const numeric = ['double', 'currency', 'percent', 'int'].includes(definition.type);
  const ok = numeric
    ? typeof value === 'number' && Number.isFinite(value)
    : definition.type === 'boolean'
      ? typeof value === 'boolean'
      : definition.type === 'date'
        ? typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
        : definition.type === 'datetime'
          ? typeof value === 'string' && !Number.isNaN(Date.parse(value))
          : typeof value === 'string';
  if (!ok) {
    throw new SandboxApiError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of ${definition.type} from ${JSON.stringify(value)} for ${object.name}.${definition.name}`,
      [definition.name],
    );
  }
}

function typeError(field: SandboxField, expected: string): SandboxApiError {
  return new SandboxApiError(
    400,
    'INVALID_FIELD',
    `value of filter criterion for field '${field.name}' must be of type ${expected} and should not be enclosed in quotes`,
  );
}

/** Converts a literal to the comparable form of the field, refusing mismatches as Salesforce does. */
function comparable(field: SandboxField, literal: SoqlLiteral): unknown {
  if (literal.kind === 'null') return null;
  switch (field.type) {
    case 'datetime':
      if (literal.kind !== 'datetime') throw typeError(field, 'dateTime');
      return literal.value.getTime();
    case 'date':
      if (literal.kind !== 'date') throw typeError(field, 'date');
      return literal.value;
    case 'boolean':
      if (literal.kind !== 'boolean') throw typeError(field, 'boolean');
      return literal.value;
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      if (literal.kind !== 'number') throw typeError(field, 'double');
      return literal.value;
    default:
      if (literal.kind !== 'string') {
        throw new SandboxApiError(
          400,
          'INVALID_FIELD',
          `value of filter criterion for field '${field.name}' must be a string`,
        );
      }
      return literal.value;
  }
}

function normalise(value: unknown, field: SandboxField): unknown {
  if (value === null || value === undefined) return null;
  if (field.type === 'datetime') return Date.parse(String(value));
  if (['string', 'textarea', 'picklist', 'email', 'url'].includes(field.type))
    return String(value).toLowerCase();
  return value;
}

function compareValues(left: unknown, right: unknown, field: SandboxField): number {
  const a = normalise(left, field);
  const b = normalise(right, field);
  if (a === b) return 0;
  // Salesforce sorts nulls first in ascending order.
  if (a === null) return -1;
  if (b === null) return 1;
  return (a as number | string) < (b as number | string) ? -1 : 1;
}

function matches(value: unknown, field: SandboxField, condition: SoqlCondition): boolean {
  const actual = normalise(value, field);
  const literalValue = (literal: SoqlLiteral) => {
    const converted = comparable(field, literal);
    return typeof converted === 'string' && field.type !== 'id' && field.type !== 'reference'
      ? converted.toLowerCase()
      : converted;
  };
  if (condition.operator === 'IN' || condition.operator === 'NOT IN') {
    const found = condition.values.map(literalValue).includes(actual);
    return condition.operator === 'IN' ? found : !found;
  }
  const expected = literalValue((condition as Extract<SoqlCondition, { value: SoqlLiteral }>).value);
  switch (condition.operator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    default: {
      if (actual === null || expected === null) return false;
      const a = actual as number | string;
      const b = expected as number | string;
      if (condition.operator === '<') return a < b;
      if (condition.operator === '<=') return a <= b;
      if (condition.operator === '>') return a > b;
      return a >= b;
    }
  }
}
