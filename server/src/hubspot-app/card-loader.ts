import { CompiledQuery, type Kysely } from 'kysely';

import type { Database } from '../db/schema';
import { cardHistorySince } from './card-data';

/**
 * Company cards read together: the cards asked for while earlier statements are in flight go to
 * PostgreSQL as one statement (`pulse_company_cards` over the arrays of their tenants, companies
 * and history starts, migration 014), not one statement each. A statement costs PostgreSQL its
 * protocol round, a transaction, a parse and a plan whatever it reads, and costs Node a query
 * through the pool; the batch is then read with one index walk per table. PostgreSQL CPU per card
 * (pgbench, 100k tenant): ~160 µs alone, ~110 µs calling the one-card function for each of a batch,
 * ~70-78 µs set-based. The PostgreSQL backends busy with cards at a time stay at `maxInFlight`,
 * fewer processes than the server's pool to share the cores with the server.
 *
 * A card asked for when fewer than `maxInFlight` statements are running is sent at once, alone: no
 * timer, no waiting for company. Each card is exactly what `loadCompanyCardJson` gives.
 */

export interface CardLoaderOptions {
  /** Statements running at once; the cards asked for meanwhile wait for the next free one. */
  maxInFlight: number;
  /** Cards per statement at most. */
  maxBatch: number;
}

/**
 * Two statements: one runs in PostgreSQL while the server writes out the cards of the other.
 * bench:card (50 concurrent, 2 cores, alternating runs on the same tenant): 2 in flight with up to
 * 32 cards served 5,100-7,700 cards/s against 2,400-4,500 with 1 in flight (batches of 64), where
 * PostgreSQL and the server wait for each other and one slow statement holds every card.
 */
export const defaultCardLoaderOptions: CardLoaderOptions = { maxInFlight: 2, maxBatch: 32 };

interface Pending {
  tenantId: string;
  companyId: string;
  since: string;
  resolve: (card: string | null) => void;
  reject: (error: unknown) => void;
}

/** `request` numbers the arrays' elements from 1: it says which request each card answers. */
const cardsCall = 'select request, card from pulse_company_cards($1::text[], $2::text[], $3::timestamptz[])';

export class CompanyCardLoader {
  private readonly queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: CardLoaderOptions = defaultCardLoaderOptions,
  ) {}

  /** The company's card as JSON text, or null when the company is not synced (or deleted) in the tenant. */
  load(tenantId: string, companyId: string, now: Date): Promise<string | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ tenantId, companyId, since: cardHistorySince(now), resolve, reject });
      if (this.inFlight < this.options.maxInFlight) this.send();
    });
  }

  private send(): void {
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.inFlight += 1;
    this.db
      .executeQuery<{ request: number | string; card: string | null }>(
        CompiledQuery.raw(cardsCall, [
          batch.map((pending) => pending.tenantId),
          batch.map((pending) => pending.companyId),
          batch.map((pending) => pending.since),
        ]),
      )
      .then(
        ({ rows }) => {
          const cards: (string | null)[] = new Array(batch.length).fill(null);
          for (const row of rows) cards[Number(row.request) - 1] = row.card;
          for (const [index, pending] of batch.entries()) pending.resolve(cards[index] ?? null);
        },
        (error: unknown) => {
          for (const pending of batch) pending.reject(error);
        },
      )
      .finally(() => {
        this.inFlight -= 1;
        if (this.queue.length > 0) this.send();
      });
  }
}

const loaderByDb = new WeakMap<Kysely<Database>, CompanyCardLoader>();

/** The database's card loader: one per database, so its statements in flight are counted together. */
export function companyCardLoader(db: Kysely<Database>): CompanyCardLoader {
  let loader = loaderByDb.get(db);
  if (!loader) {
    loader = new CompanyCardLoader(db);
    loaderByDb.set(db, loader);
  }
  return loader;
}
