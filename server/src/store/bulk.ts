import { type Kysely, sql } from 'kysely';

import type { Database } from '../db/schema';

/**
 * Bulk writes as `insert … select * from unnest($1::text[], $2::int[], …)`: one array parameter per
 * column, so a statement carries any number of rows (no 65,535-parameter limit) and PostgreSQL
 * parses one plan instead of a 100k-tuple VALUES list. The fastest bulk path both PGlite and
 * node-postgres share without COPY.
 */
export interface BulkColumn {
  name: string;
  /** SQL element type of the array: 'text', 'int', 'float8', 'bool', 'date', 'timestamptz', 'jsonb'. */
  type: string;
}

export interface BulkInsertOptions {
  /**
   * Conflict target columns; with `update`, rows that exist are updated instead of rejected. `[]`
   * names no target: a row that conflicts with any unique index (partial ones included) is skipped.
   */
  conflict?: readonly string[];
  /** Columns to overwrite on conflict (default: every non-key column); `[]` means do nothing. */
  update?: readonly string[];
  /**
   * Columns compared on conflict: a row whose stored values of all of these equal the new ones
   * (`is not distinct from`) is left as it is (no new row version, no index or WAL write), even if
   * other updated columns (a timestamp) differ.
   */
  skipUnchanged?: readonly string[];
}

/** Insert column-oriented data: `values[i]` holds column i for every row (all arrays equally long). */
export async function bulkInsert(
  db: Kysely<Database>,
  table: string,
  columns: readonly BulkColumn[],
  values: readonly (readonly unknown[])[],
  options: BulkInsertOptions = {},
): Promise<void> {
  const rowCount = values[0]?.length ?? 0;
  if (rowCount === 0) return;
  const names = sql.join(columns.map((column) => sql.ref(column.name)));
  const arrays = sql.join(columns.map((column, index) => columnArray(values[index]!, column.type)));
  let conflict = sql``;
  if (options.conflict?.length === 0) {
    conflict = sql`on conflict do nothing`;
  } else if (options.conflict) {
    const target = sql.join(options.conflict.map((name) => sql.ref(name)));
    const update =
      options.update ??
      columns.map((column) => column.name).filter((name) => !options.conflict!.includes(name));
    const compared = options.skipUnchanged ?? [];
    const unless =
      compared.length === 0
        ? sql``
        : sql`where (${sql.join(compared.map((name) => sql.ref(`${table}.${name}`)))}) is distinct from (${sql.join(
            compared.map((name) => sql.ref(`excluded.${name}`)),
          )})`;
    conflict =
      update.length === 0
        ? sql`on conflict (${target}) do nothing`
        : sql`on conflict (${target}) do update set ${sql.join(
            update.map((name) => sql`${sql.ref(name)} = excluded.${sql.ref(name)}`),
          )} ${unless}`;
  }
  await sql`
    insert into ${sql.table(table)} (${names})
    select * from unnest(${arrays})
    ${conflict}
  `.execute(db);
}

/**
 * One column as an array expression. Text and JSON columns (kilobytes a row: explained results)
 * travel as their texts joined by the record separator U+001E, split by `string_to_array`: no
 * quoting pass in Node and no unquoting in PostgreSQL (5,000 results: 57 instead of 179 ms in
 * Node). JSON text cannot hold a raw control character, so the separator (and U+001F for NULL)
 * cannot collide; a column with a value that does hold one, or an empty one, falls back to the
 * quoted literal.
 */
function columnArray(values: readonly unknown[], type: string) {
  if (values.length > 1 && isConstant(values)) {
    // One value for every row (the tenant, the run's timestamp): sent once, not formatted per row.
    const value = values[0];
    const text =
      value === null || value === undefined
        ? null
        : typeof value === 'string'
          ? value
          : type === 'json' || type === 'jsonb'
            ? JSON.stringify(value)
            : textOf(value);
    return sql`array_fill(${text}::${sql.raw(type)}, array[${values.length}::int])`;
  }
  if (type === 'json' || type === 'jsonb' || type === 'text') {
    const texts = new Array<string>(values.length);
    let separable = true;
    for (let index = 0; index < values.length && separable; index++) {
      const value = values[index];
      if (value === null || value === undefined) {
        texts[index] = NULL_MARK;
        continue;
      }
      const text =
        typeof value === 'string' ? value : type === 'text' ? textOf(value) : JSON.stringify(value);
      if (text === '' || text.includes(SEPARATOR) || text.includes(NULL_MARK)) separable = false;
      texts[index] = text;
    }
    if (separable) {
      return sql`string_to_array(${texts.join(SEPARATOR)}::text, ${sql.raw(`E'\\x1e'`)}, ${sql.raw(`E'\\x1f'`)})::${sql.raw(type)}[]`;
    }
  }
  return sql`${arrayLiteral(values, type)}::${sql.raw(type)}[]`;
}

/** Every value the same (`===`, or both missing): a column filled with one value. */
function isConstant(values: readonly unknown[]): boolean {
  const first = values[0] ?? null;
  for (let index = 1; index < values.length; index++) {
    if ((values[index] ?? null) !== first) return false;
  }
  return true;
}

const SEPARATOR = '\u001e';
const NULL_MARK = '\u001f';

/** Turn rows (objects) into the column arrays `bulkInsert` takes. */
export function toColumns(
  rows: readonly Record<string, unknown>[],
  columns: readonly BulkColumn[],
): unknown[][] {
  const values = columns.map(() => new Array<unknown>(rows.length));
  for (let row = 0; row < rows.length; row++) {
    const source = rows[row]!;
    for (let column = 0; column < columns.length; column++) {
      values[column]![row] = source[columns[column]!.name] ?? null;
    }
  }
  return values;
}

/**
 * A PostgreSQL array literal (`{1,NULL,"a\\"b"}`). Built here because the drivers' generic array
 * serialisation is several times slower than the insert itself for 50k-element columns.
 */
export function arrayLiteral(values: readonly unknown[], type: string): string {
  const quoted = type !== 'int' && type !== 'float8' && type !== 'bool';
  const json = type === 'jsonb' || type === 'json';
  const parts = new Array<string>(values.length);
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (value === null || value === undefined) parts[index] = 'NULL';
    else if (!quoted) parts[index] = String(value);
    else if (json) {
      // Serialised JSON holds no raw control characters, so JSON string quoting (backslash before
      // " and \\) is exactly array-element quoting, and native.
      parts[index] = JSON.stringify(typeof value === 'string' ? value : JSON.stringify(value));
    } else {
      const text = textOf(value);
      parts[index] = `"${text.replace(/[\\"]/g, '\\$&')}"`;
    }
  }
  return `{${parts.join(',')}}`;
}

function textOf(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}
