import { addDays, dayMs, startOfUtcDay, toIsoDate, toIsoDateTime } from './dates';
import type { Random } from './random';

/** What every record builder of one portfolio run shares; built once per run. */
export interface DemoContext {
  seed: number;
  tenantId: string;
  nowMs: number;
  /** Start of the UTC day containing `now`. */
  todayMs: number;
  usageDays: number;
  /** First day of the usage window (`usageDays` days ending today). */
  usageStartMs: number;
  /** `YYYY-MM-DD` for each day of the usage window, oldest first; formatted once, shared by all rows. */
  usageDayStrings: readonly string[];
  /** Weekend and seasonal (December holidays, August) multiplier per usage day. */
  usageDayFactors: Float64Array;
}

export function createDemoContext(seed: number, tenantId: string, now: Date, usageDays: number): DemoContext {
  const nowMs = now.getTime();
  const todayMs = startOfUtcDay(nowMs);
  const usageStartMs = addDays(todayMs, -(usageDays - 1));
  const usageDayStrings: string[] = [];
  const usageDayFactors = new Float64Array(usageDays);
  for (let offset = 0; offset < usageDays; offset++) {
    const dayMsValue = usageStartMs + offset * dayMs;
    usageDayStrings.push(toIsoDate(dayMsValue));
    usageDayFactors[offset] = calendarFactor(dayMsValue);
  }
  return { seed, tenantId, nowMs, todayMs, usageDays, usageStartMs, usageDayStrings, usageDayFactors };
}

/** Weekends are quiet; late December and August dip as teams go on holiday. */
function calendarFactor(dayStartMs: number): number {
  const date = new Date(dayStartMs);
  const weekday = date.getUTCDay();
  const month = date.getUTCMonth();
  const dayOfMonth = date.getUTCDate();
  let factor = weekday === 0 || weekday === 6 ? 0.3 : 1;
  if ((month === 11 && dayOfMonth >= 20) || (month === 0 && dayOfMonth <= 2)) factor *= 0.5;
  else if (month === 7) factor *= 0.78;
  return factor;
}

/** A time on the given day during working hours, never after `now`. */
export function workingTime(context: DemoContext, dayStartMs: number, random: Random): number {
  const time = dayStartMs + random.int(8 * 60, 18 * 60) * 60_000;
  return Math.min(time, context.nowMs);
}

/** A recent `updatedAt`: some time in the last `maxDays` days, never after `now`. */
export function recentUpdate(context: DemoContext, random: Random, maxDays = 30): string {
  return toIsoDateTime(context.nowMs - random.int(60, maxDays * 24 * 60) * 60_000);
}
