import { z } from 'zod';

import { endpoint } from './contract';

/**
 * Usage ingest: products push daily usage per account. One row is one account-day; a row names its
 * account by exactly one of `domain` (matched case-insensitively, without scheme or `www.`) or
 * `accountId` (the CRM id). Re-sending a day replaces it.
 */

export const MAX_USAGE_ROWS = 10_000;

const count = (field: string) =>
  z
    .number({
      error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be a number`),
    })
    .int(`${field} must be a whole number`)
    .nonnegative(`${field} must not be negative`)
    .max(2_147_483_647, `${field} is too large`);

const optionalKey = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, `${field} must not be empty`)
    .optional();

/** One account-day. Counters that are omitted count as 0; seats and features available as unknown. */
export const UsageRow = z
  .object({
    domain: optionalKey('domain'),
    accountId: optionalKey('accountId'),
    day: z.iso.date({
      error: (issue) =>
        issue.input === undefined ? 'day is required' : 'day must be a calendar day YYYY-MM-DD',
    }),
    activeUsers: count('activeUsers'),
    licensedSeats: count('licensedSeats').nullable().default(null),
    logins: count('logins').default(0),
    featuresAdopted: count('featuresAdopted').default(0),
    featuresAvailable: count('featuresAvailable').nullable().default(null),
    apiCalls: count('apiCalls').default(0),
    integrationCalls: count('integrationCalls').default(0),
    integrationFailures: count('integrationFailures').default(0),
    metrics: z
      .record(
        z.string().min(1, 'metric names must not be empty'),
        z
          .number({ error: 'metrics values must be numbers' })
          .refine(Number.isFinite, 'metrics must be finite'),
      )
      .default({}),
  })
  .strict()
  .superRefine((row, context) => {
    if (row.domain === undefined && row.accountId === undefined) {
      context.addIssue({
        code: 'custom',
        message: 'give the account as domain or accountId',
        path: ['domain'],
      });
    }
    if (row.domain !== undefined && row.accountId !== undefined) {
      context.addIssue({
        code: 'custom',
        message: 'give either domain or accountId, not both',
        path: ['accountId'],
      });
    }
    if (row.integrationFailures > row.integrationCalls) {
      context.addIssue({
        code: 'custom',
        message: 'integrationFailures must not exceed integrationCalls',
        path: ['integrationFailures'],
      });
    }
    if (row.featuresAvailable !== null && row.featuresAdopted > row.featuresAvailable) {
      context.addIssue({
        code: 'custom',
        message: 'featuresAdopted must not exceed featuresAvailable',
        path: ['featuresAdopted'],
      });
    }
  });
export type UsageRowInput = z.input<typeof UsageRow>;
export type UsageRow = z.output<typeof UsageRow>;

export const RejectedRow = z.object({
  /** The 0-based index in `snapshots` (API), or the 1-based line number in the file (CSV import). */
  row: z.number().int(),
  reason: z.string(),
});
export type RejectedRow = z.infer<typeof RejectedRow>;

export const UsageIngestResult = z.object({
  accepted: z.number().int().nonnegative(),
  rejected: z.array(RejectedRow),
  /** Distinct accounts whose usage changed; they are re-scored within minutes. */
  accountsQueued: z.number().int().nonnegative(),
});
export type UsageIngestResult = z.infer<typeof UsageIngestResult>;

export const postUsage = endpoint({
  method: 'post',
  path: '/api/v1/usage',
  // Rows stay unknown here so one bad row is reported by index, not a 400 for the whole batch.
  body: z
    .object({
      snapshots: z
        .array(z.unknown(), { error: 'snapshots must be an array of rows' })
        .max(MAX_USAGE_ROWS, `at most ${MAX_USAGE_ROWS} rows per request; split the batch`),
    })
    .strict(),
  response: UsageIngestResult,
});
