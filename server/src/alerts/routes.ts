import type { AlertRule } from '@pulse/shared/alerts/rules';
import {
  acknowledgeAlert,
  createAlertRule,
  deleteAlertRule,
  getAlertRule,
  listAlertRules,
  listAlerts as listAlertsEndpoint,
  listDeadLetters,
  resolveAlert,
  retryDeadLetter,
  updateAlertRule,
} from '@pulse/shared/api/alerts';
import { listAuditLog } from '@pulse/shared/api/audit';
import type { Request, Router } from 'express';

import type { AppContext } from '../context';
import { principalOf, requireRole } from '../http/auth';
import { mount } from '../http/endpoint';
import { ApiError } from '../http/errors';
import { listOutbox, type OutboxMessage, retryDeadLetter as retryMessage } from '../outbox/store';
import { ownerScope, requireAccount } from '../recommendations/access';
import { listAudit, writeAudit } from '../store/audit';
import { getAlert, listAlerts, transitionAlert } from './alerts-store';
import { mountDefinitionCrud } from './definition-routes';
import { redactSecrets, type StoredDefinition } from './definitions-store';

const everyone = requireRole();
const admins = requireRole('admin');
const alertActors = requireRole('admin', 'csm');

function ruleView(stored: StoredDefinition<'alert_rules'>) {
  return {
    ...redactSecrets(stored.value as AlertRule),
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}

export function outboxView(message: OutboxMessage) {
  const delivery = message.delivery;
  const target =
    delivery.kind === 'slack' || delivery.kind === 'webhook' ? delivery.url : `crm:${delivery.kind}`;
  return {
    id: message.id,
    kind: message.kind,
    idempotencyKey: message.idempotencyKey,
    sourceType: message.sourceType,
    sourceId: message.sourceId,
    accountId: message.accountId,
    target,
    status: message.status,
    attempts: message.attempts,
    lastError: message.lastError,
    createdAt: message.createdAt,
    nextAttemptAt: message.nextAttemptAt,
    deliveredAt: message.deliveredAt,
  };
}

export function mountAlertRoutes(router: Router, context: AppContext): void {
  const { db } = context;

  mountDefinitionCrud(router, context, {
    table: 'alert_rules',
    noun: 'alert rule',
    listKey: 'rules',
    view: ruleView,
    contracts: {
      list: listAlertRules,
      get: getAlertRule,
      create: createAlertRule,
      update: updateAlertRule,
      remove: deleteAlertRule,
    },
    readers: everyone,
    writers: admins,
  });

  mount(
    router,
    listAlertsEndpoint,
    async ({ query, request }) => {
      const principal = principalOf(request);
      const scope = ownerScope(principal);
      return {
        alerts: await listAlerts(db, principal.tenantId, {
          ...query,
          ...(scope ? { ownerScope: scope } : {}),
        }),
      };
    },
    everyone,
  );

  const transition =
    (action: 'acknowledge' | 'resolve') =>
    async ({ params, request }: { params: { id: string }; request: Request }) => {
      const principal = principalOf(request);
      const alert = await getAlert(db, principal.tenantId, params.id);
      if (!alert) throw new ApiError('NOT_FOUND', `No alert "${params.id}"`);
      // CSMs act on alerts of their own accounts only.
      await requireAccount(db, principal, alert.accountId);
      const outcome = await transitionAlert(
        db,
        principal.tenantId,
        params.id,
        action,
        principal.actor,
        context.now(),
      );
      if (outcome.ok) return outcome.alert;
      throw new ApiError(outcome.reason === 'not_found' ? 'NOT_FOUND' : 'CONFLICT', outcome.message);
    };
  mount(router, acknowledgeAlert, transition('acknowledge'), alertActors);
  mount(router, resolveAlert, transition('resolve'), alertActors);

  mount(
    router,
    listDeadLetters,
    async ({ query, request }) => {
      const messages = await listOutbox(db, principalOf(request).tenantId, {
        status: 'dead',
        limit: query.limit,
      });
      return { messages: messages.map(outboxView) };
    },
    admins,
  );

  mount(
    router,
    retryDeadLetter,
    async ({ params, request }) => {
      const principal = principalOf(request);
      const now = context.now();
      const message = await retryMessage(db, principal.tenantId, params.id, now);
      if (!message) throw new ApiError('NOT_FOUND', `No dead letter "${params.id}"`);
      await writeAudit(
        db,
        {
          tenantId: principal.tenantId,
          actor: principal.actor,
          action: 'outbox.retried',
          entityType: 'outbox',
          entityId: message.id,
          before: { status: 'dead' },
          after: { status: 'pending' },
        },
        now,
      );
      return outboxView(message);
    },
    admins,
  );

  mount(
    router,
    listAuditLog,
    async ({ query, request }) => {
      const principal = principalOf(request);
      const entries = await listAudit(db, principal.tenantId, {
        ...(query.entityType ? { entityType: query.entityType } : {}),
        ...(query.action ? { action: query.action } : {}),
        ...(query.entityId ? { entityId: query.entityId } : {}),
        ...(query.since ? { since: query.since } : {}),
        ...(query.cursor ? { beforeId: Number(query.cursor) } : {}),
        limit: query.limit + 1,
      });
      const page = entries.slice(0, query.limit);
      const more = entries.length > query.limit;
      return {
        entries: page.map(({ tenantId: _tenantId, ...entry }) => entry),
        nextCursor: more ? String(page[page.length - 1]!.id) : null,
      };
    },
    admins,
  );
}
