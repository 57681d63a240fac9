import { availableParallelism } from 'node:os';
import { CompiledQuery, type Kysely } from 'kysely';

import type { Database } from '../db/schema';
import { cardHistorySince } from './card-data';

/**
 * Company cards read together: the cards asked for while earlier statements are in flight go to
 * PostgreSQL as one statement (`pulse_company_card` over the arrays of their tenants, companies and
 * history starts), not one statement each. A statement costs PostgreSQL its protocol round, a
 * transaction, a parse and a plan whatever it reads, and costs Node a query through the pool: ~70 µs
 * of PostgreSQL CPU per card less in batches of 10 (pgbench on the 100k tenant: ~160 µs per card
 * alone, ~90 µs batched), and the PostgreSQL backends busy at a time stay at `maxInFlight`, fewer
 * processes than the server's pool to share the cores with the server.
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
 * PostgreSQL gets at most half the machine's cores for cards, so the server (one thread), which
 * writes out every card, is not descheduled behind backends: on 2 cores, one statement at a time.
 * bench:card (50 concurrent, 2 cores), alternating runs: 1 in flight with up to 64 cards gave the
 * lowest CPU per card and p99 of the combinations tried (2 or 3 in flight, batches of 8 to 32).
 */
export const defaultCardLoaderOptions: CardLoaderOptions = {
  maxInFlight: Math.max(1, Math.floor(availableParallelism() / 2)),
  maxBatch: 64,
};

interface Pending {
  tenantId: string;
  companyId: string;
  since: string;
  resolve: (card: string | null) => void;
  reject: (error: unknown) => void;
}

/** `ordinality` numbers the arrays' elements from 1: it says which request each card answers. */
const cardsCall =
  'select c.ordinality as position, pulse_company_card(c.tenant, c.account, c.since) as card ' +
  'from unnest($1::text[], $2::text[], $3::timestamptz[]) with ordinality as c(tenant, account, since, ordinality)';

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
      .executeQuery<{ position: number | string; card: string | null }>(
        CompiledQuery.raw(cardsCall, [
          batch.map((pending) => pending.tenantId),
          batch.map((pending) => pending.companyId),
          batch.map((pending) => pending.since),
        ]),
      )
      .then(
        ({ rows }) => {
          const cards: (string | null)[] = new Array(batch.length).fill(null);
          for (const row of rows) cards[Number(row.position) - 1] = row.card;
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
