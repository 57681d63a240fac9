import type { AccountFacts } from '../workflows/conditions';
import type { FiredAlert } from './evaluate';
import type { AlertRule } from './rules';

/**
 * One message to deliver through the outbox. Pure data: the server stores it in the outbox in the
 * same transaction as the event that caused it, and a worker sends it later (with retries).
 */
export type Delivery =
  | {
      kind: 'crm_task';
      task: {
        accountId: string;
        ownerId: string | null;
        subject: string;
        body: string;
        dueDate: string;
        priority: 'low' | 'medium' | 'high';
      };
    }
  | { kind: 'crm_property'; update: { accountId: string; values: Record<string, string | number | null> } }
  | { kind: 'slack'; url: string; body: SlackMessage }
  | { kind: 'webhook'; url: string; secret: string; event: string; data: Record<string, unknown> };

/** Slack incoming-webhook payload: `text` is the notification fallback, `blocks` the layout. */
export interface SlackMessage {
  text: string;
  blocks: {
    type: string;
    text?: { type: 'mrkdwn'; text: string };
    elements?: { type: 'mrkdwn'; text: string }[];
  }[];
}

const DAY_MS = 86_400_000;

export function addDays(now: Date, days: number): string {
  return new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

export function slackMessage(headline: string, detail: string, context: string): SlackMessage {
  return {
    text: `${headline}: ${detail}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${headline}*\n${detail}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
    ],
  };
}

/** Where an alert goes: one delivery per route (in-app needs none; the alert list is the inbox). */
export function alertDeliveries(
  alert: FiredAlert,
  rule: AlertRule,
  facts: AccountFacts,
  alertId: string,
  now: Date,
): { routeIndex: number; delivery: Delivery }[] {
  const deliveries: { routeIndex: number; delivery: Delivery }[] = [];
  rule.routes.forEach((route, routeIndex) => {
    const headline = `${alert.severity === 'critical' ? 'Critical' : 'Warning'} alert: ${rule.name}`;
    switch (route.type) {
      case 'crm_task':
        deliveries.push({
          routeIndex,
          delivery: {
            kind: 'crm_task',
            task: {
              accountId: facts.accountId,
              ownerId: facts.ownerId,
              subject: `[Pulse] ${headline}`,
              body: alert.message,
              dueDate: addDays(now, route.dueInDays),
              priority: alert.severity === 'critical' ? 'high' : 'medium',
            },
          },
        });
        break;
      case 'slack':
        deliveries.push({
          routeIndex,
          delivery: {
            kind: 'slack',
            url: route.url,
            body: slackMessage(
              headline,
              alert.message,
              `Account ${facts.name} · owner ${facts.ownerName ?? 'unassigned'}`,
            ),
          },
        });
        break;
      case 'webhook':
        deliveries.push({
          routeIndex,
          delivery: {
            kind: 'webhook',
            url: route.url,
            secret: route.secret ?? '',
            event: 'alert.fired',
            data: {
              alertId,
              ruleId: rule.id,
              ruleName: rule.name,
              severity: alert.severity,
              metric: alert.metric,
              previousValue: alert.previousValue,
              currentValue: alert.currentValue,
              message: alert.message,
              account: { id: facts.accountId, name: facts.name, ownerId: facts.ownerId },
            },
          },
        });
        break;
      case 'in_app':
        break;
    }
  });
  return deliveries;
}
