import type { Contact, Engagement } from '../model';
import { type DemoContext, recentUpdate, workingTime } from './context';
import { addDays, dayMs, toIsoDateTime } from './dates';
import type { DemoAccountProfile } from './profile';
import { accountRandom } from './random';
import { firstNames, lastNames } from './vocabulary';

/** Email-safe forms of the name lists (Müller → muller), computed once. */
const firstNameSlugs = firstNames.map(emailSlug);
const lastNameSlugs = lastNames.map(emailSlug);

function emailSlug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

const contactCountRange = { smb: [3, 5], mid_market: [4, 7], enterprise: [6, 10] } as const;

/** People at the customer: a champion, often an exec sponsor, and users; some have left. */
export function buildContacts(context: DemoContext, profile: DemoAccountProfile): Contact[] {
  const random = accountRandom(context.seed, profile.index, 'contacts');
  const [minimum, maximum] = contactCountRange[profile.segment];
  const count = random.int(minimum, maximum);
  const relationship = profile.factors.relationship;
  const hasChampion = profile.championLeft || random.chance(0.55 + relationship * 0.45);
  const hasSponsor = random.chance(0.15 + relationship * 0.7);
  const contacts: Contact[] = [];
  // Consecutive first names keep every email at the account distinct (CRMs dedupe contacts by email).
  const firstNameStart = random.int(0, firstNames.length - 1);
  for (let position = 0; position < count; position++) {
    let role: Contact['role'] = 'user';
    if (position === 0 && hasChampion) role = 'champion';
    else if (position === 1 && hasSponsor) role = 'exec_sponsor';
    // A replacement champion is sometimes found after the first one left.
    else if (position === 2 && profile.championLeft && random.chance(0.35)) role = 'champion';
    const leftCompany = role === 'champion' && position === 0 ? profile.championLeft : random.chance(0.05);
    const first = (firstNameStart + position) % firstNames.length;
    const last = random.int(0, lastNames.length - 1);
    const hasEmail = random.chance(0.95);
    contacts.push({
      tenantId: context.tenantId,
      id: `con-${profile.idStem}-${position + 1}`,
      accountId: profile.accountId,
      name: `${firstNames[first]} ${lastNames[last]}`,
      email: hasEmail ? `${firstNameSlugs[first]}.${lastNameSlugs[last]}@${profile.domain}` : null,
      role,
      leftCompany,
      lastEngagedAt: null,
      updatedAt: recentUpdate(context, random, 90),
    });
  }
  return contacts;
}

const engagementTypeWeights: readonly (readonly [Engagement['type'], number])[] = [
  ['email', 50],
  ['call', 18],
  ['meeting', 20],
  ['note', 12],
];

/**
 * Emails, calls, meetings and notes over the last year. Recency and volume follow the engagement
 * latent; QBRs follow the relationship latent. Fills each contact's `lastEngagedAt` as a side effect.
 */
export function buildEngagements(
  context: DemoContext,
  profile: DemoAccountProfile,
  contacts: Contact[],
): Engagement[] {
  const random = accountRandom(context.seed, profile.index, 'engagements');
  const { todayMs } = context;
  const engagement = profile.factors.engagement;
  const segmentBonus = profile.segment === 'enterprise' ? 5 : profile.segment === 'mid_market' ? 2 : 0;
  const count = Math.round(4 + engagement * 12 + segmentBonus + random.int(0, 3));
  const endMs = profile.churnedAtMs ?? todayMs;
  const startMs = Math.max(profile.customerSinceMs, addDays(todayMs, -365));
  const spanDays = Math.max(0, Math.floor((endMs - startMs) / dayMs));
  // Healthy accounts were touched days ago; critical ones months ago.
  const lastGapDays = Math.min(spanDays, Math.round((1 - engagement) ** 1.5 * 150) + random.int(0, 4));
  const currentContacts: number[] = [];
  for (let position = 0; position < contacts.length; position++) {
    if (!contacts[position]!.leftCompany) currentContacts.push(position);
  }
  const everyContact = contacts.map((_, position) => position);
  const gaps: number[] = [lastGapDays];
  for (let position = 1; position < count; position++) gaps.push(random.int(lastGapDays, spanDays));
  const qbrCount = gaps.length;
  if (random.chance(0.2 + profile.factors.relationship * 0.75))
    gaps.push(random.int(lastGapDays, Math.max(lastGapDays, Math.min(spanDays, 110))));
  if (spanDays > 200 && random.chance(profile.factors.relationship))
    gaps.push(random.int(150, Math.min(spanDays, 230)));

  // Newest touch per contact, tracked as numbers and formatted once at the end.
  const latestMs = new Array<number>(contacts.length).fill(-1);
  const engagements: Engagement[] = [];
  for (let position = 0; position < gaps.length; position++) {
    const gapDays = gaps[position]!;
    const isQbr = position >= qbrCount;
    const type = isQbr ? 'meeting' : random.weighted(engagementTypeWeights);
    const occurredMs = workingTime(context, endMs - gapDays * dayMs, random);
    // Older activity may involve people who have since left; recent activity only current staff.
    const pool = gapDays > 120 || currentContacts.length === 0 ? everyContact : currentContacts;
    const contactPosition = type === 'note' && random.chance(0.5) ? -1 : random.pick(pool);
    if (contactPosition >= 0 && latestMs[contactPosition]! < occurredMs)
      latestMs[contactPosition] = occurredMs;
    const occurredAt = toIsoDateTime(occurredMs);
    engagements.push({
      tenantId: context.tenantId,
      id: `eng-${profile.idStem}-${position + 1}`,
      accountId: profile.accountId,
      type,
      occurredAt,
      isQbr,
      contactId: contactPosition >= 0 ? contacts[contactPosition]!.id : null,
      updatedAt: occurredAt,
    });
  }
  for (let position = 0; position < contacts.length; position++) {
    if (latestMs[position]! >= 0) contacts[position]!.lastEngagedAt = toIsoDateTime(latestMs[position]!);
  }
  return engagements;
}
