import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase, databaseKinds } from '../../server/src/db/testing';
import { hoursLater, type ScoringTenant, scoringTenant } from './fixtures';
import { type AlertsApi, startAlertsApi } from './harness';

const validRule = {
  name: 'Health below 40',
  severity: 'critical',
  when: { metric: 'health_score', condition: 'crosses_below', threshold: 40 },
  routes: [{ type: 'webhook', url: 'https://receiver.example.com/pulse' }, { type: 'in_app' }],
};

describe.each(databaseKinds)('alerts, workflows and audit API on %s', (kind) => {
  let handle: DatabaseHandle;
  let tenant: ScoringTenant;
  let api: AlertsApi;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    tenant = await scoringTenant(handle, 'api');
    api = await startAlertsApi(tenant.context, tenant.tenantId);
  });
  afterAll(async () => {
    await api.close();
    await handle.close();
  });

  it('admins create, edit and delete alert rules; the signing secret is generated, kept and never shown', async () => {
    const created = await api.call('POST', '/api/v1/alert-rules', { body: validRule });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      name: 'Health below 40',
      enabled: true,
      routes: [{ type: 'webhook', hasSecret: true }, { type: 'in_app' }],
    });
    expect(JSON.stringify(created.body)).not.toContain('whsec_');
    const stored = await handle.db
      .selectFrom('alert_rules')
      .select('definition')
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    const secret = JSON.stringify(stored.definition).match(/whsec_[0-9a-f]+/)![0];

    const updated = await api.call('PUT', `/api/v1/alert-rules/${created.body.id}`, {
      body: { ...validRule, severity: 'warning' },
    });
    expect(updated.body.severity).toBe('warning');
    const after = await handle.db
      .selectFrom('alert_rules')
      .select('definition')
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(after.definition)).toContain(secret);

    expect((await api.call('GET', '/api/v1/alert-rules', { role: 'read_only' })).body.rules).toHaveLength(1);
    expect((await api.call('DELETE', `/api/v1/alert-rules/${created.body.id}`)).body).toEqual({
      deleted: true,
    });
    expect((await api.call('GET', `/api/v1/alert-rules/${created.body.id}`)).status).toBe(404);
  });

  it('answers 400 naming every bad field and saves nothing; non-admins cannot change rules', async () => {
    const before = (await api.call('GET', '/api/v1/alert-rules')).body.rules.length;
    const bad = await api.call('POST', '/api/v1/alert-rules', {
      body: {
        ...validRule,
        severity: 'fatal',
        when: { metric: 'health_score', condition: 'crosses_below', threshold: 400 },
        routes: [{ type: 'slack', url: 'not a url' }],
      },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.fields.map((field: { path: string }) => field.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.severity', 'body.when.threshold', 'body.routes.0.url']),
    );
    expect((await api.call('POST', '/api/v1/alert-rules', { body: validRule, role: 'csm' })).status).toBe(
      403,
    );
    expect(
      (await api.call('POST', '/api/v1/alert-rules', { body: validRule, role: 'read_only' })).status,
    ).toBe(403);
    expect((await api.call('GET', '/api/v1/alert-rules')).body.rules).toHaveLength(before);

    const badWorkflow = await api.call('POST', '/api/v1/workflows', {
      body: {
        name: 'x',
        trigger: { type: 'renewal_approaching', daysBefore: [] },
        conditions: { all: [{ field: 'region', op: 'gt', value: 'EMEA' }] },
        actions: [],
      },
    });
    expect(badWorkflow.status).toBe(400);
    const workflowPaths = badWorkflow.body.error.details.fields.map((field: { path: string }) => field.path);
    expect(workflowPaths).toEqual(expect.arrayContaining(['body.trigger.daysBefore', 'body.actions']));
    expect((await api.call('GET', '/api/v1/workflows')).body.workflows).toHaveLength(0);
  });

  it('CSMs acknowledge and resolve alerts of their own accounts only; everyone can list', async () => {
    const rule = await api.call('POST', '/api/v1/alert-rules', {
      body: { ...validRule, routes: [{ type: 'in_app' }] },
    });
    await tenant.score(
      [
        { id: 'mine', score: 60, ownerId: 'csm-1' },
        { id: 'theirs', score: 60, ownerId: 'csm-2' },
      ],
      hoursLater(0),
    );
    await tenant.score(
      [
        { id: 'mine', score: 30, ownerId: 'csm-1' },
        { id: 'theirs', score: 30, ownerId: 'csm-2' },
      ],
      hoursLater(1),
    );

    const all = (await api.call('GET', '/api/v1/alerts?status=open', { role: 'read_only' })).body.alerts;
    expect(all.map((alert: { accountId: string }) => alert.accountId).sort()).toEqual(['mine', 'theirs']);
    const own = (await api.call('GET', '/api/v1/alerts', { role: 'csm', owner: 'csm-1' })).body.alerts;
    expect(own.map((alert: { accountId: string }) => alert.accountId)).toEqual(['mine']);

    const mine = all.find((alert: { accountId: string }) => alert.accountId === 'mine');
    const theirs = all.find((alert: { accountId: string }) => alert.accountId === 'theirs');
    expect(
      (await api.call('POST', `/api/v1/alerts/${theirs.id}/acknowledge`, { role: 'csm', owner: 'csm-1' }))
        .status,
    ).toBe(403);
    expect(
      (await api.call('POST', `/api/v1/alerts/${mine.id}/acknowledge`, { role: 'read_only' })).status,
    ).toBe(403);
    const acknowledged = await api.call('POST', `/api/v1/alerts/${mine.id}/acknowledge`, {
      role: 'csm',
      owner: 'csm-1',
    });
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'csm@example.com' });
    const resolved = await api.call('POST', `/api/v1/alerts/${mine.id}/resolve`, {
      role: 'csm',
      owner: 'csm-1',
    });
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolvedBy: 'csm@example.com',
      resolvedAt: expect.any(String),
    });
    expect(
      (await api.call('POST', `/api/v1/alerts/${mine.id}/resolve`, { role: 'csm', owner: 'csm-1' })).status,
    ).toBe(409);
    await api.call('DELETE', `/api/v1/alert-rules/${rule.body.id}`);
  });

  it('instantiates templates, enables/disables workflows and dry-runs them', async () => {
    const templates = (await api.call('GET', '/api/v1/workflow-templates', { role: 'read_only' })).body
      .templates;
    expect(templates.map((template: { key: string }) => template.key)).toEqual([
      'onboarding_check_ins',
      're_engagement_nudge',
      'renewal_prep',
      'critical_escalation',
    ]);
    expect((await api.call('POST', '/api/v1/workflow-templates/nope/instantiate', { body: {} })).status).toBe(
      404,
    );
    const created = await api.call('POST', '/api/v1/workflow-templates/critical_escalation/instantiate', {
      body: { managers: { 'owner-1': 'manager-1' }, slackWebhookUrl: 'https://hooks.slack.com/services/x' },
    });
    expect(created.body).toMatchObject({
      enabled: false,
      templateKey: 'critical_escalation',
      trigger: { type: 'tier_change', to: 'critical' },
    });
    expect((await api.call('POST', `/api/v1/workflows/${created.body.id}/enable`)).body.enabled).toBe(true);
    expect((await api.call('POST', `/api/v1/workflows/${created.body.id}/disable`)).body.enabled).toBe(false);

    await tenant.score(
      [
        { id: 'dry-1', score: 55 },
        { id: 'dry-2', score: 80 },
      ],
      hoursLater(2),
    );
    await tenant.score(
      [
        { id: 'dry-1', score: 25 },
        { id: 'dry-2', score: 75 },
      ],
      hoursLater(3),
    );
    const dry = await api.call('POST', `/api/v1/workflows/${created.body.id}/dry-run`);
    expect(dry.status).toBe(200);
    expect(dry.body.runs.map((run: { accountId: string }) => run.accountId)).toEqual(['dry-1']);
    expect(dry.body.runs[0].actions.map((action: { type: string }) => action.type)).toEqual([
      'escalate',
      'create_task',
      'notify',
    ]);
    expect(
      (await api.call('POST', `/api/v1/workflows/${created.body.id}/dry-run`, { role: 'csm' })).status,
    ).toBe(403);
  });

  it('records every change in the audit log, readable by admins with filters and a cursor', async () => {
    expect((await api.call('GET', '/api/v1/audit', { role: 'csm' })).status).toBe(403);
    const workflowEntries = await api.call('GET', '/api/v1/audit?entityType=workflow');
    expect(workflowEntries.body.entries.map((entry: { action: string }) => entry.action)).toEqual([
      'workflow.disabled',
      'workflow.enabled',
      'workflow.created',
    ]);
    expect(workflowEntries.body.entries[0]).toMatchObject({
      actor: 'admin@example.com',
      before: { enabled: true },
      after: { enabled: false },
    });

    const alertEntries = await api.call('GET', '/api/v1/audit?entityType=alert');
    expect(alertEntries.body.entries.map((entry: { action: string }) => entry.action)).toEqual([
      'alert.resolved',
      'alert.acknowledged',
    ]);

    const ruleUpdate = (await api.call('GET', '/api/v1/audit?action=alert_rule.updated')).body.entries[0];
    expect(ruleUpdate.before.severity).toBe('critical');
    expect(ruleUpdate.after.severity).toBe('warning');

    const first = await api.call('GET', '/api/v1/audit?limit=2');
    expect(first.body.entries).toHaveLength(2);
    const second = await api.call('GET', `/api/v1/audit?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.entries[0].id).toBeLessThan(first.body.entries[1].id);
    expect((await api.call('GET', '/api/v1/audit?since=yesterday')).status).toBe(400);
    expect((await api.call('GET', '/api/v1/audit?since=2099-01-01T00:00:00Z')).body).toEqual({
      entries: [],
      nextCursor: null,
    });
  });
});
