import type { PGlite } from '@electric-sql/pglite';
import {
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from 'kysely';

/**
 * Kysely's PostgresDialect over an embedded PGlite. PGlite is one connection, so the pool hands it
 * out to one borrower at a time; a transaction holds it until release, and other queries wait.
 */
export function createPgliteDialect(pglite: PGlite): PostgresDialect {
  return new PostgresDialect({ pool: new PglitePool(pglite) });
}

class PglitePool implements PostgresPool {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly pglite: PGlite) {}

  async connect(): Promise<PostgresPoolClient> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.queue;
    this.queue = previous.then(() => released);
    await previous;
    const pglite = this.pglite;
    return {
      async query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
        const result = await pglite.query<R>(sql, parameters as unknown[]);
        return {
          command: commandOf(sql),
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows,
        };
      },
      release,
    } as unknown as PostgresPoolClient;
  }

  async end(): Promise<void> {
    await this.queue;
    await this.pglite.close();
  }
}

function commandOf(sql: string): PostgresQueryResult<unknown>['command'] {
  const word = sql.trimStart().slice(0, 6).toUpperCase();
  if (word.startsWith('INSERT')) return 'INSERT';
  if (word.startsWith('UPDATE')) return 'UPDATE';
  if (word.startsWith('DELETE')) return 'DELETE';
  if (word.startsWith('MERGE')) return 'MERGE';
  return 'SELECT';
}
