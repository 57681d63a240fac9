import {
  type Account,
  type Contact,
  type Deal,
  type Engagement,
  type Invoice,
  type Product,
  type RecordKind,
  recordSchemas,
  type Subscription,
  sentiments,
  subscriptionStatuses,
  type Ticket,
  ticketPriorities,
} from '@pulse/shared';

import type { RawObject } from './raw-schemas';

/**
 * Pure raw HubSpot object → canonical record mappers. The custom property names and option values
 * mirror docs/sandbox-hubspot.md (the sandbox portal stores demo data the same way a portal set up
 * for Pulse would); standard HubSpot properties are used wherever HubSpot has one.
 */

export const hubspotObjectTypesByKind = {
  accounts: ['companies'],
  contacts: ['contacts'],
  deals: ['deals'],
  tickets: ['tickets'],
  engagements: ['meetings', 'calls', 'emails', 'notes'],
  subscriptions: ['subscriptions'],
  invoices: ['invoices'],
} as const satisfies Record<RecordKind, readonly string[]>;
export type HubSpotObjectType = (typeof hubspotObjectTypesByKind)[RecordKind][number];

/** Company properties copied into Account.attributes unless configured otherwise. */
export const defaultAttributeProperties = [
  'nps',
  'plan',
  'product_line',
  'segment',
  'lifecycle_stage',
  'mrr',
  'trial',
];

const LAST_MODIFIED = 'hs_lastmodifieddate';

export const propertiesByObjectType: Record<HubSpotObjectType, string[]> = {
  companies: [
    'name',
    'domain',
    'industry',
    'numberofemployees',
    'annualrevenue',
    'pulse_previous_annual_revenue',
    'hubspot_owner_id',
    'country',
    'hs_lifecyclestage_customer_date',
    'pulse_cs_opt_out',
    'hs_merged_object_ids',
    LAST_MODIFIED,
  ],
  contacts: [
    'firstname',
    'lastname',
    'email',
    'pulse_contact_role',
    'pulse_left_company',
    'notes_last_contacted',
    'hs_merged_object_ids',
    'lastmodifieddate',
    LAST_MODIFIED,
  ],
  deals: [
    'dealname',
    'amount',
    'dealstage',
    'closedate',
    'dealtype',
    'hubspot_owner_id',
    'hs_is_closed_won',
    'hs_is_closed',
    'pulse_product_id',
    'hs_merged_object_ids',
    LAST_MODIFIED,
  ],
  tickets: [
    'subject',
    'hs_pipeline_stage',
    'hs_ticket_priority',
    'createdate',
    'closed_date',
    'pulse_escalated',
    'pulse_sentiment',
    'hs_merged_object_ids',
    LAST_MODIFIED,
  ],
  meetings: ['hs_timestamp', 'hs_meeting_start_time', 'hs_activity_type', LAST_MODIFIED],
  calls: ['hs_timestamp', 'hs_activity_type', LAST_MODIFIED],
  emails: ['hs_timestamp', LAST_MODIFIED],
  notes: ['hs_timestamp', LAST_MODIFIED],
  subscriptions: [
    'hs_status',
    'hs_recurring_billing_start_date',
    'hs_next_payment_due_date',
    'pulse_product_id',
    'pulse_mrr',
    'pulse_auto_renew',
    'pulse_licensed_seats',
    LAST_MODIFIED,
  ],
  invoices: [
    'hs_amount_billed',
    'hs_invoice_date',
    'hs_due_date',
    'hs_invoice_status',
    'hs_payment_date',
    LAST_MODIFIED,
  ],
};

export const PRODUCT_PROPERTIES = ['name', 'hs_sku', 'price', 'pulse_product_line'];

export interface MapContext {
  tenantId: string;
  /** The company the record belongs to (primary association); null when it has none. */
  accountId: string | null;
  /** The contact an engagement is associated with, if any. */
  contactId?: string | null;
  owners: ReadonlyMap<string, { name: string | null; email: string | null }>;
  attributeProperties: readonly string[];
  now: Date;
}

export type MapResult<K extends RecordKind> =
  | { ok: true; record: RecordTypes[K] }
  | { ok: false; reason: string };
type RecordTypes = { [K in RecordKind]: (typeof recordSchemas)[K]['_output'] };

/** HubSpot date-times arrive as ISO strings or epoch milliseconds; anything else is null. */
export function toInstant(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const milliseconds = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(milliseconds) ? new Date(milliseconds).toISOString() : null;
}

/** Date properties: `YYYY-MM-DD`, a midnight-UTC instant or epoch milliseconds → `YYYY-MM-DD`. */
export function toCalendarDate(value: string | null | undefined): string | null {
  if (value && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    // Date.parse rolls 2026-02-30 over to March; a real calendar day survives the round trip.
    const milliseconds = Date.parse(`${value}T00:00:00Z`);
    return Number.isFinite(milliseconds) && new Date(milliseconds).toISOString().startsWith(value)
      ? value
      : null;
  }
  return toInstant(value)?.slice(0, 10) ?? null;
}

export function toNumber(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

const isBlank = (value: string | null | undefined) =>
  value === null || value === undefined || value.trim() === '';

/**
 * Reads typed values from HubSpot's string properties. A blank value is "unknown" (null); a value
 * that is present but does not parse is a problem, and the record is rejected rather than stored
 * with a silently missing value.
 */
export function propertyReader(properties: RawObject['properties'], problems: string[]) {
  const parse = <T>(name: string, parser: (value: string) => T | null, what: string): T | null => {
    const value = properties[name];
    if (isBlank(value)) return null;
    const parsed = parser(value!);
    if (parsed === null) problems.push(`${name}: "${value}" is not ${what}`);
    return parsed;
  };
  return {
    text: (name: string) => (isBlank(properties[name]) ? null : properties[name]!),
    number: (name: string) => parse(name, toNumber, 'a number'),
    integer: (name: string) =>
      parse(
        name,
        (value) => {
          const number = toNumber(value);
          return number === null ? null : Math.round(number);
        },
        'a number',
      ),
    instant: (name: string) => parse(name, toInstant, 'a date-time'),
    date: (name: string) => parse(name, toCalendarDate, 'a date'),
    boolean: (name: string) =>
      parse(name, (value) => (value === 'true' ? true : value === 'false' ? false : null), 'true or false') ??
      false,
  };
}

function pick<T extends string>(allowed: readonly T[], value: string | null | undefined): T | null {
  const lower = value?.toLowerCase();
  return (allowed as readonly string[]).includes(lower ?? '') ? (lower as T) : null;
}

/** The record's modification time: HubSpot's `hs_lastmodifieddate`, else the envelope's updatedAt. */
export function lastModified(raw: RawObject): string | null {
  return (
    toInstant(raw.properties[LAST_MODIFIED]) ??
    toInstant(raw.properties.lastmodifieddate) ??
    toInstant(raw.updatedAt)
  );
}

/** `hs_merged_object_ids` is a `;`-separated list of the ids folded into this record. */
export function mergedObjectIds(raw: RawObject): string[] {
  const value = raw.properties.hs_merged_object_ids;
  if (!value) return [];
  return value
    .split(';')
    .map((id) => id.trim())
    .filter((id) => id !== '' && id !== raw.id);
}

function attributeValue(value: string | null | undefined): string | number | boolean | null {
  if (value === null || value === undefined || value === '') return null;
  if (value === 'true' || value === 'false') return value === 'true';
  const number = Number(value);
  return Number.isFinite(number) && /^-?\d+(\.\d+)?$/.test(value) ? number : value;
}

export function mapCompany(raw: RawObject, context: MapContext, problems: string[] = []): Account {
  const p = raw.properties;
  const read = propertyReader(p, problems);
  const ownerId = read.text('hubspot_owner_id');
  const owner = ownerId ? context.owners.get(ownerId) : undefined;
  const attributes: Account['attributes'] = {};
  for (const name of context.attributeProperties) {
    if (name in p) attributes[name] = attributeValue(p[name]);
  }
  return {
    tenantId: context.tenantId,
    id: raw.id,
    name: p.name ?? '',
    domain: read.text('domain'),
    industry: read.text('industry'),
    employees: read.integer('numberofemployees'),
    annualRevenue: read.number('annualrevenue'),
    previousAnnualRevenue: read.number('pulse_previous_annual_revenue'),
    ownerId,
    ownerName: owner?.name ?? null,
    ownerEmail: owner?.email ?? null,
    region: read.text('country'),
    customerSince: read.date('hs_lifecyclestage_customer_date'),
    csOptOut: read.boolean('pulse_cs_opt_out'),
    attributes,
    updatedAt: lastModified(raw) ?? '',
  };
}

const contactRolesAllowed = ['champion', 'exec_sponsor', 'user'] as const;

export function mapContact(raw: RawObject, context: MapContext, problems: string[] = []): Contact {
  const p = raw.properties;
  const read = propertyReader(p, problems);
  const name = [p.firstname, p.lastname].filter((part) => part && part.trim() !== '').join(' ');
  return {
    tenantId: context.tenantId,
    id: raw.id,
    accountId: context.accountId ?? '',
    name: name || (p.email ?? ''),
    email: read.text('email'),
    role: pick(contactRolesAllowed, p.pulse_contact_role) ?? 'user',
    leftCompany: read.boolean('pulse_left_company'),
    lastEngagedAt: read.instant('notes_last_contacted'),
    updatedAt: lastModified(raw) ?? '',
  };
}

const dealTypeByValue: Record<string, Deal['type']> = {
  newbusiness: 'new',
  existingbusiness: 'expansion',
  renewal: 'renewal',
  contraction: 'contraction',
};

export function mapDeal(raw: RawObject, context: MapContext, problems: string[] = []): Deal {
  const p = raw.properties;
  const read = propertyReader(p, problems);
  const won = p.hs_is_closed_won === 'true' || p.dealstage === 'closedwon';
  const lost = !won && (p.dealstage === 'closedlost' || p.hs_is_closed === 'true');
  return {
    tenantId: context.tenantId,
    id: raw.id,
    accountId: context.accountId ?? '',
    name: p.dealname ?? '',
    amount: read.number('amount'),
    stage: p.dealstage ?? '',
    closeDate: read.date('closedate'),
    type: dealTypeByValue[p.dealtype ?? ''] ?? 'new',
    status: won ? 'won' : lost ? 'lost' : 'open',
    productId: read.text('pulse_product_id'),
    ownerId: read.text('hubspot_owner_id'),
    updatedAt: lastModified(raw) ?? '',
  };
}

/** Stage ids of HubSpot's default support pipeline: 1 new, 2 waiting on contact, 3 waiting on us, 4 closed. */
const ticketStatusByStage: Record<string, Ticket['status']> = {
  '1': 'open',
  '2': 'pending',
  '3': 'pending',
  '4': 'closed',
};

export function mapTicket(raw: RawObject, context: MapContext, problems: string[] = []): Ticket {
  const p = raw.properties;
  const read = propertyReader(p, problems);
  const closedAt = read.instant('closed_date');
  return {
    tenantId: context.tenantId,
    id: raw.id,
    accountId: context.accountId ?? '',
    subject: p.subject ?? '',
    status: ticketStatusByStage[p.hs_pipeline_stage ?? ''] ?? (closedAt ? 'closed' : 'open'),
    priority: pick(ticketPriorities, p.hs_ticket_priority) ?? 'medium',
    openedAt: read.instant('createdate') ?? toInstant(raw.createdAt) ?? '',
    closedAt,
    escalated: read.boolean('pulse_escalated'),
    sentiment: pick(sentiments, p.pulse_sentiment),
    updatedAt: lastModified(raw) ?? '',
  };
}

const engagementTypeByObject: Record<string, Engagement['type']> = {
  meetings: 'meeting',
  calls: 'call',
  emails: 'email',
  notes: 'note',
};
export const QBR_ACTIVITY_TYPE = 'QBR';

export function mapEngagement(
  raw: RawObject,
  objectType: string,
  context: MapContext,
  problems: string[] = [],
): Engagement {
  const p = raw.properties;
  const read = propertyReader(p, problems);
  return {
    tenantId: context.tenantId,
    id: raw.id,
    accountId: context.accountId ?? '',
    type: engagementTypeByObject[objectType] ?? 'note',
    occurredAt: read.instant('hs_timestamp') ?? read.instant('hs_meeting_start_time') ?? '',
    isQbr: p.hs_activity_type === QBR_ACTIVITY_TYPE,
    contactId: context.contactId ?? null,
    updatedAt: lastModified(raw) ?? '',
  };
}

const subscriptionStatusByValue: Record<string, Subscription['status']> = {
  trialing: 'trial',
  active: 'active',
  canceled: 'cancelled',
  cancelled: 'cancelled',
  expired: 'expired',
  past_due: 'active',
};

export function mapSubscription(raw: RawObject, context: MapContext, problems: string[] = []): Subscription {
  const p = raw.properties;
  const read = propertyReader(p, problems);
  const status = subscriptionStatusByValue[p.hs_status ?? ''] ?? pick(subscriptionStatuses, p.hs_status);
  if (!status) problems.push(`hs_status: "${p.hs_status ?? ''}" is not a known subscription status`);
  return {
    tenantId: context.tenantId,
    id: raw.id,
    accountId: context.accountId ?? '',
    productId: p.pulse_product_id ?? '',
    mrr: read.number('pulse_mrr') ?? 0,
    startDate: read.date('hs_recurring_billing_start_date') ?? '',
    renewalDate: read.date('hs_next_payment_due_date'),
    autoRenew: read.boolean('pulse_auto_renew'),
    status: status ?? 'active',
    licensedSeats: read.integer('pulse_licensed_seats'),
    updatedAt: lastModified(raw) ?? '',
  };
}

/** HubSpot has no "overdue" status: an open invoice past its due date is overdue. */
export function mapInvoice(raw: RawObject, context: MapContext, problems: string[] = []): Invoice {
  const p = raw.properties;
  const read = propertyReader(p, problems);
  const dueDate = read.date('hs_due_date') ?? '';
  const today = context.now.toISOString().slice(0, 10);
  const status: Invoice['status'] =
    p.hs_invoice_status === 'paid'
      ? 'paid'
      : p.hs_invoice_status === 'voided'
        ? 'void'
        : dueDate !== '' && dueDate < today
          ? 'overdue'
          : 'open';
  return {
    tenantId: context.tenantId,
    id: raw.id,
    accountId: context.accountId ?? '',
    amount: read.number('hs_amount_billed') ?? Number.NaN,
    issuedAt: read.date('hs_invoice_date') ?? '',
    dueDate,
    paidAt: read.instant('hs_payment_date'),
    status,
    updatedAt: lastModified(raw) ?? '',
  };
}

export function mapProduct(raw: RawObject): Omit<Product, 'tenantId'> {
  const p = raw.properties;
  return {
    id: p.hs_sku || raw.id,
    name: p.name ?? raw.id,
    productLine: isBlank(p.pulse_product_line) ? null : p.pulse_product_line!,
    monthlyPrice: toNumber(p.price) ?? 0,
    active: raw.archived !== true,
  };
}

/**
 * Raw object → canonical record, validated by the canonical schema. A record that does not fit
 * (no company, a value that does not parse, a missing required value) is rejected with the
 * reason, never stored half-right.
 */
export function mapRecord<K extends RecordKind>(
  kind: K,
  objectType: string,
  raw: RawObject,
  context: MapContext,
): MapResult<K> {
  if (kind !== 'accounts' && !context.accountId)
    return { ok: false, reason: `${objectType} ${raw.id}: no associated company` };
  const problems: string[] = [];
  const mapped =
    kind === 'accounts'
      ? mapCompany(raw, context, problems)
      : kind === 'contacts'
        ? mapContact(raw, context, problems)
        : kind === 'deals'
          ? mapDeal(raw, context, problems)
          : kind === 'tickets'
            ? mapTicket(raw, context, problems)
            : kind === 'engagements'
              ? mapEngagement(raw, objectType, context, problems)
              : kind === 'subscriptions'
                ? mapSubscription(raw, context, problems)
                : mapInvoice(raw, context, problems);
  if (problems.length > 0)
    return { ok: false, reason: `invalid ${objectType} ${raw.id}: ${problems.join('; ')}` };
  const parsed = recordSchemas[kind].safeParse(mapped);
  if (parsed.success) return { ok: true, record: parsed.data as RecordTypes[K] };
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  return { ok: false, reason: `invalid ${objectType} ${raw.id}: ${issues.join('; ')}` };
}
