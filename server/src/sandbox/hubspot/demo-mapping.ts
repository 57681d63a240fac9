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

import type { ObjectTypeName } from './object-types';

/**
 * How the sandbox portal stores Pulse's canonical demo records as HubSpot objects. This is the one
 * place that states the mapping; the HubSpot connector (crm/hubspot) maps these properties back, and
 * docs/sandbox-hubspot.md documents the same table. Standard HubSpot properties are used where
 * HubSpot has one; the rest are custom properties named by the constants below (all in the
 * `pulse_sandbox` property group, so they never mix with the `pulse` write-back group).
 */

/** Custom properties the sandbox defines for data HubSpot has no standard property for. */
export const customPropertyNames = {
  companies: {
    previousAnnualRevenue: 'pulse_previous_annual_revenue',
    csOptOut: 'pulse_cs_opt_out',
  },
  contacts: {
    role: 'pulse_contact_role',
    leftCompany: 'pulse_left_company',
  },
  deals: {
    productId: 'pulse_product_id',
  },
  tickets: {
    sentiment: 'pulse_sentiment',
    escalated: 'pulse_escalated',
  },
  subscriptions: {
    productId: 'pulse_product_id',
    mrr: 'pulse_mrr',
    autoRenew: 'pulse_auto_renew',
    licensedSeats: 'pulse_licensed_seats',
  },
  products: {
    productLine: 'pulse_product_line',
  },
} as const;

/** The property group the custom properties above belong to. */
export const SANDBOX_PROPERTY_GROUP = 'pulse_sandbox';

/** Canonical engagement type → HubSpot engagement object. */
export const engagementObjectTypes = {
  email: 'emails',
  meeting: 'meetings',
  call: 'calls',
  note: 'notes',
} as const satisfies Record<Engagement['type'], ObjectTypeName>;

/** Meetings flagged as QBR carry this value in HubSpot's "call and meeting type" property. */
export const QBR_ACTIVITY_TYPE = 'QBR';

/** Title/subject property of each engagement object (HubSpot names differ per object). */
export const engagementTitleProperty = {
  emails: 'hs_email_subject',
  meetings: 'hs_meeting_title',
  calls: 'hs_call_title',
  notes: 'hs_note_body',
} as const;

/** Canonical deal type → HubSpot `dealtype` option. The sandbox adds `renewal` and `contraction`
 * to HubSpot's two default options, as portals that track renewals commonly do. */
export const dealTypeValues = {
  new: 'newbusiness',
  expansion: 'existingbusiness',
  renewal: 'renewal',
  contraction: 'contraction',
} as const satisfies Record<Deal['type'], string>;

/** Closed deals use HubSpot's default-pipeline stage ids; open deals keep their canonical stage as an
 * id-like slug ("Proposal" → `proposal`). Status comes back from the stage: closedwon → won,
 * closedlost → lost, anything else → open. */
export const DEAL_PIPELINE = 'default';
export const WON_DEAL_STAGE = 'closedwon';
export const LOST_DEAL_STAGE = 'closedlost';

export function dealStageValue(deal: Pick<Deal, 'stage' | 'status'>): string {
  if (deal.status === 'won') return WON_DEAL_STAGE;
  if (deal.status === 'lost') return LOST_DEAL_STAGE;
  return deal.stage.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** Ticket status → stage id of HubSpot's default support pipeline (`0`). */
export const TICKET_PIPELINE = '0';
export const ticketStageValues = {
  open: '1',
  pending: '2',
  closed: '4',
} as const satisfies Record<Ticket['status'], string>;

export const ticketPriorityValues = {
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  urgent: 'URGENT',
} as const satisfies Record<Ticket['priority'], string>;

/** HubSpot invoice statuses have no "overdue": an overdue invoice is `open` with `hs_due_date` past. */
export const invoiceStatusValues = {
  open: 'open',
  overdue: 'open',
  paid: 'paid',
  void: 'voided',
} as const satisfies Record<Invoice['status'], string>;

export const subscriptionStatusValues = {
  trial: 'trialing',
  active: 'active',
  cancelled: 'canceled',
  expired: 'expired',
} as const satisfies Record<Subscription['status'], string>;

/** The records one portal holds, from the demo generator or any other source. */
export interface CanonicalPortfolio {
  accounts: Account[];
  contacts?: Contact[];
  deals?: Deal[];
  tickets?: Ticket[];
  engagements?: Engagement[];
  subscriptions?: Subscription[];
  invoices?: Invoice[];
  products?: Product[];
}

/** One HubSpot object to create; `key` is the canonical id, used to wire up associations. */
export interface SeedObject {
  type: ObjectTypeName;
  key: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface SeedAssociation {
  fromType: ObjectTypeName;
  fromKey: string;
  toType: ObjectTypeName;
  toKey: string;
  /** Add HubSpot's "Primary" label as well as the unlabeled type (company of a contact/deal/ticket). */
  primary: boolean;
}

export interface SeedOwner {
  id: string;
  email: string | null;
  firstName: string;
  lastName: string;
}

export interface PortalSeed {
  objects: SeedObject[];
  associations: SeedAssociation[];
  owners: SeedOwner[];
}

type PropertyValue = string | number | boolean | null | undefined;

function properties(values: Record<string, PropertyValue>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name in values) {
    const value = values[name];
    if (value === null || value === undefined) continue;
    result[name] = typeof value === 'string' ? value : String(value);
  }
  return result;
}

/** HubSpot date-time properties are ISO instants with milliseconds. */
function instant(value: string | null | undefined): string | null {
  if (!value) return null;
  // Canonical timestamps are usually in this form already; parsing a million of them is slow.
  if (value.length === 24 && CANONICAL_INSTANT.test(value)) return value;
  return new Date(value).toISOString();
}

const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Calendar dates (`YYYY-MM-DD`) stored in HubSpot date-time properties sit at UTC midnight. */
function midnight(date: string | null | undefined): string | null {
  return date ? `${date}T00:00:00.000Z` : null;
}

function splitName(name: string): { first: string; last: string } {
  const trimmed = name.trim();
  const space = trimmed.indexOf(' ');
  if (space < 0) return { first: trimmed, last: '' };
  return { first: trimmed.slice(0, space), last: trimmed.slice(space + 1) };
}

export function companyProperties(account: Account): Record<string, string> {
  const custom = customPropertyNames.companies;
  const values: Record<string, PropertyValue> = {
    name: account.name,
    domain: account.domain,
    industry: account.industry,
    numberofemployees: account.employees,
    annualrevenue: account.annualRevenue,
    [custom.previousAnnualRevenue]: account.previousAnnualRevenue,
    hubspot_owner_id: account.ownerId,
    // The sales region (EMEA, North America, ...) goes in HubSpot's standard `country` property.
    country: account.region,
    lifecyclestage: account.customerSince ? 'customer' : null,
    hs_lifecyclestage_customer_date: midnight(account.customerSince),
    [custom.csOptOut]: account.csOptOut,
  };
  // Attributes become plain company properties of the same name (custom properties in a portal).
  for (const [name, value] of Object.entries(account.attributes)) {
    if (!(name in values)) values[name] = value;
  }
  return properties(values);
}

export function contactProperties(contact: Contact): Record<string, string> {
  const name = splitName(contact.name);
  const custom = customPropertyNames.contacts;
  return properties({
    firstname: name.first,
    lastname: name.last,
    email: contact.email,
    [custom.role]: contact.role,
    [custom.leftCompany]: contact.leftCompany,
    notes_last_contacted: instant(contact.lastEngagedAt),
  });
}

export function dealProperties(deal: Deal): Record<string, string> {
  return properties({
    dealname: deal.name,
    amount: deal.amount,
    pipeline: DEAL_PIPELINE,
    dealstage: dealStageValue(deal),
    closedate: midnight(deal.closeDate),
    dealtype: dealTypeValues[deal.type],
    hubspot_owner_id: deal.ownerId,
    [customPropertyNames.deals.productId]: deal.productId,
  });
}

export function ticketProperties(ticket: Ticket): Record<string, string> {
  const custom = customPropertyNames.tickets;
  return properties({
    subject: ticket.subject,
    hs_pipeline: TICKET_PIPELINE,
    hs_pipeline_stage: ticketStageValues[ticket.status],
    hs_ticket_priority: ticketPriorityValues[ticket.priority],
    closed_date: instant(ticket.closedAt),
    [custom.escalated]: ticket.escalated,
    [custom.sentiment]: ticket.sentiment,
  });
}

export function engagementProperties(engagement: Engagement): Record<string, string> {
  const type = engagementObjectTypes[engagement.type];
  const occurredAt = instant(engagement.occurredAt);
  const values: Record<string, PropertyValue> = {
    hs_timestamp: occurredAt,
    [engagementTitleProperty[type]]: engagement.isQbr ? 'Quarterly business review' : `${engagement.type}`,
  };
  if (type === 'meetings') {
    values.hs_meeting_start_time = occurredAt;
    values.hs_activity_type = engagement.isQbr ? QBR_ACTIVITY_TYPE : null;
  }
  return properties(values);
}

export function subscriptionProperties(
  subscription: Subscription,
  productName?: string,
): Record<string, string> {
  const custom = customPropertyNames.subscriptions;
  return properties({
    hs_name: productName ?? subscription.productId,
    hs_status: subscriptionStatusValues[subscription.status],
    hs_recurring_billing_start_date: subscription.startDate,
    hs_next_payment_due_date: subscription.renewalDate,
    [custom.productId]: subscription.productId,
    [custom.mrr]: subscription.mrr,
    [custom.autoRenew]: subscription.autoRenew,
    [custom.licensedSeats]: subscription.licensedSeats,
  });
}

export function invoiceProperties(invoice: Invoice): Record<string, string> {
  return properties({
    hs_amount_billed: invoice.amount,
    hs_invoice_date: invoice.issuedAt,
    hs_due_date: invoice.dueDate,
    hs_invoice_status: invoiceStatusValues[invoice.status],
    hs_payment_date: instant(invoice.paidAt),
  });
}

export function productProperties(product: Product): Record<string, string> {
  return properties({
    name: product.name,
    hs_sku: product.id,
    price: product.monthlyPrice,
    recurringbillingfrequency: 'monthly',
    [customPropertyNames.products.productLine]: product.productLine,
  });
}

/** Canonical records → the HubSpot objects, associations and owners of a sandbox portal. */
export function mapPortfolioToHubSpot(portfolio: CanonicalPortfolio): PortalSeed {
  const objects: SeedObject[] = [];
  const associations: SeedAssociation[] = [];
  const owners = new Map<string, SeedOwner>();
  const productNames = new Map((portfolio.products ?? []).map((product) => [product.id, product.name]));

  const push = (
    type: ObjectTypeName,
    key: string,
    props: Record<string, string>,
    createdAt: string,
    updatedAt: string,
  ) =>
    objects.push({
      type,
      key,
      properties: props,
      createdAt: instant(createdAt)!,
      updatedAt: instant(updatedAt)!,
    });
  const toCompany = (fromType: ObjectTypeName, fromKey: string, accountId: string, primary: boolean) =>
    associations.push({ fromType, fromKey, toType: 'companies', toKey: accountId, primary });

  for (const account of portfolio.accounts) {
    const created = account.customerSince ? midnight(account.customerSince)! : account.updatedAt;
    push(
      'companies',
      account.id,
      companyProperties(account),
      earliest(created, account.updatedAt),
      account.updatedAt,
    );
    if (account.ownerId && !owners.has(account.ownerId)) {
      const name = splitName(account.ownerName ?? `Owner ${account.ownerId}`);
      owners.set(account.ownerId, {
        id: account.ownerId,
        email: account.ownerEmail,
        firstName: name.first,
        lastName: name.last,
      });
    }
  }
  for (const contact of portfolio.contacts ?? []) {
    push('contacts', contact.id, contactProperties(contact), contact.updatedAt, contact.updatedAt);
    toCompany('contacts', contact.id, contact.accountId, true);
  }
  for (const deal of portfolio.deals ?? []) {
    push('deals', deal.id, dealProperties(deal), deal.updatedAt, deal.updatedAt);
    toCompany('deals', deal.id, deal.accountId, true);
  }
  for (const ticket of portfolio.tickets ?? []) {
    push('tickets', ticket.id, ticketProperties(ticket), ticket.openedAt, ticket.updatedAt);
    toCompany('tickets', ticket.id, ticket.accountId, true);
  }
  for (const engagement of portfolio.engagements ?? []) {
    const type = engagementObjectTypes[engagement.type];
    push(type, engagement.id, engagementProperties(engagement), engagement.occurredAt, engagement.updatedAt);
    toCompany(type, engagement.id, engagement.accountId, false);
    if (engagement.contactId) {
      associations.push({
        fromType: type,
        fromKey: engagement.id,
        toType: 'contacts',
        toKey: engagement.contactId,
        primary: false,
      });
    }
  }
  for (const subscription of portfolio.subscriptions ?? []) {
    const props = subscriptionProperties(subscription, productNames.get(subscription.productId));
    push('subscriptions', subscription.id, props, midnight(subscription.startDate)!, subscription.updatedAt);
    toCompany('subscriptions', subscription.id, subscription.accountId, false);
  }
  for (const invoice of portfolio.invoices ?? []) {
    push('invoices', invoice.id, invoiceProperties(invoice), midnight(invoice.issuedAt)!, invoice.updatedAt);
    toCompany('invoices', invoice.id, invoice.accountId, false);
  }
  for (const product of portfolio.products ?? []) {
    const created = new Date(0).toISOString();
    push('products', product.id, productProperties(product), created, created);
  }
  return { objects, associations, owners: [...owners.values()] };
}

function earliest(first: string, second: string): string {
  return Date.parse(first) <= Date.parse(second) ? first : second;
}
