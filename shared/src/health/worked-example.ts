import type { AccountSnapshot } from '../model';
import { accountSnapshot, contact, deal, engagement, invoice, subscription, ticket } from './testing';

/**
 * The worked example of docs/scoring.md: one account on 2026-11-22 at 12:00 UTC. Tests check the
 * signals and the score the doc derives by hand from it.
 */
export const workedNow = new Date('2026-11-22T12:00:00.000Z');

export function workedSnapshot(): AccountSnapshot {
  return accountSnapshot({
    account: {
      ...accountSnapshot().account,
      attributes: { nps: 9, success_goals_total: 4, success_goals_met: '3', roi_documented: true },
      updatedAt: '2026-11-05T08:00:00.000Z',
    },
    invoices: [
      invoice({
        issuedAt: '2026-09-01',
        dueDate: '2026-09-30',
        paidAt: '2026-10-18T09:00:00.000Z',
        status: 'paid',
      }),
      invoice({ issuedAt: '2026-10-01', dueDate: '2026-10-31', status: 'open', amount: 2500 }),
      invoice({ issuedAt: '2026-11-01', dueDate: '2026-12-01', status: 'open' }),
      invoice({
        issuedAt: '2025-01-01',
        dueDate: '2025-01-31',
        paidAt: '2025-02-01T10:00:00.000Z',
        status: 'paid',
      }),
      invoice({ issuedAt: '2026-08-01', dueDate: '2026-08-31', status: 'void' }),
      invoice({ issuedAt: '2026-11-30', dueDate: '2026-12-30', status: 'open' }),
    ],
    engagements: [
      engagement({ type: 'email', occurredAt: '2026-11-20T10:00:00.000Z' }),
      engagement({ type: 'meeting', occurredAt: '2026-10-01T15:00:00.000Z', isQbr: true }),
      engagement({ type: 'meeting', occurredAt: '2026-11-10T12:00:00.000Z' }),
      engagement({ type: 'call', occurredAt: '2026-06-01T00:00:00.000Z' }),
      engagement({ type: 'note', occurredAt: '2026-11-21T09:00:00.000Z' }),
      engagement({ type: 'meeting', occurredAt: '2026-11-25T09:00:00.000Z' }),
    ],
    tickets: [
      ticket({ openedAt: '2026-11-15T08:30:00.000Z', escalated: true, sentiment: 'negative' }),
      ticket({
        openedAt: '2026-11-01T00:00:00.000Z',
        closedAt: '2026-11-03T12:00:00.000Z',
        status: 'closed',
      }),
      ticket({
        openedAt: '2026-01-01T00:00:00.000Z',
        closedAt: '2026-01-05T00:00:00.000Z',
        status: 'closed',
      }),
    ],
    contacts: [
      contact({ role: 'champion', lastEngagedAt: '2026-11-10T12:00:00.000Z' }),
      contact({ role: 'exec_sponsor', lastEngagedAt: '2026-05-01T12:00:00.000Z' }),
      contact({ role: 'champion', leftCompany: true }),
    ],
    subscriptions: [
      subscription({ mrr: 1000, renewalDate: '2027-01-21', autoRenew: true, licensedSeats: 20 }),
      subscription({ mrr: 500, renewalDate: '2027-06-01', autoRenew: false }),
      subscription({ mrr: 300, status: 'trial' }),
      subscription({ mrr: 800, status: 'cancelled' }),
    ],
    deals: [
      deal({ type: 'expansion', status: 'won', closeDate: '2026-05-01' }),
      deal({ type: 'contraction', status: 'won', closeDate: '2025-06-01' }),
      deal({ type: 'expansion', status: 'lost', closeDate: '2026-07-01' }),
      deal({ type: 'expansion', status: 'won', closeDate: '2026-12-01' }),
    ],
    usage: {
      firstDay: '2026-01-01',
      latestDay: '2026-11-22',
      lastLoginDay: '2026-11-21',
      licensedSeats: 20,
      featuresAvailable: 10,
      latestActiveUsers: 13,
      current: {
        days: 30,
        avgActiveUsers: 12,
        logins: 300,
        apiCalls: 5000,
        integrationCalls: 200,
        integrationFailures: 10,
        maxFeaturesAdopted: 6,
        metrics: { active_integrations: 2, reports_run: 14 },
      },
      previous: {
        days: 30,
        avgActiveUsers: 10,
        logins: 280,
        apiCalls: 4000,
        integrationCalls: 150,
        integrationFailures: 0,
        maxFeaturesAdopted: 5,
        metrics: { active_integrations: 2 },
      },
    },
  });
}
