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
  /** Conflict target columns; with `update`, rows that exist are updated instead of rejected. */
  conflict?: readonly string[];
  /** Columns to overwrite on conflict (default: every non-key column); `[]` means do nothing. */
  update?: readonly string[];
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
  const arrays = sql.join(
    columns.map((column, index) => sql`${sql.val(values[index])}::${sql.raw(column.type)}[]`),
  );
  let conflict = sql``;
  if (options.conflict) {
    const target = sql.join(options.conflict.map((name) => sql.ref(name)));
    const update =
      options.update ??
      columns.map((column) => column.name).filter((name) => !options.conflict!.includes(name));
    conflict =
      update.length === 0
        ? sql`on conflict (${target}) do nothing`
        : sql`on conflict (${target}) do update set ${sql.join(
            update.map((name) => sql`${sql.ref(name)} = excluded.${sql.ref(name)}`),
          )}`;
  }
  await sql`
    insert into ${sql.table(table)} (${names})
    select * from unnest(${arrays})
    ${conflict}
  `.execute(db);
}

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
