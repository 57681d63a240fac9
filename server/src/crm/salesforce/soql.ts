/**
 * A small SOQL builder: values are always rendered through `literal`, never pasted into the text,
 * so a name like `O'Brien' OR Name != '` stays a string.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm
 */

export type SoqlValue = string | number | boolean | null | Date | SoqlDateTime;

/** A value rendered as a SOQL datetime literal (unquoted ISO instant). */
export class SoqlDateTime {
  constructor(readonly instant: Date) {}
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

export function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`Not a SOQL field or object name: ${JSON.stringify(name)}`);
  return name;
}

export function escapeString(value: string): string {
  return value.replace(/[\\'"\n\r\t\b\f]/g, (character) => {
    switch (character) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\b':
        return '\\b';
      case '\f':
        return '\\f';
      default:
        return `\\${character}`;
    }
  });
}

/** Salesforce datetimes have second precision in SOQL filters; flooring keeps `>=` inclusive. */
export function dateTimeLiteral(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new Error('Invalid date in SOQL filter');
  return `${instant.toISOString().slice(0, 19)}Z`;
}

export function literal(value: SoqlValue): string {
  if (value === null) return 'null';
  if (value instanceof SoqlDateTime) return dateTimeLiteral(value.instant);
  if (value instanceof Date) return dateTimeLiteral(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('Non-finite number in SOQL filter');
    return String(value);
  }
  return `'${escapeString(value)}'`;
}

type Condition =
  | { field: string; operator: '=' | '!=' | '>=' | '<=' | '>' | '<'; value: SoqlValue }
  | {
      field: string;
      operator: 'IN';
      values: SoqlValue[];
    };

export interface SoqlQuery {
  select: readonly string[];
  from: string;
  where?: Condition[];
  orderBy?: { field: string; direction?: 'ASC' | 'DESC' }[];
  limit?: number;
}

export function renderCondition(condition: Condition): string {
  const field = identifier(condition.field);
  if (condition.operator === 'IN') {
    if (condition.values.length === 0) throw new Error(`Empty IN list for ${field}`);
    return `${field} IN (${condition.values.map(literal).join(', ')})`;
  }
  return `${field} ${condition.operator} ${literal(condition.value)}`;
}

export function buildSoql(query: SoqlQuery): string {
  if (query.select.length === 0) throw new Error('A SOQL query needs at least one field');
  let text = `SELECT ${query.select.map(identifier).join(', ')} FROM ${identifier(query.from)}`;
  if (query.where && query.where.length > 0) {
    text += ` WHERE ${query.where.map(renderCondition).join(' AND ')}`;
  }
  if (query.orderBy && query.orderBy.length > 0) {
    text += ` ORDER BY ${query.orderBy.map((order) => `${identifier(order.field)} ${order.direction ?? 'ASC'}`).join(', ')}`;
  }
  if (query.limit !== undefined) {
    if (!Number.isInteger(query.limit) || query.limit < 1)
      throw new Error('SOQL LIMIT must be a positive integer');
    text += ` LIMIT ${query.limit}`;
  }
  return text;
}
