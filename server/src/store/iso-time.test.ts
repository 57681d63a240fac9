import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { isoFromEpochMs } from './iso-time';

describe('isoFromEpochMs', () => {
  it('equals Date.toISOString for every instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_135_596_800_000, max: 8_640_000_000_000_000 }), (ms) => {
        expect(isoFromEpochMs(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('handles day and year edges', () => {
    for (const text of [
      '1970-01-01T00:00:00.000Z',
      '1999-12-31T23:59:59.999Z',
      '2024-02-29T12:00:00.001Z',
      '2026-11-22T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ]) {
      expect(isoFromEpochMs(Date.parse(text))).toBe(text);
    }
    expect(isoFromEpochMs(-1)).toBe('1969-12-31T23:59:59.999Z');
  });
});
