import { customPropertyNames, dealTypeValues, SANDBOX_PROPERTY_GROUP } from './demo-mapping';
import type { ObjectTypeName } from './object-types';

/** The property definitions a fresh sandbox portal starts with: HubSpot's standard ones it uses,
 * plus the sandbox's custom demo properties (demo-mapping.ts). */

export type PropertyKind = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';

export interface DefaultProperty {
  name: string;
  type: PropertyKind;
  group: string;
  options?: readonly string[];
  /** Properties HubSpot maintains itself; writes are rejected as READ_ONLY_VALUE. */
  readOnly?: boolean;
}

const s = (name: string, group: string): DefaultProperty => ({ name, type: 'string', group });
const n = (name: string, group: string): DefaultProperty => ({ name, type: 'number', group });
const dt = (name: string, group: string): DefaultProperty => ({ name, type: 'datetime', group });
const d = (name: string, group: string): DefaultProperty => ({ name, type: 'date', group });
const b = (name: string, group: string): DefaultProperty => ({ name, type: 'bool', group });
const e = (name: string, group: string, options: readonly string[]): DefaultProperty => ({
  name,
  type: 'enumeration',
  group,
  options,
});

const systemProperties: DefaultProperty[] = [
  { name: 'hs_object_id', type: 'number', group: 'system', readOnly: true },
  { name: 'hs_lastmodifieddate', type: 'datetime', group: 'system', readOnly: true },
  { name: 'hs_merged_object_ids', type: 'enumeration', group: 'system', readOnly: true },
  dt('createdate', 'system'),
  { name: 'hs_createdate', type: 'datetime', group: 'system', readOnly: true },
];

const sandbox = SANDBOX_PROPERTY_GROUP;
const engagement = 'engagement';

const byType: Record<ObjectTypeName, DefaultProperty[]> = {
  companies: [
    s('name', 'companyinformation'),
    s('domain', 'companyinformation'),
    s('industry', 'companyinformation'),
    n('numberofemployees', 'companyinformation'),
    n('annualrevenue', 'companyinformation'),
    s('country', 'companyinformation'),
    s('hubspot_owner_id', 'companyinformation'),
    s('lifecyclestage', 'companyinformation'),
    dt('hs_lifecyclestage_customer_date', 'companyinformation'),
    n(customPropertyNames.companies.previousAnnualRevenue, sandbox),
    b(customPropertyNames.companies.csOptOut, sandbox),
  ],
  contacts: [
    s('firstname', 'contactinformation'),
    s('lastname', 'contactinformation'),
    s('email', 'contactinformation'),
    n('associatedcompanyid', 'contactinformation'),
    dt('notes_last_contacted', 'contactinformation'),
    { name: 'lastmodifieddate', type: 'datetime', group: 'contactinformation', readOnly: true },
    e(customPropertyNames.contacts.role, sandbox, ['champion', 'exec_sponsor', 'user']),
    b(customPropertyNames.contacts.leftCompany, sandbox),
  ],
  deals: [
    s('dealname', 'dealinformation'),
    n('amount', 'dealinformation'),
    s('pipeline', 'dealinformation'),
    s('dealstage', 'dealinformation'),
    dt('closedate', 'dealinformation'),
    e('dealtype', 'dealinformation', Object.values(dealTypeValues)),
    s('hubspot_owner_id', 'dealinformation'),
    s(customPropertyNames.deals.productId, sandbox),
    { name: 'hs_is_closed_won', type: 'bool', group: 'dealinformation', readOnly: true },
    { name: 'hs_is_closed', type: 'bool', group: 'dealinformation', readOnly: true },
  ],
  tickets: [
    s('subject', 'ticketinformation'),
    s('content', 'ticketinformation'),
    s('hs_pipeline', 'ticketinformation'),
    s('hs_pipeline_stage', 'ticketinformation'),
    e('hs_ticket_priority', 'ticketinformation', ['LOW', 'MEDIUM', 'HIGH', 'URGENT']),
    dt('closed_date', 'ticketinformation'),
    s('hubspot_owner_id', 'ticketinformation'),
    b(customPropertyNames.tickets.escalated, sandbox),
    e(customPropertyNames.tickets.sentiment, sandbox, ['positive', 'neutral', 'negative']),
  ],
  line_items: [
    s('name', 'lineiteminformation'),
    s('hs_product_id', 'lineiteminformation'),
    n('quantity', 'lineiteminformation'),
    n('price', 'lineiteminformation'),
  ],
  products: [
    s('name', 'productinformation'),
    s('hs_sku', 'productinformation'),
    n('price', 'productinformation'),
    s('recurringbillingfrequency', 'productinformation'),
    s(customPropertyNames.products.productLine, sandbox),
  ],
  meetings: [
    dt('hs_timestamp', engagement),
    s('hs_meeting_title', engagement),
    dt('hs_meeting_start_time', engagement),
    s('hs_activity_type', engagement),
  ],
  calls: [dt('hs_timestamp', engagement), s('hs_call_title', engagement)],
  emails: [dt('hs_timestamp', engagement), s('hs_email_subject', engagement)],
  notes: [dt('hs_timestamp', engagement), s('hs_note_body', engagement)],
  invoices: [
    n('hs_amount_billed', 'invoiceinformation'),
    d('hs_invoice_date', 'invoiceinformation'),
    d('hs_due_date', 'invoiceinformation'),
    e('hs_invoice_status', 'invoiceinformation', ['draft', 'open', 'paid', 'voided']),
    dt('hs_payment_date', 'invoiceinformation'),
  ],
  subscriptions: [
    s('hs_name', 'subscriptioninformation'),
    e('hs_status', 'subscriptioninformation', [
      'trialing',
      'active',
      'canceled',
      'expired',
      'past_due',
      'paused',
    ]),
    d('hs_recurring_billing_start_date', 'subscriptioninformation'),
    d('hs_next_payment_due_date', 'subscriptioninformation'),
    s(customPropertyNames.subscriptions.productId, sandbox),
    n(customPropertyNames.subscriptions.mrr, sandbox),
    b(customPropertyNames.subscriptions.autoRenew, sandbox),
    n(customPropertyNames.subscriptions.licensedSeats, sandbox),
  ],
  tasks: [
    dt('hs_timestamp', engagement),
    s('hs_task_subject', engagement),
    s('hs_task_body', engagement),
    e('hs_task_status', engagement, ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']),
    e('hs_task_priority', engagement, ['NONE', 'LOW', 'MEDIUM', 'HIGH']),
    s('hs_task_type', engagement),
    s('hubspot_owner_id', engagement),
  ],
};

export function defaultProperties(type: ObjectTypeName): DefaultProperty[] {
  return [...systemProperties, ...byType[type]];
}

/** Properties a list/get/search returns when the caller names none (HubSpot's defaults, trimmed). */
export const defaultReturnedProperties: Record<ObjectTypeName, readonly string[]> = {
  companies: ['name', 'domain'],
  contacts: ['firstname', 'lastname', 'email', 'lastmodifieddate'],
  deals: ['dealname', 'amount', 'closedate', 'dealstage', 'pipeline'],
  tickets: ['subject', 'content', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_priority'],
  line_items: ['name', 'quantity', 'price'],
  products: ['name', 'price'],
  meetings: ['hs_timestamp'],
  calls: ['hs_timestamp'],
  emails: ['hs_timestamp'],
  notes: ['hs_timestamp'],
  invoices: [],
  subscriptions: [],
  tasks: ['hs_task_subject', 'hs_timestamp'],
};

/** Returned on every object whatever the caller asked for, as HubSpot does. */
export const alwaysReturnedProperties = ['createdate', 'hs_lastmodifieddate', 'hs_object_id'] as const;

export const defaultGroupLabels: Record<string, string> = {
  system: 'System information',
  companyinformation: 'Company information',
  contactinformation: 'Contact information',
  dealinformation: 'Deal information',
  ticketinformation: 'Ticket information',
  lineiteminformation: 'Line item information',
  productinformation: 'Product information',
  engagement: 'Engagement information',
  invoiceinformation: 'Invoice information',
  subscriptioninformation: 'Subscription information',
  [SANDBOX_PROPERTY_GROUP]: 'Pulse sandbox demo data',
};
