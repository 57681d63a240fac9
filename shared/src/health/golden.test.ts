import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { portfolioSnapshots } from '../demo';
import type { AccountSnapshot } from '../model';
import type { HealthConfig } from './config';
import { healthPresets, validateHealthConfig } from './config';
import { scoreAccount } from './score';
import { deriveSignals } from './signals';
import type { PreviousScore } from './types';

/**
 * Golden outputs of the engine: signals and explained scores of generated accounts, pinned by hash
 * in golden.fixture.json so that a speed-up cannot change a byte of what is stored or shown.
 * After an intended change of the engine's output, regenerate with `UPDATE_GOLDEN=1 npx vitest
 * run shared/src/health/golden.test.ts` and say why in the commit.
 */

const FIXTURE = new URL('./golden.fixture.json', import.meta.url);
const FIRST_NOW = new Date('2026-10-01T08:30:00Z');
const SECOND_NOW = new Date('2026-11-22T12:00:00Z');

function snapshotsAt(now: Date): AccountSnapshot[] {
  return portfolioSnapshots({ seed: 1234, accounts: 240, tenantId: 'golden', now, usageDays: 75 }, 100);
}

/** Canonical `…T…:…:….sssZ` rewritten in the other forms CRMs send: offsets, no milliseconds, lower case. */
function variantTime(text: string, index: number): string {
  if (text.length !== 24) return text;
  switch (index % 4) {
    case 0:
      return text.slice(0, 19) + 'Z';
    case 1:
      return text.slice(0, 23) + '+00:00';
    case 2:
      return `${text.slice(0, 10)}t${text.slice(11, 23)}z`;
    default:
      return text.slice(0, 16) + 'Z';
  }
}

/** The same accounts with every record time in a non-canonical ISO form, to pin the slow paths too. */
function withVariantTimes(snapshot: AccountSnapshot, index: number): AccountSnapshot {
  const times = <T extends object>(record: T, keys: readonly (keyof T)[]): T => {
    const copy = { ...record };
    for (const key of keys) {
      const value = copy[key];
      if (typeof value === 'string') copy[key] = variantTime(value, index++) as T[keyof T];
    }
    return copy;
  };
  return {
    ...snapshot,
    contacts: snapshot.contacts.map((record) => times(record, ['updatedAt', 'lastEngagedAt'])),
    engagements: snapshot.engagements.map((record) => times(record, ['occurredAt', 'updatedAt'])),
    invoices: snapshot.invoices.map((record) => times(record, ['paidAt', 'updatedAt'])),
    tickets: snapshot.tickets.map((record) => times(record, ['openedAt', 'closedAt', 'updatedAt'])),
    subscriptions: snapshot.subscriptions.map((record) => times(record, ['updatedAt'])),
    deals: snapshot.deals.map((record) => times(record, ['updatedAt'])),
  };
}

function customConfig(): HealthConfig {
  const validation = validateHealthConfig({
    preset: 'custom',
    factors: [
      { key: 'payment', label: 'Payment health', enabled: true, weight: 30 },
      { key: 'usage', label: 'Product usage', enabled: true, weight: 25 },
      { key: 'engagement', label: 'Engagement', enabled: false, weight: 0 },
      {
        key: 'nps_custom',
        label: 'NPS',
        enabled: true,
        weight: 15,
        custom: {
          kind: 'numeric',
          source: 'attribute',
          name: 'nps',
          direction: 'higher_is_better',
          points: [
            { value: 0, score: 0 },
            { value: 6, score: 40 },
            { value: 10, score: 100 },
          ],
        },
      },
      {
        key: 'integrations_custom',
        label: 'Integrations',
        enabled: true,
        weight: 15,
        custom: {
          kind: 'numeric',
          source: 'usage_metric',
          name: 'active_integrations',
          direction: 'higher_is_better',
          points: [
            { value: 0, score: 10 },
            { value: 3, score: 100 },
          ],
          unit: 'integrations',
        },
      },
      {
        key: 'segment_custom',
        label: 'Segment',
        enabled: true,
        weight: 15,
        custom: {
          kind: 'enumerated',
          source: 'attribute',
          name: 'segment',
          scores: { enterprise: 90, 'mid-market': 70, smb: 50 },
          otherwise: 30,
        },
      },
    ],
    tiers: [
      { key: 'good', label: 'Good', min: 65 },
      { key: 'bad', label: 'Bad', min: 0 },
    ],
    lowCoverageThreshold: 50,
  });
  if (!validation.ok) throw new Error(JSON.stringify(validation.errors));
  return validation.config;
}

function previousOf(result: ReturnType<typeof scoreAccount>): PreviousScore {
  const factors: PreviousScore['factors'] = {};
  for (const factor of result.factors) factors[factor.key] = { value: factor.value, points: factor.points };
  return { score: result.score, tier: result.tier, computedAt: result.computedAt, factors };
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** One hash per account and config: its signals, first score and re-score (with drivers) later. */
function goldenDigests(): Record<string, string[]> {
  const configs: Record<string, HealthConfig> = { ...healthPresets, custom: customConfig() };
  const first = snapshotsAt(FIRST_NOW);
  const second = snapshotsAt(SECOND_NOW);
  const variants = second.map(withVariantTimes);
  const digests: Record<string, string[]> = {};
  for (const [name, config] of Object.entries(configs)) {
    const rows: string[] = [];
    for (let index = 0; index < second.length; index++) {
      const openFlags = index % 3 === 0 ? null : { open: index % 5, critical: index % 2 };
      const before = scoreAccount(deriveSignals(first[index]!, FIRST_NOW, { openFlags }), config, {
        now: FIRST_NOW,
      });
      const signals = deriveSignals(second[index]!, SECOND_NOW, { openFlags });
      const after = scoreAccount(signals, config, { now: SECOND_NOW, previous: previousOf(before) });
      const variantSignals = deriveSignals(variants[index]!, SECOND_NOW, { openFlags });
      const variant = scoreAccount(variantSignals, config, { now: SECOND_NOW, previous: previousOf(after) });
      rows.push(digest([signals, before, after, variantSignals, variant]));
    }
    digests[name] = rows;
  }
  return digests;
}

describe('health engine golden outputs', () => {
  it('gives byte-identical signals and explained scores to the committed fixture', () => {
    const digests = goldenDigests();
    if (process.env['UPDATE_GOLDEN'] === '1') {
      writeFileSync(FIXTURE, `${JSON.stringify(digests, null, 1)}\n`);
    }
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, string[]>;
    expect(Object.keys(digests)).toEqual(Object.keys(fixture));
    for (const name of Object.keys(fixture)) {
      const mismatched = digests[name]!.flatMap((hash, index) =>
        hash === fixture[name]![index] ? [] : [index],
      );
      expect(mismatched, `${name}: accounts whose output changed`).toEqual([]);
      expect(digests[name]!.length).toBe(fixture[name]!.length);
    }
  }, 60_000);
});
