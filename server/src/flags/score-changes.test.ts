import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { mergeHistory, type ScorePoint } from './score-changes';

/** The straightforward definition: every point keyed by its instant, recent ones last, newest first. */
function referenceMerge(recent: readonly ScorePoint[], changes: readonly ScorePoint[]): ScorePoint[] {
  const byTime = new Map<string, ScorePoint>();
  for (const point of [...changes, ...recent]) byTime.set(new Date(point.computedAt).toISOString(), point);
  return [...byTime.entries()]
    .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
    .map(([computedAt, point]) => ({ score: point.score, computedAt }));
}

const instant = fc
  .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 0, 3) })
  .map((ms) => ms - (ms % 3_600_000));
const point = fc.record({
  score: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  ms: instant,
  form: fc.constantFrom('canonical', 'canonical', 'canonical', 'offset', 'seconds'),
});

function toPoint({ score, ms, form }: { score: number | null; ms: number; form: string }): ScorePoint {
  const iso = new Date(ms).toISOString();
  const computedAt =
    form === 'canonical' ? iso : form === 'offset' ? `${iso.slice(0, 23)}+00:00` : `${iso.slice(0, 19)}Z`;
  return { score, computedAt };
}

const newestFirst = (points: ScorePoint[]) =>
  [...points].sort((a, b) => Date.parse(b.computedAt) - Date.parse(a.computedAt));

describe('mergeHistory', () => {
  it('equals the keyed merge for sorted, unsorted, duplicated and non-canonical points', () => {
    fc.assert(
      fc.property(
        fc.array(point, { maxLength: 8 }),
        fc.array(point, { maxLength: 8 }),
        fc.boolean(),
        (a, b, sort) => {
          const recent = a.map(toPoint);
          const changes = b.map(toPoint);
          const [first, second] = sort ? [newestFirst(recent), newestFirst(changes)] : [recent, changes];
          expect(mergeHistory(first, second)).toEqual(referenceMerge(first, second));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps the recent scoring when a logged change has the same instant', () => {
    const at = '2026-01-02T10:00:00.000Z';
    expect(
      mergeHistory(
        [{ score: 50, computedAt: at }],
        [
          { score: 40, computedAt: at },
          { score: 30, computedAt: '2026-01-01T10:00:00.000Z' },
        ],
      ),
    ).toEqual([
      { score: 50, computedAt: at },
      { score: 30, computedAt: '2026-01-01T10:00:00.000Z' },
    ]);
  });
});
