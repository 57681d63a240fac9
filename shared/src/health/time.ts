/**
 * Date arithmetic for the engine. Scoring 200k accounts a second leaves no room for `new Date()` or
 * `Date.parse` per record, so ISO strings are read digit by digit into epoch milliseconds. Anything
 * that is not plain `YYYY-MM-DD` / `YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]` falls back to `Date.parse`.
 */

export const DAY_MS = 86_400_000;

function digit(text: string, index: number): number {
  return text.charCodeAt(index) - 48;
}

function twoDigits(text: string, index: number): number {
  const tens = digit(text, index);
  const ones = digit(text, index + 1);
  if (tens < 0 || tens > 9 || ones < 0 || ones > 9) return Number.NaN;
  return tens * 10 + ones;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

// Day numbers of the first of every month from 1900 to 2199: a table lookup instead of the
// divisions of daysFromCivil for every date the engine reads.
const TABLE_FIRST_YEAR = 1900;
const TABLE_YEARS = 300;
const monthStarts = new Int32Array(TABLE_YEARS * 12);
for (let index = 0; index < monthStarts.length; index++) {
  monthStarts[index] = daysFromCivil(TABLE_FIRST_YEAR + Math.floor(index / 12), (index % 12) + 1, 1);
}

/** Days since 1970-01-01 of a calendar date (month 1-12, day 1-31). */
function civilDay(year: number, month: number, day: number): number {
  const index = (year - TABLE_FIRST_YEAR) * 12 + month - 1;
  return index >= 0 && index < monthStarts.length
    ? monthStarts[index]! + day - 1
    : daysFromCivil(year, month, day);
}

/** Days since 1970-01-01 of the calendar date an ISO value starts with (`YYYY-MM-DD…`). */
export function dayNumber(text: string): number {
  const year =
    text.charCodeAt(0) * 1000 +
    text.charCodeAt(1) * 100 +
    text.charCodeAt(2) * 10 +
    text.charCodeAt(3) -
    53_328;
  const month = text.charCodeAt(5) * 10 + text.charCodeAt(6) - 528;
  const day = text.charCodeAt(8) * 10 + text.charCodeAt(9) - 528;
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && year >= 0 && year <= 9999)) {
    return Math.floor(Date.parse(text) / DAY_MS);
  }
  return civilDay(year, month, day);
}

/** Epoch milliseconds of an ISO date or date-time; NaN when unreadable. Date-only means 00:00 UTC. */
export function parseIsoMs(text: string): number {
  if (
    text.length === 24 &&
    text.charCodeAt(23) === 90 &&
    text.charCodeAt(19) === 46 &&
    text.charCodeAt(10) === 84
  ) {
    return parseCanonical(text);
  }
  return parseGeneral(text);
}

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ`, the form `toISOString` writes and by far the most common: digits
 * are read straight from their char codes (48 is '0'), then range-checked once.
 */
function parseCanonical(text: string): number {
  const year =
    text.charCodeAt(0) * 1000 +
    text.charCodeAt(1) * 100 +
    text.charCodeAt(2) * 10 +
    text.charCodeAt(3) -
    53_328;
  const month = text.charCodeAt(5) * 10 + text.charCodeAt(6) - 528;
  const day = text.charCodeAt(8) * 10 + text.charCodeAt(9) - 528;
  const hour = text.charCodeAt(11) * 10 + text.charCodeAt(12) - 528;
  const minute = text.charCodeAt(14) * 10 + text.charCodeAt(15) - 528;
  const second = text.charCodeAt(17) * 10 + text.charCodeAt(18) - 528;
  const millisecond = text.charCodeAt(20) * 100 + text.charCodeAt(21) * 10 + text.charCodeAt(22) - 5328;
  const valid =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 31 &&
    hour >= 0 &&
    hour <= 24 &&
    minute >= 0 &&
    minute <= 59;
  if (!valid || !(second >= 0 && second <= 60 && millisecond >= 0 && millisecond <= 999 && year >= 0)) {
    return Date.parse(text);
  }
  return civilDay(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
}

function parseGeneral(text: string): number {
  const length = text.length;
  if (length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Date.parse(text);
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return Date.parse(text);
  const dayMs = civilDay(year, month, day) * DAY_MS;
  if (length === 10) return dayMs;

  const separator = text.charCodeAt(10);
  if ((separator !== 84 && separator !== 116) || length < 16 || text.charCodeAt(13) !== 58) {
    return Date.parse(text);
  }
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  let second = 0;
  let millisecond = 0;
  let index = 16;
  if (text.charCodeAt(16) === 58) {
    second = twoDigits(text, 17);
    index = 19;
    if (text.charCodeAt(19) === 46) {
      index = 20;
      let scale = 100;
      while (index < length) {
        const value = digit(text, index);
        if (value < 0 || value > 9) break;
        millisecond += value * scale;
        scale = scale === 1 ? 0 : scale / 10;
        index++;
      }
    }
  }
  if (!(hour <= 24 && minute <= 59 && second <= 60)) return Date.parse(text);

  let offsetMinutes = 0;
  if (index < length) {
    const zone = text.charCodeAt(index);
    if (zone === 43 || zone === 45) {
      const offsetHours = twoDigits(text, index + 1);
      const minuteIndex = text.charCodeAt(index + 3) === 58 ? index + 4 : index + 3;
      const offsetMinutePart = minuteIndex < length ? twoDigits(text, minuteIndex) : 0;
      if (Number.isNaN(offsetHours) || Number.isNaN(offsetMinutePart)) return Date.parse(text);
      offsetMinutes = (zone === 43 ? 1 : -1) * (offsetHours * 60 + offsetMinutePart);
    } else if (zone !== 90 && zone !== 122) {
      return Date.parse(text);
    }
  }
  return dayMs + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millisecond;
}

/**
 * A moment the engine compares record times against: epoch ms, canonical ISO text
 * (`YYYY-MM-DDTHH:MM:SS.sssZ`) and its UTC calendar day.
 */
export interface Boundary {
  ms: number;
  iso: string;
  day: string;
}

/** `now` and the window starts the signals use, computed once per `now`. */
export interface TimeFrame {
  now: Boundary;
  /** 00:00 UTC of today. */
  today: Boundary;
  daysAgo30: Boundary;
  daysAgo90: Boundary;
  daysAgo365: Boundary;
}

function boundaryAt(ms: number): Boundary {
  const iso = new Date(ms).toISOString();
  return { ms, iso, day: iso.slice(0, 10) };
}

// A one-entry memo: scoring a portfolio calls this with the same `now` for every account. Its
// result depends only on its argument, so the engine stays a pure function of its inputs.
let lastFrame: TimeFrame | null = null;

export function timeFrameAt(nowMs: number): TimeFrame {
  if (lastFrame !== null && lastFrame.now.ms === nowMs) return lastFrame;
  const frame: TimeFrame = {
    now: boundaryAt(nowMs),
    today: boundaryAt(utcDayStart(nowMs)),
    daysAgo30: boundaryAt(nowMs - 30 * DAY_MS),
    daysAgo90: boundaryAt(nowMs - 90 * DAY_MS),
    daysAgo365: boundaryAt(nowMs - 365 * DAY_MS),
  };
  lastFrame = frame;
  return frame;
}

/** True for the 24-character UTC form `toISOString` writes, which orders correctly as text. */
function isCanonical(text: string): boolean {
  return text.length === 24 && text.charCodeAt(23) === 90 && text.charCodeAt(10) === 84;
}

/**
 * Sign of (the time in `text` − `boundary`): negative before, 0 at, positive after. Date-only
 * values compare by calendar day. Canonical text compares as text; anything else is parsed.
 */
export function compareToBoundary(text: string, boundary: Boundary): number {
  if (text.length === 10) return text < boundary.day ? -1 : text > boundary.day ? 1 : 0;
  if (isCanonical(text)) return text < boundary.iso ? -1 : text > boundary.iso ? 1 : 0;
  const ms = parseIsoMs(text);
  return ms < boundary.ms ? -1 : ms > boundary.ms ? 1 : 0;
}

// `isAfter` and `isBefore` are `compareToBoundary(…) > 0` and `< 0` with one text comparison
// instead of up to two, canonical text (the common case) tested first: the engine asks them for
// nearly every record time. An unreadable time is neither before nor after (as it compares as 0).

/** Whether the time in `text` is later than `boundary` (`compareToBoundary(text, boundary) > 0`). */
export function isAfter(text: string, boundary: Boundary): boolean {
  const length = text.length;
  if (length === 24 && text.charCodeAt(23) === 90 && text.charCodeAt(10) === 84) return text > boundary.iso;
  if (length === 10) return text > boundary.day;
  return parseIsoMs(text) > boundary.ms;
}

/** Whether the time in `text` is earlier than `boundary` (`compareToBoundary(text, boundary) < 0`). */
export function isBefore(text: string, boundary: Boundary): boolean {
  const length = text.length;
  if (length === 24 && text.charCodeAt(23) === 90 && text.charCodeAt(10) === 84) return text < boundary.iso;
  if (length === 10) return text < boundary.day;
  return parseIsoMs(text) < boundary.ms;
}

/** Whether `text` is a later time than `than` (any time is later than null). */
export function isLater(text: string, than: string | null): boolean {
  if (than === null) return true;
  const length = text.length;
  const thanLength = than.length;
  const textCanonical = length === 24 && text.charCodeAt(23) === 90 && text.charCodeAt(10) === 84;
  const thanCanonical = thanLength === 24 && than.charCodeAt(23) === 90 && than.charCodeAt(10) === 84;
  if (textCanonical ? thanCanonical : length === 10 && thanLength === 10) return text > than;
  // A date against a canonical date-time: the calendar days decide, unless they are the same day.
  if ((length === 10 && thanCanonical) || (textCanonical && thanLength === 10)) {
    for (let index = 0; index < 10; index++) {
      const difference = text.charCodeAt(index) - than.charCodeAt(index);
      if (difference !== 0) return difference > 0;
    }
  }
  return parseIsoMs(text) > parseIsoMs(than);
}

/** Start (00:00 UTC) of the calendar day containing `ms`. */
export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** `YYYY-MM-DD` of the UTC day containing `ms`. */
export function isoDay(ms: number): string {
  return new Date(utcDayStart(ms)).toISOString().slice(0, 10);
}
