import { z } from 'zod';

import { flagTypes } from '../flags/types';

/** Alert rules: a metric, a condition, a severity and where the alert goes. */

export const alertSeverities = ['warning', 'critical'] as const;
export type AlertSeverity = (typeof alertSeverities)[number];

export const alertStatuses = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof alertStatuses)[number];

const threshold = z
  .number({ error: 'Give the threshold as a number between 0 and 100' })
  .min(0, 'The threshold is between 0 and 100')
  .max(100, 'The threshold is between 0 and 100');

const crossing = z.enum(['crosses_below', 'crosses_above'], {
  error: 'The condition is "crosses_below" or "crosses_above"',
});

export const AlertCondition = z.discriminatedUnion(
  'metric',
  [
    z.object({ metric: z.literal('health_score'), condition: crossing, threshold }).strict(),
    z.object({ metric: z.literal('churn_risk'), condition: crossing, threshold }).strict(),
    z
      .object({
        metric: z.literal('tier'),
        condition: z.literal('changes_to', { error: 'A tier rule\'s condition is "changes_to"' }),
        tier: z.string().trim().min(1, 'Name the tier key, e.g. "critical"'),
      })
      .strict(),
    z
      .object({
        metric: z.literal('flag'),
        condition: z.literal('raised', { error: 'A flag rule\'s condition is "raised"' }),
        /** null: any flag type. */
        flagType: z.enum(flagTypes, { error: `The flag type is one of: ${flagTypes.join(', ')}` }).nullable(),
      })
      .strict(),
  ],
  { error: 'The metric is one of: health_score, churn_risk, tier, flag' },
);
export type AlertCondition = z.infer<typeof AlertCondition>;

const httpsUrl = z
  .url({ error: 'Give a full http(s) URL' })
  .refine((value) => /^https?:\/\//.test(value), 'Give a full http(s) URL');

/** A per-route signing secret; long enough that it cannot be guessed. */
export const WebhookSecret = z.string().min(16, 'The signing secret has at least 16 characters');

export const AlertRoute = z.discriminatedUnion(
  'type',
  [
    /** A CRM task for the account owner, through the tenant's CRM adapter. */
    z
      .object({ type: z.literal('crm_task'), dueInDays: z.number().int().min(0).max(365).default(1) })
      .strict(),
    /** A Slack incoming webhook. */
    z.object({ type: z.literal('slack'), url: httpsUrl }).strict(),
    /** Any webhook: JSON body signed with HMAC-SHA256 (see docs/alerts-workflows.md). */
    z.object({ type: z.literal('webhook'), url: httpsUrl, secret: WebhookSecret.optional() }).strict(),
    /** Only in the Pulse alert list (every alert is there anyway). */
    z.object({ type: z.literal('in_app') }).strict(),
  ],
  { error: 'A route type is one of: crm_task, slack, webhook, in_app' },
);
export type AlertRoute = z.infer<typeof AlertRoute>;

export const AlertRuleInput = z
  .object({
    name: z.string().trim().min(1, 'Give the rule a name').max(200, 'Keep the name under 200 characters'),
    enabled: z.boolean().default(true),
    severity: z.enum(alertSeverities, { error: 'The severity is "warning" or "critical"' }),
    when: AlertCondition,
    routes: z
      .array(AlertRoute)
      .max(10, 'At most 10 routes per rule')
      .default([{ type: 'in_app' }]),
  })
  .strict();
export type AlertRuleInput = z.input<typeof AlertRuleInput>;

export type AlertRuleDefinition = z.infer<typeof AlertRuleInput>;

export interface AlertRule extends AlertRuleDefinition {
  id: string;
}
