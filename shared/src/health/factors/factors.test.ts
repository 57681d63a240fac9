import { describe, expect, it } from 'vitest';

import type { Curve } from '../curves';
import { curveDirection } from '../curves';
import type { AccountSignals } from '../signals';
import { deriveSignals } from '../signals';
import { workedNow, workedSnapshot } from '../worked-example';
import { evaluateCustomFactor } from './custom-factor';
import {
  contractCurves,
  engagementCurves,
  paymentCurves,
  relationshipCurves,
  supportCurves,
  usageCurves,
} from './default-factors';
import { factorLibrary } from './library';
import { financialCurves, outcomeCurves, workspaceCurves } from './preset-factors';

const asOf = '2026-11-01T00:00:00.000Z';

function signalsWith(groups: Partial<AccountSignals>): AccountSignals {
  return {
    accountId: 'account-1',
    arr: 0,
    seatUtilisation: null,
    usageGrowthPct: null,
    payment: null,
    engagement: null,
    usage: null,
    support: null,
    relationship: null,
    contract: null,
    outcomes: null,
    plan: null,
    nps: null,
    flags: null,
    attributes: {},
    usageMetrics: null,
    attributesAsOf: asOf,
    ...groups,
  };
}

const usageBase = {
  asOf,
  activeUsers: 12,
  licensedSeats: 20,
  seatUtilisation: 0.6,
  activeUserTrendPct: 20,
  featuresAdopted: 6,
  featuresAvailable: 10,
  adoptionBreadth: 0.6,
  apiCallsLast30Days: 5000,
  integrationCallsLast30Days: 200,
  integrationFailureRate: 0.05,
  activeIntegrations: 2,
  daysSinceLastLogin: 1,
};

/** Worked examples: docs/scoring.md derives each value by hand from the curves. */
const examples: {
  factor: string;
  case: string;
  signals: AccountSignals;
  value: number;
  explanation: string;
}[] = [
  {
    factor: 'payment',
    case: 'two invoices overdue, one month of revenue',
    signals: signalsWith({
      arr: 148_800,
      payment: {
        asOf,
        invoicesConsidered: 12,
        paidInvoices: 10,
        avgDaysLate: 18,
        overdueCount: 2,
        overdueAmount: 12_400,
      },
    }),
    value: 50.35,
    explanation: '2 invoices overdue (12,400), avg 18 days late',
  },
  {
    factor: 'payment',
    case: 'nothing overdue, no ARR to size exposure against',
    signals: signalsWith({
      payment: {
        asOf,
        invoicesConsidered: 6,
        paidInvoices: 6,
        avgDaysLate: 3,
        overdueCount: 0,
        overdueAmount: 0,
      },
    }),
    value: 96.8,
    explanation: 'No invoices overdue, avg 3 days late',
  },
  {
    factor: 'payment',
    case: 'overdue but nothing paid yet',
    signals: signalsWith({
      arr: 120_000,
      payment: {
        asOf,
        invoicesConsidered: 1,
        paidInvoices: 0,
        avgDaysLate: null,
        overdueCount: 1,
        overdueAmount: 5000,
      },
    }),
    value: 64.17,
    explanation: '1 invoice overdue (5,000), no invoice paid in 12 months',
  },
  {
    factor: 'engagement',
    case: 'touched 20 days ago, 2 meetings, 15 logins per seat',
    signals: signalsWith({
      engagement: {
        asOf,
        daysSinceLastEmail: 20,
        daysSinceLastMeeting: 40,
        daysSinceLastCall: null,
        daysSinceLastTouch: 20,
        meetingsLast90Days: 2,
        loginsLast30Days: 300,
        licensedSeats: 20,
      },
    }),
    value: 80.5,
    explanation: 'Last touch 20 days ago, 2 meetings in 90 days, 300 logins in 30 days',
  },
  {
    factor: 'engagement',
    case: 'no CRM activity at all, 10 logins and unknown seats',
    signals: signalsWith({
      engagement: {
        asOf,
        daysSinceLastEmail: null,
        daysSinceLastMeeting: null,
        daysSinceLastCall: null,
        daysSinceLastTouch: null,
        meetingsLast90Days: 0,
        loginsLast30Days: 10,
        licensedSeats: null,
      },
    }),
    value: 51.67,
    explanation: '10 logins in 30 days',
  },
  {
    factor: 'usage',
    case: '12 of 20 seats, +20%, 6 of 10 features, 5,000 API calls, 5% failing',
    signals: signalsWith({ usage: usageBase }),
    value: 81.24,
    explanation:
      '12 of 20 seats active (60%), +20% vs prior 30 days, 6 of 10 features adopted, 5% integration calls failing',
  },
  {
    factor: 'support',
    case: 'one open escalated negative ticket, 2.5-day resolution',
    signals: signalsWith({
      support: {
        asOf,
        openTickets: 1,
        ticketsOpenedLast90Days: 2,
        ticketsClosedLast90Days: 1,
        avgResolutionDays: 2.5,
        escalationsLast90Days: 1,
        negativeTicketsLast90Days: 1,
      },
    }),
    value: 74.75,
    explanation: '1 open ticket, 1 escalation and 1 negative in 90 days, resolved in 2.5 days on average',
  },
  {
    factor: 'relationship',
    case: 'one engaged contact, champion, no sponsor, QBR 51 days ago',
    signals: signalsWith({
      relationship: {
        asOf,
        contacts: 3,
        engagedContacts: 1,
        championPresent: true,
        execSponsorPresent: false,
        championLeft: false,
        daysSinceLastQbr: 51,
      },
    }),
    value: 59,
    explanation: '1 engaged contact, champion in place, no exec sponsor, last QBR 51 days ago',
  },
  {
    factor: 'relationship',
    case: 'champion left, no QBR ever',
    signals: signalsWith({
      relationship: {
        asOf,
        contacts: 2,
        engagedContacts: 0,
        championPresent: false,
        execSponsorPresent: true,
        championLeft: true,
        daysSinceLastQbr: null,
      },
    }),
    value: 20,
    explanation: '0 engaged contacts, champion left, exec sponsor, no QBR on record',
  },
  {
    factor: 'contract',
    case: 'renews in 60 days by hand, one expansion',
    signals: signalsWith({
      contract: {
        asOf,
        activeSubscriptions: 2,
        daysToRenewal: 60,
        nextRenewalDate: '2027-01-21',
        autoRenew: false,
        expansionsLast12Months: 1,
        contractionsLast12Months: 0,
        expansionAmountLast12Months: 5000,
        contractionAmountLast12Months: 0,
      },
    }),
    value: 62.5,
    explanation: 'Renews in 60 days (manual renewal), 1 expansion and 0 contractions in 12 months',
  },
  {
    factor: 'outcomes',
    case: '3 of 4 goals met, ROI documented',
    signals: signalsWith({ outcomes: { asOf, goalsTotal: 4, goalsMet: 3, roiDocumented: true } }),
    value: 86,
    explanation: '3 of 4 goals met, ROI documented',
  },
  {
    factor: 'financial',
    case: 'payment 96.8 and one net expansion',
    signals: signalsWith({
      payment: {
        asOf,
        invoicesConsidered: 6,
        paidInvoices: 6,
        avgDaysLate: 3,
        overdueCount: 0,
        overdueAmount: 0,
      },
      contract: {
        asOf,
        activeSubscriptions: 1,
        daysToRenewal: null,
        nextRenewalDate: null,
        autoRenew: null,
        expansionsLast12Months: 1,
        contractionsLast12Months: 0,
        expansionAmountLast12Months: 1000,
        contractionAmountLast12Months: 0,
      },
    }),
    value: 88.08,
    explanation: 'No invoices overdue, avg 3 days late; 1 expansion and 0 contractions in 12 months',
  },
  {
    factor: 'key_action_recency',
    case: 'last login 10 days ago',
    signals: signalsWith({ usage: { ...usageBase, daysSinceLastLogin: 10 } }),
    value: 74.29,
    explanation: 'Last login 10 days ago',
  },
  {
    factor: 'integrations',
    case: 'two integrations, 5% failing',
    signals: signalsWith({ usage: usageBase }),
    value: 80,
    explanation: '2 active integrations, 5% of calls failing',
  },
  {
    factor: 'active_members',
    case: '4 members a day',
    signals: signalsWith({ usage: { ...usageBase, activeUsers: 4 } }),
    value: 65,
    explanation: '4 active members a day',
  },
  {
    factor: 'usage_trend',
    case: 'active users down 10%',
    signals: signalsWith({ usage: { ...usageBase, activeUserTrendPct: -10 } }),
    value: 45,
    explanation: 'Active users -10% vs prior 30 days',
  },
  {
    factor: 'flag_rate',
    case: 'two open flags, one critical',
    signals: signalsWith({ flags: { open: 2, critical: 1 } }),
    value: 30,
    explanation: '2 open flags (1 critical)',
  },
  {
    factor: 'plan',
    case: 'on a trial',
    signals: signalsWith({ plan: { asOf, status: 'trial', paidSubscriptions: 0, trialSubscriptions: 1 } }),
    value: 50,
    explanation: 'On a trial',
  },
  {
    factor: 'nps',
    case: 'rated 8.5',
    signals: signalsWith({ nps: { asOf, score: 8.5 } }),
    value: 82.5,
    explanation: 'Rated 8.5 of 10 for likelihood to recommend',
  },
];

describe('built-in factors: worked examples', () => {
  it.each(examples)('$factor: $case', (example) => {
    const result = factorLibrary[example.factor]!.evaluate(example.signals);
    expect(result).not.toBeNull();
    expect(result!.value).toBeCloseTo(example.value, 2);
    expect(result!.explanation).toBe(example.explanation);
    expect(result!.asOf === null || result!.asOf === asOf).toBe(true);
  });

  it.each(Object.keys(factorLibrary))(
    '%s has no data, not a zero score, when its signals are missing',
    (key) => {
      expect(factorLibrary[key]!.evaluate(signalsWith({}))).toBeNull();
    },
  );

  it('shows the raw values behind a factor with their units', () => {
    const payment = factorLibrary['payment']!.evaluate(examples[0]!.signals)!;
    expect(payment.signals).toContainEqual({
      key: 'overdueAmount',
      label: 'Amount overdue',
      value: 12_400,
      unit: 'currency',
    });
  });

  it('scores the worked snapshot as docs/scoring.md derives it', () => {
    const signals = deriveSignals(workedSnapshot(), workedNow);
    const values = Object.fromEntries(
      ['payment', 'engagement', 'usage', 'support', 'relationship', 'contract'].map((key) => [
        key,
        factorLibrary[key]!.evaluate(signals)!.value,
      ]),
    );
    expect(values['payment']).toBeCloseTo(56.18, 2);
    expect(values['engagement']).toBeCloseTo(90.25, 2);
    expect(values['usage']).toBeCloseTo(81.24, 2);
    expect(values['support']).toBeCloseTo(74.75, 2);
    expect(values['relationship']).toBeCloseTo(79, 2);
    expect(values['contract']).toBeCloseTo(62.5, 2);
  });
});

describe('built-in curves', () => {
  const documented: [string, Curve, 'higher_is_better' | 'lower_is_better'][] = [
    ['payment.avgDaysLate', paymentCurves.avgDaysLate, 'lower_is_better'],
    ['payment.overdueCount', paymentCurves.overdueCount, 'lower_is_better'],
    ['payment.overdueMonths', paymentCurves.overdueMonths, 'lower_is_better'],
    ['engagement.daysSinceLastTouch', engagementCurves.daysSinceLastTouch, 'lower_is_better'],
    ['engagement.meetingsLast90Days', engagementCurves.meetingsLast90Days, 'higher_is_better'],
    ['engagement.loginsPerSeat', engagementCurves.loginsPerSeat, 'higher_is_better'],
    ['engagement.logins', engagementCurves.logins, 'higher_is_better'],
    ['usage.seatUtilisation', usageCurves.seatUtilisation, 'higher_is_better'],
    ['usage.activeUsers', usageCurves.activeUsers, 'higher_is_better'],
    ['usage.activeUserTrendPct', usageCurves.activeUserTrendPct, 'higher_is_better'],
    ['usage.adoptionBreadth', usageCurves.adoptionBreadth, 'higher_is_better'],
    ['usage.apiCallsLast30Days', usageCurves.apiCallsLast30Days, 'higher_is_better'],
    ['usage.integrationFailureRate', usageCurves.integrationFailureRate, 'lower_is_better'],
    ['support.openTickets', supportCurves.openTickets, 'lower_is_better'],
    ['support.avgResolutionDays', supportCurves.avgResolutionDays, 'lower_is_better'],
    ['support.escalationsLast90Days', supportCurves.escalationsLast90Days, 'lower_is_better'],
    ['support.negativeTicketsLast90Days', supportCurves.negativeTicketsLast90Days, 'lower_is_better'],
    ['relationship.engagedContacts', relationshipCurves.engagedContacts, 'higher_is_better'],
    ['relationship.daysSinceLastQbr', relationshipCurves.daysSinceLastQbr, 'lower_is_better'],
    ['contract.daysToRenewal', contractCurves.daysToRenewal, 'higher_is_better'],
    ['contract.netExpansions', contractCurves.netExpansions, 'higher_is_better'],
    ['outcomes.goalAttainment', outcomeCurves.goalAttainment, 'higher_is_better'],
    ['financial.netExpansions', financialCurves.netExpansions, 'higher_is_better'],
    ['workspace.daysSinceLastLogin', workspaceCurves.daysSinceLastLogin, 'lower_is_better'],
    ['workspace.activeIntegrations', workspaceCurves.activeIntegrations, 'higher_is_better'],
    ['workspace.integrationFailureRate', workspaceCurves.integrationFailureRate, 'lower_is_better'],
    ['workspace.activeMembers', workspaceCurves.activeMembers, 'higher_is_better'],
    ['workspace.activeUserTrendPct', workspaceCurves.activeUserTrendPct, 'higher_is_better'],
    ['workspace.weightedOpenFlags', workspaceCurves.weightedOpenFlags, 'lower_is_better'],
    ['workspace.nps', workspaceCurves.nps, 'higher_is_better'],
  ];

  it.each(documented)('%s is monotone (%s) and spans 0-100', (_name, points, direction) => {
    expect(curveDirection(points)).toBe(direction);
    for (let index = 2; index < points.length; index += 2)
      expect(points[index]!).toBeGreaterThan(points[index - 2]!);
    for (let index = 1; index < points.length; index += 2) {
      expect(points[index]!).toBeGreaterThanOrEqual(0);
      expect(points[index]!).toBeLessThanOrEqual(100);
    }
  });
});

describe('custom factors', () => {
  const signals = signalsWith({
    attributes: { seats_purchased: '40', segment: 'Enterprise', verified: true, blank: '' },
    usageMetrics: { reports_run: 14 },
    usage: usageBase,
  });

  it('scores a numeric attribute through its curve, reading numeric text', () => {
    const result = evaluateCustomFactor(
      {
        kind: 'numeric',
        source: 'attribute',
        name: 'seats_purchased',
        direction: 'higher_is_better',
        points: [
          { value: 10, score: 20 },
          { value: 50, score: 100 },
        ],
        unit: 'seats',
      },
      'Seats purchased',
      signals,
    );
    expect(result).toMatchObject({ value: 80, explanation: 'Seats purchased: 40 seats', asOf });
  });

  it('scores a usage metric, flat beyond the curve ends, dated as of the usage', () => {
    const result = evaluateCustomFactor(
      {
        kind: 'numeric',
        source: 'usage_metric',
        name: 'reports_run',
        direction: 'lower_is_better',
        points: [
          { value: 0, score: 100 },
          { value: 10, score: 0 },
        ],
      },
      'Reports',
      signals,
    );
    expect(result).toMatchObject({ value: 0, asOf: usageBase.asOf });
  });

  it('maps an enumerated attribute case-insensitively, with a fallback score', () => {
    const definition = {
      kind: 'enumerated' as const,
      source: 'attribute' as const,
      name: 'segment',
      scores: { enterprise: 90, smb: 40 },
    };
    expect(evaluateCustomFactor(definition, 'Segment', signals)?.value).toBe(90);
    const other = signalsWith({ attributes: { segment: 'Mid-market' } });
    expect(evaluateCustomFactor(definition, 'Segment', other)).toBeNull();
    expect(evaluateCustomFactor({ ...definition, otherwise: 55 }, 'Segment', other)?.value).toBe(55);
    const booleans = { ...definition, name: 'verified', scores: { true: 100, false: 0 } };
    expect(evaluateCustomFactor(booleans, 'Verified', signals)?.value).toBe(100);
  });

  it('has no data when the attribute is missing, blank or not a number', () => {
    const numeric = {
      kind: 'numeric' as const,
      source: 'attribute' as const,
      direction: 'higher_is_better' as const,
      points: [
        { value: 0, score: 0 },
        { value: 1, score: 100 },
      ],
    };
    expect(evaluateCustomFactor({ ...numeric, name: 'missing' }, 'X', signals)).toBeNull();
    expect(evaluateCustomFactor({ ...numeric, name: 'blank' }, 'X', signals)).toBeNull();
    expect(evaluateCustomFactor({ ...numeric, name: 'segment' }, 'X', signals)).toBeNull();
  });
});
