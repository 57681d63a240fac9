import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { countOf, daysAgo, formatNumber, signedPercent } from './curves';

/** What explanations must print: the rounded value, thousands grouped with commas, no `-0`. */
function reference(value: number, decimals: number): string {
  const scale = 10 ** decimals;
  const rounded = Math.round(value * scale) / scale;
  const absolute = Math.abs(rounded);
  const text = Number.isInteger(absolute) ? String(absolute) : absolute.toFixed(decimals);
  const [whole, fraction] = text.split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+$)/g, ',');
  return (rounded < 0 ? '-' : '') + grouped + (fraction === undefined ? '' : '.' + fraction);
}

describe('formatNumber', () => {
  it('groups thousands and drops decimals of whole numbers', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(999)).toBe('999');
    expect(formatNumber(1000)).toBe('1,000');
    expect(formatNumber(12_400)).toBe('12,400');
    expect(formatNumber(1_000_005)).toBe('1,000,005');
    expect(formatNumber(18, 1)).toBe('18');
    expect(formatNumber(17.96, 1)).toBe('18');
  });

  it('rounds to the decimals asked for', () => {
    expect(formatNumber(2.456, 1)).toBe('2.5');
    expect(formatNumber(0.04, 1)).toBe('0');
    expect(formatNumber(1234.56, 1)).toBe('1,234.6');
    expect(formatNumber(999.95, 1)).toBe('1,000');
    expect(formatNumber(4.5678, 2)).toBe('4.57');
    expect(formatNumber(12.6)).toBe('13');
  });

  it('prints negatives with a minus and never "-0"', () => {
    expect(formatNumber(-0.4)).toBe('0');
    expect(formatNumber(-0.04, 1)).toBe('0');
    expect(formatNumber(-1234.5, 1)).toBe('-1,234.5');
    expect(formatNumber(-7)).toBe('-7');
  });

  it('matches the reference formatting for any value', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e13, max: 1e13, noNaN: true }),
        fc.constantFrom(0, 1, 2),
        (value, decimals) => {
          expect(formatNumber(value, decimals)).toBe(reference(value, decimals));
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('explanation phrases', () => {
  it('counts, percentages and days', () => {
    expect(countOf(1, 'invoice')).toBe('1 invoice');
    expect(countOf(1200, 'login')).toBe('1,200 logins');
    expect(signedPercent(12.4)).toBe('+12%');
    expect(signedPercent(-8)).toBe('-8%');
    expect(signedPercent(0.2)).toBe('0%');
    expect(daysAgo(0)).toBe('today');
    expect(daysAgo(1)).toBe('1 day ago');
    expect(daysAgo(12)).toBe('12 days ago');
  });
});
