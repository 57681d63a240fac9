import type { Account, AccountSnapshot, Contact, Product, Subscription, Ticket } from '../model';
import type { UsageSummary, UsageWindow } from '../usage';

/** Builders for engine tests (recommendations, renewals, flags): a plain account plus overrides. */

export const tenantId = 'tenant-test';
export const now = new Date('2026-06-15T12:00:00Z');

export function account(overrides: Partial<Account> = {}): Account {
  return {
    tenantId,
    id: 'acc-1',
    name: 'Acme',
    domain: 'acme.example',
    industry: 'Software',
    employees: 120,
    annualRevenue: null,
    previousAnnualRevenue: null,
    ownerId: 'owner-1',
    ownerName: 'Olivia Owner',
    ownerEmail: 'olivia@example.com',
    region: 'EMEA',
    customerSince: '2024-01-01',
    csOptOut: false,
    attributes: {},
    updatedAt: '2026-06-01T00:00:00Z',
    ...overrides,
  };
}

let subscriptionCounter = 0;
export function subscription(productId: string, overrides: Partial<Subscription> = {}): Subscription {
  subscriptionCounter += 1;
  return {
    tenantId,
    id: `sub-${productId}-${subscriptionCounter}`,
    accountId: 'acc-1',
    productId,
    mrr: 1000,
    startDate: '2025-01-01',
    renewalDate: '2027-01-01',
    autoRenew: true,
    status: 'active',
    licensedSeats: null,
    updatedAt: '2026-06-01T00:00:00Z',
    ...overrides,
  };
}

export function contact(overrides: Partial<Contact> = {}): Contact {
  return {
    tenantId,
    id: 'contact-1',
    accountId: 'acc-1',
    name: 'Chris Champion',
    email: 'chris@acme.example',
    role: 'champion',
    leftCompany: false,
    lastEngagedAt: null,
    updatedAt: '2026-06-01T00:00:00Z',
    ...overrides,
  };
}

let ticketCounter = 0;
export function ticket(openedAt: string, overrides: Partial<Ticket> = {}): Ticket {
  ticketCounter += 1;
  return {
    tenantId,
    id: `ticket-${ticketCounter}`,
    accountId: 'acc-1',
    subject: 'Help',
    status: 'closed',
    priority: 'medium',
    openedAt,
    closedAt: null,
    escalated: false,
    sentiment: null,
    updatedAt: openedAt,
    ...overrides,
  };
}

export function usageWindow(overrides: Partial<UsageWindow> = {}): UsageWindow {
  return {
    days: 30,
    avgActiveUsers: 40,
    logins: 600,
    apiCalls: 1000,
    integrationCalls: 500,
    integrationFailures: 5,
    maxFeaturesAdopted: 6,
    metrics: {},
    ...overrides,
  };
}

export function usage(overrides: Partial<UsageSummary> = {}): UsageSummary {
  return {
    firstDay: '2025-01-01',
    latestDay: '2026-06-15',
    lastLoginDay: '2026-06-14',
    licensedSeats: 50,
    featuresAvailable: 10,
    latestActiveUsers: 40,
    current: usageWindow(),
    previous: usageWindow(),
    ...overrides,
  };
}

export function snapshot(overrides: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    account: account(),
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

export function product(id: string, name: string, overrides: Partial<Product> = {}): Product {
  return { tenantId, id, name, productLine: null, monthlyPrice: 100, active: true, ...overrides };
}

export const catalogue: Product[] = [
  product('core', 'Core Platform', { monthlyPrice: 1200 }),
  product('analytics', 'Analytics'),
  product('support', 'Premium Support'),
  product('seats', 'Extra Seats'),
  product('api', 'API Access'),
  product('legacy', 'Legacy Reporting'),
  product('retired', 'Retired Thing', { active: false }),
];
