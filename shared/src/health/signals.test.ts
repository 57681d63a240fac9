import { describe, expect, it } from 'vitest';

import type { UsageSnapshot } from '../model';
import { deriveSignals, summariseUsage } from './signals';
import { accountSnapshot, engagement, invoice, ticket } from './testing';
import { workedNow, workedSnapshot } from './worked-example';

describe('deriveSignals on the worked example', () => {
  const signals = deriveSignals(workedSnapshot(), workedNow);

  it('counts ARR from active subscriptions only', () => {
    expect(signals.arr).toBe(18_000);
  });

  it('reads payment speed and what is overdue now, ignoring void, old and future invoices', () => {
    expect(signals.payment).toEqual({
      asOf: '2026-11-01T00:00:00.000Z',
      invoicesConsidered: 3,
      paidInvoices: 1,
      avgDaysLate: 18,
      overdueCount: 1,
      overdueAmount: 2500,
    });
  });

  it('measures engagement recency in whole days and ignores notes and scheduled meetings', () => {
    expect(signals.engagement).toEqual({
      asOf: '2026-11-21T00:00:00.000Z',
      daysSinceLastEmail: 2,
      daysSinceLastMeeting: 12,
      daysSinceLastCall: 174,
      daysSinceLastTouch: 2,
      meetingsLast90Days: 2,
      loginsLast30Days: 300,
      licensedSeats: 20,
    });
  });

  it('summarises usage against seats, the prior window and the features available', () => {
    expect(signals.usage).toMatchObject({
      activeUsers: 12,
      licensedSeats: 20,
      seatUtilisation: 0.6,
      activeUserTrendPct: 20,
      adoptionBreadth: 0.6,
      apiCallsLast30Days: 5000,
      integrationFailureRate: 0.05,
      activeIntegrations: 2,
      daysSinceLastLogin: 1,
      asOf: '2026-11-22T00:00:00.000Z',
    });
    expect(signals.seatUtilisation).toBe(0.6);
    expect(signals.usageGrowthPct).toBe(20);
  });

  it('counts support load in the last 90 days', () => {
    expect(signals.support).toEqual({
      asOf: '2026-11-15T08:30:00.000Z',
      openTickets: 1,
      ticketsOpenedLast90Days: 2,
      ticketsClosedLast90Days: 1,
      avgResolutionDays: 2.5,
      escalationsLast90Days: 1,
      negativeTicketsLast90Days: 1,
    });
  });

  it('sees the champion, the sponsor, who left and the last QBR', () => {
    expect(signals.relationship).toEqual({
      asOf: '2026-11-10T12:00:00.000Z',
      contacts: 2,
      engagedContacts: 1,
      championPresent: true,
      execSponsorPresent: true,
      championLeft: true,
      daysSinceLastQbr: 51,
    });
  });

  it('finds the next renewal and the won expansions of the last 12 months', () => {
    expect(signals.contract).toMatchObject({
      activeSubscriptions: 2,
      daysToRenewal: 60,
      nextRenewalDate: '2027-01-21',
      autoRenew: false,
      expansionsLast12Months: 1,
      contractionsLast12Months: 0,
    });
  });

  it('reads outcomes, plan and NPS from attributes and subscriptions', () => {
    expect(signals.outcomes).toEqual({
      asOf: '2026-11-05T08:00:00.000Z',
      goalsTotal: 4,
      goalsMet: 3,
      roiDocumented: true,
    });
    expect(signals.plan).toMatchObject({ status: 'paid', paidSubscriptions: 2, trialSubscriptions: 1 });
    expect(signals.nps).toEqual({ asOf: '2026-11-05T08:00:00.000Z', score: 9 });
    expect(signals.flags).toBeNull();
    expect(signals.usageMetrics).toEqual({ active_integrations: 2, reports_run: 14 });
  });

  it('passes open flags through when the caller knows them', () => {
    const withFlags = deriveSignals(workedSnapshot(), workedNow, { openFlags: { open: 2, critical: 1 } });
    expect(withFlags.flags).toEqual({ open: 2, critical: 1 });
  });
});

describe('deriveSignals without data', () => {
  it('leaves every group null for an account with no records: missing is not zero', () => {
    const signals = deriveSignals(accountSnapshot(), workedNow);
    expect(signals.arr).toBe(0);
    for (const group of [
      'payment',
      'engagement',
      'usage',
      'support',
      'relationship',
      'contract',
      'outcomes',
      'plan',
      'nps',
    ] as const) {
      expect(signals[group], group).toBeNull();
    }
  });

  it('ignores records dated after now, as a backtest would not have seen them', () => {
    const signals = deriveSignals(
      accountSnapshot({
        invoices: [invoice({ issuedAt: '2026-12-01', dueDate: '2026-12-31', status: 'open' })],
        engagements: [engagement({ type: 'meeting', occurredAt: '2026-11-23T09:00:00.000Z' })],
        tickets: [ticket({ openedAt: '2026-11-22T12:00:01.000Z' })],
      }),
      workedNow,
    );
    expect(signals.payment).toBeNull();
    expect(signals.engagement).toBeNull();
    expect(signals.support).toBeNull();
  });

  it('treats an invoice paid after now as unpaid, and overdue once its due date has passed', () => {
    const signals = deriveSignals(
      accountSnapshot({
        invoices: [
          invoice({
            issuedAt: '2026-10-01',
            dueDate: '2026-11-21',
            paidAt: '2026-11-23T00:00:00.000Z',
            status: 'paid',
          }),
          invoice({ issuedAt: '2026-10-01', dueDate: '2026-11-22', status: 'open' }),
        ],
      }),
      workedNow,
    );
    expect(signals.payment).toMatchObject({ overdueCount: 1, paidInvoices: 0, avgDaysLate: null });
  });

  it('reads timestamps with offsets like their UTC equivalent', () => {
    const offset = deriveSignals(
      accountSnapshot({
        engagements: [engagement({ type: 'email', occurredAt: '2026-11-20T13:00:00+03:00' })],
      }),
      workedNow,
    );
    expect(offset.engagement?.daysSinceLastEmail).toBe(2);
    const future = deriveSignals(
      accountSnapshot({
        engagements: [engagement({ type: 'email', occurredAt: '2026-11-22T11:00:00-02:00' })],
      }),
      workedNow,
    );
    expect(future.engagement).toBeNull();
  });
});

function usageRow(day: string, fields: Partial<UsageSnapshot> = {}): UsageSnapshot {
  return {
    tenantId: 'tenant-1',
    accountId: 'account-1',
    day,
    activeUsers: 10,
    licensedSeats: null,
    logins: 5,
    featuresAdopted: 3,
    featuresAvailable: null,
    apiCalls: 100,
    integrationCalls: 10,
    integrationFailures: 1,
    metrics: {},
    ...fields,
  };
}

describe('summariseUsage', () => {
  const now = new Date('2026-11-22T23:59:00.000Z');

  it('puts today-29..today in the current window and today-59..today-30 in the previous one', () => {
    const summary = summariseUsage(
      [
        usageRow('2026-11-22', { activeUsers: 20 }),
        usageRow('2026-10-24', { activeUsers: 10 }), // today-29: current
        usageRow('2026-10-23', { activeUsers: 8 }), // today-30: previous
        usageRow('2026-09-24', { activeUsers: 4 }), // today-59: previous
        usageRow('2026-09-23', { activeUsers: 99 }), // today-60: neither window
        usageRow('2026-11-23', { activeUsers: 500 }), // tomorrow: ignored
      ],
      now,
    );
    expect(summary?.current).toMatchObject({ days: 2, avgActiveUsers: 15, logins: 10, apiCalls: 200 });
    expect(summary?.previous).toMatchObject({ days: 2, avgActiveUsers: 6 });
    expect(summary).toMatchObject({ firstDay: '2026-09-23', latestDay: '2026-11-22', latestActiveUsers: 20 });
  });

  it('takes seats and features from the latest row reporting them, and the last day anyone logged in', () => {
    const summary = summariseUsage(
      [
        usageRow('2026-11-20', { licensedSeats: 50, featuresAvailable: 12, logins: 0 }),
        usageRow('2026-11-18', { licensedSeats: 40, featuresAvailable: 10, logins: 3 }),
        usageRow('2026-11-21', { licensedSeats: null, logins: 0 }),
      ],
      now,
    );
    expect(summary).toMatchObject({ licensedSeats: 50, featuresAvailable: 12, lastLoginDay: '2026-11-18' });
  });

  it('averages each extra metric over the days that report it', () => {
    const summary = summariseUsage(
      [
        usageRow('2026-11-20', { metrics: { reports: 4, exports: 1 } }),
        usageRow('2026-11-21', { metrics: { reports: 8 } }),
        usageRow('2026-11-22'),
      ],
      now,
    );
    expect(summary?.current?.metrics).toEqual({ reports: 6, exports: 1 });
    expect(summary?.previous).toBeNull();
  });

  it('is null without rows up to today', () => {
    expect(summariseUsage([], now)).toBeNull();
    expect(summariseUsage([usageRow('2026-12-01')], now)).toBeNull();
  });
});
