import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { compareToBoundary, dayNumber, isAfter, isBefore, isLater, parseIsoMs, timeFrameAt } from './time';

const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) });
const offsetMinutes = fc.integer({ min: -14 * 60, max: 14 * 60 });

function withOffset(ms: number, offset: number): string {
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 23);
  const sign = offset < 0 ? '-' : '+';
  const absolute = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
}

describe('parseIsoMs', () => {
  it('reads canonical UTC, offsets, dates and second precision like Date.parse', () => {
    fc.assert(
      fc.property(instant, offsetMinutes, (ms, offset) => {
        const canonical = new Date(ms).toISOString();
        expect(parseIsoMs(canonical)).toBe(ms);
        expect(parseIsoMs(withOffset(ms, offset))).toBe(ms);
        expect(parseIsoMs(canonical.slice(0, 19) + 'Z')).toBe(Date.parse(canonical.slice(0, 19) + 'Z'));
        expect(parseIsoMs(canonical.slice(0, 10))).toBe(Date.parse(canonical.slice(0, 10)));
        expect(dayNumber(canonical)).toBe(Math.floor(ms / 86_400_000));
      }),
    );
  });

  it('falls back to Date.parse for other shapes', () => {
    expect(parseIsoMs('2026-11-22T12:00:00.123456Z')).toBe(Date.parse('2026-11-22T12:00:00.123Z'));
    expect(Number.isNaN(parseIsoMs('not a date'))).toBe(true);
    expect(Number.isNaN(parseIsoMs('2026-13-01T00:00:00.000Z'))).toBe(true);
    expect(Number.isNaN(parseIsoMs('2026-11-01T25:00:00.000Z'))).toBe(true);
  });
});

describe('comparisons against window boundaries', () => {
  it('orders any ISO form like the instants it denotes', () => {
    fc.assert(
      fc.property(instant, instant, offsetMinutes, (first, second, offset) => {
        const boundary = timeFrameAt(second).now;
        const text = withOffset(first, offset);
        expect(Math.sign(compareToBoundary(new Date(first).toISOString(), boundary))).toBe(
          Math.sign(first - second),
        );
        expect(Math.sign(compareToBoundary(text, boundary))).toBe(Math.sign(first - second));
        expect(isLater(text, new Date(second).toISOString())).toBe(first > second);
      }),
    );
  });

  it('orders a calendar date against a date-time by the instant the date starts', () => {
    fc.assert(
      fc.property(instant, instant, (first, second) => {
        const day = new Date(first).toISOString().slice(0, 10);
        const dayStart = Date.parse(day);
        const dateTime = new Date(second).toISOString();
        expect(isLater(day, dateTime)).toBe(dayStart > second);
        expect(isLater(dateTime, day)).toBe(second > dayStart);
        expect(isLater(day, day.slice(0, 10) + 'T00:00:00.000Z')).toBe(false);
      }),
    );
  });

  it('compares calendar dates by day', () => {
    const frame = timeFrameAt(Date.parse('2026-11-22T12:00:00.000Z'));
    expect(compareToBoundary('2026-11-22', frame.now)).toBe(0);
    expect(compareToBoundary('2026-11-23', frame.now)).toBe(1);
    expect(compareToBoundary('2025-11-22', frame.daysAgo365)).toBe(0);
  });

  it('isAfter and isBefore agree with compareToBoundary for every form, unreadable text included', () => {
    const forms = (ms: number, offset: number): string[] => {
      const canonical = new Date(ms).toISOString();
      return [
        canonical,
        canonical.slice(0, 10),
        canonical.slice(0, 19) + 'Z',
        withOffset(ms, offset),
        `${canonical.slice(0, 10)}t${canonical.slice(11)}`.replace('Z', 'z'),
        'not a date',
        '2026-13-01T00:00:00.000Z',
      ];
    };
    fc.assert(
      fc.property(instant, instant, offsetMinutes, fc.boolean(), (first, second, offset, sameDay) => {
        const frame = timeFrameAt(sameDay ? first + (second % 3_600_000) : second);
        for (const text of forms(first, offset)) {
          for (const boundary of [frame.now, frame.today, frame.daysAgo90]) {
            const sign = compareToBoundary(text, boundary);
            expect(isAfter(text, boundary)).toBe(sign > 0);
            expect(isBefore(text, boundary)).toBe(sign < 0);
          }
        }
      }),
    );
  });
});
