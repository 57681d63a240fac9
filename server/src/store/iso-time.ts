/**
 * `new Date(ms).toISOString()` for the hot path of snapshot reads (about a million timestamps per
 * 20k-account recompute). The day's `YYYY-MM-DDT` character codes are cached and the whole text is
 * made by one `String.fromCharCode` call, which gives a flat string: building it from pieces gave
 * a rope that V8 flattens again on the engine's first comparison. Formatting and comparing cost
 * about 120-240 ns per timestamp this way against 650-1,050 ns with padded pieces and 530-700 ns
 * with Date (bench on 500k random instants). Same output for every instant; outside 1970-9999 it
 * simply uses Date.
 */
const DAY_MS = 86_400_000;
const MAX_MS = 253_402_300_800_000; // 10000-01-01T00:00:00.000Z
const CACHE_LIMIT = 20_000;
const ZERO = 48;
const COLON = 58;
const DOT = 46;
const ZULU = 90;

/** Character codes of `YYYY-MM-DDT` per day number. */
const dayPrefixes = new Map<number, readonly number[]>();

function dayPrefix(day: number): readonly number[] {
  let codes = dayPrefixes.get(day);
  if (codes === undefined) {
    if (dayPrefixes.size >= CACHE_LIMIT) dayPrefixes.clear();
    const text = new Date(day * DAY_MS).toISOString();
    codes = Array.from({ length: 11 }, (_, index) => text.charCodeAt(index));
    dayPrefixes.set(day, codes);
  }
  return codes;
}

export function isoFromEpochMs(ms: number): string {
  if (!(ms >= 0 && ms < MAX_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  const p = dayPrefix(day);
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return String.fromCharCode(
    p[0]!,
    p[1]!,
    p[2]!,
    p[3]!,
    p[4]!,
    p[5]!,
    p[6]!,
    p[7]!,
    p[8]!,
    p[9]!,
    p[10]!,
    ZERO + Math.floor(hours / 10),
    ZERO + (hours % 10),
    COLON,
    ZERO + Math.floor(minutes / 10),
    ZERO + (minutes % 10),
    COLON,
    ZERO + Math.floor(seconds / 10),
    ZERO + (seconds % 10),
    DOT,
    ZERO + Math.floor(millis / 100),
    ZERO + (Math.floor(millis / 10) % 10),
    ZERO + (millis % 10),
    ZULU,
  );
}
