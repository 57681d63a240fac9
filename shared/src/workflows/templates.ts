import type { WorkflowActionInput, WorkflowInput } from './definition';

/** Options an admin fills in when creating a workflow from a template. */
export interface TemplateOptions {
  /** The messaging tool's webhook for customer-facing messages (omitted: those steps are left out). */
  messagingWebhookUrl?: string;
  /** A Slack incoming webhook for internal notices (omitted: left out). */
  slackWebhookUrl?: string;
  /** Owner id → manager's owner id, for escalations. */
  managers?: Record<string, string>;
  defaultManagerId?: string | null;
}

export interface WorkflowTemplate {
  key: string;
  name: string;
  description: string;
  build(options: TemplateOptions): WorkflowInput;
}

/** Seed 002's renewal prep sequence: day offset → what the CSM does then. */
export const renewalPrepSteps: { daysBefore: number; subject: string; customerMessage?: string }[] = [
  {
    daysBefore: 90,
    subject: 'Renewal in 90 days: review health score, usage and open issues for {{account}}',
  },
  {
    daysBefore: 75,
    subject: 'Renewal in 75 days: send {{account}} a success recap',
    customerMessage: "Here's what you've achieved with us this year",
  },
  { daysBefore: 60, subject: 'Renewal in 60 days: prepare the ROI presentation for {{account}}' },
  {
    daysBefore: 45,
    subject: 'Renewal in 45 days: renewal discussion with {{account}} (terms, expansion, multi-year)',
  },
  { daysBefore: 30, subject: 'Renewal in 30 days: send the contract to {{account}}; escalate if not signed' },
  {
    daysBefore: 14,
    subject: 'Renewal in 14 days: final follow-up with {{account}}, involve an executive if needed',
  },
  { daysBefore: 7, subject: 'Renewal in 7 days and unsigned? Red alert for {{account}}: follow up daily' },
];

function slack(options: TemplateOptions, message: string): WorkflowActionInput[] {
  return options.slackWebhookUrl ? [{ type: 'notify', url: options.slackWebhookUrl, message }] : [];
}

export const workflowTemplates: WorkflowTemplate[] = [
  {
    key: 'onboarding_check_ins',
    name: 'Onboarding check-ins',
    description: 'CSM check-in tasks at day 7, 30, 60 and 90 as a customer (seed 002 onboarding milestones).',
    build: () => ({
      name: 'Onboarding check-ins',
      trigger: { type: 'onboarding_day', days: [7, 30, 60, 90] },
      actions: [
        {
          type: 'create_task',
          subject: 'Week 1 check-in with {{account}}: setup, integrations, success plan',
          atMilestone: 7,
        },
        {
          type: 'create_task',
          subject: '30-day check-in with {{account}}: progress against the success plan',
          atMilestone: 30,
        },
        {
          type: 'create_task',
          subject: '60-day check-in with {{account}}: second use case, user activation',
          atMilestone: 60,
        },
        {
          type: 'create_task',
          subject: '90-day review with {{account}}: success plan scorecard, next goals',
          atMilestone: 90,
        },
      ],
    }),
  },
  {
    key: 're_engagement_nudge',
    name: 'Re-engagement nudge for low activity',
    description: 'When logins in the last 30 days drop below 5: a nudge to the customer and a CSM task.',
    build: (options) => ({
      name: 'Re-engagement nudge',
      trigger: { type: 'usage_milestone', metric: 'loginsLast30Days', direction: 'drops_below', value: 5 },
      actions: [
        ...(options.messagingWebhookUrl
          ? [
              {
                type: 'customer_message' as const,
                url: options.messagingWebhookUrl,
                subject: 'Getting the most out of your account',
                message:
                  'We noticed your team has been less active lately. Here is a quick guide to get back on track.',
              },
            ]
          : []),
        { type: 'create_task', subject: 'Low activity at {{account}}: reach out personally', dueInDays: 2 },
      ],
    }),
  },
  {
    key: 'renewal_prep',
    name: 'Renewal prep timeline',
    description:
      'Tasks at 90, 75, 60, 45, 30, 14 and 7 days before renewal (seed 002 renewal prep sequence).',
    build: (options) => ({
      name: 'Renewal prep timeline',
      trigger: { type: 'renewal_approaching', daysBefore: renewalPrepSteps.map((step) => step.daysBefore) },
      actions: renewalPrepSteps.flatMap((step): WorkflowActionInput[] => [
        {
          type: 'create_task',
          subject: step.subject,
          atMilestone: step.daysBefore,
          priority: step.daysBefore <= 14 ? 'high' : 'medium',
        },
        ...(step.customerMessage && options.messagingWebhookUrl
          ? [
              {
                type: 'customer_message' as const,
                url: options.messagingWebhookUrl,
                subject: step.customerMessage,
                message: `${step.customerMessage}: a recap from your customer success team.`,
                atMilestone: step.daysBefore,
              },
            ]
          : []),
      ]),
    }),
  },
  {
    key: 'critical_escalation',
    name: 'Critical escalation',
    description:
      "When an account moves into the critical tier: escalate to the owner's manager the same day.",
    build: (options) => ({
      name: 'Critical escalation',
      trigger: { type: 'tier_change', to: 'critical' },
      actions: [
        {
          type: 'escalate',
          subject: '{{account}} is critical (score {{score}}): save call within 24 hours',
          managers: options.managers ?? {},
          defaultManagerId: options.defaultManagerId ?? null,
        },
        {
          type: 'create_task',
          subject: 'Save plan for {{account}}: root cause and recovery steps',
          priority: 'high',
        },
        ...slack(options, '{{account}} dropped to critical (score {{score}}). Owner: {{owner}}'),
      ],
    }),
  },
];
