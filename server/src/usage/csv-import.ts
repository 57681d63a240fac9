import { PassThrough, type Readable } from 'node:stream';
import type { RejectedRow } from '@pulse/shared/api/usage';
import { type CsvError, parse } from 'csv-parse';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import { AccountResolver, type CandidateRow, ingestUsageRows } from './ingest';

/**
 * `pulse usage import FILE.csv`: the same rows as `POST /api/v1/usage`, one per line, streamed so
 * a file of millions of lines never sits in memory. Columns are named as the JSON fields (case,
 * `_`, `-` and spaces ignored: `active_users` works); custom metrics are `metric.<name>` columns.
 */

const fieldsByColumn = new Map(
  [
    'domain',
    'accountId',
    'day',
    'activeUsers',
    'licensedSeats',
    'logins',
    'featuresAdopted',
    'featuresAvailable',
    'apiCalls',
    'integrationCalls',
    'integrationFailures',
  ].map((field) => [simplify(field), field]),
);
const numericFields = new Set(
  [...fieldsByColumn.values()].filter((field) => !['domain', 'accountId', 'day'].includes(field)),
);
const METRIC_PREFIX = /^metrics?[.:](.+)$/i;

function simplify(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

export class CsvImportError extends Error {
  override name = 'CsvImportError';
}

type Column = { field: string } | { metric: string };

/** Maps the header to fields; every unknown or missing column is named in one error. */
export function readHeader(header: readonly string[]): Column[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const columns = header.map((raw): Column => {
    const name = raw.trim().replace(/^\uFEFF/, '');
    const metric = METRIC_PREFIX.exec(name)?.[1]?.trim();
    const column: Column | null = metric
      ? { metric }
      : fieldsByColumn.has(simplify(name))
        ? { field: fieldsByColumn.get(simplify(name))! }
        : null;
    if (!column) {
      problems.push(`unknown column "${name}" (custom metrics are named metric.<name>)`);
      return { field: '' };
    }
    const key = 'field' in column ? column.field : `metric.${column.metric}`;
    if (seen.has(key)) problems.push(`column "${name}" appears twice`);
    seen.add(key);
    return column;
  });
  if (!seen.has('day')) problems.push('missing column "day"');
  if (!seen.has('activeUsers')) problems.push('missing column "activeUsers"');
  if (!seen.has('domain') && !seen.has('accountId')) problems.push('missing column "domain" or "accountId"');
  if (problems.length > 0) throw new CsvImportError(`Invalid CSV header: ${problems.join('; ')}`);
  return columns;
}

/** A number-looking cell becomes a number; anything else stays text so validation names it. */
function cellValue(field: string, cell: string): unknown {
  if (!numericFields.has(field)) return cell;
  return /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
}

export function rowFromCells(columns: readonly Column[], cells: readonly string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  const metrics: Record<string, unknown> = {};
  columns.forEach((column, index) => {
    const cell = cells[index]?.trim() ?? '';
    // An empty cell is an omitted value: a file can carry both key columns and fill one per line.
    if (cell === '') return;
    if ('metric' in column) metrics[column.metric] = /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
    else row[column.field] = cellValue(column.field, cell);
  });
  if (Object.keys(metrics).length > 0) row.metrics = metrics;
  return row;
}

export interface CsvImportProgress {
  bytesRead: number;
  rows: number;
  accepted: number;
  rejected: number;
}

export interface CsvImportResult {
  rows: number;
  accepted: number;
  rejected: RejectedRow[];
  accountsQueued: number;
}

export async function importUsageCsv(
  db: Kysely<Database>,
  tenantId: string,
  input: Readable,
  options: { now: Date; batchSize?: number; onProgress?: (progress: CsvImportProgress) => void },
): Promise<CsvImportResult> {
  const batchSize = options.batchSize ?? 5_000;
  const progress: CsvImportProgress = { bytesRead: 0, rows: 0, accepted: 0, rejected: 0 };
  const rejected: RejectedRow[] = [];
  const accounts = new Set<string>();
  const resolver = new AccountResolver(db, tenantId);
  const counter = new PassThrough();
  counter.on('data', (chunk: Buffer) => {
    progress.bytesRead += chunk.length;
  });
  input.on('error', (error) => counter.destroy(error));
  const parser = input.pipe(counter).pipe(
    parse({
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined) => {
        if (!error) return;
        progress.rows += 1;
        const line = typeof error.lines === 'number' ? error.lines : progress.rows + 2;
        rejected.push({ row: line, reason: `malformed CSV: ${error.message}` });
      },
    }),
  );

  let columns: Column[] | null = null;
  let batch: CandidateRow[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const outcome = await ingestUsageRows(db, tenantId, batch, options.now, resolver);
    batch = [];
    for (const id of outcome.accountIds) accounts.add(id);
    rejected.push(...outcome.rejected);
    progress.accepted += outcome.accepted;
    progress.rejected = rejected.length;
    options.onProgress?.({ ...progress });
  };

  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    if (!columns) {
      columns = readHeader(record);
      continue;
    }
    progress.rows += 1;
    if (record.length !== columns.length) {
      rejected.push({
        row: info.lines,
        reason: `expected ${columns.length} columns as in the header, found ${record.length}`,
      });
      continue;
    }
    batch.push({ row: info.lines, value: rowFromCells(columns, record) });
    if (batch.length >= batchSize) await flush();
  }
  if (!columns) throw new CsvImportError('The file is empty: expected a header line and rows');
  await flush();
  rejected.sort((left, right) => left.row - right.row);
  return { rows: progress.rows, accepted: progress.accepted, rejected, accountsQueued: accounts.size };
}
