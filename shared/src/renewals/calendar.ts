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

function dayNumber(day: string): number {
  return Math.floor(Date.parse(`${day.slice(0, 10)}T00:00:00Z`) / millisecondsPerDay);
}

/** Whole calendar days from `from` to `to` (both `YYYY-MM-DD` or ISO instants, read in UTC). */
export function calendarDaysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Days from `now`'s UTC day until `day`: 0 today, negative when overdue. */
export function daysUntil(day: string, now: Date): number {
  return calendarDaysBetween(utcDay(now), day);
}

/** Days since `instantOrDay` (ISO instant or day) on `now`'s UTC calendar. */
export function daysSince(instantOrDay: string, now: Date): number {
  return calendarDaysBetween(instantOrDay, utcDay(now));
}
