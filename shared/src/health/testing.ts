import fc from 'fast-check';

import type { AccountSnapshot, Contact, Deal, Engagement, Invoice, Subscription, Ticket } from '../model';
import type { AccountSignals } from './signals';

/**
 * Test support for the health engine: snapshot builders with readable defaults and fast-check
 * arbitraries of account signals. Only tests import this file.
 */

const TENANT = 'tenant-1';
const ACCOUNT = 'account-1';
const UPDATED = '2026-01-01T00:00:00.000Z';

export function accountSnapshot(overrides: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    account: {
      tenantId: TENANT,
      id: ACCOUNT,
      name: 'Acme',
      domain: 'acme.example',
      industry: 'Software',
      employees: 120,
      annualRevenue: null,
      previousAnnualRevenue: null,
      ownerId: null,
      ownerName: null,
      ownerEmail: null,
      region: null,
      customerSince: '2024-01-01',
      csOptOut: false,
      attributes: {},
      updatedAt: UPDATED,
    },
    contacts: [],
    deals: [],
    tickets: [],
    engagements: [],
    subscriptions: [],
    invoices: [],
    usage: null,
    ...overrides,
  };
}

let sequence = 0;
const nextId = (prefix: string): string => `${prefix}-${++sequence}`;

export function invoice(
  fields: Partial<Invoice> & Pick<Invoice, 'issuedAt' | 'dueDate' | 'status'>,
): Invoice {
  return {
    tenantId: TENANT,
    accountId: ACCOUNT,
    id: nextId('invoice'),
    amount: 1000,
    paidAt: null,
    updatedAt: UPDATED,
    ...fields,
  };
}

export function engagement(
  fields: Partial<Engagement> & Pick<Engagement, 'type' | 'occurredAt'>,
): Engagement {
  return {
    tenantId: TENANT,
    accountId: ACCOUNT,
    id: nextId('engagement'),
    isQbr: false,
    contactId: null,
    updatedAt: UPDATED,
    ...fields,
  };
}

export function ticket(fields: Partial<Ticket> & Pick<Ticket, 'openedAt'>): Ticket {
  return {
    tenantId: TENANT,
    accountId: ACCOUNT,
    id: nextId('ticket'),
    subject: 'Help',
    status: 'open',
    priority: 'medium',
    closedAt: null,
    escalated: false,
    sentiment: null,
    updatedAt: UPDATED,
    ...fields,
  };
}

export function contact(fields: Partial<Contact> = {}): Contact {
  return {
    tenantId: TENANT,
    accountId: ACCOUNT,
    id: nextId('contact'),
    name: 'Jo',
    email: null,
    role: 'user',
    leftCompany: false,
    lastEngagedAt: null,
    updatedAt: UPDATED,
    ...fields,
  };
}

export function subscription(fields: Partial<Subscription> = {}): Subscription {
  return {
    tenantId: TENANT,
    accountId: ACCOUNT,
    id: nextId('subscription'),
    productId: 'product-1',
    mrr: 1000,
    startDate: '2025-01-01',
    renewalDate: null,
    autoRenew: false,
    status: 'active',
    licensedSeats: null,
    updatedAt: UPDATED,
    ...fields,
  };
}

export function deal(fields: Partial<Deal> & Pick<Deal, 'type' | 'status' | 'closeDate'>): Deal {
  return {
    tenantId: TENANT,
    accountId: ACCOUNT,
    id: nextId('deal'),
    name: 'Deal',
    amount: 5000,
    stage: 'closedwon',
    productId: null,
    ownerId: null,
    updatedAt: UPDATED,
    ...fields,
  };
}

const asOf: fc.Arbitrary<string> = fc.constant('2026-11-01T00:00:00.000Z');
const count = (max: number) => fc.integer({ min: 0, max });
const days = (max: number) => fc.integer({ min: 0, max });
const nullable = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
const real = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** Any internally consistent set of account signals, each group possibly missing. */
export const arbitrarySignals: fc.Arbitrary<AccountSignals> = fc
  .record({
    arr: real(0, 2_000_000),
    payment: nullable(
      fc.record({
        asOf,
        invoicesConsidered: count(40),
        paidInvoices: count(24),
        avgDaysLate: nullable(real(0, 200)),
        overdueCount: count(12),
        overdueAmount: real(0, 500_000),
      }),
    ),
    engagement: nullable(
      fc.record({
        asOf,
        daysSinceLastEmail: nullable(days(400)),
        daysSinceLastMeeting: nullable(days(400)),
        daysSinceLastCall: nullable(days(400)),
        daysSinceLastTouch: nullable(days(400)),
        meetingsLast90Days: count(20),
        loginsLast30Days: nullable(count(5000)),
        licensedSeats: nullable(count(500)),
      }),
    ),
    usage: nullable(
      fc.record({
        asOf,
        activeUsers: real(0, 500),
        licensedSeats: nullable(count(500)),
        seatUtilisation: nullable(real(0, 1.5)),
        activeUserTrendPct: nullable(real(-100, 300)),
        featuresAdopted: count(40),
        featuresAvailable: nullable(count(40)),
        adoptionBreadth: nullable(real(0, 1)),
        apiCallsLast30Days: count(100_000),
        integrationCallsLast30Days: count(10_000),
        integrationFailureRate: nullable(real(0, 1)),
        activeIntegrations: nullable(count(10)),
        daysSinceLastLogin: nullable(days(200)),
      }),
    ),
    support: nullable(
      fc.record({
        asOf,
        openTickets: count(20),
        ticketsOpenedLast90Days: count(30),
        ticketsClosedLast90Days: count(30),
        avgResolutionDays: nullable(real(0, 60)),
        escalationsLast90Days: count(8),
        negativeTicketsLast90Days: count(8),
      }),
    ),
    relationship: nullable(
      fc.record({
        asOf,
        contacts: count(20),
        engagedContacts: count(20),
        championPresent: fc.boolean(),
        execSponsorPresent: fc.boolean(),
        championLeft: fc.boolean(),
        daysSinceLastQbr: nullable(days(800)),
      }),
    ),
    contract: nullable(
      fc.record({
        asOf,
        activeSubscriptions: count(5),
        daysToRenewal: nullable(fc.integer({ min: -60, max: 800 })),
        nextRenewalDate: fc.constant(null),
        autoRenew: nullable(fc.boolean()),
        expansionsLast12Months: count(5),
        contractionsLast12Months: count(5),
        expansionAmountLast12Months: real(0, 100_000),
        contractionAmountLast12Months: real(0, 100_000),
      }),
    ),
    outcomes: nullable(
      fc.record({
        asOf,
        goalsTotal: nullable(fc.integer({ min: 1, max: 10 })),
        goalsMet: nullable(count(10)),
        roiDocumented: fc.boolean(),
      }),
    ),
    plan: nullable(
      fc.record({
        asOf,
        status: fc.constantFrom('paid' as const, 'trial' as const, 'lapsed' as const),
        paidSubscriptions: count(3),
        trialSubscriptions: count(3),
      }),
    ),
    nps: nullable(fc.record({ asOf, score: real(0, 10) })),
    flags: nullable(fc.record({ open: count(10), critical: count(3) })),
    customMetric: nullable(real(-1000, 1000)),
  })
  .map(
    ({ customMetric, ...groups }): AccountSignals => ({
      accountId: 'account-1',
      seatUtilisation: groups.usage?.seatUtilisation ?? null,
      usageGrowthPct: groups.usage?.activeUserTrendPct ?? null,
      ...groups,
      attributes:
        customMetric === null ? {} : ({ custom_metric: customMetric } as AccountSignals['attributes']),
      usageMetrics: null,
      attributesAsOf: '2026-11-01T00:00:00.000Z',
    }),
  );
