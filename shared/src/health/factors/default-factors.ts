import { countOf, curve, daysAgo, formatNumber, scoreOn, signedPercent } from '../curves';
import type { AccountSignals } from '../signals';
import type { FactorDefinition, FactorEvaluation } from './factor';
import { PartialScores } from './factor';

/**
 * The six factors of the default model (PRODUCT.md §1, seed 000). Each blends a few sub-scores,
 * each a monotone curve of one signal, with fixed part weights; docs/scoring.md lists every curve
 * with a worked example. Changing a curve changes customers' scores: update the doc and tests too.
 */

export const paymentCurves = {
  avgDaysLate: curve([
    [0, 100],
    [5, 90],
    [15, 70],
    [30, 40],
    [60, 10],
    [90, 0],
  ]),
  overdueCount: curve([
    [0, 100],
    [1, 60],
    [2, 35],
    [3, 20],
    [5, 0],
  ]),
  /** Overdue amount in months of recurring revenue (overdue ÷ (ARR ÷ 12)). */
  overdueMonths: curve([
    [0, 100],
    [0.5, 70],
    [1, 50],
    [3, 15],
    [6, 0],
  ]),
};
export const paymentPartWeights = { avgDaysLate: 0.4, overdueCount: 0.35, overdueMonths: 0.25 };

export function evaluatePayment(signals: AccountSignals): FactorEvaluation | null {
  const payment = signals.payment;
  if (payment === null) return null;
  const parts = new PartialScores();
  if (payment.avgDaysLate !== null) {
    parts.add(scoreOn(paymentCurves.avgDaysLate, payment.avgDaysLate), paymentPartWeights.avgDaysLate);
  }
  parts.add(scoreOn(paymentCurves.overdueCount, payment.overdueCount), paymentPartWeights.overdueCount);
  const overdueMonths = signals.arr > 0 ? payment.overdueAmount / (signals.arr / 12) : null;
  if (overdueMonths !== null) {
    parts.add(scoreOn(paymentCurves.overdueMonths, overdueMonths), paymentPartWeights.overdueMonths);
  }
  const overdue =
    payment.overdueCount === 0
      ? 'No invoices overdue'
      : `${countOf(payment.overdueCount, 'invoice')} overdue (${formatNumber(payment.overdueAmount)})`;
  const lateness =
    payment.avgDaysLate === null
      ? 'no invoice paid in 12 months'
      : `avg ${formatNumber(payment.avgDaysLate, 1)} days late`;
  return {
    value: parts.value(),
    signals: [
      { key: 'avgDaysLate', label: 'Average days paid late', value: payment.avgDaysLate, unit: 'days' },
      {
        key: 'paidInvoices',
        label: 'Invoices paid (12 months)',
        value: payment.paidInvoices,
        unit: 'invoices',
      },
      { key: 'overdueCount', label: 'Invoices overdue', value: payment.overdueCount, unit: 'invoices' },
      { key: 'overdueAmount', label: 'Amount overdue', value: payment.overdueAmount, unit: 'currency' },
    ],
    explanation: `${overdue}, ${lateness}`,
    asOf: payment.asOf,
  };
}

export const engagementCurves = {
  daysSinceLastTouch: curve([
    [7, 100],
    [14, 85],
    [30, 60],
    [60, 25],
    [90, 0],
  ]),
  meetingsLast90Days: curve([
    [0, 0],
    [1, 50],
    [3, 85],
    [6, 100],
  ]),
  /** Logins in 30 days per licensed seat. */
  loginsPerSeat: curve([
    [0, 0],
    [1, 40],
    [4, 75],
    [10, 100],
  ]),
  /** Logins in 30 days when the seat count is unknown. */
  logins: curve([
    [0, 0],
    [5, 40],
    [20, 75],
    [60, 100],
  ]),
};
export const engagementPartWeights = { daysSinceLastTouch: 0.4, meetingsLast90Days: 0.3, logins: 0.3 };

export function evaluateEngagement(signals: AccountSignals): FactorEvaluation | null {
  const engagement = signals.engagement;
  if (engagement === null) return null;
  const parts = new PartialScores();
  let explanation = '';
  // Without any email, meeting or call on record, meeting counts are unknown rather than zero.
  if (engagement.daysSinceLastTouch !== null) {
    parts.add(
      scoreOn(engagementCurves.daysSinceLastTouch, engagement.daysSinceLastTouch),
      engagementPartWeights.daysSinceLastTouch,
    );
    parts.add(
      scoreOn(engagementCurves.meetingsLast90Days, engagement.meetingsLast90Days),
      engagementPartWeights.meetingsLast90Days,
    );
    explanation = `Last touch ${daysAgo(engagement.daysSinceLastTouch)}, ${countOf(engagement.meetingsLast90Days, 'meeting')} in 90 days`;
  }
  const logins = engagement.loginsLast30Days;
  if (logins !== null) {
    const seats = engagement.licensedSeats;
    const loginScore =
      seats !== null && seats > 0
        ? scoreOn(engagementCurves.loginsPerSeat, logins / seats)
        : scoreOn(engagementCurves.logins, logins);
    parts.add(loginScore, engagementPartWeights.logins);
    const loginText = `${countOf(logins, 'login')} in 30 days`;
    explanation = explanation === '' ? loginText : `${explanation}, ${loginText}`;
  }
  if (parts.empty) return null;
  return {
    value: parts.value(),
    signals: [
      {
        key: 'daysSinceLastEmail',
        label: 'Days since last email',
        value: engagement.daysSinceLastEmail,
        unit: 'days',
      },
      {
        key: 'daysSinceLastMeeting',
        label: 'Days since last meeting',
        value: engagement.daysSinceLastMeeting,
        unit: 'days',
      },
      {
        key: 'daysSinceLastCall',
        label: 'Days since last call',
        value: engagement.daysSinceLastCall,
        unit: 'days',
      },
      {
        key: 'meetingsLast90Days',
        label: 'Meetings (90 days)',
        value: engagement.meetingsLast90Days,
        unit: 'meetings',
      },
      { key: 'loginsLast30Days', label: 'Logins (30 days)', value: logins, unit: 'logins' },
    ],
    explanation,
    asOf: engagement.asOf,
  };
}

export const usageCurves = {
  seatUtilisation: curve([
    [0, 0],
    [0.2, 25],
    [0.5, 60],
    [0.8, 90],
    [1, 100],
  ]),
  /** Average daily active users, used instead of utilisation when the seat count is unknown. */
  activeUsers: curve([
    [0, 0],
    [1, 30],
    [5, 60],
    [20, 90],
    [50, 100],
  ]),
  activeUserTrendPct: curve([
    [-50, 0],
    [-30, 20],
    [-10, 50],
    [0, 70],
    [10, 85],
    [25, 100],
  ]),
  adoptionBreadth: curve([
    [0, 0],
    [0.25, 40],
    [0.5, 70],
    [0.75, 90],
    [1, 100],
  ]),
  apiCallsLast30Days: curve([
    [0, 0],
    [100, 50],
    [1000, 80],
    [10000, 100],
  ]),
  integrationFailureRate: curve([
    [0, 100],
    [0.05, 80],
    [0.2, 30],
    [0.5, 0],
  ]),
};
export const usagePartWeights = {
  seatUtilisation: 0.3,
  activeUserTrendPct: 0.25,
  adoptionBreadth: 0.2,
  apiCallsLast30Days: 0.1,
  integrationFailureRate: 0.15,
};

export function evaluateUsage(signals: AccountSignals): FactorEvaluation | null {
  const usage = signals.usage;
  if (usage === null) return null;
  const parts = new PartialScores();
  const activeUsers = formatNumber(usage.activeUsers);
  let explanation: string;
  if (usage.seatUtilisation !== null) {
    parts.add(scoreOn(usageCurves.seatUtilisation, usage.seatUtilisation), usagePartWeights.seatUtilisation);
    explanation = `${activeUsers} of ${formatNumber(usage.licensedSeats!)} seats active (${formatNumber(usage.seatUtilisation * 100)}%)`;
  } else {
    parts.add(scoreOn(usageCurves.activeUsers, usage.activeUsers), usagePartWeights.seatUtilisation);
    explanation = `${activeUsers} active users a day`;
  }
  if (usage.activeUserTrendPct !== null) {
    parts.add(
      scoreOn(usageCurves.activeUserTrendPct, usage.activeUserTrendPct),
      usagePartWeights.activeUserTrendPct,
    );
    explanation += `, ${signedPercent(usage.activeUserTrendPct)} vs prior 30 days`;
  }
  if (usage.adoptionBreadth !== null) {
    parts.add(scoreOn(usageCurves.adoptionBreadth, usage.adoptionBreadth), usagePartWeights.adoptionBreadth);
    explanation += `, ${formatNumber(usage.featuresAdopted)} of ${formatNumber(usage.featuresAvailable!)} features adopted`;
  }
  parts.add(
    scoreOn(usageCurves.apiCallsLast30Days, usage.apiCallsLast30Days),
    usagePartWeights.apiCallsLast30Days,
  );
  if (usage.integrationFailureRate !== null) {
    parts.add(
      scoreOn(usageCurves.integrationFailureRate, usage.integrationFailureRate),
      usagePartWeights.integrationFailureRate,
    );
    explanation += `, ${formatNumber(usage.integrationFailureRate * 100)}% integration calls failing`;
  }
  return {
    value: parts.value(),
    signals: [
      {
        key: 'activeUsers',
        label: 'Active users (daily average, 30 days)',
        value: usage.activeUsers,
        unit: 'users',
      },
      { key: 'licensedSeats', label: 'Licensed seats', value: usage.licensedSeats, unit: 'seats' },
      { key: 'seatUtilisation', label: 'Seat utilisation', value: usage.seatUtilisation, unit: 'ratio' },
      {
        key: 'activeUserTrendPct',
        label: 'Active users vs prior 30 days',
        value: usage.activeUserTrendPct,
        unit: '%',
      },
      { key: 'adoptionBreadth', label: 'Features adopted', value: usage.adoptionBreadth, unit: 'ratio' },
      {
        key: 'apiCallsLast30Days',
        label: 'API calls (30 days)',
        value: usage.apiCallsLast30Days,
        unit: 'calls',
      },
      {
        key: 'integrationFailureRate',
        label: 'Integration failure rate',
        value: usage.integrationFailureRate,
        unit: 'ratio',
      },
    ],
    explanation,
    asOf: usage.asOf,
  };
}

export const supportCurves = {
  openTickets: curve([
    [0, 100],
    [1, 85],
    [3, 60],
    [5, 35],
    [10, 0],
  ]),
  avgResolutionDays: curve([
    [1, 100],
    [3, 80],
    [7, 50],
    [14, 20],
    [30, 0],
  ]),
  escalationsLast90Days: curve([
    [0, 100],
    [1, 60],
    [2, 35],
    [4, 0],
  ]),
  negativeTicketsLast90Days: curve([
    [0, 100],
    [1, 65],
    [2, 30],
    [4, 0],
  ]),
};
export const supportPartWeights = {
  openTickets: 0.3,
  avgResolutionDays: 0.25,
  escalationsLast90Days: 0.25,
  negativeTicketsLast90Days: 0.2,
};

export function evaluateSupport(signals: AccountSignals): FactorEvaluation | null {
  const support = signals.support;
  if (support === null) return null;
  const parts = new PartialScores();
  parts.add(scoreOn(supportCurves.openTickets, support.openTickets), supportPartWeights.openTickets);
  if (support.avgResolutionDays !== null) {
    parts.add(
      scoreOn(supportCurves.avgResolutionDays, support.avgResolutionDays),
      supportPartWeights.avgResolutionDays,
    );
  }
  parts.add(
    scoreOn(supportCurves.escalationsLast90Days, support.escalationsLast90Days),
    supportPartWeights.escalationsLast90Days,
  );
  parts.add(
    scoreOn(supportCurves.negativeTicketsLast90Days, support.negativeTicketsLast90Days),
    supportPartWeights.negativeTicketsLast90Days,
  );
  let explanation = `${countOf(support.openTickets, 'open ticket')}, ${countOf(support.escalationsLast90Days, 'escalation')} and ${formatNumber(support.negativeTicketsLast90Days)} negative in 90 days`;
  if (support.avgResolutionDays !== null) {
    explanation += `, resolved in ${formatNumber(support.avgResolutionDays, 1)} days on average`;
  }
  return {
    value: parts.value(),
    signals: [
      { key: 'openTickets', label: 'Open tickets', value: support.openTickets, unit: 'tickets' },
      {
        key: 'avgResolutionDays',
        label: 'Average resolution (90 days)',
        value: support.avgResolutionDays,
        unit: 'days',
      },
      {
        key: 'escalationsLast90Days',
        label: 'Escalations (90 days)',
        value: support.escalationsLast90Days,
        unit: 'tickets',
      },
      {
        key: 'negativeTicketsLast90Days',
        label: 'Negative-sentiment tickets (90 days)',
        value: support.negativeTicketsLast90Days,
        unit: 'tickets',
      },
    ],
    explanation,
    asOf: support.asOf,
  };
}

export const relationshipCurves = {
  engagedContacts: curve([
    [0, 0],
    [1, 40],
    [3, 80],
    [5, 100],
  ]),
  /** Days since the last QBR; a QBR never held scores 0. */
  daysSinceLastQbr: curve([
    [90, 100],
    [120, 80],
    [180, 30],
    [365, 0],
  ]),
};
export const relationshipPartWeights = { engagedContacts: 0.35, champion: 0.25, execSponsor: 0.2, qbr: 0.2 };

export function evaluateRelationship(signals: AccountSignals): FactorEvaluation | null {
  const relationship = signals.relationship;
  if (relationship === null) return null;
  const qbrDays = relationship.daysSinceLastQbr;
  const value =
    relationshipPartWeights.engagedContacts *
      scoreOn(relationshipCurves.engagedContacts, relationship.engagedContacts) +
    relationshipPartWeights.champion * (relationship.championPresent ? 100 : 0) +
    relationshipPartWeights.execSponsor * (relationship.execSponsorPresent ? 100 : 0) +
    relationshipPartWeights.qbr *
      (qbrDays === null ? 0 : scoreOn(relationshipCurves.daysSinceLastQbr, qbrDays));
  const champion = relationship.championPresent
    ? 'champion in place'
    : relationship.championLeft
      ? 'champion left'
      : 'no champion';
  return {
    value,
    signals: [
      {
        key: 'engagedContacts',
        label: 'Contacts engaged (90 days)',
        value: relationship.engagedContacts,
        unit: 'contacts',
      },
      { key: 'championPresent', label: 'Champion identified', value: relationship.championPresent },
      { key: 'execSponsorPresent', label: 'Executive sponsor', value: relationship.execSponsorPresent },
      { key: 'daysSinceLastQbr', label: 'Days since last QBR', value: qbrDays, unit: 'days' },
    ],
    explanation: `${countOf(relationship.engagedContacts, 'engaged contact')}, ${champion}, ${relationship.execSponsorPresent ? 'exec sponsor' : 'no exec sponsor'}, ${qbrDays === null ? 'no QBR on record' : `last QBR ${daysAgo(qbrDays)}`}`,
    asOf: relationship.asOf,
  };
}

export const contractCurves = {
  /** Calendar days to the next renewal; a passed renewal date scores like 0 days. */
  daysToRenewal: curve([
    [0, 20],
    [30, 40],
    [90, 70],
    [180, 100],
  ]),
  /** Won expansion deals minus won contraction deals in 12 months. */
  netExpansions: curve([
    [-2, 0],
    [-1, 25],
    [0, 60],
    [1, 85],
    [2, 100],
  ]),
};
export const contractPartWeights = { daysToRenewal: 0.3, autoRenew: 0.3, netExpansions: 0.4 };
export const AUTO_RENEW_SCORE = 100;
export const MANUAL_RENEW_SCORE = 40;

export function evaluateContract(signals: AccountSignals): FactorEvaluation | null {
  const contract = signals.contract;
  if (contract === null) return null;
  const parts = new PartialScores();
  let explanation: string;
  if (contract.daysToRenewal !== null) {
    parts.add(
      scoreOn(contractCurves.daysToRenewal, contract.daysToRenewal),
      contractPartWeights.daysToRenewal,
    );
    explanation =
      contract.daysToRenewal < 0
        ? `Renewal ${formatNumber(-contract.daysToRenewal)} days overdue`
        : `Renews in ${formatNumber(contract.daysToRenewal)} days`;
  } else {
    explanation = 'No renewal date';
  }
  if (contract.autoRenew !== null) {
    parts.add(contract.autoRenew ? AUTO_RENEW_SCORE : MANUAL_RENEW_SCORE, contractPartWeights.autoRenew);
    explanation += contract.autoRenew ? ' (auto-renew)' : ' (manual renewal)';
  }
  const net = contract.expansionsLast12Months - contract.contractionsLast12Months;
  parts.add(scoreOn(contractCurves.netExpansions, net), contractPartWeights.netExpansions);
  explanation += `, ${countOf(contract.expansionsLast12Months, 'expansion')} and ${countOf(contract.contractionsLast12Months, 'contraction')} in 12 months`;
  return {
    value: parts.value(),
    signals: [
      { key: 'daysToRenewal', label: 'Days to renewal', value: contract.daysToRenewal, unit: 'days' },
      { key: 'autoRenew', label: 'Auto-renew', value: contract.autoRenew },
      {
        key: 'expansionsLast12Months',
        label: 'Expansions (12 months)',
        value: contract.expansionsLast12Months,
        unit: 'deals',
      },
      {
        key: 'contractionsLast12Months',
        label: 'Contractions (12 months)',
        value: contract.contractionsLast12Months,
        unit: 'deals',
      },
    ],
    explanation,
    asOf: contract.asOf,
  };
}

export const defaultFactors: readonly FactorDefinition[] = [
  {
    key: 'payment',
    label: 'Payment health',
    description: 'Invoice payment speed (days late), overdue count and amount',
    evaluate: evaluatePayment,
  },
  {
    key: 'engagement',
    label: 'Engagement',
    description: 'Days since the last email, meeting or call, meeting frequency and logins',
    evaluate: evaluateEngagement,
  },
  {
    key: 'usage',
    label: 'Product usage',
    description:
      'Active users vs licensed seats, active-user trend, feature adoption, API volume, integrations',
    evaluate: evaluateUsage,
  },
  {
    key: 'support',
    label: 'Support health',
    description: 'Open tickets, resolution time, escalations and negative sentiment',
    evaluate: evaluateSupport,
  },
  {
    key: 'relationship',
    label: 'Relationship',
    description: 'Engaged contacts, champion, executive sponsor and QBR recency',
    evaluate: evaluateRelationship,
  },
  {
    key: 'contract',
    label: 'Contract status',
    description: 'Days to renewal, auto-renew and expansion/contraction history',
    evaluate: evaluateContract,
  },
];
