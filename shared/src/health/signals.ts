import type { AccountSnapshot, Contact, Deal, Engagement, Invoice, Subscription, Ticket } from '../model';
import type { UsageSummary } from '../usage';
import type { TimeFrame } from './time';
import { DAY_MS, dayNumber, isAfter, isBefore, isLater, parseIsoMs, timeFrameAt } from './time';

export { summariseUsage } from './usage-summary';

/**
 * The raw signals Pulse scores an account from, derived from its snapshot at a given `now`.
 *
 * Every group is `null` when there is no data behind it: missing data is not zero, so a factor
 * reading a null group is excluded from the score instead of scoring 0. Every group carries
 * `asOf`, the newest underlying record time (ISO) — "as of" on the card. Records dated after `now`
 * (scheduled meetings, invoices issued tomorrow, a ticket closed later in a backtest) are ignored,
 * so scoring the same snapshot at the same `now` always gives the same signals.
 *
 * Windows: "last N days" means the instant `now - N × 24h` up to `now`; "12 months" is 365 days.
 * Day counts ("days since") are whole days, rounded down.
 */
export interface AccountSignals {
  accountId: string;
  /** 12 × the MRR of active (not trial, cancelled or expired) subscriptions. */
  arr: number;
  /** Average daily active users of the last 30 days ÷ licensed seats; null without both. */
  seatUtilisation: number | null;
  /** Active-user change, last 30 days vs the 30 before, in %; null without both windows. */
  usageGrowthPct: number | null;
  payment: PaymentSignals | null;
  engagement: EngagementSignals | null;
  usage: UsageSignals | null;
  support: SupportSignals | null;
  relationship: RelationshipSignals | null;
  contract: ContractSignals | null;
  outcomes: OutcomeSignals | null;
  plan: PlanSignals | null;
  nps: NpsSignals | null;
  flags: FlagSignals | null;
  /** The account's CRM properties, for custom factors (shared, not copied: treat as read-only). */
  attributes: AccountSnapshot['account']['attributes'];
  /** Per-day averages of extra usage metrics over the last 30 days; null without usage there. */
  usageMetrics: Record<string, number> | null;
  /** When the attributes were last updated (the account record's `updatedAt`). */
  attributesAsOf: string;
}

export interface PaymentSignals {
  asOf: string;
  /** Non-void invoices issued or paid in the last 12 months, plus older ones still overdue. */
  invoicesConsidered: number;
  /** Invoices paid in the last 12 months whose payment date is known. */
  paidInvoices: number;
  /** Average whole days paid after the due date (early counts as 0), of `paidInvoices`. */
  avgDaysLate: number | null;
  /** Unpaid invoices past their due date now (status `overdue`, or `open` with due date before today). */
  overdueCount: number;
  overdueAmount: number;
}

export interface EngagementSignals {
  asOf: string;
  daysSinceLastEmail: number | null;
  daysSinceLastMeeting: number | null;
  daysSinceLastCall: number | null;
  /** Smallest of the three above; null when the CRM holds no email, meeting or call. */
  daysSinceLastTouch: number | null;
  meetingsLast90Days: number;
  /** Product logins in the last 30 days; null when the product reports no usage. */
  loginsLast30Days: number | null;
  licensedSeats: number | null;
}

export interface UsageSignals {
  asOf: string;
  /** Average daily active users over the days reported in the last 30 (0 when none reported). */
  activeUsers: number;
  licensedSeats: number | null;
  seatUtilisation: number | null;
  activeUserTrendPct: number | null;
  featuresAdopted: number;
  featuresAvailable: number | null;
  /** featuresAdopted ÷ featuresAvailable, 0-1. */
  adoptionBreadth: number | null;
  apiCallsLast30Days: number;
  integrationCallsLast30Days: number;
  /** integration failures ÷ integration calls in the last 30 days; null without calls. */
  integrationFailureRate: number | null;
  /** Usage metric or account attribute `active_integrations`; null when neither is reported. */
  activeIntegrations: number | null;
  /** Whole days since the last day with a login; null when nobody ever logged in. */
  daysSinceLastLogin: number | null;
}

export interface SupportSignals {
  asOf: string;
  /** Tickets open or pending now. */
  openTickets: number;
  ticketsOpenedLast90Days: number;
  ticketsClosedLast90Days: number;
  /** Average days from opened to closed of tickets closed in the last 90 days (one decimal). */
  avgResolutionDays: number | null;
  escalationsLast90Days: number;
  negativeTicketsLast90Days: number;
}

export interface RelationshipSignals {
  asOf: string;
  /** Contacts who have not left the company. */
  contacts: number;
  /** Of those, contacts engaged in the last 90 days. */
  engagedContacts: number;
  championPresent: boolean;
  execSponsorPresent: boolean;
  /** A contact with the champion role has left the company. */
  championLeft: boolean;
  /** Whole days since the last QBR; null when none is recorded. */
  daysSinceLastQbr: number | null;
}

export interface ContractSignals {
  asOf: string;
  activeSubscriptions: number;
  /** Calendar days from today (UTC) to the earliest renewal of an active subscription; < 0 when passed. */
  daysToRenewal: number | null;
  nextRenewalDate: string | null;
  /** Every active subscription with a renewal date auto-renews; null when none has one. */
  autoRenew: boolean | null;
  /** Won expansion / contraction deals closed in the last 12 months, and their amounts. */
  expansionsLast12Months: number;
  contractionsLast12Months: number;
  expansionAmountLast12Months: number;
  contractionAmountLast12Months: number;
}

/** Success-plan outcomes, from the account attributes `success_goals_total`, `success_goals_met`, `roi_documented`. */
export interface OutcomeSignals {
  asOf: string;
  goalsTotal: number | null;
  goalsMet: number | null;
  roiDocumented: boolean | null;
}

export interface PlanSignals {
  asOf: string;
  /** `paid` with an active subscription, else `trial` with a trial, else `lapsed`. */
  status: 'paid' | 'trial' | 'lapsed';
  paidSubscriptions: number;
  trialSubscriptions: number;
}

/** Self-reported likelihood to recommend, 0-10, from the account attribute `nps`. */
export interface NpsSignals {
  asOf: string;
  score: number;
}

/** Open churn-signal flags; supplied by the caller (flags are computed outside this engine). */
export interface FlagSignals {
  open: number;
  critical: number;
}

export interface DeriveSignalsOptions {
  openFlags?: FlagSignals | null;
}

/** Date-only values become midnight UTC so every `asOf` is a date-time. */
function asOfText(text: string): string {
  return text.length === 10 ? text + 'T00:00:00.000Z' : text;
}

/** Whole days from `text` to `toMs`, rounded down. */
function daysSince(text: string | null, toMs: number): number | null {
  return text === null ? null : Math.floor((toMs - parseIsoMs(text)) / DAY_MS);
}

// Record times are compared as text against precomputed window boundaries (time.ts) and parsed
// only where a number is needed: parsing every timestamp was most of the engine's cost.

function derivePayment(invoices: readonly Invoice[], frame: TimeFrame): PaymentSignals | null {
  // Issue dates are calendar dates and payment times instants: tracked apart, compared once.
  let newestIssued: string | null = null;
  let newestPaid: string | null = null;
  let considered = 0;
  let paidInvoices = 0;
  let daysLateTotal = 0;
  let overdueCount = 0;
  let overdueAmount = 0;
  for (const invoice of invoices) {
    if (invoice.status === 'void' || isAfter(invoice.issuedAt, frame.now)) continue;
    const paidAt = invoice.paidAt;
    const paid = paidAt === null ? invoice.status === 'paid' : !isAfter(paidAt, frame.now);
    const overdue = !paid && (invoice.status === 'overdue' || isBefore(invoice.dueDate, frame.today));
    const paidRecently = paid && paidAt !== null && !isBefore(paidAt, frame.daysAgo365);
    if (!(overdue || paidRecently || !isBefore(invoice.issuedAt, frame.daysAgo365))) continue;
    considered++;
    if (newestIssued === null || invoice.issuedAt > newestIssued) newestIssued = invoice.issuedAt;
    if (paidRecently) {
      if (isLater(paidAt, newestPaid)) newestPaid = paidAt;
      // Whole days late = calendar days between the due date and the payment's UTC day.
      const late = dayNumber(paidAt) - dayNumber(invoice.dueDate);
      daysLateTotal += Math.max(late, 0);
      paidInvoices++;
    }
    if (overdue) {
      overdueCount++;
      overdueAmount += invoice.amount;
    }
  }
  if (newestIssued === null) return null;
  return {
    asOf: asOfText(latestOf(newestIssued, newestPaid)!),
    invoicesConsidered: considered,
    paidInvoices,
    avgDaysLate: paidInvoices === 0 ? null : Math.round((daysLateTotal / paidInvoices) * 10) / 10,
    overdueCount,
    overdueAmount,
  };
}

interface EngagementScan {
  lastEmail: string | null;
  lastMeeting: string | null;
  lastCall: string | null;
  lastQbr: string | null;
  meetingsLast90Days: number;
}

function scanEngagements(engagements: readonly Engagement[], frame: TimeFrame): EngagementScan {
  const scan: EngagementScan = {
    lastEmail: null,
    lastMeeting: null,
    lastCall: null,
    lastQbr: null,
    meetingsLast90Days: 0,
  };
  for (const engagement of engagements) {
    const occurredAt = engagement.occurredAt;
    if (isAfter(occurredAt, frame.now)) continue;
    if (engagement.isQbr && isLater(occurredAt, scan.lastQbr)) scan.lastQbr = occurredAt;
    // Notes are internal: they say nothing about the customer relationship's pulse.
    if (engagement.type === 'email') {
      if (isLater(occurredAt, scan.lastEmail)) scan.lastEmail = occurredAt;
    } else if (engagement.type === 'meeting') {
      if (isLater(occurredAt, scan.lastMeeting)) scan.lastMeeting = occurredAt;
      if (!isBefore(occurredAt, frame.daysAgo90)) scan.meetingsLast90Days++;
    } else if (engagement.type === 'call') {
      if (isLater(occurredAt, scan.lastCall)) scan.lastCall = occurredAt;
    }
  }
  return scan;
}

function latestOf(first: string | null, second: string | null): string | null {
  if (first === null) return second;
  return second !== null && isLater(second, first) ? second : first;
}

function deriveEngagement(
  scan: EngagementScan,
  usage: UsageSummary | null,
  licensedSeats: number | null,
  frame: TimeFrame,
): EngagementSignals | null {
  const lastTouch = latestOf(latestOf(scan.lastEmail, scan.lastMeeting), scan.lastCall);
  if (lastTouch === null && usage === null) return null;
  const newest = latestOf(lastTouch, usage === null ? null : (usage.lastLoginDay ?? usage.latestDay))!;
  const nowMs = frame.now.ms;
  const daysSinceLastEmail = daysSince(scan.lastEmail, nowMs);
  const daysSinceLastMeeting = daysSince(scan.lastMeeting, nowMs);
  const daysSinceLastCall = daysSince(scan.lastCall, nowMs);
  return {
    asOf: asOfText(newest),
    daysSinceLastEmail,
    daysSinceLastMeeting,
    daysSinceLastCall,
    daysSinceLastTouch:
      lastTouch === null
        ? null
        : Math.min(
            daysSinceLastEmail ?? Number.POSITIVE_INFINITY,
            daysSinceLastMeeting ?? Number.POSITIVE_INFINITY,
            daysSinceLastCall ?? Number.POSITIVE_INFINITY,
          ),
    meetingsLast90Days: scan.meetingsLast90Days,
    loginsLast30Days: usage === null ? null : (usage.current?.logins ?? 0),
    licensedSeats,
  };
}

function numericAttribute(value: string | number | boolean | null | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

function booleanAttribute(value: string | number | boolean | null | undefined): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'yes' || value === 1) return true;
  if (value === 'false' || value === 'no' || value === 0) return false;
  return null;
}

function deriveUsage(
  usage: UsageSummary | null,
  licensedSeats: number | null,
  attributes: AccountSignals['attributes'],
  frame: TimeFrame,
): UsageSignals | null {
  if (usage === null) return null;
  const current = usage.current;
  const previous = usage.previous;
  const activeUsers = current === null ? 0 : current.avgActiveUsers;
  const featuresAdopted = current === null ? 0 : current.maxFeaturesAdopted;
  const integrationCalls = current === null ? 0 : current.integrationCalls;
  const featuresAvailable = usage.featuresAvailable;
  const reportedIntegrations = current === null ? undefined : current.metrics['active_integrations'];
  return {
    asOf: asOfText(usage.latestDay),
    activeUsers,
    licensedSeats,
    seatUtilisation: licensedSeats === null || licensedSeats === 0 ? null : activeUsers / licensedSeats,
    activeUserTrendPct:
      previous === null || previous.avgActiveUsers === 0
        ? null
        : ((activeUsers - previous.avgActiveUsers) / previous.avgActiveUsers) * 100,
    featuresAdopted,
    featuresAvailable,
    adoptionBreadth:
      featuresAvailable === null || featuresAvailable === 0
        ? null
        : Math.min(1, featuresAdopted / featuresAvailable),
    apiCallsLast30Days: current === null ? 0 : current.apiCalls,
    integrationCallsLast30Days: integrationCalls,
    integrationFailureRate: integrationCalls === 0 ? null : current!.integrationFailures / integrationCalls,
    activeIntegrations: reportedIntegrations ?? numericAttribute(attributes['active_integrations']),
    // Calendar days: a login yesterday is 1 day ago whatever the hour now.
    daysSinceLastLogin: daysSince(usage.lastLoginDay, frame.today.ms),
  };
}

function deriveSupport(tickets: readonly Ticket[], frame: TimeFrame): SupportSignals | null {
  let newest: string | null = null;
  let openTickets = 0;
  let opened = 0;
  let closed = 0;
  let resolutionMsTotal = 0;
  let escalations = 0;
  let negative = 0;
  for (const ticket of tickets) {
    const openedAt = ticket.openedAt;
    if (isAfter(openedAt, frame.now)) continue;
    if (isLater(openedAt, newest)) newest = openedAt;
    const closedAt = ticket.closedAt;
    const isClosed = closedAt === null ? ticket.status === 'closed' : !isAfter(closedAt, frame.now);
    if (!isClosed) openTickets++;
    else if (closedAt !== null && !isBefore(closedAt, frame.daysAgo90)) {
      if (isLater(closedAt, newest)) newest = closedAt;
      closed++;
      resolutionMsTotal += parseIsoMs(closedAt) - parseIsoMs(openedAt);
    }
    if (!isBefore(openedAt, frame.daysAgo90)) {
      opened++;
      if (ticket.escalated) escalations++;
      if (ticket.sentiment === 'negative') negative++;
    }
  }
  if (newest === null) return null;
  return {
    asOf: asOfText(newest),
    openTickets,
    ticketsOpenedLast90Days: opened,
    ticketsClosedLast90Days: closed,
    avgResolutionDays: closed === 0 ? null : Math.round((resolutionMsTotal / closed / DAY_MS) * 10) / 10,
    escalationsLast90Days: escalations,
    negativeTicketsLast90Days: negative,
  };
}

function deriveRelationship(
  contacts: readonly Contact[],
  scan: EngagementScan,
  frame: TimeFrame,
): RelationshipSignals | null {
  let newest: string | null = scan.lastQbr;
  let current = 0;
  let engaged = 0;
  let championPresent = false;
  let execSponsorPresent = false;
  let championLeft = false;
  for (const contact of contacts) {
    if (!isAfter(contact.updatedAt, frame.now) && isLater(contact.updatedAt, newest)) {
      newest = contact.updatedAt;
    }
    if (contact.leftCompany) {
      if (contact.role === 'champion') championLeft = true;
      continue;
    }
    current++;
    if (contact.role === 'champion') championPresent = true;
    else if (contact.role === 'exec_sponsor') execSponsorPresent = true;
    const engagedAt = contact.lastEngagedAt;
    if (engagedAt !== null && !isAfter(engagedAt, frame.now)) {
      if (isLater(engagedAt, newest)) newest = engagedAt;
      if (!isBefore(engagedAt, frame.daysAgo90)) engaged++;
    }
  }
  if (newest === null) return null;
  return {
    asOf: asOfText(newest),
    contacts: current,
    engagedContacts: engaged,
    championPresent,
    execSponsorPresent,
    championLeft,
    daysSinceLastQbr: daysSince(scan.lastQbr, frame.now.ms),
  };
}

interface SubscriptionScan {
  newest: string | null;
  mrr: number;
  active: number;
  trials: number;
  seats: number | null;
  nextRenewalDate: string | null;
  withRenewal: number;
  autoRenewing: number;
}

function scanSubscriptions(subscriptions: readonly Subscription[], frame: TimeFrame): SubscriptionScan {
  const scan: SubscriptionScan = {
    newest: null,
    mrr: 0,
    active: 0,
    trials: 0,
    seats: null,
    nextRenewalDate: null,
    withRenewal: 0,
    autoRenewing: 0,
  };
  for (const subscription of subscriptions) {
    const updatedAt = subscription.updatedAt;
    if (!isAfter(updatedAt, frame.now) && isLater(updatedAt, scan.newest)) scan.newest = updatedAt;
    if (subscription.status === 'trial') scan.trials++;
    if (subscription.status !== 'active') continue;
    scan.active++;
    scan.mrr += subscription.mrr;
    if (subscription.licensedSeats !== null) scan.seats = (scan.seats ?? 0) + subscription.licensedSeats;
    const renewalDate = subscription.renewalDate;
    if (renewalDate !== null) {
      scan.withRenewal++;
      if (subscription.autoRenew) scan.autoRenewing++;
      // Calendar dates order correctly as text.
      if (scan.nextRenewalDate === null || renewalDate < scan.nextRenewalDate)
        scan.nextRenewalDate = renewalDate;
    }
  }
  return scan;
}

function deriveContract(
  scan: SubscriptionScan,
  deals: readonly Deal[],
  frame: TimeFrame,
): ContractSignals | null {
  let newest = scan.newest;
  let expansions = 0;
  let contractions = 0;
  let expansionAmount = 0;
  let contractionAmount = 0;
  for (const deal of deals) {
    const closeDate = deal.closeDate;
    if (deal.status !== 'won' || closeDate === null) continue;
    if (deal.type !== 'expansion' && deal.type !== 'contraction') continue;
    if (isAfter(closeDate, frame.now) || isBefore(closeDate, frame.daysAgo365)) continue;
    if (isLater(closeDate, newest)) newest = closeDate;
    if (deal.type === 'expansion') {
      expansions++;
      expansionAmount += deal.amount ?? 0;
    } else {
      contractions++;
      contractionAmount += deal.amount ?? 0;
    }
  }
  if ((scan.active === 0 && expansions + contractions === 0) || newest === null) return null;
  const renewal = scan.nextRenewalDate;
  return {
    asOf: asOfText(newest),
    activeSubscriptions: scan.active,
    daysToRenewal: renewal === null ? null : Math.round((parseIsoMs(renewal) - frame.today.ms) / DAY_MS),
    nextRenewalDate: renewal,
    autoRenew: scan.withRenewal === 0 ? null : scan.autoRenewing === scan.withRenewal,
    expansionsLast12Months: expansions,
    contractionsLast12Months: contractions,
    expansionAmountLast12Months: expansionAmount,
    contractionAmountLast12Months: contractionAmount,
  };
}

function derivePlan(scan: SubscriptionScan, subscriptionCount: number): PlanSignals | null {
  if (subscriptionCount === 0 || scan.newest === null) return null;
  return {
    asOf: asOfText(scan.newest),
    status: scan.active > 0 ? 'paid' : scan.trials > 0 ? 'trial' : 'lapsed',
    paidSubscriptions: scan.active,
    trialSubscriptions: scan.trials,
  };
}

function deriveOutcomes(attributes: AccountSignals['attributes'], asOf: string): OutcomeSignals | null {
  const goalsTotal = numericAttribute(attributes['success_goals_total']);
  const goalsMet = numericAttribute(attributes['success_goals_met']);
  const roiDocumented = booleanAttribute(attributes['roi_documented']);
  if ((goalsTotal === null || goalsTotal <= 0) && roiDocumented === null) return null;
  return { asOf, goalsTotal, goalsMet, roiDocumented };
}

/** Derives every signal of one account at `now`. Pure: same snapshot and `now`, same signals. */
export function deriveSignals(
  snapshot: AccountSnapshot,
  now: Date,
  options?: DeriveSignalsOptions,
): AccountSignals {
  const frame = timeFrameAt(now.getTime());
  const account = snapshot.account;
  const attributes = account.attributes;
  const usage = snapshot.usage;
  const subscriptions = scanSubscriptions(snapshot.subscriptions, frame);
  const licensedSeats = usage?.licensedSeats ?? subscriptions.seats;
  const engagementScan = scanEngagements(snapshot.engagements, frame);
  const usageSignals = deriveUsage(usage, licensedSeats, attributes, frame);
  const npsScore = numericAttribute(attributes['nps']);
  return {
    accountId: account.id,
    arr: subscriptions.mrr * 12,
    seatUtilisation: usageSignals?.seatUtilisation ?? null,
    usageGrowthPct: usageSignals?.activeUserTrendPct ?? null,
    payment: derivePayment(snapshot.invoices, frame),
    engagement: deriveEngagement(engagementScan, usage, licensedSeats, frame),
    usage: usageSignals,
    support: deriveSupport(snapshot.tickets, frame),
    relationship: deriveRelationship(snapshot.contacts, engagementScan, frame),
    contract: deriveContract(subscriptions, snapshot.deals, frame),
    outcomes: deriveOutcomes(attributes, account.updatedAt),
    plan: derivePlan(subscriptions, snapshot.subscriptions.length),
    nps: npsScore === null ? null : { asOf: account.updatedAt, score: npsScore },
    flags: options?.openFlags ?? null,
    attributes,
    usageMetrics: usage?.current?.metrics ?? null,
    attributesAsOf: account.updatedAt,
  };
}
