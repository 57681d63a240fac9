import { addDays, type Delivery, slackMessage } from '../alerts/deliveries';
import type { FiredAlert } from '../alerts/evaluate';
import type { Observation } from '../alerts/observation';
import { type AccountFacts, matchesConditions } from './conditions';
import { isCustomerFacing, type Workflow, type WorkflowAction } from './definition';
import { type TriggerEvent, triggerEvents } from './triggers';

/** One action a workflow run would take (or skips, with the reason). */
export interface PlannedAction {
  actionIndex: number;
  type: WorkflowAction['type'];
  customerFacing: boolean;
  skipped: 'cs_opt_out' | 'no_manager' | null;
  description: string;
  delivery: Delivery | null;
}

export interface WorkflowRunPlan {
  workflowId: string;
  workflowName: string;
  accountId: string;
  accountName: string;
  trigger: TriggerEvent;
  actions: PlannedAction[];
}

export interface PlanInput {
  workflows: readonly Workflow[];
  previous: Observation | null;
  current: Observation;
  facts: AccountFacts;
  alerts: readonly FiredAlert[];
  now: Date;
}

/**
 * Which workflows an account's new scoring triggers, and what each would do. Pure and shared by the
 * real run (recompute) and the dry run, so a dry run lists exactly what a run would do.
 */
export function planWorkflows(input: PlanInput): WorkflowRunPlan[] {
  const { current, facts } = input;
  const plans: WorkflowRunPlan[] = [];
  for (const workflow of input.workflows) {
    const events = triggerEvents(workflow.trigger, input.previous, current, input.alerts);
    if (events.length === 0) continue;
    if (!matchesConditions(workflow.conditions, facts, current)) continue;
    for (const event of events) {
      const actions = workflow.actions
        .map((action, actionIndex) => ({ action, actionIndex }))
        .filter(({ action }) => action.atMilestone === undefined || action.atMilestone === event.milestone)
        .map(({ action, actionIndex }) => planAction(action, actionIndex, event, input));
      if (actions.length === 0) continue;
      plans.push({
        workflowId: workflow.id,
        workflowName: workflow.name,
        accountId: facts.accountId,
        accountName: facts.name,
        trigger: event,
        actions,
      });
    }
  }
  return plans;
}

/** `{{account}}`, `{{owner}}`, `{{score}}`, `{{tier}}`, `{{days}}`, `{{trigger}}` in texts. */
export function fillTemplate(template: string, input: PlanInput, event: TriggerEvent): string {
  const values: Record<string, string> = {
    account: input.facts.name,
    owner: input.facts.ownerName ?? 'the account owner',
    score: input.current.score === null ? 'n/a' : String(input.current.score),
    tier: input.current.tier ?? 'unscored',
    days: input.current.daysToRenewal === null ? 'n/a' : String(input.current.daysToRenewal),
    trigger: event.description,
  };
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}

function planAction(
  action: WorkflowAction,
  actionIndex: number,
  event: TriggerEvent,
  input: PlanInput,
): PlannedAction {
  const { facts, now } = input;
  const customerFacing = isCustomerFacing(action);
  const base = { actionIndex, type: action.type, customerFacing };
  if (customerFacing && facts.csOptOut) {
    return {
      ...base,
      skipped: 'cs_opt_out',
      description: `Skipped ${action.type}: ${facts.name} opted out of CS outreach`,
      delivery: null,
    };
  }
  const fill = (template: string) => fillTemplate(template, input, event);
  switch (action.type) {
    case 'notify':
      return {
        ...base,
        skipped: null,
        description: `Slack: ${fill(action.message)}`,
        delivery: {
          kind: 'slack',
          url: action.url,
          body: slackMessage(facts.name, fill(action.message), event.description),
        },
      };
    case 'create_task':
    case 'follow_up': {
      const subject = fill(action.subject);
      const dueInDays = action.type === 'create_task' ? action.dueInDays : action.afterDays;
      const dueDate = addDays(now, dueInDays);
      return {
        ...base,
        skipped: null,
        description: `CRM task for ${facts.ownerName ?? facts.ownerId ?? 'the owner'} due ${dueDate}: ${subject}`,
        delivery: {
          kind: 'crm_task',
          task: {
            accountId: facts.accountId,
            ownerId: facts.ownerId,
            subject,
            body: action.type === 'create_task' && action.body ? fill(action.body) : event.description,
            dueDate,
            priority: action.type === 'create_task' ? action.priority : 'medium',
          },
        },
      };
    }
    case 'escalate': {
      const manager =
        (facts.ownerId !== null ? action.managers[facts.ownerId] : undefined) ?? action.defaultManagerId;
      if (!manager) {
        return {
          ...base,
          skipped: 'no_manager',
          description: `Skipped escalation: no manager listed for owner ${facts.ownerId ?? '(none)'}`,
          delivery: null,
        };
      }
      const subject = fill(action.subject);
      return {
        ...base,
        skipped: null,
        description: `Escalation task for manager ${manager}: ${subject}`,
        delivery: {
          kind: 'crm_task',
          task: {
            accountId: facts.accountId,
            ownerId: manager,
            subject,
            body: event.description,
            dueDate: addDays(now, 0),
            priority: 'high',
          },
        },
      };
    }
    case 'webhook':
    case 'customer_message':
      return {
        ...base,
        skipped: null,
        description: `${action.type === 'webhook' ? 'Webhook' : 'Customer message'} to ${action.url}`,
        delivery: {
          kind: 'webhook',
          url: action.url,
          secret: action.secret ?? '',
          event: action.type === 'webhook' ? 'workflow.triggered' : 'customer.message',
          data: {
            account: { id: facts.accountId, name: facts.name, ownerId: facts.ownerId },
            trigger: event.description,
            score: input.current.score,
            tier: input.current.tier,
            ...(action.type === 'customer_message'
              ? { subject: fill(action.subject), message: fill(action.message) }
              : {}),
          },
        },
      };
    case 'set_crm_property':
      return {
        ...base,
        skipped: null,
        description: `Set CRM property ${action.property} = ${String(action.value)}`,
        delivery: {
          kind: 'crm_property',
          update: { accountId: facts.accountId, values: { [action.property]: action.value } },
        },
      };
  }
}
