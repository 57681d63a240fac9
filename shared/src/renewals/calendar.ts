/**
 * Calendar arithmetic in UTC. A renewal date is a calendar day (`YYYY-MM-DD`), so "days left" is
 * the number of UTC midnights between today and that day: 0 on the day itself, negative once it has
 * passed. Time of day never matters, so a renewal "today" is 0 from 00:00 to 23:59 UTC.
 */

const millisecondsPerDay = 86_400_000;

/** The UTC calendar day of an instant, as `YYYY-MM-DD`. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` day or the UTC day of an ISO instant (`...Z`). */
function dayNumber(day: string): number {
  // Parsed by hand: this runs for every ticket and renewal of every account in a recompute. Four,
  // two and two digits are read straight from their char codes (48 is '0'); any other shape takes
  // the slices below, which give the same numbers for digits.
  if (day.length === 10 || day.charCodeAt(day.length - 1) === 90) {
    const year = digitsAt(day, 0) * 100 + digitsAt(day, 2);
    const month = digitsAt(day, 5);
    const date = digitsAt(day, 8);
    if (year >= 0 && month >= 0 && date >= 0) {
      return Math.floor(Date.UTC(year, month - 1, date) / millisecondsPerDay);
    }
  }
  return dayNumberOfSlices(day);
}

/** The two-digit number at `index`, or -1 when either character is not a digit. */
function digitsAt(text: string, index: number): number {
  const tens = text.charCodeAt(index) - 48;
  const ones = text.charCodeAt(index + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

function dayNumberOfSlices(day: string): number {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  const date = Number(day.slice(8, 10));
  if (day.length > 10 && !day.endsWith('Z')) {
    // An instant with an offset: its UTC day may differ from the written one.
    return Math.floor(Date.parse(day) / millisecondsPerDay);
  }
  return Math.floor(Date.UTC(year, month - 1, date) / millisecondsPerDay);
}

function todayNumber(now: Date): number {
  return Math.floor(now.getTime() / millisecondsPerDay);
}

/** Whole calendar days from `from` to `to` (both `YYYY-MM-DD` or ISO instants, read in UTC). */
export function calendarDaysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Days from `now`'s UTC day until `day`: 0 today, negative when overdue. */
export function daysUntil(day: string, now: Date): number {
  return dayNumber(day) - todayNumber(now);
}

/** Days since `instantOrDay` (ISO instant or day) on `now`'s UTC calendar. */
export function daysSince(instantOrDay: string, now: Date): number {
  return todayNumber(now) - dayNumber(instantOrDay);
}
