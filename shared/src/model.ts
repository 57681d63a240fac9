import { z } from 'zod';

import type { UsageSummary } from './usage';

/**
 * The canonical model: what Pulse knows about a customer, independent of the CRM it came from.
 * Adapters map vendor records (HubSpot objects, Salesforce sObjects) into these shapes; everything
 * above the adapter (engine, store, API, UI) only ever sees these.
 *
 * Timestamps are ISO-8601 strings (UTC); calendar dates are `YYYY-MM-DD`.
 */

export const crmKinds = ['hubspot', 'salesforce', 'demo'] as const;
export const CrmKind = z.enum(crmKinds);
export type CrmKind = z.infer<typeof CrmKind>;

const isoDateTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();

/** A connected CRM: a HubSpot portal or a Salesforce org (or the demo portfolio). */
export const Tenant = z.object({
  id: z.string().min(1),
  crm: CrmKind,
  externalId: z.string().min(1),
  name: z.string(),
  createdAt: isoDateTime,
});
export type Tenant = z.infer<typeof Tenant>;

/** Fields every synced record carries: its tenant and its id in the CRM. */
const recordBase = {
  tenantId: z.string().min(1),
  id: z.string().min(1),
};

const accountScoped = {
  ...recordBase,
  accountId: z.string().min(1),
};

export const Account = z.object({
  ...recordBase,
  name: z.string(),
  domain: z.string().nullable(),
  industry: z.string().nullable(),
  employees: z.number().int().nonnegative().nullable(),
  /** Annual revenue of the customer company itself (firmographic), and last year's, for growth. */
  annualRevenue: z.number().nonnegative().nullable(),
  previousAnnualRevenue: z.number().nonnegative().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  ownerEmail: z.string().nullable(),
  region: z.string().nullable(),
  /** Customer since; drives onboarding detectors. */
  customerSince: isoDate.nullable(),
  /** Opted out of customer-facing CS outreach (seed 003); scores are still computed. */
  csOptOut: z.boolean(),
  /** Any other CRM property, usable by custom factors and workflow conditions. */
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  updatedAt: isoDateTime,
});
export type Account = z.infer<typeof Account>;

export const contactRoles = ['champion', 'exec_sponsor', 'user'] as const;
export const ContactRole = z.enum(contactRoles);
export type ContactRole = z.infer<typeof ContactRole>;

export const Contact = z.object({
  ...accountScoped,
  name: z.string(),
  email: z.string().nullable(),
  role: ContactRole,
  leftCompany: z.boolean(),
  lastEngagedAt: isoDateTime.nullable(),
  updatedAt: isoDateTime,
});
export type Contact = z.infer<typeof Contact>;

export const dealTypes = ['new', 'renewal', 'expansion', 'contraction'] as const;
export const dealStatuses = ['open', 'won', 'lost'] as const;

export const Deal = z.object({
  ...accountScoped,
  name: z.string(),
  amount: z.number().nullable(),
  stage: z.string(),
  closeDate: isoDate.nullable(),
  type: z.enum(dealTypes),
  status: z.enum(dealStatuses),
  productId: z.string().nullable(),
  ownerId: z.string().nullable(),
  updatedAt: isoDateTime,
});
export type Deal = z.infer<typeof Deal>;

export const ticketStatuses = ['open', 'pending', 'closed'] as const;
export const ticketPriorities = ['low', 'medium', 'high', 'urgent'] as const;
export const sentiments = ['positive', 'neutral', 'negative'] as const;

export const Ticket = z.object({
  ...accountScoped,
  subject: z.string(),
  status: z.enum(ticketStatuses),
  priority: z.enum(ticketPriorities),
  openedAt: isoDateTime,
  closedAt: isoDateTime.nullable(),
  escalated: z.boolean(),
  sentiment: z.enum(sentiments).nullable(),
  updatedAt: isoDateTime,
});
export type Ticket = z.infer<typeof Ticket>;

export const engagementTypes = ['email', 'meeting', 'call', 'note'] as const;

export const Engagement = z.object({
  ...accountScoped,
  type: z.enum(engagementTypes),
  occurredAt: isoDateTime,
  /** A quarterly business review (a meeting flagged as QBR in the CRM). */
  isQbr: z.boolean(),
  contactId: z.string().nullable(),
  updatedAt: isoDateTime,
});
export type Engagement = z.infer<typeof Engagement>;

export const subscriptionStatuses = ['trial', 'active', 'cancelled', 'expired'] as const;

export const Subscription = z.object({
  ...accountScoped,
  productId: z.string().min(1),
  mrr: z.number().nonnegative(),
  startDate: isoDate,
  renewalDate: isoDate.nullable(),
  autoRenew: z.boolean(),
  status: z.enum(subscriptionStatuses),
  licensedSeats: z.number().int().nonnegative().nullable(),
  updatedAt: isoDateTime,
});
export type Subscription = z.infer<typeof Subscription>;

export const invoiceStatuses = ['open', 'paid', 'overdue', 'void'] as const;

export const Invoice = z.object({
  ...accountScoped,
  amount: z.number(),
  issuedAt: isoDate,
  dueDate: isoDate,
  paidAt: isoDateTime.nullable(),
  status: z.enum(invoiceStatuses),
  updatedAt: isoDateTime,
});
export type Invoice = z.infer<typeof Invoice>;

/** One day of product usage for an account, pushed by the product or imported from CSV. */
export const UsageSnapshot = z.object({
  tenantId: z.string().min(1),
  accountId: z.string().min(1),
  day: isoDate,
  activeUsers: z.number().int().nonnegative(),
  licensedSeats: z.number().int().nonnegative().nullable(),
  logins: z.number().int().nonnegative(),
  featuresAdopted: z.number().int().nonnegative(),
  featuresAvailable: z.number().int().nonnegative().nullable(),
  apiCalls: z.number().int().nonnegative(),
  integrationCalls: z.number().int().nonnegative(),
  integrationFailures: z.number().int().nonnegative(),
  /** Any further numeric metric the product reports (usable by custom factors and rules). */
  metrics: z.record(z.string(), z.number()),
});
export type UsageSnapshot = z.infer<typeof UsageSnapshot>;

/** The product catalogue: what can be sold, for recommendations and Create Opportunity. */
export const Product = z.object({
  tenantId: z.string().min(1),
  id: z.string().min(1),
  name: z.string().min(1),
  productLine: z.string().nullable(),
  /** List price per month, in the tenant's currency. */
  monthlyPrice: z.number().nonnegative(),
  active: z.boolean(),
});
export type Product = z.infer<typeof Product>;

/** Every record kind the sync moves, keyed by the name used for tables, checkpoints and logs. */
export const recordKinds = [
  'accounts',
  'contacts',
  'deals',
  'tickets',
  'engagements',
  'subscriptions',
  'invoices',
] as const;
export type RecordKind = (typeof recordKinds)[number];

export interface RecordByKind {
  accounts: Account;
  contacts: Contact;
  deals: Deal;
  tickets: Ticket;
  engagements: Engagement;
  subscriptions: Subscription;
  invoices: Invoice;
}

export const recordSchemas = {
  accounts: Account,
  contacts: Contact,
  deals: Deal,
  tickets: Ticket,
  engagements: Engagement,
  subscriptions: Subscription,
  invoices: Invoice,
} as const satisfies { [K in RecordKind]: z.ZodType<RecordByKind[K]> };

/** Everything Pulse knows about one account: the input the signal derivation reads. */
export interface AccountSnapshot {
  account: Account;
  contacts: Contact[];
  deals: Deal[];
  tickets: Ticket[];
  engagements: Engagement[];
  subscriptions: Subscription[];
  invoices: Invoice[];
  /** Usage summarised over the last two 30-day windows; null when the product reports none. */
  usage: UsageSummary | null;
}

/** An account's snapshot before its records are added: every list empty, no usage. */
export function emptySnapshot(account: Account): AccountSnapshot {
  return {
    account,
    contacts: [],
    deals: [],
    tickets: [],
    engagements: [],
    subscriptions: [],
    invoices: [],
    usage: null,
  };
}
