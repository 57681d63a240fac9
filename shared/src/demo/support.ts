import type { Ticket } from '../model';
import type { DemoContext } from './context';
import { addDays, dayMs, toIsoDateTime } from './dates';
import type { DemoAccountProfile } from './profile';
import { accountRandom, clamp } from './random';
import { ticketSubjects } from './vocabulary';

const hourMs = 3_600_000;

/**
 * Support tickets from the last 180 days. Volume, open backlog, escalations, slow resolution and
 * negative sentiment grow as the support latent falls; some accounts show a spike, then silence.
 */
export function buildTickets(context: DemoContext, profile: DemoAccountProfile): Ticket[] {
  const random = accountRandom(context.seed, profile.index, 'tickets');
  const { todayMs, nowMs } = context;
  const support = profile.factors.support;
  const segmentFactor = profile.segment === 'enterprise' ? 1.6 : profile.segment === 'mid_market' ? 1.2 : 1;
  const expected = (1.2 + (1 - support) ** 1.5 * 10) * segmentFactor;
  const endMs = profile.churnedAtMs ?? todayMs;
  const windowStartMs = Math.max(profile.customerSinceMs, addDays(todayMs, -180));
  const spanDays = Math.max(0, Math.floor((endMs - windowStartMs) / dayMs));

  const openedDays: number[] = [];
  if (profile.ticketSpikeThenSilence && spanDays >= 90) {
    const spike = random.int(5, 8);
    for (let position = 0; position < spike; position++) openedDays.push(random.int(60, 90));
  } else {
    // Most customers file a ticket or two in six months; a quiet few file none.
    const count = random.chance(0.08) ? 0 : Math.round(expected * random.between(0.5, 1.5));
    for (let position = 0; position < count; position++) openedDays.push(random.int(0, spanDays));
  }

  return openedDays.map((gapDays, position) => {
    const openedMs = Math.min(nowMs, endMs - gapDays * dayMs + random.int(7, 19) * hourMs);
    const resolutionHours = Math.round(
      support > 0.7 ? random.between(2, 48) : (1 - support) * 30 * 24 * random.between(0.5, 1.5),
    );
    const closedMs = openedMs + resolutionHours * hourMs;
    // A struggling account accumulates a backlog of tickets nobody closes.
    const stale = random.chance(clamp((0.65 - support) * 0.8, 0, 0.5));
    const closed = !stale && closedMs <= nowMs;
    const escalated = random.chance((1 - support) * 0.5);
    const sentimentRoll = random.next();
    const sentiment: Ticket['sentiment'] =
      sentimentRoll < 0.15
        ? null
        : sentimentRoll < 0.15 + (1 - support) * 0.7
          ? 'negative'
          : sentimentRoll < 0.55 + support * 0.3
            ? 'neutral'
            : 'positive';
    const priority = escalated
      ? random.pick(['high', 'urgent'] as const)
      : random.weighted<Ticket['priority']>([
          ['low', 35],
          ['medium', 45],
          ['high', 15],
          ['urgent', 5],
        ]);
    return {
      tenantId: context.tenantId,
      id: `tkt-${profile.idStem}-${position + 1}`,
      accountId: profile.accountId,
      subject: random.pick(ticketSubjects),
      status: closed ? 'closed' : random.chance(0.3) ? 'pending' : 'open',
      priority,
      openedAt: toIsoDateTime(openedMs),
      closedAt: closed ? toIsoDateTime(closedMs) : null,
      escalated,
      sentiment,
      updatedAt: toIsoDateTime(closed ? closedMs : openedMs),
    } satisfies Ticket;
  });
}
