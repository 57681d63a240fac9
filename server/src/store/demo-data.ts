import type { RecordKind } from '@pulse/shared';
import { type DemoPortfolioBatch, portfolioBatches, productCatalogue } from '@pulse/shared/demo/index';
import { type Kysely, sql } from 'kysely';

import type { AppContext } from '../context';
import type { Database } from '../db/schema';
import { insertProducts, insertRecords, insertUsage } from './bulk-records';
import { ensureTenant } from './records';

/**
 * Loads a generated demo portfolio into the store as tenant `demo:<name>`. A reload replaces the
 * tenant's previous portfolio (records, usage, scores), so the data always matches the seed.
 * Generation of the next batch overlaps the database writes of the previous one.
 */
export interface DemoLoadOptions {
  /** Tenant name: the tenant id becomes `demo:<name>` (default `demo`). */
  name?: string;
  accounts: number;
  seed: number;
  /** Days of daily usage ending now (default 540 = 18 months). */
  usageDays?: number;
  /** Accounts generated and written per batch (default 1,000). */
  batchSize?: number;
  onProgress?: (progress: { accounts: number; rows: number }) => void;
}

export interface DemoLoadResult {
  tenantId: string;
  accounts: number;
  /** Every row written: accounts, children, usage days and products. */
  rows: number;
  rowsByKind: Record<RecordKind | 'usage' | 'products', number>;
  durationMs: number;
}

// Statement size for daily usage: large enough to amortise round trips, small enough that the
// serialised arrays stay a few MB.
const USAGE_ROWS_PER_STATEMENT = 50_000;

const childKinds = ['contacts', 'deals', 'tickets', 'engagements', 'subscriptions', 'invoices'] as const;

export async function loadDemoPortfolio(ctx: AppContext, options: DemoLoadOptions): Promise<DemoLoadResult> {
  const startedAt = performance.now();
  const now = ctx.now();
  const name = options.name ?? 'demo';
  const tenantId = await ensureTenant(ctx.db, {
    crm: 'demo',
    externalId: name,
    name: `Demo portfolio (${name})`,
  });
  await clearTenantData(ctx.db, tenantId);

  const products = productCatalogue(tenantId);
  await insertProducts(ctx.db, products);
  const rowsByKind: DemoLoadResult['rowsByKind'] = {
    accounts: 0,
    contacts: 0,
    deals: 0,
    tickets: 0,
    engagements: 0,
    subscriptions: 0,
    invoices: 0,
    usage: 0,
    products: products.length,
  };
  let rows = products.length;
  let accounts = 0;
  // On PostgreSQL a batch's writes run on pooled connections while the next batch is generated;
  // PGlite has one connection, so there the writes simply queue.
  let pending: Promise<void> = Promise.resolve();
  const batches = portfolioBatches(
    { seed: options.seed, accounts: options.accounts, tenantId, now, usageDays: options.usageDays ?? 540 },
    options.batchSize ?? 1000,
  );
  for (const batch of batches) {
    await pending;
    const writing = writeBatch(ctx.db, batch, now);
    writing.catch(() => undefined);
    pending = writing;
    accounts += batch.accounts.length;
    rowsByKind.accounts += batch.accounts.length;
    rowsByKind.usage += batch.usage.length;
    rows += batch.accounts.length + batch.usage.length;
    for (const kind of childKinds) {
      rowsByKind[kind] += batch[kind].length;
      rows += batch[kind].length;
    }
    options.onProgress?.({ accounts, rows });
  }
  await pending;
  // Fresh statistics, so the first recompute plans its scans on the real row counts.
  await sql`analyze accounts, contacts, deals, tickets, engagements, subscriptions, invoices, usage_daily`.execute(
    ctx.db,
  );
  return { tenantId, accounts, rows, rowsByKind, durationMs: performance.now() - startedAt };
}

async function writeBatch(db: Kysely<Database>, batch: DemoPortfolioBatch, now: Date): Promise<void> {
  const writes: Promise<void>[] = [insertRecords(db, 'accounts', batch.accounts, now)];
  for (const kind of childKinds) writes.push(insertRecords(db, kind, batch[kind] as never, now));
  for (let start = 0; start < batch.usage.length; start += USAGE_ROWS_PER_STATEMENT) {
    writes.push(insertUsage(db, batch.usage.slice(start, start + USAGE_ROWS_PER_STATEMENT)));
  }
  await Promise.all(writes);
}

/** Everything a previous demo load wrote for this tenant. */
async function clearTenantData(db: Kysely<Database>, tenantId: string): Promise<void> {
  const tables = [
    'accounts',
    ...childKinds,
    'usage_daily',
    'products',
    'account_scores',
    'score_history',
    'rescore_queue',
    'crm_writeback',
  ] as const;
  for (const table of tables) await db.deleteFrom(table).where('tenant_id', '=', tenantId).execute();
}
