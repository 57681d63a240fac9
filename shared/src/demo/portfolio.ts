import type {
  Account,
  Contact,
  Deal,
  Engagement,
  Invoice,
  Product,
  Subscription,
  Ticket,
  UsageSnapshot,
} from '../model';
import { buildAccount } from './account';
import { buildInvoices, buildSubscriptions } from './billing';
import { productCatalogue } from './catalogue';
import { createDemoContext } from './context';
import { buildDeals } from './deals';
import { type DemoPortfolioOptions, parseDemoPortfolioOptions } from './options';
import { demoAccountProfile } from './profile';
import { buildContacts, buildEngagements } from './relationship';
import { buildTickets } from './support';
import { appendUsage } from './usage';

export interface DemoPortfolioBatch {
  accounts: Account[];
  contacts: Contact[];
  deals: Deal[];
  tickets: Ticket[];
  engagements: Engagement[];
  subscriptions: Subscription[];
  invoices: Invoice[];
  usage: UsageSnapshot[];
}

export interface DemoPortfolio extends DemoPortfolioBatch {
  products: Product[];
}

function emptyBatch(): DemoPortfolioBatch {
  return {
    accounts: [],
    contacts: [],
    deals: [],
    tickets: [],
    engagements: [],
    subscriptions: [],
    invoices: [],
    usage: [],
  };
}

/**
 * Yields the portfolio `batchSize` accounts at a time, each batch holding those accounts and all
 * their child records, so 200k accounts stream through constant memory. Every account draws from
 * its own seeded streams, so the output does not depend on the batch size.
 */
export function* portfolioBatches(
  options: DemoPortfolioOptions,
  batchSize = 1000,
): Generator<DemoPortfolioBatch> {
  const { seed, accounts, tenantId, now, usageDays } = parseDemoPortfolioOptions(options);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(
      `Invalid demo portfolio options: batchSize: must be a positive integer (got ${batchSize})`,
    );
  }
  const context = createDemoContext(seed, tenantId, now, usageDays);
  for (let first = 1; first <= accounts; first += batchSize) {
    const batch = emptyBatch();
    const last = Math.min(accounts, first + batchSize - 1);
    for (let index = first; index <= last; index++) {
      const profile = demoAccountProfile(seed, index, context.nowMs);
      const billing = buildSubscriptions(context, profile);
      const { account, owner } = buildAccount(context, profile, billing);
      const contacts = buildContacts(context, profile);
      const engagements = buildEngagements(context, profile, contacts);
      batch.accounts.push(account);
      batch.contacts.push(...contacts);
      batch.engagements.push(...engagements);
      batch.subscriptions.push(...billing.subscriptions);
      batch.invoices.push(...buildInvoices(context, profile, billing));
      batch.deals.push(...buildDeals(context, profile, billing, owner?.id ?? null));
      batch.tickets.push(...buildTickets(context, profile));
      appendUsage(context, profile, billing.subscriptions, batch.usage);
    }
    yield batch;
  }
}

/** Everything in memory at once, plus the catalogue; meant for small portfolios (tests, previews). */
export function generatePortfolio(options: DemoPortfolioOptions): DemoPortfolio {
  const resolved = parseDemoPortfolioOptions(options);
  // Daily rows dominate memory (~250 bytes each); past this, stream with portfolioBatches instead.
  const usageRows = resolved.accounts * resolved.usageDays;
  if (usageRows > 5_000_000) {
    throw new Error(
      `Invalid demo portfolio options: accounts: ${resolved.accounts} accounts × ${resolved.usageDays} usageDays ` +
        `is too large to hold in memory; use portfolioBatches() or fewer usageDays`,
    );
  }
  const portfolio: DemoPortfolio = { products: productCatalogue(resolved.tenantId), ...emptyBatch() };
  for (const batch of portfolioBatches(resolved, 1000)) {
    for (const key of Object.keys(batch) as (keyof DemoPortfolioBatch)[]) {
      const target = portfolio[key] as unknown[];
      for (const record of batch[key]) target.push(record);
    }
  }
  return portfolio;
}
