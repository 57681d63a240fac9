import type { AccountSnapshot, Contact, Deal, Engagement, Invoice, Subscription, Ticket } from '../model';
import type { UsageSummary } from '../usage';
import { DAY_MS, parseIsoMs, utcDayStart } from './time';

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

/** Newest record time seen so far: its epoch ms and the ISO text it came from. */
interface Newest {
  ms: number;
  text: string | null;
}

function consider(newest: Newest, ms: number, text: string): void {
  if (ms > newest.ms) {
    newest.ms = ms;
    newest.text = text;
  }
}

/** Date-only values become midnight UTC so every `asOf` is a date-time. */
function asOfText(newest: Newest): string {
  const text = newest.text!;
  return text.length === 10 ? text + 'T00:00:00.000Z' : text;
}

function wholeDays(fromMs: number, toMs: number): number {
  return Math.floor((toMs - fromMs) / DAY_MS);
}

function derivePayment(invoices: readonly Invoice[], nowMs: number, todayMs: number): PaymentSignals | null {
  const yearAgo = nowMs - 365 * DAY_MS;
  const newest: Newest = { ms: Number.NEGATIVE_INFINITY, text: null };
  let considered = 0;
  let paidInvoices = 0;
  let daysLateTotal = 0;
  let overdueCount = 0;
  let overdueAmount = 0;
  for (const invoice of invoices) {
    if (invoice.status === 'void') continue;
    const issuedMs = parseIsoMs(invoice.issuedAt);
    if (issuedMs > nowMs) continue;
    const paidMs = invoice.paidAt === null ? Number.NaN : parseIsoMs(invoice.paidAt);
    const paid = invoice.paidAt === null ? invoice.status === 'paid' : paidMs <= nowMs;
    const overdue = !paid && (invoice.status === 'overdue' || parseIsoMs(invoice.dueDate) < todayMs);
    const paidRecently = paid && paidMs >= yearAgo;
    if (!(issuedMs >= yearAgo || overdue || paidRecently)) continue;
    considered++;
    consider(newest, issuedMs, invoice.issuedAt);
    if (paidRecently) {
      consider(newest, paidMs, invoice.paidAt!);
      const late = Math.floor((paidMs - parseIsoMs(invoice.dueDate)) / DAY_MS);
      daysLateTotal += Math.max(late, 0);
      paidInvoices++;
    }
    if (overdue) {
      overdueCount++;
      overdueAmount += invoice.amount;
    }
  }
  if (considered === 0) return null;
  return {
    asOf: asOfText(newest),
    invoicesConsidered: considered,
    paidInvoices,
    avgDaysLate: paidInvoices === 0 ? null : Math.round((daysLateTotal / paidInvoices) * 10) / 10,
    overdueCount,
    overdueAmount,
  };
}

interface EngagementScan {
  newest: Newest;
  lastEmailMs: number;
  lastMeetingMs: number;
  lastCallMs: number;
  meetingsLast90Days: number;
  lastQbrMs: number;
  lastQbrText: string | null;
}

function scanEngagements(engagements: readonly Engagement[], nowMs: number): EngagementScan {
  const scan: EngagementScan = {
    newest: { ms: Number.NEGATIVE_INFINITY, text: null },
    lastEmailMs: Number.NEGATIVE_INFINITY,
    lastMeetingMs: Number.NEGATIVE_INFINITY,
    lastCallMs: Number.NEGATIVE_INFINITY,
    meetingsLast90Days: 0,
    lastQbrMs: Number.NEGATIVE_INFINITY,
    lastQbrText: null,
  };
  const ninetyDaysAgo = nowMs - 90 * DAY_MS;
  for (const engagement of engagements) {
    const occurredMs = parseIsoMs(engagement.occurredAt);
    if (occurredMs > nowMs) continue;
    if (engagement.isQbr && occurredMs > scan.lastQbrMs) {
      scan.lastQbrMs = occurredMs;
      scan.lastQbrText = engagement.occurredAt;
    }
    // Notes are internal: they say nothing about the customer relationship's pulse.
    if (engagement.type === 'note') continue;
    consider(scan.newest, occurredMs, engagement.occurredAt);
    if (engagement.type === 'email') {
      if (occurredMs > scan.lastEmailMs) scan.lastEmailMs = occurredMs;
    } else if (engagement.type === 'meeting') {
      if (occurredMs > scan.lastMeetingMs) scan.lastMeetingMs = occurredMs;
      if (occurredMs >= ninetyDaysAgo) scan.meetingsLast90Days++;
    } else if (occurredMs > scan.lastCallMs) {
      scan.lastCallMs = occurredMs;
    }
  }
  return scan;
}

function daysSince(lastMs: number, nowMs: number): number | null {
  return lastMs === Number.NEGATIVE_INFINITY ? null : wholeDays(lastMs, nowMs);
}

function deriveEngagement(
  scan: EngagementScan,
  usage: UsageSummary | null,
  licensedSeats: number | null,
  nowMs: number,
): EngagementSignals | null {
  const newest = scan.newest;
  if (newest.text === null && usage === null) return null;
  if (usage !== null && usage.lastLoginDay !== null) {
    consider(newest, parseIsoMs(usage.lastLoginDay), usage.lastLoginDay);
  }
  if (newest.text === null) consider(newest, parseIsoMs(usage!.latestDay), usage!.latestDay);
  const lastTouchMs = Math.max(scan.lastEmailMs, scan.lastMeetingMs, scan.lastCallMs);
  return {
    asOf: asOfText(newest),
    daysSinceLastEmail: daysSince(scan.lastEmailMs, nowMs),
    daysSinceLastMeeting: daysSince(scan.lastMeetingMs, nowMs),
    daysSinceLastCall: daysSince(scan.lastCallMs, nowMs),
    daysSinceLastTouch: daysSince(lastTouchMs, nowMs),
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
  todayMs: number,
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
    asOf: usage.latestDay + 'T00:00:00.000Z',
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
    daysSinceLastLogin:
      usage.lastLoginDay === null ? null : wholeDays(parseIsoMs(usage.lastLoginDay), todayMs),
  };
}

function deriveSupport(tickets: readonly Ticket[], nowMs: number): SupportSignals | null {
  const ninetyDaysAgo = nowMs - 90 * DAY_MS;
  const newest: Newest = { ms: Number.NEGATIVE_INFINITY, text: null };
  let openTickets = 0;
  let opened = 0;
  let closed = 0;
  let resolutionMsTotal = 0;
  let escalations = 0;
  let negative = 0;
  for (const ticket of tickets) {
    const openedMs = parseIsoMs(ticket.openedAt);
    if (openedMs > nowMs) continue;
    consider(newest, openedMs, ticket.openedAt);
    const closedMs = ticket.closedAt === null ? Number.NaN : parseIsoMs(ticket.closedAt);
    const isClosed = ticket.closedAt === null ? ticket.status === 'closed' : closedMs <= nowMs;
    if (!isClosed) openTickets++;
    else if (closedMs >= ninetyDaysAgo) {
      consider(newest, closedMs, ticket.closedAt!);
      closed++;
      resolutionMsTotal += closedMs - openedMs;
    }
    if (openedMs >= ninetyDaysAgo) {
      opened++;
      if (ticket.escalated) escalations++;
      if (ticket.sentiment === 'negative') negative++;
    }
  }
  if (newest.text === null) return null;
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
  nowMs: number,
): RelationshipSignals | null {
  if (contacts.length === 0 && scan.lastQbrText === null) return null;
  const ninetyDaysAgo = nowMs - 90 * DAY_MS;
  const newest: Newest = { ms: Number.NEGATIVE_INFINITY, text: null };
  let current = 0;
  let engaged = 0;
  let championPresent = false;
  let execSponsorPresent = false;
  let championLeft = false;
  for (const contact of contacts) {
    const updatedMs = parseIsoMs(contact.updatedAt);
    if (updatedMs <= nowMs) consider(newest, updatedMs, contact.updatedAt);
    if (contact.leftCompany) {
      if (contact.role === 'champion') championLeft = true;
      continue;
    }
    current++;
    if (contact.role === 'champion') championPresent = true;
    else if (contact.role === 'exec_sponsor') execSponsorPresent = true;
    if (contact.lastEngagedAt !== null) {
      const engagedMs = parseIsoMs(contact.lastEngagedAt);
      if (engagedMs <= nowMs) {
        consider(newest, engagedMs, contact.lastEngagedAt);
        if (engagedMs >= ninetyDaysAgo) engaged++;
      }
    }
  }
  if (scan.lastQbrText !== null) consider(newest, scan.lastQbrMs, scan.lastQbrText);
  if (newest.text === null) return null;
  return {
    asOf: asOfText(newest),
    contacts: current,
    engagedContacts: engaged,
    championPresent,
    execSponsorPresent,
    championLeft,
    daysSinceLastQbr: daysSince(scan.lastQbrMs, nowMs),
  };
}

interface SubscriptionScan {
  newest: Newest;
  mrr: number;
  active: number;
  trials: number;
  seats: number | null;
  nextRenewalMs: number;
  nextRenewalDate: string | null;
  withRenewal: number;
  autoRenewing: number;
}

function scanSubscriptions(subscriptions: readonly Subscription[], nowMs: number): SubscriptionScan {
  const scan: SubscriptionScan = {
    newest: { ms: Number.NEGATIVE_INFINITY, text: null },
    mrr: 0,
    active: 0,
    trials: 0,
    seats: null,
    nextRenewalMs: Number.POSITIVE_INFINITY,
    nextRenewalDate: null,
    withRenewal: 0,
    autoRenewing: 0,
  };
  for (const subscription of subscriptions) {
    const updatedMs = parseIsoMs(subscription.updatedAt);
    if (updatedMs <= nowMs) consider(scan.newest, updatedMs, subscription.updatedAt);
    if (subscription.status === 'trial') scan.trials++;
    if (subscription.status !== 'active') continue;
    scan.active++;
    scan.mrr += subscription.mrr;
    if (subscription.licensedSeats !== null) scan.seats = (scan.seats ?? 0) + subscription.licensedSeats;
    if (subscription.renewalDate !== null) {
      scan.withRenewal++;
      if (subscription.autoRenew) scan.autoRenewing++;
      const renewalMs = parseIsoMs(subscription.renewalDate);
      if (renewalMs < scan.nextRenewalMs) {
        scan.nextRenewalMs = renewalMs;
        scan.nextRenewalDate = subscription.renewalDate;
      }
    }
  }
  return scan;
}

function deriveContract(
  scan: SubscriptionScan,
  deals: readonly Deal[],
  nowMs: number,
  todayMs: number,
): ContractSignals | null {
  const yearAgo = nowMs - 365 * DAY_MS;
  const newest: Newest = { ms: scan.newest.ms, text: scan.newest.text };
  let expansions = 0;
  let contractions = 0;
  let expansionAmount = 0;
  let contractionAmount = 0;
  for (const deal of deals) {
    if (deal.status !== 'won' || deal.closeDate === null) continue;
    if (deal.type !== 'expansion' && deal.type !== 'contraction') continue;
    const closeMs = parseIsoMs(deal.closeDate);
    if (closeMs > nowMs || closeMs < yearAgo) continue;
    consider(newest, closeMs, deal.closeDate);
    if (deal.type === 'expansion') {
      expansions++;
      expansionAmount += deal.amount ?? 0;
    } else {
      contractions++;
      contractionAmount += deal.amount ?? 0;
    }
  }
  if ((scan.active === 0 && expansions + contractions === 0) || newest.text === null) return null;
  return {
    asOf: asOfText(newest),
    activeSubscriptions: scan.active,
    daysToRenewal: scan.nextRenewalDate === null ? null : Math.round((scan.nextRenewalMs - todayMs) / DAY_MS),
    nextRenewalDate: scan.nextRenewalDate,
    autoRenew: scan.withRenewal === 0 ? null : scan.autoRenewing === scan.withRenewal,
    expansionsLast12Months: expansions,
    contractionsLast12Months: contractions,
    expansionAmountLast12Months: expansionAmount,
    contractionAmountLast12Months: contractionAmount,
  };
}

function derivePlan(scan: SubscriptionScan, subscriptionCount: number): PlanSignals | null {
  if (subscriptionCount === 0 || scan.newest.text === null) return null;
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
  const nowMs = now.getTime();
  const todayMs = utcDayStart(nowMs);
  const account = snapshot.account;
  const attributes = account.attributes;
  const usage = snapshot.usage;
  const subscriptions = scanSubscriptions(snapshot.subscriptions, nowMs);
  const licensedSeats = usage?.licensedSeats ?? subscriptions.seats;
  const engagementScan = scanEngagements(snapshot.engagements, nowMs);
  const usageSignals = deriveUsage(usage, licensedSeats, attributes, todayMs);
  const plan = derivePlan(subscriptions, snapshot.subscriptions.length);
  const npsScore = numericAttribute(attributes['nps']);
  return {
    accountId: account.id,
    arr: subscriptions.mrr * 12,
    seatUtilisation: usageSignals?.seatUtilisation ?? null,
    usageGrowthPct: usageSignals?.activeUserTrendPct ?? null,
    payment: derivePayment(snapshot.invoices, nowMs, todayMs),
    engagement: deriveEngagement(engagementScan, usage, licensedSeats, nowMs),
    usage: usageSignals,
    support: deriveSupport(snapshot.tickets, nowMs),
    relationship: deriveRelationship(snapshot.contacts, engagementScan, nowMs),
    contract: deriveContract(subscriptions, snapshot.deals, nowMs, todayMs),
    outcomes: deriveOutcomes(attributes, account.updatedAt),
    plan,
    nps: npsScore === null ? null : { asOf: account.updatedAt, score: npsScore },
    flags: options?.openFlags ?? null,
    attributes,
    usageMetrics: usage?.current?.metrics ?? null,
    attributesAsOf: account.updatedAt,
  };
}
