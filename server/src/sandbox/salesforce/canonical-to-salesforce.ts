import type {
  Account,
  Contact,
  Deal,
  Engagement,
  Invoice,
  Product,
  Subscription,
  Ticket,
} from '@pulse/shared';
import { portfolioBatches, productCatalogue } from '@pulse/shared/demo/index';

import {
  casePriorityValues,
  caseStatusValues,
  contactRoleValues,
  dealTypeValues,
  invoiceStatusValues,
  LOST_STAGE,
  sentimentValues,
  subscriptionStatusValues,
  taskSubtypeValues,
  WON_STAGE,
} from '../../crm/salesforce/picklists';
import type { SandboxOrgStore } from './org-store';

/**
 * Canonical records -> sandbox org records: the one place that knows how a demo portfolio looks
 * in Salesforce (Accounts, Contacts, Opportunities, Cases, Tasks/Events, Pulse_Subscription__c,
 * Pulse_Invoice__c, Product2 with standard price book entries). The connector's mapper
 * (crm/salesforce/mapper.ts) is its inverse.
 */

type WithoutTenant<T> = Omit<T, 'tenantId'>;

export interface CanonicalPortfolio {
  accounts: WithoutTenant<Account>[];
  contacts: WithoutTenant<Contact>[];
  deals: WithoutTenant<Deal>[];
  tickets: WithoutTenant<Ticket>[];
  engagements: WithoutTenant<Engagement>[];
  subscriptions: WithoutTenant<Subscription>[];
  invoices: WithoutTenant<Invoice>[];
  /** Omitted for the second and later batches of a streamed portfolio. */
  products?: WithoutTenant<Product>[];
}

/** Canonical id -> Salesforce id of everything seeded, so tests can find "the same" record. */
export type SeededIds = Map<string, string>;

const stamps = (updatedAt: string, createdAt = updatedAt) => ({
  SystemModstamp: updatedAt,
  CreatedDate: createdAt,
});

export function seedPortfolio(
  store: SandboxOrgStore,
  portfolio: CanonicalPortfolio,
  ids: SeededIds = new Map(),
): SeededIds {
  const lookup = (id: string | null) => (id === null ? null : (ids.get(id) ?? null));
  const pricebookId = standardPricebook(store);

  for (const product of portfolio.products ?? []) {
    const productId = store.insert('Product2', {
      Name: product.name,
      Family: product.productLine,
      IsActive: product.active,
    });
    ids.set(product.id, productId);
    store.insert('PricebookEntry', {
      Pricebook2Id: pricebookId,
      Product2Id: productId,
      UnitPrice: product.monthlyPrice,
      IsActive: product.active,
    });
  }

  const ownerKey = (ownerId: string) => `owner:${ownerId}`;
  const ownerFor = (account: {
    ownerId: string | null;
    ownerName?: string | null;
    ownerEmail?: string | null;
  }) => {
    if (!account.ownerId) return null;
    let userId = ids.get(ownerKey(account.ownerId));
    if (!userId) {
      userId = store.insert('User', {
        Name: account.ownerName ?? account.ownerId,
        Email: account.ownerEmail ?? null,
        Username: account.ownerEmail ?? `${account.ownerId}@pulse.sandbox`,
      });
      ids.set(ownerKey(account.ownerId), userId);
    }
    return userId;
  };

  for (const account of portfolio.accounts) {
    const id = store.insert(
      'Account',
      {
        Name: account.name,
        Website: account.domain,
        Industry: account.industry,
        NumberOfEmployees: account.employees,
        AnnualRevenue: account.annualRevenue,
        Previous_Annual_Revenue__c: account.previousAnnualRevenue,
        OwnerId: ownerFor(account),
        Region__c: account.region,
        Customer_Since__c: account.customerSince,
        CS_Opt_Out__c: account.csOptOut,
      },
      stamps(account.updatedAt),
    );
    ids.set(account.id, id);
  }

  for (const contact of portfolio.contacts) {
    const [firstName, ...last] = contact.name.split(' ');
    const id = store.insert(
      'Contact',
      {
        AccountId: lookup(contact.accountId),
        FirstName: last.length > 0 ? firstName : null,
        LastName: last.length > 0 ? last.join(' ') : firstName,
        Email: contact.email,
        CS_Role__c: contactRoleValues[contact.role],
        Left_Company__c: contact.leftCompany,
        Last_Engaged_At__c: contact.lastEngagedAt,
      },
      stamps(contact.updatedAt),
    );
    ids.set(contact.id, id);
  }

  for (const deal of portfolio.deals) {
    const stage = deal.status === 'won' ? WON_STAGE : deal.status === 'lost' ? LOST_STAGE : deal.stage;
    const id = store.insert(
      'Opportunity',
      {
        AccountId: lookup(deal.accountId),
        Name: deal.name,
        Amount: deal.amount,
        StageName: stage,
        CloseDate: deal.closeDate,
        Type: dealTypeValues[deal.type],
        Pulse_Product_Id__c: lookup(deal.productId),
        OwnerId: deal.ownerId ? (ids.get(ownerKey(deal.ownerId)) ?? null) : null,
      },
      stamps(deal.updatedAt),
    );
    ids.set(deal.id, id);
  }

  for (const ticket of portfolio.tickets) {
    const id = store.insert(
      'Case',
      {
        AccountId: lookup(ticket.accountId),
        Subject: ticket.subject,
        Status: caseStatusValues[ticket.status],
        Priority: casePriorityValues[ticket.priority],
        IsEscalated: ticket.escalated,
        Sentiment__c: ticket.sentiment ? sentimentValues[ticket.sentiment] : null,
      },
      { ...stamps(ticket.updatedAt, ticket.openedAt), ClosedDate: ticket.closedAt },
    );
    ids.set(ticket.id, id);
  }

  for (const engagement of portfolio.engagements) {
    const common = { WhatId: lookup(engagement.accountId), WhoId: lookup(engagement.contactId) };
    const id =
      engagement.type === 'meeting'
        ? store.insert(
            'Event',
            {
              ...common,
              Subject: engagement.isQbr ? 'Quarterly business review' : 'Customer meeting',
              StartDateTime: engagement.occurredAt,
              EndDateTime: engagement.occurredAt,
              Is_QBR__c: engagement.isQbr,
            },
            stamps(engagement.updatedAt),
          )
        : store.insert(
            'Task',
            {
              ...common,
              Subject: `${taskSubtypeValues[engagement.type]} with customer`,
              TaskSubtype: taskSubtypeValues[engagement.type],
              Status: 'Completed',
              ActivityDate: engagement.occurredAt.slice(0, 10),
            },
            { ...stamps(engagement.updatedAt), CompletedDateTime: engagement.occurredAt },
          );
    ids.set(engagement.id, id);
  }

  for (const subscription of portfolio.subscriptions) {
    const id = store.insert(
      'Pulse_Subscription__c',
      {
        Name: subscription.id,
        Account__c: lookup(subscription.accountId),
        Product__c: lookup(subscription.productId),
        MRR__c: subscription.mrr,
        Start_Date__c: subscription.startDate,
        Renewal_Date__c: subscription.renewalDate,
        Auto_Renew__c: subscription.autoRenew,
        Status__c: subscriptionStatusValues[subscription.status],
        Licensed_Seats__c: subscription.licensedSeats,
      },
      stamps(subscription.updatedAt),
    );
    ids.set(subscription.id, id);
  }

  for (const invoice of portfolio.invoices) {
    const id = store.insert(
      'Pulse_Invoice__c',
      {
        Name: invoice.id,
        Account__c: lookup(invoice.accountId),
        Amount__c: invoice.amount,
        Issued_On__c: invoice.issuedAt,
        Due_Date__c: invoice.dueDate,
        Paid_At__c: invoice.paidAt,
        Status__c: invoiceStatusValues[invoice.status],
      },
      stamps(invoice.updatedAt),
    );
    ids.set(invoice.id, id);
  }
  return ids;
}

/** Every org has a standard price book; opportunities with products need its entries. */
export function standardPricebook(store: SandboxOrgStore): string {
  const existing = store.all('Pricebook2').find((book) => book.IsStandard === true);
  if (existing) return existing.Id;
  return store.insert('Pricebook2', { Name: 'Standard Price Book', IsActive: true }, { IsStandard: true });
}

/** Seeds the org from the demo generator, streamed in batches so large portfolios fit in memory. */
export function seedDemoPortfolio(
  store: SandboxOrgStore,
  options: { accounts: number; seed: number; now: Date },
): SeededIds {
  const ids: SeededIds = new Map();
  seedPortfolio(store, { ...emptyPortfolio(), products: productCatalogue('sandbox') }, ids);
  if (options.accounts === 0) return ids;
  for (const batch of portfolioBatches({ ...options, tenantId: 'sandbox', usageDays: 0 })) {
    seedPortfolio(store, batch, ids);
  }
  return ids;
}

function emptyPortfolio(): CanonicalPortfolio {
  return {
    accounts: [],
    contacts: [],
    deals: [],
    tickets: [],
    engagements: [],
    subscriptions: [],
    invoices: [],
  };
}
