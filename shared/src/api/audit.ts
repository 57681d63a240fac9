import { z } from 'zod';

import { endpoint } from './contract';

/** The audit log (admins only): every settings change, rule/workflow change, alert action and delivery. */
export const AuditEntryView = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

export const ListAuditQuery = z
  .object({
    entityType: z.string().min(1).optional(),
    action: z.string().min(1).optional(),
    entityId: z.string().min(1).optional(),
    since: z.iso.datetime({ error: 'since is an ISO date-time, e.g. 2026-11-01T00:00:00Z' }).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** From the previous page's nextCursor. */
    cursor: z.string().regex(/^\d+$/, 'cursor is the nextCursor of the previous page').optional(),
  })
  .strict();

export const listAuditLog = endpoint({
  method: 'get',
  path: '/api/v1/audit',
  query: ListAuditQuery,
  response: z.object({ entries: z.array(AuditEntryView), nextCursor: z.string().nullable() }),
});
