import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { addMonths, addYears, toIsoDate, toIsoDateTime } from './dates';

// 1900-01-01 .. 2200-01-01
const instants = fc.integer({ min: -2_208_988_800_000, max: 7_258_118_400_000 });

describe('demo date formatting', () => {
  it('formats instants exactly like Date#toISOString', () => {
    fc.assert(
      fc.property(instants, (ms) => {
        expect(toIsoDateTime(ms)).toBe(new Date(ms).toISOString());
        expect(toIsoDate(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
      }),
      { numRuns: 2000 },
    );
  });

  it('adds calendar months, clamping to the last day of shorter months', () => {
    expect(toIsoDate(addMonths(Date.UTC(2026, 0, 31), 1))).toBe('2026-02-28');
    expect(toIsoDate(addMonths(Date.UTC(2028, 0, 31), 1))).toBe('2028-02-29');
    expect(toIsoDate(addMonths(Date.UTC(2026, 10, 15), -13))).toBe('2025-10-15');
    expect(toIsoDate(addYears(Date.UTC(2028, 1, 29), 1))).toBe('2029-02-28');
    fc.assert(
      fc.property(instants, fc.integer({ min: -240, max: 240 }), (ms, months) => {
        const date = new Date(ms);
        const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
        const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
        target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
        target.setUTCHours(
          date.getUTCHours(),
          date.getUTCMinutes(),
          date.getUTCSeconds(),
          date.getUTCMilliseconds(),
        );
        expect(addMonths(ms, months)).toBe(target.getTime());
      }),
      { numRuns: 2000 },
    );
  });
});
