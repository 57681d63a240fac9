import { addDays, addYears, dayMs, startOfUtcDay } from './dates';
import { accountRandom, clamp, mixSeed } from './random';
import { nameFirstParts, nameSecondParts, nameSectors } from './vocabulary';

/**
 * The hidden truth behind a demo account. One latent health (0..1) per account, split into a latent
 * per health factor with noise, drives every child record, so a typical health model scores the
 * portfolio roughly 55% Healthy / 30% At Risk / 15% Critical while individual factors still disagree.
 */
export type DemoTier = 'healthy' | 'at_risk' | 'critical';
export type DemoLifecycle = 'onboarding' | 'steady' | 'expanding' | 'contracting' | 'churned';
export type DemoSegment = 'smb' | 'mid_market' | 'enterprise';

export interface DemoFactorLatents {
  payment: number;
  engagement: number;
  usage: number;
  support: number;
  relationship: number;
  contract: number;
}

export interface DemoAccountProfile {
  /** 1-based position in the portfolio. */
  index: number;
  accountId: string;
  /** Zero-padded index used in every child id, e.g. `000042`. */
  idStem: string;
  name: string;
  domain: string;
  tier: DemoTier;
  health: number;
  factors: DemoFactorLatents;
  lifecycle: DemoLifecycle;
  segment: DemoSegment;
  /** Start of the UTC day the account became a customer. */
  customerSinceMs: number;
  /** Day the account churned (subscriptions cancelled, usage stops); null if still a customer. */
  churnedAtMs: number | null;
  /** Seats licensed on the core platform today. */
  seats: number;
  /** Seats licensed before a contraction (equal to `seats` otherwise). */
  previousSeats: number;
  /** Day the seats were cut (contracting accounts), else null. */
  contractedAtMs: number | null;
  /** 10-seat packs bought on top of the core platform (part of `seats`). */
  extraSeatPacks: number;
  reportsUsage: boolean;
  reportsInvoices: boolean;
  csOptOut: boolean;
  /** Integration failure rate above 20%. */
  integrationTrouble: boolean;
  /** A burst of tickets 60-90 days ago, then nothing. */
  ticketSpikeThenSilence: boolean;
  /** The champion left the customer. */
  championLeft: boolean;
  /** Onboarding account whose users never logged in. */
  neverActivated: boolean;
}

const nameCombinations = nameFirstParts.length * nameSecondParts.length * nameSectors.length;
// Coprime with nameCombinations, so stepping by it visits every combination once before repeating.
const nameStride = 104_729;

/** Unique company name and domain for the account at `index`, shuffled per seed. */
export function demoCompanyName(seed: number, index: number): { name: string; domain: string } {
  const position = index - 1;
  const round = Math.floor(position / nameCombinations);
  const offset = mixSeed(seed, 0x6e616d65) % nameCombinations;
  let slot = ((position % nameCombinations) * nameStride + offset) % nameCombinations;
  const sector = nameSectors[slot % nameSectors.length]!;
  slot = Math.floor(slot / nameSectors.length);
  const second = nameSecondParts[slot % nameSecondParts.length]!;
  const first = nameFirstParts[Math.floor(slot / nameSecondParts.length)]!;
  const suffix = round === 0 ? '' : ` ${round + 1}`;
  const domainSuffix = round === 0 ? '' : `-${round + 1}`;
  return {
    name: `${first}${second} ${sector}${suffix}`,
    domain: `${first}${second}-${sector}${domainSuffix}.example`.toLowerCase(),
  };
}

export function demoIdStem(index: number): string {
  return String(index).padStart(6, '0');
}

function drawTier(roll: number): DemoTier {
  if (roll < 0.54) return 'healthy';
  if (roll < 0.84) return 'at_risk';
  return 'critical';
}

function drawHealth(tier: DemoTier, roll: number): number {
  if (tier === 'healthy') return 0.72 + roll * 0.24;
  if (tier === 'at_risk') return 0.42 + roll * 0.22;
  return 0.08 + roll * 0.24;
}

function drawLifecycle(tier: DemoTier, roll: number): DemoLifecycle {
  if (roll < 0.08) return 'onboarding';
  const rest = (roll - 0.08) / 0.92;
  if (tier === 'healthy') return rest < 0.25 ? 'expanding' : 'steady';
  if (tier === 'at_risk')
    return rest < 0.05 ? 'expanding' : rest < 0.2 ? 'contracting' : rest < 0.25 ? 'churned' : 'steady';
  return rest < 0.3 ? 'churned' : rest < 0.5 ? 'contracting' : 'steady';
}

export function demoAccountProfile(seed: number, index: number, nowMs: number): DemoAccountProfile {
  const random = accountRandom(seed, index, 'profile');
  const today = startOfUtcDay(nowMs);
  const tier = drawTier(random.next());
  const health = drawHealth(tier, random.next());
  const factor = () => clamp(health + random.gaussian() * 0.12, 0.02, 0.99);
  const factors: DemoFactorLatents = {
    payment: factor(),
    engagement: factor(),
    usage: factor(),
    support: factor(),
    relationship: factor(),
    contract: factor(),
  };
  const lifecycle = drawLifecycle(tier, random.next());
  const segment = random.weighted<DemoSegment>([
    ['smb', 50],
    ['mid_market', 35],
    ['enterprise', 15],
  ]);
  const customerAgeDays =
    lifecycle === 'onboarding' ? random.int(2, 85) : Math.floor(120 + random.next() ** 1.4 * 2000);
  const churnedAtMs = lifecycle === 'churned' ? addDays(today, -random.int(5, 120)) : null;
  // Churned customers left at a renewal: their start is whole years before the churn day.
  const customerSinceMs =
    churnedAtMs === null ? today - customerAgeDays * dayMs : addYears(churnedAtMs, -random.int(1, 5));
  const baseSeats =
    segment === 'smb'
      ? random.int(5, 40)
      : segment === 'mid_market'
        ? random.int(40, 250)
        : random.int(250, 2000);
  const previousSeats =
    lifecycle === 'contracting' ? Math.round(baseSeats * random.between(1.2, 1.8)) : baseSeats;
  const { name, domain } = demoCompanyName(seed, index);
  const idStem = demoIdStem(index);
  return {
    index,
    accountId: `acc-${idStem}`,
    idStem,
    name,
    domain,
    tier,
    health,
    factors,
    lifecycle,
    segment,
    customerSinceMs,
    churnedAtMs,
    seats: baseSeats,
    previousSeats,
    contractedAtMs: lifecycle === 'contracting' ? addDays(today, -random.int(15, 75)) : null,
    extraSeatPacks:
      lifecycle === 'expanding' && baseSeats >= 20
        ? random.int(1, Math.max(1, Math.floor(baseSeats / 40)))
        : 0,
    // Missing data is part of the demo: scores for these accounts report coverage below 100.
    reportsUsage: !random.chance(0.06),
    reportsInvoices: !random.chance(0.04),
    csOptOut: random.chance(0.05),
    integrationTrouble: random.chance(tier === 'critical' ? 0.35 : tier === 'at_risk' ? 0.12 : 0.02),
    ticketSpikeThenSilence: tier !== 'healthy' && random.chance(0.12),
    championLeft: random.chance(tier === 'critical' ? 0.35 : tier === 'at_risk' ? 0.15 : 0.03),
    neverActivated: lifecycle === 'onboarding' && tier === 'critical' && customerAgeDays > 3,
  };
}
