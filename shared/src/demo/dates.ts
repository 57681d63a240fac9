/** Date arithmetic on epoch milliseconds in UTC, so output never depends on the host time zone. */
export const dayMs = 86_400_000;

export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / dayMs) * dayMs;
}

export function addDays(ms: number, days: number): number {
  return ms + days * dayMs;
}

/** `YYYY-MM-DD` */
export function toIsoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** ISO-8601 with milliseconds and `Z`, e.g. `2026-11-22T09:15:00.000Z`. */
export function toIsoDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Whole days from `fromMs` to `toMs` (negative when `toMs` is earlier). */
export function daysBetween(fromMs: number, toMs: number): number {
  return Math.floor((toMs - fromMs) / dayMs);
}

/** The same calendar day `years` later (29 Feb falls back to 28 Feb). */
export function addYears(ms: number, years: number): number {
  const date = new Date(ms);
  const month = date.getUTCMonth();
  const shifted = Date.UTC(date.getUTCFullYear() + years, month, date.getUTCDate());
  const shiftedDate = new Date(shifted);
  return shiftedDate.getUTCMonth() === month ? shifted : shifted - dayMs;
}

/** The same calendar day `months` later, clamped to the month's last day. */
export function addMonths(ms: number, months: number): number {
  const date = new Date(ms);
  const target = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1);
  const targetDate = new Date(target);
  const lastDay = new Date(
    Date.UTC(targetDate.getUTCFullYear(), targetDate.getUTCMonth() + 1, 0),
  ).getUTCDate();
  return Date.UTC(
    targetDate.getUTCFullYear(),
    targetDate.getUTCMonth(),
    Math.min(date.getUTCDate(), lastDay),
  );
}
