import { z } from 'zod';

import { endpoint } from './contract';
import { AccountHealthResponse } from './health';

/**
 * The account list (portfolio table) and the explained score of one account. Both are scoped to
 * the caller's tenant; a CSM or account executive sees only the accounts they own.
 */

export const ACCOUNT_PAGE_MAX = 500;

export const accountSorts = ['name', 'score'] as const;

export const ListAccountsQuery = z
  .object({
    limit: z.coerce
      .number({ error: 'limit must be a number' })
      .int('limit must be a whole number')
      .min(1, 'limit must be at least 1')
      .max(ACCOUNT_PAGE_MAX, `limit must be at most ${ACCOUNT_PAGE_MAX}`)
      .default(50),
    /** Opaque: the `nextCursor` of the previous page, with the same sort and filters. */
    cursor: z.string().min(1).optional(),
    /** `name` A→Z (default), or `score` lowest first (unscored accounts last). */
    sort: z.enum(accountSorts, { error: `sort must be one of: ${accountSorts.join(', ')}` }).default('name'),
    /** A tier key of the tenant's model (e.g. `healthy`), or `unscored`. */
    tier: z.string().min(1).optional(),
    ownerId: z.string().min(1).optional(),
    /** Case-insensitive substring of the name or domain. */
    search: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type ListAccountsQuery = z.infer<typeof ListAccountsQuery>;

export const AccountListItem = z.object({
  id: z.string(),
  name: z.string(),
  domain: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  score: z.number().nullable(),
  tier: z.string().nullable(),
  tierLabel: z.string().nullable(),
  coverage: z.number().nullable(),
  lowCoverage: z.boolean().nullable(),
  churnRisk: z.number().nullable(),
  upsellScore: z.number().nullable(),
  trend30d: z.number().nullable(),
  /** When the shown score was computed; null for an account not scored yet. */
  scoredAt: z.iso.datetime({ offset: true }).nullable(),
});
export type AccountListItem = z.infer<typeof AccountListItem>;

export const AccountPage = z.object({
  accounts: z.array(AccountListItem),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type AccountPage = z.infer<typeof AccountPage>;

export const listAccounts = endpoint({
  method: 'get',
  path: '/api/v1/accounts',
  query: ListAccountsQuery,
  response: AccountPage,
});

/** An account that exists but has not been scored yet (just synced, or recompute has not run). */
export const NotScoredHealth = z.object({
  status: z.literal('not_scored'),
  accountId: z.string(),
  accountName: z.string(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  message: z.string(),
});
export type NotScoredHealth = z.infer<typeof NotScoredHealth>;

export const ScoredHealth = AccountHealthResponse.extend({ status: z.literal('scored') });
export type ScoredHealth = z.infer<typeof ScoredHealth>;

export const AccountHealthResult = z.discriminatedUnion('status', [ScoredHealth, NotScoredHealth]);
export type AccountHealthResult = z.infer<typeof AccountHealthResult>;

export const getAccountHealth = endpoint({
  method: 'get',
  path: '/api/v1/accounts/:id/health',
  params: z.object({ id: z.string().min(1, 'id must not be empty') }),
  response: AccountHealthResult,
});
