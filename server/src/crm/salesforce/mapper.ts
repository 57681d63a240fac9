import type { Account, Contact, Deal, Engagement, Invoice, Subscription, Ticket } from '@pulse/shared';

import {
  casePriorityValues,
  contactRoleValues,
  dealTypeValues,
  fromPicklist,
  invoiceStatusValues,
  pendingCaseStatuses,
  sentimentValues,
  subscriptionStatusValues,
  taskSubtypeValues,
} from './picklists';
import type {
  RawAccount,
  RawCase,
  RawContact,
  RawEvent,
  RawInvoice,
  RawOpportunity,
  RawSubscription,
  RawTask,
} from './raw-schemas';

/**
 * Raw Salesforce records -> canonical records. Pure: no I/O, no clock. A mapper returns the record
 * or a reason it cannot be mapped (the sync reports it as rejected and keeps the rest of the page).
 * The inverse for the sandbox is sandbox/salesforce/canonical-to-salesforce.ts.
 */

export type Mapped<T> = { ok: true; record: T } | { ok: false; reason: string };

const ok = <T>(record: T): Mapped<T> => ({ ok: true, record });
const fail = <T>(reason: string): Mapped<T> => ({ ok: false, reason });

/** `2026-01-02T03:04:05.000+0000` -> `2026-01-02T03:04:05.000Z`. */
export function isoInstant(value: string): string;
export function isoInstant(value: string | null | undefined): string | null;
export function isoInstant(value: string | null | undefined): string | null {
  if (!value) return null;
  const parsed = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

/** Website -> bare domain: `https://www.acme.com/about` -> `acme.com`. */
export function websiteDomain(website: string | null | undefined): string | null {
  if (!website) return null;
  const host = website
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/[/?#].*$/, '')
    .replace(/^www\./i, '')
    .toLowerCase();
  return host || null;
}

const nonNegative = (value: number | null | undefined) => (value == null || value < 0 ? null : value);

/**
 * Extra Account fields copied into `attributes` (usable by custom factors and workflow conditions),
 * keyed like HubSpot properties so one model config reads both: `NPS__c` -> `nps`, `Type` -> `type`.
 */
export function attributeKey(field: string): string {
  return field.replace(/__c$/i, '').toLowerCase();
}

export function accountAttributes(
  raw: Record<string, unknown>,
  fields: readonly string[],
): Account['attributes'] {
  const attributes: Account['attributes'] = {};
  for (const field of fields) {
    const value = raw[field];
    attributes[attributeKey(field)] =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value))
        ? value
        : null;
  }
  return attributes;
}

export function mapAccount(raw: RawAccount): Mapped<Omit<Account, 'tenantId'>> {
  return ok({
    id: raw.Id,
    name: raw.Name ?? '',
    domain: websiteDomain(raw.Website),
    industry: raw.Industry ?? null,
    employees: raw.NumberOfEmployees == null ? null : Math.max(0, Math.round(raw.NumberOfEmployees)),
    annualRevenue: nonNegative(raw.AnnualRevenue),
    previousAnnualRevenue: nonNegative(raw.Previous_Annual_Revenue__c),
    ownerId: raw.OwnerId ?? null,
    ownerName: raw.Owner?.Name ?? null,
    ownerEmail: raw.Owner?.Email ?? null,
    region: raw.Region__c ?? null,
    customerSince: raw.Customer_Since__c ?? null,
    csOptOut: raw.CS_Opt_Out__c ?? false,
    attributes: {},
    updatedAt: isoInstant(raw.SystemModstamp),
  });
}

export function mapContact(raw: RawContact): Mapped<Omit<Contact, 'tenantId'>> {
  if (!raw.AccountId) return fail('Contact has no AccountId');
  return ok({
    id: raw.Id,
    accountId: raw.AccountId,
    name: raw.Name ?? '',
    email: raw.Email ?? null,
    role: fromPicklist(contactRoleValues, raw.CS_Role__c) ?? 'user',
    leftCompany: raw.Left_Company__c ?? false,
    lastEngagedAt: isoInstant(raw.Last_Engaged_At__c),
    updatedAt: isoInstant(raw.SystemModstamp),
  });
}

export function mapOpportunity(raw: RawOpportunity): Mapped<Omit<Deal, 'tenantId'>> {
  if (!raw.AccountId) return fail('Opportunity has no AccountId');
  return ok({
    id: raw.Id,
    accountId: raw.AccountId,
    name: raw.Name ?? '',
    amount: raw.Amount ?? null,
    stage: raw.StageName ?? '',
    closeDate: raw.CloseDate ?? null,
    type: fromPicklist(dealTypeValues, raw.Type) ?? 'new',
    status: raw.IsWon ? 'won' : raw.IsClosed ? 'lost' : 'open',
    productId: raw.Pulse_Product_Id__c ?? null,
    ownerId: raw.OwnerId ?? null,
    updatedAt: isoInstant(raw.SystemModstamp),
  });
}

export function mapCase(raw: RawCase): Mapped<Omit<Ticket, 'tenantId'>> {
  if (!raw.AccountId) return fail('Case has no AccountId');
  const openedAt = isoInstant(raw.CreatedDate);
  if (!openedAt) return fail('Case has no CreatedDate');
  const pending = pendingCaseStatuses.some((status) => status.toLowerCase() === raw.Status?.toLowerCase());
  return ok({
    id: raw.Id,
    accountId: raw.AccountId,
    subject: raw.Subject ?? '',
    status: raw.IsClosed ? 'closed' : pending ? 'pending' : 'open',
    priority: fromPicklist(casePriorityValues, raw.Priority) ?? 'medium',
    openedAt,
    closedAt: raw.IsClosed ? isoInstant(raw.ClosedDate) : null,
    escalated: raw.IsEscalated ?? false,
    sentiment: fromPicklist(sentimentValues, raw.Sentiment__c),
    updatedAt: isoInstant(raw.SystemModstamp),
  });
}

/** WhoId may point at a Lead (00Q) as well as a Contact (003); only contacts are canonical. */
const contactId = (whoId: string | null | undefined) => (whoId?.startsWith('003') ? whoId : null);

export function mapTask(raw: RawTask): Mapped<Omit<Engagement, 'tenantId'>> {
  if (!raw.AccountId) return fail('Task has no AccountId');
  const occurredAt =
    isoInstant(raw.CompletedDateTime) ??
    (raw.ActivityDate ? `${raw.ActivityDate}T00:00:00.000Z` : null) ??
    isoInstant(raw.CreatedDate);
  if (!occurredAt) return fail('Task has no completion, activity or creation date');
  return ok({
    id: raw.Id,
    accountId: raw.AccountId,
    type: fromPicklist(taskSubtypeValues, raw.TaskSubtype) ?? 'note',
    occurredAt,
    isQbr: false,
    contactId: contactId(raw.WhoId),
    updatedAt: isoInstant(raw.SystemModstamp),
  });
}

export function mapEvent(raw: RawEvent): Mapped<Omit<Engagement, 'tenantId'>> {
  if (!raw.AccountId) return fail('Event has no AccountId');
  const occurredAt = isoInstant(raw.StartDateTime);
  if (!occurredAt) return fail('Event has no StartDateTime');
  return ok({
    id: raw.Id,
    accountId: raw.AccountId,
    type: 'meeting',
    occurredAt,
    isQbr: raw.Is_QBR__c ?? false,
    contactId: contactId(raw.WhoId),
    updatedAt: isoInstant(raw.SystemModstamp),
  });
}

export function mapSubscription(raw: RawSubscription): Mapped<Omit<Subscription, 'tenantId'>> {
  if (!raw.Account__c) return fail('Pulse_Subscription__c has no Account__c');
  if (!raw.Product__c) return fail('Pulse_Subscription__c has no Product__c');
  if (!raw.Start_Date__c) return fail('Pulse_Subscription__c has no Start_Date__c');
  return ok({
    id: raw.Id,
    accountId: raw.Account__c,
    productId: raw.Product__c,
    mrr: Math.max(0, raw.MRR__c ?? 0),
    startDate: raw.Start_Date__c,
    renewalDate: raw.Renewal_Date__c ?? null,
    autoRenew: raw.Auto_Renew__c ?? false,
    status: fromPicklist(subscriptionStatusValues, raw.Status__c) ?? 'active',
    licensedSeats: raw.Licensed_Seats__c == null ? null : Math.max(0, Math.round(raw.Licensed_Seats__c)),
    updatedAt: isoInstant(raw.SystemModstamp),
  });
}

export function mapInvoice(raw: RawInvoice): Mapped<Omit<Invoice, 'tenantId'>> {
  if (!raw.Account__c) return fail('Pulse_Invoice__c has no Account__c');
  if (raw.Amount__c == null) return fail('Pulse_Invoice__c has no Amount__c');
  if (!raw.Issued_On__c || !raw.Due_Date__c)
    return fail('Pulse_Invoice__c needs Issued_On__c and Due_Date__c');
  const status = fromPicklist(invoiceStatusValues, raw.Status__c);
  if (!status) return fail(`Pulse_Invoice__c has an unknown Status__c: ${JSON.stringify(raw.Status__c)}`);
  return ok({
    id: raw.Id,
    accountId: raw.Account__c,
    amount: raw.Amount__c,
    issuedAt: raw.Issued_On__c,
    dueDate: raw.Due_Date__c,
    paidAt: isoInstant(raw.Paid_At__c),
    status,
    updatedAt: isoInstant(raw.SystemModstamp),
  });
}
