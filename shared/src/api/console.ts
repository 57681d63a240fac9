import { z } from 'zod';

import { HealthConfigSchema } from '../health/config';
import { endpoint } from './contract';
import { consoleRoles } from './users';

/**
 * What the web console needs beyond the shared APIs: sign-in, settings, CRM connections, usage API
 * keys, the product catalogue, usage history and the filterable account table.
 */

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_COOKIE = 'pulse_csrf';
export const SESSION_COOKIE = 'pulse_session';

export const Me = z.object({
  email: z.string(),
  role: z.enum(consoleRoles),
  ownerId: z.string().nullable(),
  tenantId: z.string(),
  tenantName: z.string(),
  /** Send back in the x-csrf-token header on every non-GET request. */
  csrfToken: z.string(),
});
export type Me = z.infer<typeof Me>;

export const LoginBody = z
  .object({
    email: z.string().trim().min(1, 'Enter your email'),
    password: z.string().min(1, 'Enter your password'),
  })
  .strict();

export const login = endpoint({ method: 'post', path: '/api/v1/auth/login', body: LoginBody, response: Me });
export const logout = endpoint({
  method: 'post',
  path: '/api/v1/auth/logout',
  response: z.object({ signedOut: z.literal(true) }),
});
export const me = endpoint({ method: 'get', path: '/api/v1/auth/me', response: Me });

const Version = z
  .object({ version: z.number().int(), changedBy: z.string(), changedAt: z.string() })
  .nullable();

export const HealthSettings = z.object({ config: HealthConfigSchema, saved: Version });
export const getHealthSettings = endpoint({
  method: 'get',
  path: '/api/v1/settings/health',
  response: HealthSettings,
});
export const saveHealthSettings = endpoint({
  method: 'put',
  path: '/api/v1/settings/health',
  body: z.unknown(),
  response: HealthSettings.extend({ recomputed: z.object({ accounts: z.number().int() }).nullable() }),
});

export const TierPreviewResponse = z.object({
  accounts: z.number().int(),
  unscored: z.number().int(),
  tiers: z.array(
    z.object({ key: z.string(), label: z.string(), count: z.number().int(), share: z.number() }),
  ),
  factorsWithoutValues: z.array(z.string()),
});
export const previewHealthSettings = endpoint({
  method: 'post',
  path: '/api/v1/settings/health/preview',
  body: z.unknown(),
  response: TierPreviewResponse,
});

/** The simple settings: one value each, the same GET/PUT shape. */
export const simpleSettings = {
  retention: { key: 'retention_months', path: '/api/v1/settings/retention' },
  grossMargin: { key: 'gross_margin', path: '/api/v1/settings/gross-margin' },
  opportunityDefaults: { key: 'opportunity_defaults', path: '/api/v1/settings/opportunity-defaults' },
} as const;
export const SimpleSetting = z.object({ value: z.unknown(), saved: Version });

export const CrmConnectionStatus = z.object({
  connection: z
    .object({
      crm: z.string(),
      externalId: z.string(),
      status: z.string(),
      lastError: z.string().nullable(),
      connectedAt: z.string(),
      updatedAt: z.string(),
    })
    .nullable(),
  streams: z.array(
    z.object({
      stream: z.string(),
      status: z.string(),
      lastError: z.string().nullable(),
      updatedAt: z.string(),
    }),
  ),
});
export const getCrmConnections = endpoint({
  method: 'get',
  path: '/api/v1/settings/crm-connections',
  response: CrmConnectionStatus,
});

export const ApiKeyItem = z.object({
  id: z.string(),
  label: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const listConsoleApiKeys = endpoint({
  method: 'get',
  path: '/api/v1/settings/api-keys',
  response: z.object({ keys: z.array(ApiKeyItem) }),
});
export const createConsoleApiKey = endpoint({
  method: 'post',
  path: '/api/v1/settings/api-keys',
  body: z.object({ label: z.string().trim().min(1, 'Give the key a label').max(100) }).strict(),
  /** `key` is shown once; only its hash is stored. */
  response: z.object({ key: z.string(), apiKey: ApiKeyItem }),
});
export const revokeConsoleApiKey = endpoint({
  method: 'delete',
  path: '/api/v1/settings/api-keys/:id',
  params: z.object({ id: z.string().min(1) }),
  response: z.object({ revoked: z.literal(true) }),
});

export const listProducts = endpoint({
  method: 'get',
  path: '/api/v1/products',
  response: z.object({
    products: z.array(z.object({ id: z.string(), name: z.string(), monthlyPrice: z.number() })),
  }),
});

export const UsagePoint = z.object({
  day: z.string(),
  activeUsers: z.number(),
  licensedSeats: z.number().nullable(),
  logins: z.number(),
  apiCalls: z.number(),
});
export const getAccountUsage = endpoint({
  method: 'get',
  path: '/api/v1/accounts/:id/usage',
  params: z.object({ id: z.string().min(1) }),
  query: z.object({ days: z.coerce.number().int().min(7).max(365).default(90) }).strict(),
  response: z.object({ accountId: z.string(), usage: z.array(UsagePoint) }),
});

export const consoleAccountSorts = ['name', 'score', 'arr', 'churnRisk', 'renewal'] as const;
export const ConsoleAccountsQuery = z
  .object({
    page: z.coerce.number().int().min(1, 'page starts at 1').max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200, 'pageSize is at most 200').default(25),
    sort: z
      .enum(consoleAccountSorts, { error: `sort must be one of: ${consoleAccountSorts.join(', ')}` })
      .default('name'),
    order: z.enum(['asc', 'desc']).default('asc'),
    search: z.string().trim().min(1).max(200).optional(),
    tier: z.string().trim().min(1).optional(),
    ownerId: z.string().trim().min(1).optional(),
    /** `open`: at least one open flag; `none`: no open flag. */
    flags: z.enum(['open', 'none']).optional(),
    renewalWithin: z.coerce
      .number()
      .refine((days) => [30, 60, 90, 180].includes(days), 'renewalWithin must be 30, 60, 90 or 180')
      .optional(),
  })
  .strict();
export type ConsoleAccountsQuery = z.infer<typeof ConsoleAccountsQuery>;

export const ConsoleAccountRow = z.object({
  id: z.string(),
  name: z.string(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  score: z.number().nullable(),
  tier: z.string().nullable(),
  churnRisk: z.number().nullable(),
  arr: z.number().nullable(),
  openFlags: z.number().int(),
  nextRenewalDate: z.string().nullable(),
});
export type ConsoleAccountRow = z.infer<typeof ConsoleAccountRow>;

export const listConsoleAccounts = endpoint({
  method: 'get',
  path: '/api/v1/console/accounts',
  query: ConsoleAccountsQuery,
  response: z.object({
    accounts: z.array(ConsoleAccountRow),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    owners: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
  }),
});
