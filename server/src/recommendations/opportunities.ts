import { randomUUID } from 'node:crypto';
import {
  type OpportunityDraft,
  OpportunitySettings,
  opportunityDraft,
} from '@pulse/shared/recommendations/opportunity';
import type { Kysely, Selectable } from 'kysely';

import type { CrmAdapter } from '../crm/adapter';
import type { Database } from '../db/schema';
import { getSetting } from '../store/settings';
import type { OpportunitiesCreatedTable } from './tables';

export interface OpportunityResult {
  id: string;
  url: string | null;
  name: string;
  amount: number;
  accountId: string;
  productId: string;
  created: boolean;
}

export class OpportunityError extends Error {
  constructor(
    readonly reason: 'account_not_found' | 'product_not_found' | 'in_progress',
    message: string,
  ) {
    super(message);
    this.name = 'OpportunityError';
  }
}

type LedgerRow = Selectable<OpportunitiesCreatedTable>;

function fromLedger(row: LedgerRow, created: boolean): OpportunityResult {
  return {
    id: row.crm_id!,
    url: row.url,
    name: row.name,
    amount: row.amount,
    accountId: row.account_id,
    productId: row.product_id,
    created,
  };
}

async function liveLedgerRow(db: Kysely<Database>, tenantId: string, accountId: string, productId: string) {
  return db
    .selectFrom('opportunities_created')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', accountId)
    .where('product_id', '=', productId)
    .where('status', '<>', 'closed')
    .executeTakeFirst();
}

/** The synced deal says the opportunity was won or lost: a new click may create a fresh one. */
async function closedInCrm(db: Kysely<Database>, tenantId: string, crmId: string): Promise<boolean> {
  const deal = await db
    .selectFrom('deals')
    .select(['status', 'deleted_at'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', crmId)
    .executeTakeFirst();
  return deal !== undefined && (deal.status !== 'open' || deal.deleted_at !== null);
}

export interface CreateOpportunityOptions {
  tenantId: string;
  accountId: string;
  productId: string;
  actor: string;
  now: Date;
  adapter: () => Promise<CrmAdapter>;
  /** How long a second click waits for the first one's CRM call (ms); default 15 s. */
  waitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Create Opportunity, idempotent per (account, product) while one is open:
 * 1. Claim the (account, product) slot by inserting a `pending` ledger row; the partial unique
 *    index lets exactly one of two concurrent clicks in.
 * 2. The winner asks the CRM for an open Pulse opportunity first (one created before the ledger, or
 *    by another Pulse install), creates one only if there is none, and records it as `open`.
 * 3. A loser waits for the winner's row to turn `open` and returns the same record.
 * A CRM failure removes the claim, so the user can simply click again.
 */
export async function createOpportunityOnce(
  db: Kysely<Database>,
  options: CreateOpportunityOptions,
): Promise<OpportunityResult> {
  const { tenantId, accountId, productId, now } = options;
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'name', 'owner_id'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', accountId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!account) throw new OpportunityError('account_not_found', `No account "${accountId}" in this tenant`);
  const product = await db
    .selectFrom('products')
    .select(['id', 'name', 'monthly_price', 'active'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', productId)
    .executeTakeFirst();
  if (!product?.active) {
    throw new OpportunityError('product_not_found', `Product "${productId}" is not in the catalogue`);
  }

  const existing = await liveLedgerRow(db, tenantId, accountId, productId);
  if (existing?.status === 'open' && existing.crm_id !== null) {
    if (!(await closedInCrm(db, tenantId, existing.crm_id))) return fromLedger(existing, false);
    await db
      .updateTable('opportunities_created')
      .set({ status: 'closed', updated_at: now })
      .where('id', '=', existing.id)
      .execute();
  }

  // Pipeline and stage are the tenant's `opportunity_defaults` setting (store/settings.ts).
  const defaults = await getSetting(db, tenantId, 'opportunity_defaults');
  const settings = OpportunitySettings.parse({ pipeline: defaults.pipeline, stage: defaults.stage });
  const draft: OpportunityDraft = opportunityDraft(
    { id: account.id, name: account.name, ownerId: account.owner_id },
    { id: product.id, name: product.name, monthlyPrice: product.monthly_price },
    settings,
    now,
  );
  const ledgerId = `opp-${randomUUID()}`;
  const claimed = await db
    .insertInto('opportunities_created')
    .values({
      id: ledgerId,
      tenant_id: tenantId,
      account_id: accountId,
      product_id: productId,
      status: 'pending',
      crm_id: null,
      url: null,
      name: draft.name,
      amount: draft.amount,
      created_by: options.actor,
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!claimed) return waitForWinner(db, options);

  try {
    const adapter = await options.adapter();
    const found = await adapter.findOpenOpportunity(accountId, productId);
    const record = found ?? (await adapter.createOpportunity(draft));
    const row = await db
      .updateTable('opportunities_created')
      .set({ status: 'open', crm_id: record.id, url: record.url, updated_at: now })
      .where('id', '=', ledgerId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return fromLedger(row, found === null);
  } catch (error) {
    await db.deleteFrom('opportunities_created').where('id', '=', ledgerId).execute();
    throw error;
  }
}

async function waitForWinner(
  db: Kysely<Database>,
  options: CreateOpportunityOptions,
): Promise<OpportunityResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = options.waitMs ?? 15_000;
  for (let waited = 0; waited <= deadline; waited += 100) {
    const row = await liveLedgerRow(db, options.tenantId, options.accountId, options.productId);
    if (row?.status === 'open' && row.crm_id !== null) return fromLedger(row, false);
    // The winner failed and released the slot: this click may take it.
    if (!row) return createOpportunityOnce(db, options);
    await sleep(100);
  }
  throw new OpportunityError('in_progress', 'The opportunity is still being created; try again in a moment');
}
