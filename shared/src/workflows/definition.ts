import { z } from 'zod';

import { alertSeverities, WebhookSecret } from '../alerts/rules';

/**
 * A workflow: a trigger (something that changed between two scorings of an account), conditions on
 * the account (a small and/or/not expression tree) and actions. Validated with zod at the API edge.
 */

const milestones = (what: string) =>
  z
    .array(z.number().int().min(0, `${what} are 0 or more`).max(3650, `${what} are at most 3650`))
    .min(1, `List at least one of the ${what.toLowerCase()}`)
    .max(20, `At most 20 ${what.toLowerCase()}`);

export const WorkflowTrigger = z.discriminatedUnion(
  'type',
  [
    z
      .object({
        type: z.literal('score_change'),
        minChange: z.number().positive('The change is a positive number of points').max(100),
        direction: z.enum(['down', 'up', 'either']).default('either'),
      })
      .strict(),
    z
      .object({
        type: z.literal('tier_change'),
        /** Only changes into this tier key; null or absent: any change. */
        to: z.string().min(1).nullable().default(null),
      })
      .strict(),
    z
      .object({
        type: z.literal('usage_milestone'),
        /** seatUtilisation, usageGrowthPct, loginsLast30Days or a product usage metric. */
        metric: z.string().trim().min(1, 'Name the usage metric'),
        direction: z.enum(['reaches', 'drops_below'], {
          error: 'The direction is "reaches" or "drops_below"',
        }),
        value: z.number({ error: 'Give the milestone value as a number' }),
      })
      .strict(),
    z
      .object({
        type: z.literal('alert_fired'),
        ruleId: z.string().min(1).nullable().default(null),
        severity: z.enum(alertSeverities).nullable().default(null),
      })
      .strict(),
    z
      .object({ type: z.literal('renewal_approaching'), daysBefore: milestones('Days before renewal') })
      .strict(),
    z
      .object({ type: z.literal('onboarding_day'), days: milestones('Days since becoming a customer') })
      .strict(),
  ],
  {
    error:
      'The trigger type is one of: score_change, tier_change, usage_milestone, alert_fired, renewal_approaching, onboarding_day',
  },
);
export type WorkflowTrigger = z.infer<typeof WorkflowTrigger>;

export const conditionFields = [
  'tier',
  'region',
  'productLine',
  'ownerId',
  'industry',
  'score',
  'churnRisk',
  'arr',
] as const;
export const conditionOperators = ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'exists'] as const;

export interface FieldCondition {
  /** One of conditionFields, or `attributes.<name>` for any CRM property of the account. */
  field: string;
  op: (typeof conditionOperators)[number];
  value?: string | number | boolean | null | (string | number)[];
}
export type WorkflowCondition =
  | { all: WorkflowCondition[] }
  | { any: WorkflowCondition[] }
  | { not: WorkflowCondition }
  | FieldCondition;

const FieldConditionSchema = z
  .object({
    field: z
      .string()
      .refine(
        (field) =>
          (conditionFields as readonly string[]).includes(field) || /^attributes\.[\w.-]+$/.test(field),
        `The field is one of ${conditionFields.join(', ')} or attributes.<property>`,
      ),
    op: z.enum(conditionOperators, { error: `The operator is one of: ${conditionOperators.join(', ')}` }),
    value: z
      .union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))])
      .optional(),
  })
  .strict()
  .superRefine((condition, context) => {
    const list = Array.isArray(condition.value);
    if ((condition.op === 'in' || condition.op === 'not_in') && !list)
      context.addIssue({
        code: 'custom',
        path: ['value'],
        message: `"${condition.op}" takes a list of values`,
      });
    if (['gt', 'gte', 'lt', 'lte'].includes(condition.op) && typeof condition.value !== 'number')
      context.addIssue({
        code: 'custom',
        path: ['value'],
        message: `"${condition.op}" compares with a number`,
      });
    if (['eq', 'neq'].includes(condition.op) && (list || condition.value === undefined))
      context.addIssue({
        code: 'custom',
        path: ['value'],
        message: `"${condition.op}" compares with one value`,
      });
  });

export const WorkflowConditionSchema: z.ZodType<WorkflowCondition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(WorkflowConditionSchema).max(20) }).strict(),
    z.object({ any: z.array(WorkflowConditionSchema).max(20) }).strict(),
    z.object({ not: WorkflowConditionSchema }).strict(),
    FieldConditionSchema,
  ]),
);

const httpUrl = z
  .url({ error: 'Give a full http(s) URL' })
  .refine((value) => /^https?:\/\//.test(value), 'Give a full http(s) URL');
const text = (what: string) => z.string().trim().min(1, `Give the ${what}`).max(2000);
/** Only for this renewal / onboarding milestone (days); absent: every milestone of the trigger. */
const atMilestone = z.number().int().min(0).optional();
const priority = z.enum(['low', 'medium', 'high']).default('medium');

export const WorkflowAction = z.discriminatedUnion(
  'type',
  [
    /** An internal message to a Slack channel. */
    z.object({ type: z.literal('notify'), url: httpUrl, message: text('message'), atMilestone }).strict(),
    /** A CRM task for the account's CSM (owner). */
    z
      .object({
        type: z.literal('create_task'),
        subject: text('task subject'),
        body: z.string().max(5000).default(''),
        dueInDays: z.number().int().min(0).max(365).default(0),
        priority,
        atMilestone,
      })
      .strict(),
    /** A follow-up reminder: a CRM task for the CSM due `afterDays` days after the trigger. */
    z
      .object({
        type: z.literal('follow_up'),
        subject: text('reminder subject'),
        afterDays: z.number().int().min(1, 'A follow-up is at least 1 day later').max(365),
        atMilestone,
      })
      .strict(),
    /** A CRM task for the owner's manager (managers: owner id → manager's owner id). */
    z
      .object({
        type: z.literal('escalate'),
        subject: text('escalation subject'),
        managers: z.record(z.string(), z.string().min(1)).default({}),
        defaultManagerId: z.string().min(1).nullable().default(null),
        atMilestone,
      })
      .strict(),
    /** A signed webhook; `customerFacing` when the receiver messages the customer. */
    z
      .object({
        type: z.literal('webhook'),
        url: httpUrl,
        secret: WebhookSecret.optional(),
        customerFacing: z.boolean().default(false),
        atMilestone,
      })
      .strict(),
    z
      .object({
        type: z.literal('set_crm_property'),
        property: z.string().trim().min(1, 'Name the CRM property'),
        value: z.union([z.string(), z.number(), z.null()]),
        atMilestone,
      })
      .strict(),
    /** A message to the customer's contacts, handed to the tenant's messaging tool by signed webhook. */
    z
      .object({
        type: z.literal('customer_message'),
        url: httpUrl,
        secret: WebhookSecret.optional(),
        subject: text('message subject'),
        message: text('message'),
        atMilestone,
      })
      .strict(),
  ],
  {
    error:
      'The action type is one of: notify, create_task, follow_up, escalate, webhook, set_crm_property, customer_message',
  },
);
export type WorkflowAction = z.infer<typeof WorkflowAction>;
export type WorkflowActionInput = z.input<typeof WorkflowAction>;

export const WorkflowInput = z
  .object({
    name: z.string().trim().min(1, 'Give the workflow a name').max(200),
    enabled: z.boolean().default(false),
    trigger: WorkflowTrigger,
    conditions: WorkflowConditionSchema.nullable().default(null),
    actions: z.array(WorkflowAction).min(1, 'Add at least one action').max(20, 'At most 20 actions'),
  })
  .strict();
export type WorkflowInput = z.input<typeof WorkflowInput>;
export type WorkflowDefinition = z.infer<typeof WorkflowInput>;

export interface Workflow extends WorkflowDefinition {
  id: string;
}

/**
 * Actions that reach the customer. Accounts that opted out of CS outreach never get these; internal
 * actions (tasks, escalations, Slack, CRM properties) still run for them.
 */
export function isCustomerFacing(action: WorkflowAction): boolean {
  return action.type === 'customer_message' || (action.type === 'webhook' && action.customerFacing);
}
