import { z } from 'zod';

import { AlertCondition, AlertRuleInput, alertSeverities, alertStatuses } from '../alerts/rules';
import { endpoint } from './contract';

/** Alert rules (admins manage, everyone reads) and alert history (CSMs act on their own accounts). */

/** A route as the API shows it: the signing secret is never returned, only whether one is set. */
const RouteView = z.object({ type: z.string(), hasSecret: z.boolean().optional() }).loose();

export const AlertRuleView = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  severity: z.enum(alertSeverities),
  when: AlertCondition,
  routes: z.array(RouteView),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AlertRuleView = z.infer<typeof AlertRuleView>;

const IdParams = z.object({ id: z.string().min(1) });

export const listAlertRules = endpoint({
  method: 'get',
  path: '/api/v1/alert-rules',
  response: z.object({ rules: z.array(AlertRuleView) }),
});
export const getAlertRule = endpoint({
  method: 'get',
  path: '/api/v1/alert-rules/:id',
  params: IdParams,
  response: AlertRuleView,
});
export const createAlertRule = endpoint({
  method: 'post',
  path: '/api/v1/alert-rules',
  body: AlertRuleInput,
  response: AlertRuleView,
});
export const updateAlertRule = endpoint({
  method: 'put',
  path: '/api/v1/alert-rules/:id',
  params: IdParams,
  body: AlertRuleInput,
  response: AlertRuleView,
});
export const deleteAlertRule = endpoint({
  method: 'delete',
  path: '/api/v1/alert-rules/:id',
  params: IdParams,
  response: z.object({ deleted: z.literal(true) }),
});

export const AlertView = z.object({
  id: z.string(),
  ruleId: z.string(),
  accountId: z.string(),
  ownerId: z.string().nullable(),
  severity: z.enum(alertSeverities),
  metric: z.string(),
  message: z.string(),
  previousValue: z.union([z.number(), z.string(), z.null()]),
  currentValue: z.union([z.number(), z.string(), z.null()]),
  status: z.enum(alertStatuses),
  occurrences: z.number().int(),
  firedAt: z.string(),
  lastFiredAt: z.string(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
});
export type AlertView = z.infer<typeof AlertView>;

export const ListAlertsQuery = z
  .object({
    status: z.enum(alertStatuses).optional(),
    severity: z.enum(alertSeverities).optional(),
    accountId: z.string().min(1).optional(),
    ruleId: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();

export const listAlerts = endpoint({
  method: 'get',
  path: '/api/v1/alerts',
  query: ListAlertsQuery,
  response: z.object({ alerts: z.array(AlertView) }),
});
export const acknowledgeAlert = endpoint({
  method: 'post',
  path: '/api/v1/alerts/:id/acknowledge',
  params: IdParams,
  response: AlertView,
});
export const resolveAlert = endpoint({
  method: 'post',
  path: '/api/v1/alerts/:id/resolve',
  params: IdParams,
  response: AlertView,
});

/** Outbox messages as the API shows them (no secrets, no bodies). */
export const OutboxMessageView = z.object({
  id: z.string(),
  kind: z.enum(['crm_task', 'crm_property', 'slack', 'webhook']),
  idempotencyKey: z.string(),
  sourceType: z.string(),
  sourceId: z.string(),
  accountId: z.string().nullable(),
  target: z.string(),
  status: z.enum(['pending', 'delivering', 'delivered', 'dead']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  nextAttemptAt: z.string(),
  deliveredAt: z.string().nullable(),
});

export const listDeadLetters = endpoint({
  method: 'get',
  path: '/api/v1/outbox/dead-letters',
  query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }).strict(),
  response: z.object({ messages: z.array(OutboxMessageView) }),
});
export const retryDeadLetter = endpoint({
  method: 'post',
  path: '/api/v1/outbox/dead-letters/:id/retry',
  params: IdParams,
  response: OutboxMessageView,
});
