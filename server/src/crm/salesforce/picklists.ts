import type { ContactRole, Deal, Engagement, Invoice, Subscription, Ticket } from '@pulse/shared';

/**
 * Canonical values <-> Salesforce picklist values, in one table per field so the connector's
 * mapper and the sandbox's seeding agree. Standard picklists use Salesforce's default values;
 * the custom ones are defined by the DX package in extension/salesforce.
 */

export const dealTypeValues: Record<Deal['type'], string> = {
  new: 'New Business',
  renewal: 'Renewal',
  expansion: 'Existing Customer - Upgrade',
  contraction: 'Existing Customer - Downgrade',
};

export const WON_STAGE = 'Closed Won';
export const LOST_STAGE = 'Closed Lost';

/** Canonical status -> the Case Status Pulse writes in the sandbox; reading accepts any status. */
export const caseStatusValues: Record<Ticket['status'], string> = {
  open: 'Working',
  pending: 'On Hold',
  closed: 'Closed',
};
/** Case statuses that mean "waiting on someone else" rather than being worked on. */
export const pendingCaseStatuses = ['On Hold', 'Waiting on Customer', 'Pending'];

export const casePriorityValues: Record<Ticket['priority'], string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  urgent: 'Critical',
};

export const sentimentValues: Record<NonNullable<Ticket['sentiment']>, string> = {
  positive: 'Positive',
  neutral: 'Neutral',
  negative: 'Negative',
};

/** Task subtypes for the engagement types a Task carries; meetings are Events. */
export const taskSubtypeValues: Record<Exclude<Engagement['type'], 'meeting'>, string> = {
  email: 'Email',
  call: 'Call',
  note: 'Task',
};

export const contactRoleValues: Record<ContactRole, string> = {
  champion: 'Champion',
  exec_sponsor: 'Executive Sponsor',
  user: 'User',
};

export const subscriptionStatusValues: Record<Subscription['status'], string> = {
  trial: 'Trial',
  active: 'Active',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

export const invoiceStatusValues: Record<Invoice['status'], string> = {
  open: 'Open',
  paid: 'Paid',
  overdue: 'Overdue',
  void: 'Void',
};

export const taskPriorityValues = { low: 'Low', medium: 'Normal', high: 'High' } as const;

/** Case-insensitive reverse lookup: picklist value -> canonical value. */
export function fromPicklist<T extends string>(
  table: Record<T, string>,
  value: string | null | undefined,
): T | null {
  if (!value) return null;
  const lower = value.toLowerCase();
  const entry = Object.entries(table).find(([, label]) => (label as string).toLowerCase() === lower);
  return entry ? (entry[0] as T) : null;
}
