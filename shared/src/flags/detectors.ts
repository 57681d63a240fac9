import { licensedSeats, nextRenewalDate } from '../recommendations/signals';
import { calendarDaysBetween, daysSince, daysUntil } from '../renewals/calendar';
import type { FlagSettings } from './settings';
import type { FlagDetection, FlagInput, FlagSeverity, FlagType } from './types';

/**
 * One pure detector per churn signal (PRODUCT.md §4; seeds 002 and 003). Each returns a detection
 * when its condition holds, or null. Missing data never raises a flag: no usage reported means no
 * login or usage flag, not "zero logins".
 */
export type Detector<T extends FlagType> = (
  input: FlagInput,
  settings: FlagSettings[T],
) => FlagDetection | null;

const round = (value: number) => Math.round(value * 10) / 10;
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

const noRecentLogin: Detector<'no_recent_login'> = ({ snapshot, now }, settings) => {
  const usage = snapshot.usage;
  if (!usage) return null;
  const since = usage.lastLoginDay ?? usage.firstDay;
  const days = daysSince(since, now);
  if (days < settings.days) return null;
  return {
    type: 'no_recent_login',
    severity: days >= settings.criticalDays ? 'critical' : 'warning',
    magnitude: days,
    title: usage.lastLoginDay
      ? `No login for ${days} days`
      : `No login since usage reporting began ${days} days ago`,
    recommendedAction:
      'Reach out to the owner: "You haven\'t logged in lately, anything we can help with?"; check the champion is still there.',
    details: { daysSinceLogin: days, lastLoginDay: usage.lastLoginDay },
  };
};

const usageDecline: Detector<'usage_decline'> = ({ snapshot }, settings) => {
  const current = snapshot.usage?.current;
  const previous = snapshot.usage?.previous;
  if (!current || !previous) return null;
  if (current.days < settings.minimumDays || previous.days < settings.minimumDays) return null;
  if (previous.avgActiveUsers <= 0) return null;
  const decline = ((previous.avgActiveUsers - current.avgActiveUsers) / previous.avgActiveUsers) * 100;
  if (decline <= settings.percent) return null;
  return {
    type: 'usage_decline',
    severity: decline >= settings.criticalPercent ? 'critical' : 'warning',
    magnitude: round(decline),
    title: `Active users down ${round(decline)}% month over month`,
    recommendedAction:
      'Find out what changed (team, project, competitor); offer a usage review or re-onboarding session.',
    details: {
      declinePercent: round(decline),
      currentAvgActiveUsers: round(current.avgActiveUsers),
      previousAvgActiveUsers: round(previous.avgActiveUsers),
    },
  };
};

/**
 * "Health fell 5+ points in two consecutive scorings": the last `consecutive` score changes were all
 * falls and add up to `points` or more. Scorings where the score did not move are skipped, because
 * hourly re-scoring of unchanged data would otherwise hide a trend between two real changes.
 */
const healthDecline: Detector<'health_decline'> = ({ health, history, now }, settings) => {
  if (health.score === null) return null;
  const series = [health.score];
  for (const previous of history) {
    if (previous.score === null) break;
    if (daysSince(previous.computedAt, now) > settings.windowDays) break;
    if (previous.score !== series[series.length - 1]) series.push(previous.score);
    if (series.length > settings.consecutive) break;
  }
  if (series.length <= settings.consecutive) return null;
  for (let index = 0; index < settings.consecutive; index += 1) {
    if (!(series[index]! < series[index + 1]!)) return null;
  }
  const drop = round(series[settings.consecutive]! - series[0]!);
  if (drop < settings.points) return null;
  return {
    type: 'health_decline',
    severity: drop >= settings.criticalPoints ? 'critical' : 'warning',
    magnitude: drop,
    title: `Health fell ${drop} points over the last ${plural(settings.consecutive, 'score change')}`,
    recommendedAction:
      'Check the top drivers down on the score and tell the customer what you see: "Your score dropped this week."',
    details: { pointsFallen: drop, from: series[settings.consecutive]!, to: series[0]! },
  };
};

const integrationFailures: Detector<'integration_failures'> = ({ snapshot }, settings) => {
  const current = snapshot.usage?.current;
  if (!current || current.integrationCalls < settings.minimumCalls) return null;
  const rate = (current.integrationFailures / current.integrationCalls) * 100;
  if (rate <= settings.ratePercent) return null;
  return {
    type: 'integration_failures',
    severity: rate >= settings.criticalRatePercent ? 'critical' : 'warning',
    magnitude: round(rate),
    title: `Integration failure rate ${round(rate)}% over 30 days`,
    recommendedAction:
      'Escalate to engineering and offer to debug together: "Your integration is failing, want to look at it with us?"',
    details: {
      failureRatePercent: round(rate),
      integrationCalls: current.integrationCalls,
      integrationFailures: current.integrationFailures,
    },
  };
};

// The detectors below run for every account of every recompute: counts in plain loops, and no
// closure or array per call unless something is found.

const negativeSentiment: Detector<'negative_sentiment'> = ({ snapshot, now }, settings) => {
  let negative = 0;
  for (const ticket of snapshot.tickets) {
    if (ticket.sentiment === 'negative' && daysSince(ticket.openedAt, now) <= settings.windowDays) negative++;
  }
  if (negative < settings.count) return null;
  return {
    type: 'negative_sentiment',
    severity: negative >= settings.criticalCount ? 'critical' : 'warning',
    magnitude: negative,
    title: `${plural(negative, 'support ticket')} with negative sentiment in ${settings.windowDays} days`,
    recommendedAction:
      'Call the customer about their support experience; review the tickets with the support lead.',
    details: { negativeTickets: negative, windowDays: settings.windowDays },
  };
};

const ticketSpikeThenSilence: Detector<'ticket_spike_then_silence'> = ({ snapshot, now }, settings) => {
  let spike = 0;
  for (const ticket of snapshot.tickets) {
    const age = daysSince(ticket.openedAt, now);
    // Silent: every ticket at least `silenceDays` old (an unreadable date is not).
    if (!(age >= settings.silenceDays)) return null;
    if (age < settings.silenceDays + settings.spikeWindowDays) spike++;
  }
  if (spike < settings.spikeTickets) return null;
  return {
    type: 'ticket_spike_then_silence',
    severity: 'warning',
    magnitude: spike,
    title: `${plural(spike, 'ticket')} then no tickets for ${settings.silenceDays}+ days`,
    recommendedAction:
      'Silence after a burst of tickets often means they gave up: check the issues were really solved and ask how it is going.',
    details: { spikeTickets: spike, silenceDays: settings.silenceDays },
  };
};

const championLeft: Detector<'champion_left'> = ({ snapshot }) => {
  let champions = 0;
  let left = 0;
  for (const contact of snapshot.contacts) {
    if (contact.role !== 'champion') continue;
    champions++;
    if (contact.leftCompany) left++;
  }
  if (left === 0 || left < champions) return null;
  const departed = snapshot.contacts.filter((contact) => contact.role === 'champion' && contact.leftCompany);
  return {
    type: 'champion_left',
    severity: 'critical',
    magnitude: departed.length,
    title: `Champion left: ${departed.map((contact) => contact.name).join(', ')}`,
    recommendedAction:
      'Within 48 hours identify a new primary contact, offer a new-stakeholder onboarding and re-establish the exec relationship.',
    details: {
      departedChampions: departed.length,
      names: departed.map((contact) => contact.name).join(', '),
    },
  };
};

const seatsRemoved: Detector<'seats_removed'> = ({ snapshot, now }, settings) => {
  const windowDays = settings.windowDays;
  let contractions = 0;
  let contractedAmount = 0;
  for (const deal of snapshot.deals) {
    if (deal.type !== 'contraction' || deal.status !== 'won') continue;
    if (deal.closeDate === null || !(daysSince(deal.closeDate, now) <= windowDays)) continue;
    contractions++;
    contractedAmount += Math.abs(deal.amount ?? 0);
  }
  let cancelled = 0;
  let seats = 0;
  for (const subscription of snapshot.subscriptions) {
    if (subscription.status !== 'cancelled' || !((subscription.licensedSeats ?? 0) > 0)) continue;
    if (subscription.updatedAt === null || !(daysSince(subscription.updatedAt, now) <= windowDays)) continue;
    cancelled++;
    seats += subscription.licensedSeats ?? 0;
  }
  const events = contractions + cancelled;
  if (events === 0) return null;
  return {
    type: 'seats_removed',
    severity: 'warning',
    magnitude: events,
    title:
      seats > 0
        ? `${plural(seats, 'seat')} removed in the last ${settings.windowDays} days`
        : `Contract reduced in the last ${settings.windowDays} days`,
    recommendedAction:
      'Ask why the team shrank (reorg, budget, lower value) and right-size with a plan before the renewal.',
    details: {
      contractions,
      cancelledSubscriptions: cancelled,
      seatsRemoved: seats,
      contractedAmount,
    },
  };
};

const renewalAtRisk: Detector<'renewal_at_risk'> = ({ snapshot, health, now }, settings) => {
  const renewal = nextRenewalDate(snapshot.subscriptions);
  const tier = health.tier?.toLowerCase() ?? null;
  if (renewal === null || tier === null) return null;
  if (settings.healthyTiers.some((healthy) => healthy.toLowerCase() === tier)) return null;
  const daysLeft = daysUntil(renewal, now);
  if (daysLeft > settings.withinDays) return null;
  const critical =
    daysLeft < settings.criticalDays || settings.criticalTiers.some((value) => value.toLowerCase() === tier);
  const when = daysLeft < 0 ? `${-daysLeft} days overdue` : daysLeft === 0 ? 'today' : `in ${daysLeft} days`;
  return {
    type: 'renewal_at_risk',
    severity: critical ? 'critical' : 'warning',
    magnitude: settings.withinDays - daysLeft,
    title: `Renewal ${when} while ${health.tier}`,
    recommendedAction:
      'Start renewal prep now: a save plan with the exec sponsor, a value review and the open issues resolved before the date.',
    details: { renewalDate: renewal, daysLeft, tier: health.tier },
  };
};

function customerAge(input: FlagInput): number | null {
  const since = input.snapshot.account.customerSince;
  return since === null ? null : daysSince(since, input.now);
}

const onboardingNoLogin: Detector<'onboarding_no_login'> = (input, settings) => {
  const age = customerAge(input);
  const usage = input.snapshot.usage;
  if (age === null || !usage || age <= settings.afterDays || age > settings.onboardingDays) return null;
  const since = input.snapshot.account.customerSince!;
  const loggedIn = usage.lastLoginDay !== null && calendarDaysBetween(since, usage.lastLoginDay) >= 0;
  if (loggedIn) return null;
  return {
    type: 'onboarding_no_login',
    severity: 'warning',
    magnitude: age,
    title: `No login ${age} days into onboarding`,
    recommendedAction: 'Personal outreach (a call, not an email) to get the first users in.',
    details: { daysSinceStart: age, customerSince: since },
  };
};

const onboardingLowActivation: Detector<'onboarding_low_activation'> = (input, settings) => {
  const age = customerAge(input);
  const usage = input.snapshot.usage;
  if (age === null || !usage || age < settings.byDay || age > settings.onboardingDays) return null;
  const seats = licensedSeats(input.snapshot);
  if (seats === null || seats <= 0) return null;
  // The 30-day average is steadier than one day's count (a weekend is not a drop in activation).
  const activeUsers =
    usage.current && usage.current.days > 0 ? usage.current.avgActiveUsers : usage.latestActiveUsers;
  const activation = (activeUsers / seats) * 100;
  if (activation >= settings.activationPercent) return null;
  const severity: FlagSeverity = activation < settings.activationPercent / 2 ? 'warning' : 'info';
  return {
    type: 'onboarding_low_activation',
    severity,
    magnitude: round(settings.activationPercent - activation),
    title: `${round(activation)}% of seats active on day ${age} of onboarding`,
    recommendedAction:
      'Run a user adoption campaign: training sessions, in-app guides, a champion-led kickoff.',
    details: {
      activationPercent: round(activation),
      activeUsers: round(activeUsers),
      licensedSeats: seats,
      day: age,
    },
  };
};

export const detectors: { [T in FlagType]: Detector<T> } = {
  no_recent_login: noRecentLogin,
  usage_decline: usageDecline,
  health_decline: healthDecline,
  integration_failures: integrationFailures,
  negative_sentiment: negativeSentiment,
  ticket_spike_then_silence: ticketSpikeThenSilence,
  champion_left: championLeft,
  seats_removed: seatsRemoved,
  renewal_at_risk: renewalAtRisk,
  onboarding_no_login: onboardingNoLogin,
  onboarding_low_activation: onboardingLowActivation,
};

const detectorTypes = Object.keys(detectors) as FlagType[];

/** Every enabled detector's finding for one account, in the fixed order of `flagTypes`. */
export function detectFlags(input: FlagInput, settings: FlagSettings): FlagDetection[] {
  const found: FlagDetection[] = [];
  for (const type of detectorTypes) {
    const typeSettings = settings[type];
    if (!typeSettings.enabled) continue;
    const detection = (detectors[type] as Detector<typeof type>)(input, typeSettings as never);
    if (detection) found.push(detection);
  }
  return found;
}
