import { z } from 'zod';

/**
 * Every detector's thresholds, configurable per tenant (settings key `flags`). Each detector also
 * has `reopenStep`: how much its magnitude must grow past the value it had when a CSM acknowledged
 * it before the flag re-opens ("acknowledged, not actioned" stays quiet unless things get worse).
 */

const enabled = z.boolean().default(true);
const days = z.number().int().min(1).max(3650);
const percent = z.number().min(0).max(100);
const count = z.number().int().min(1).max(1000);
const step = z.number().positive();

export const FlagSettings = z
  .object({
    no_recent_login: z
      .object({
        enabled,
        days: days.default(30),
        criticalDays: days.default(60),
        reopenStep: step.default(30),
      })
      .strict()
      .prefault({}),
    usage_decline: z
      .object({
        enabled,
        percent: percent.default(30),
        criticalPercent: percent.default(50),
        /** Both 30-day windows need this many days of data, so a new account's ramp is not a "decline". */
        minimumDays: days.default(7),
        reopenStep: step.default(10),
      })
      .strict()
      .prefault({}),
    health_decline: z
      .object({
        enabled,
        points: z.number().positive().default(5),
        consecutive: z.number().int().min(1).max(10).default(2),
        criticalPoints: z.number().positive().default(15),
        /** Only scorings this recent count, so a slow drift over a year is not a "fall". */
        windowDays: days.default(30),
        reopenStep: step.default(5),
      })
      .strict()
      .prefault({}),
    integration_failures: z
      .object({
        enabled,
        ratePercent: percent.default(20),
        criticalRatePercent: percent.default(50),
        /** Below this many calls in 30 days a failure rate is noise. */
        minimumCalls: z.number().int().min(1).default(20),
        reopenStep: step.default(10),
      })
      .strict()
      .prefault({}),
    negative_sentiment: z
      .object({
        enabled,
        count: count.default(2),
        windowDays: days.default(90),
        criticalCount: count.default(4),
        reopenStep: step.default(1),
      })
      .strict()
      .prefault({}),
    ticket_spike_then_silence: z
      .object({
        enabled,
        spikeTickets: count.default(3),
        spikeWindowDays: days.default(60),
        silenceDays: days.default(30),
        reopenStep: step.default(3),
      })
      .strict()
      .prefault({}),
    champion_left: z
      .object({ enabled, reopenStep: step.default(1) })
      .strict()
      .prefault({}),
    seats_removed: z
      .object({ enabled, windowDays: days.default(30), reopenStep: step.default(1) })
      .strict()
      .prefault({}),
    renewal_at_risk: z
      .object({
        enabled,
        withinDays: days.default(90),
        criticalDays: days.default(30),
        /** Tier keys that count as Healthy (the default model's and the five-dimension model's). */
        healthyTiers: z.array(z.string().min(1)).default(['healthy', 'thriving']),
        /** Tier keys that make a near renewal critical (the default model's and the workspace model's lowest). */
        criticalTiers: z.array(z.string().min(1)).default(['critical', 'touch']),
        reopenStep: step.default(30),
      })
      .strict()
      .prefault({}),
    onboarding_no_login: z
      .object({
        enabled,
        afterDays: days.default(3),
        onboardingDays: days.default(90),
        reopenStep: step.default(7),
      })
      .strict()
      .prefault({}),
    onboarding_low_activation: z
      .object({
        enabled,
        byDay: days.default(30),
        activationPercent: percent.default(50),
        onboardingDays: days.default(90),
        reopenStep: step.default(10),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type FlagSettings = z.infer<typeof FlagSettings>;

export const defaultFlagSettings: FlagSettings = FlagSettings.parse({});
