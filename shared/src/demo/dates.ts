/**
 * Date arithmetic and formatting on epoch milliseconds in UTC, so output never depends on the host
 * time zone. Formatting is done by hand (civil-from-days arithmetic) because `Date#toISOString` was
 * the largest cost when generating millions of records.
 */
export const dayMs = 86_400_000;

const twoDigits = Array.from({ length: 100 }, (_, value) => String(value).padStart(2, '0'));
const threeDigits = Array.from({ length: 1000 }, (_, value) => String(value).padStart(3, '0'));

interface CivilDate {
  year: number;
  /** 1-12 */
  month: number;
  /** 1-31 */
  day: number;
}

/** Proleptic Gregorian date of a day number (days since 1970-01-01); H. Hinnant's algorithm. */
function civilFromDays(days: number): CivilDate {
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function daysFromCivil(year: number, month: number, day: number): number {
  const adjustedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(adjustedYear / 400);
  const yearOfEra = adjustedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function formatDay(days: number): string {
  const { year, month, day } = civilFromDays(days);
  const yearText = year >= 1000 && year <= 9999 ? String(year) : String(year).padStart(4, '0');
  return `${yearText}-${twoDigits[month]}-${twoDigits[day]}`;
}

// Memo tables for a pure function: a portfolio touches a few thousand distinct days and times of day
// but formats millions of timestamps. Bounded so a long-lived process cannot grow them without limit.
const dayTexts = new Map<number, string>();
const dateTimePrefixes = new Map<number, string>();
const memoLimit = 50_000;

function dayText(days: number): string {
  let text = dayTexts.get(days);
  if (text === undefined) {
    if (dayTexts.size >= memoLimit) dayTexts.clear();
    text = formatDay(days);
    dayTexts.set(days, text);
  }
  return text;
}

function dateTimePrefix(days: number): string {
  let text = dateTimePrefixes.get(days);
  if (text === undefined) {
    if (dateTimePrefixes.size >= memoLimit) dateTimePrefixes.clear();
    text = `${dayText(days)}T`;
    dateTimePrefixes.set(days, text);
  }
  return text;
}

const minuteSuffixes = Array.from({ length: 1440 }, (_, minute) => timeSuffix(minute * 60_000));

function timeSuffix(msOfDay: number): string {
  const hours = Math.floor(msOfDay / 3_600_000);
  let rest = msOfDay - hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = Math.floor(rest - seconds * 1000);
  return `${twoDigits[hours]}:${twoDigits[minutes]}:${twoDigits[seconds]}.${threeDigits[millis]}Z`;
}

export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / dayMs) * dayMs;
}

export function addDays(ms: number, days: number): number {
  return ms + days * dayMs;
}

/** `YYYY-MM-DD` */
export function toIsoDate(ms: number): string {
  return dayText(Math.floor(ms / dayMs));
}

/** ISO-8601 with milliseconds and `Z`, e.g. `2026-11-22T09:15:00.000Z` (same as `toISOString`). */
export function toIsoDateTime(ms: number): string {
  const days = Math.floor(ms / dayMs);
  const msOfDay = ms - days * dayMs;
  if (msOfDay % 60_000 !== 0) return dateTimePrefix(days) + timeSuffix(msOfDay);
  return dateTimePrefix(days) + minuteSuffixes[msOfDay / 60_000]!;
}

/** Whole days from `fromMs` to `toMs` (negative when `toMs` is earlier). */
export function daysBetween(fromMs: number, toMs: number): number {
  return Math.floor((toMs - fromMs) / dayMs);
}

/** The same calendar day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(ms: number, months: number): number {
  const days = Math.floor(ms / dayMs);
  const timeOfDay = ms - days * dayMs;
  const { year, month, day } = civilFromDays(days);
  const monthsSinceZero = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthsSinceZero / 12);
  const targetMonth = monthsSinceZero - targetYear * 12 + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return daysFromCivil(targetYear, targetMonth, targetDay) * dayMs + timeOfDay;
}

/** The same calendar day `years` later (29 Feb falls back to 28 Feb). */
export function addYears(ms: number, years: number): number {
  return addMonths(ms, years * 12);
}
