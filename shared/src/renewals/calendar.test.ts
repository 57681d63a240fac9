import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { calendarDaysBetween, daysSince, daysUntil } from './calendar';

const DAY_MS = 86_400_000;
const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) });

describe('calendar day numbers', () => {
  it('reads days, canonical instants and offset instants on the UTC calendar', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -14, max: 14 }), (ms, offsetHours) => {
        const iso = new Date(ms).toISOString();
        const utcDay = Math.floor(ms / DAY_MS);
        expect(calendarDaysBetween('1970-01-01', iso)).toBe(utcDay);
        expect(calendarDaysBetween('1970-01-01', iso.slice(0, 10))).toBe(utcDay);
        expect(calendarDaysBetween('1970-01-01', iso.slice(0, 19) + 'Z')).toBe(utcDay);
        const local = new Date(ms + offsetHours * 3_600_000).toISOString().slice(0, 19);
        const offset = `${offsetHours < 0 ? '-' : '+'}${String(Math.abs(offsetHours)).padStart(2, '0')}:00`;
        expect(calendarDaysBetween('1970-01-01', local + offset)).toBe(utcDay);
        expect(daysUntil(iso.slice(0, 10), new Date(ms))).toBe(0);
        expect(daysSince(iso, new Date(ms + DAY_MS))).toBe(1);
      }),
    );
  });

  it('reads out-of-range and malformed values the way Date.UTC and Number do', () => {
    expect(calendarDaysBetween('2026-02-28', '2026-02-30')).toBe(2);
    expect(calendarDaysBetween('2026-01-01', '2026-13-01')).toBe(365);
    expect(Number.isNaN(calendarDaysBetween('2026-01-01', '2026-xx-01'))).toBe(true);
    expect(Number.isNaN(calendarDaysBetween('2026-01-01', 'soon'))).toBe(true);
  });
});
