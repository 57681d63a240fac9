/**
 * Curves turn a raw signal into a 0-100 score. Every curve is piecewise linear through a short list
 * of documented points and flat beyond its ends, so it is monotone whenever its points are — which
 * the tests check for every built-in curve. Points are stored flat (`[x0, y0, x1, y1, ...]`) so that
 * evaluating one is a short loop with no allocation. Curves are shared constants: never write to one.
 */

/** Flat `[x0, y0, x1, y1, ...]`; a typed array because reading it is the engine's innermost loop. */
export type Curve = Float64Array;

export type Direction = 'higher_is_better' | 'lower_is_better';

/** Builds a curve from `[signal value, score]` points ordered by strictly increasing value. */
export function curve(points: ReadonlyArray<readonly [number, number]>): Curve {
  const flat = new Float64Array(points.length * 2);
  points.forEach(([value, score], index) => {
    flat[index * 2] = value;
    flat[index * 2 + 1] = score;
  });
  return flat;
}

/** Score of `value` on `points`: linear between points, the end score beyond either end. */
export function scoreOn(points: Curve, value: number): number {
  const last = points.length - 2;
  if (value <= points[0]!) return points[1]!;
  if (value >= points[last]!) return points[last + 1]!;
  for (let index = 2; index <= last; index += 2) {
    const upper = points[index]!;
    if (value <= upper) {
      const lower = points[index - 2]!;
      const lowerScore = points[index - 1]!;
      return lowerScore + ((points[index + 1]! - lowerScore) * (value - lower)) / (upper - lower);
    }
  }
  return points[last + 1]!;
}

/** The direction a curve's scores move in as its signal grows (flat curves count as both). */
export function curveDirection(points: Curve): Direction | 'flat' | 'mixed' {
  let rises = false;
  let falls = false;
  for (let index = 3; index < points.length; index += 2) {
    if (points[index]! > points[index - 2]!) rises = true;
    if (points[index]! < points[index - 2]!) falls = true;
  }
  if (rises && falls) return 'mixed';
  if (rises) return 'higher_is_better';
  if (falls) return 'lower_is_better';
  return 'flat';
}

export function clamp(value: number, minimum: number, maximum: number): number {
  return value < minimum ? minimum : Math.min(value, maximum);
}

export function roundTo(value: number, decimals: number): number {
  const factor = decimals === 0 ? 1 : decimals === 1 ? 10 : decimals === 2 ? 100 : 10 ** decimals;
  return Math.round(value * factor) / factor;
}

// '0' … '999' and '000' … '999': explanations print mostly small counts and day numbers, and a
// lookup saves a number-to-string conversion (the dearest step of formatting) per call.
const integerTexts: readonly string[] = Array.from({ length: 1000 }, (_, value) => String(value));
const paddedTriples: readonly string[] = integerTexts.map((text) => text.padStart(3, '0'));

/** `1234567` -> `1,234,567`, for whole numbers from 0 to below 1e15 (exact as doubles). */
function groupedInteger(whole: number): string {
  if (whole < 1000) return integerTexts[whole]!;
  const lastTriple = whole % 1000;
  return groupedInteger((whole - lastTriple) / 1000) + ',' + paddedTriples[lastTriple]!;
}

/** `12400` -> `12,400`; `2.456` with one decimal -> `2.5`. No Intl: it is slow and locale-dependent. */
export function formatNumber(value: number, decimals = 0): string {
  const rounded = decimals === 0 ? Math.round(value) : roundTo(value, decimals);
  const negative = rounded < 0;
  const absolute = negative ? -rounded : rounded;
  const whole = Math.floor(absolute);
  // Whole numbers print without decimals: "18 days", not "18.0 days".
  if (absolute < 1e12) {
    if (absolute === whole) return negative ? '-' + groupedInteger(whole) : groupedInteger(whole);
    if (decimals === 1) {
      // `absolute` is tenths / 10, so this is what `toFixed(1)` prints, without its conversion.
      const tenth = Math.round(absolute * 10) - whole * 10;
      const text = groupedInteger(whole) + '.' + integerTexts[tenth]!;
      return negative ? '-' + text : text;
    }
  }
  let text = absolute === whole ? String(whole) : absolute.toFixed(decimals);
  if (whole >= 1000) {
    const wholeText = String(whole);
    let grouped = '';
    for (let end = wholeText.length; end > 0; end -= 3) {
      const start = Math.max(end - 3, 0);
      grouped = grouped === '' ? wholeText.slice(start, end) : wholeText.slice(start, end) + ',' + grouped;
    }
    text = grouped + text.slice(wholeText.length);
  }
  return negative ? '-' + text : text;
}

/** `2, 'invoice'` -> `2 invoices`; `1, 'escalation'` -> `1 escalation`. */
export function countOf(count: number, singular: string, plural = singular + 's'): string {
  return formatNumber(count) + ' ' + (count === 1 ? singular : plural);
}

/** `+12%`, `-8%`, `0%`. */
export function signedPercent(value: number): string {
  const rounded = Math.round(value);
  return (rounded > 0 ? '+' : '') + formatNumber(rounded) + '%';
}

/** `today`, `1 day ago`, `12 days ago`. */
export function daysAgo(days: number): string {
  return days <= 0 ? 'today' : days === 1 ? '1 day ago' : formatNumber(days) + ' days ago';
}
