import { z } from 'zod';

/**
 * Every environment variable Pulse reads, parsed once at start-up. An invalid environment fails
 * with one message listing every problem, not the first one.
 */
const optionalUrl = z.url().optional();
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

export const EnvSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyAsUndefined,
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  PULSE_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./.pulse')),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  PULSE_PUBLIC_URL: z.preprocess(emptyAsUndefined, optionalUrl),
  /** 32 bytes, base64: encrypts CRM tokens at rest. */
  PULSE_ENCRYPTION_KEY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
      .optional(),
  ),
  PULSE_SCORE_CRON: z.preprocess(emptyAsUndefined, z.string().default('0 * * * *')),
  /** The console's bootstrap admin, created on its first sign-in. */
  PULSE_ADMIN_EMAIL: z.preprocess(emptyAsUndefined, z.email('must be an email address').optional()),
  PULSE_ADMIN_PASSWORD: z.preprocess(
    emptyAsUndefined,
    z.string().min(8, 'must be at least 8 characters').optional(),
  ),
  /** Requests per second one HubSpot portal may make to the app endpoints (cards, settings). */
  PULSE_HUBSPOT_PORTAL_RATE_LIMIT: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().positive().default(200),
  ),
  HUBSPOT_ACCESS_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  HUBSPOT_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  HUBSPOT_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().optional()),
  HUBSPOT_API_BASE_URL: z.preprocess(emptyAsUndefined, z.url().default('https://api.hubapi.com')),
  SALESFORCE_LOGIN_URL: z.preprocess(emptyAsUndefined, z.url().default('https://login.salesforce.com')),
  SALESFORCE_INSTANCE_URL: z.preprocess(emptyAsUndefined, optionalUrl),
  SALESFORCE_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  SALESFORCE_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().optional()),
  SALESFORCE_USERNAME: z.preprocess(emptyAsUndefined, z.string().optional()),
  SALESFORCE_PRIVATE_KEY_PATH: z.preprocess(emptyAsUndefined, z.string().optional()),
  SALESFORCE_ACCESS_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
});

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
}
