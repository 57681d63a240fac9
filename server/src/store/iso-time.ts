/**
 * `new Date(ms).toISOString()` for the hot path of snapshot reads (about a million timestamps per
 * 20k-account recompute): the day's `YYYY-MM-DDT` prefix is cached and the time of day is built
 * from padded lookups, about three times cheaper than the Date round trip. Same output for every
 * instant; outside 1970-9999 it simply uses Date.
 */
const DAY_MS = 86_400_000;
const MAX_MS = 253_402_300_800_000; // 10000-01-01T00:00:00.000Z
const CACHE_LIMIT = 20_000;

const pad2 = Array.from({ length: 60 }, (_, value) => String(value).padStart(2, '0'));
const pad3 = Array.from({ length: 1000 }, (_, value) => String(value).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();

export function isoFromEpochMs(ms: number): string {
  if (!(ms >= 0 && ms < MAX_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= CACHE_LIMIT) dayPrefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${prefix}${pad2[hours]}:${pad2[minutes]}:${pad2[seconds]}.${pad3[rest - seconds * 1000]}Z`;
}
