import { z } from 'zod';

import { flagStatuses } from '../flags/lifecycle';
import { flagSeverities, flagTypes } from '../flags/types';
import { endpoint } from './contract';

export const FlagItem = z.object({
  id: z.string(),
  accountId: z.string(),
  type: z.enum(flagTypes),
  status: z.enum(flagStatuses),
  severity: z.enum(flagSeverities),
  magnitude: z.number(),
  title: z.string(),
  recommendedAction: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  openedAt: z.string(),
  updatedAt: z.string(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedSeverity: z.enum(flagSeverities).nullable(),
  acknowledgedMagnitude: z.number().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
});
export type FlagItem = z.infer<typeof FlagItem>;

export const FlagList = z.object({ flags: z.array(FlagItem) });

export const FLAG_PAGE_MAX = 1000;

export const ListFlagsQuery = z
  .object({
    status: z.enum(flagStatuses).optional(),
    severity: z.enum(flagSeverities).optional(),
    type: z.enum(flagTypes).optional(),
    limit: z.coerce.number().int().min(1).max(FLAG_PAGE_MAX).default(200),
  })
  .strict();

export const listFlags = endpoint({
  method: 'get',
  path: '/api/v1/flags',
  query: ListFlagsQuery,
  response: FlagList,
});

export const listAccountFlags = endpoint({
  method: 'get',
  path: '/api/v1/accounts/:id/flags',
  params: z.object({ id: z.string().min(1) }),
  query: z.object({ status: z.enum(flagStatuses).optional() }).strict(),
  response: FlagList,
});

const FlagParams = z.object({ id: z.string().min(1) });

export const resolveFlagEndpoint = endpoint({
  method: 'post',
  path: '/api/v1/flags/:id/resolve',
  params: FlagParams,
  response: FlagItem,
});

export const acknowledgeFlagEndpoint = endpoint({
  method: 'post',
  path: '/api/v1/flags/:id/acknowledge',
  params: FlagParams,
  response: FlagItem,
});
