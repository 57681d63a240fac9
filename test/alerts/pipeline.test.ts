import type { AlertRuleDefinition } from '@pulse/shared/alerts/rules';
import { WorkflowInput } from '@pulse/shared/workflows/definition';
import { workflowTemplates } from '@pulse/shared/workflows/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { listAlerts, transitionAlert } from '../../server/src/alerts/alerts-store';
import { createDefinition } from '../../server/src/alerts/definitions-store';
import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase, databaseKinds } from '../../server/src/db/testing';
import { listOutbox } from '../../server/src/outbox/store';
import { dryRunWorkflow } from '../../server/src/workflows/dry-run';
import { daysLater, hoursLater, scoringTenant, start } from './fixtures';

const below40: AlertRuleDefinition = {
  name: 'Health below 40',
  enabled: true,
  severity: 'critical',
  when: { metric: 'health_score', condition: 'crosses_below', threshold: 40 },
  routes: [
    { type: 'in_app' },
    { type: 'webhook', url: 'https://hooks.example.com/pulse', secret: 'a-very-long-test-secret' },
  ],
};

function template(key: string, options = {}) {
  const found = workflowTemplates.find((candidate) => candidate.key === key)!;
  return WorkflowInput.parse({ ...found.build(options), enabled: true });
}

describe.each(databaseKinds)('alerts and workflows during recompute on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await handle.close();
  });

  it('fires once when a score crosses below the threshold, not again on every hourly re-score', async () => {
    const tenant = await scoringTenant(handle, 'storm');
    await createDefinition(handle.db, 'alert_rules', tenant.tenantId, below40, 'admin@example.com', start);
    await tenant.score([{ id: 'a1', score: 60 }], hoursLater(0));
    await tenant.score([{ id: 'a1', score: 35 }], hoursLater(1));
    for (let hour = 2; hour <= 6; hour++)
      await tenant.score([{ id: 'a1', score: 35 - hour }], hoursLater(hour));

    const alerts = await listAlerts(handle.db, tenant.tenantId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      accountId: 'a1',
      severity: 'critical',
      status: 'open',
      occurrences: 1,
      previousValue: 60,
      currentValue: 35,
    });
    const messages = await listOutbox(handle.db, tenant.tenantId);
    expect(messages.map((message) => message.kind)).toEqual(['webhook']);
  });

  it('re-arms only after the score goes back above; a crossing while the alert is open counts as an occurrence', async () => {
    const tenant = await scoringTenant(handle, 'rearm');
    await createDefinition(handle.db, 'alert_rules', tenant.tenantId, below40, 'admin@example.com', start);
    await tenant.score([{ id: 'a1', score: 60 }], hoursLater(0));
    await tenant.score([{ id: 'a1', score: 30 }], hoursLater(1));
    await tenant.score([{ id: 'a1', score: 45 }], hoursLater(2));
    await tenant.score([{ id: 'a1', score: 30 }], hoursLater(3));
    let alerts = await listAlerts(handle.db, tenant.tenantId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.occurrences).toBe(2);
    expect(await listOutbox(handle.db, tenant.tenantId)).toHaveLength(1);

    await transitionAlert(
      handle.db,
      tenant.tenantId,
      alerts[0]!.id,
      'resolve',
      'csm@example.com',
      hoursLater(3),
    );
    await tenant.score([{ id: 'a1', score: 20 }], hoursLater(4));
    expect(await listAlerts(handle.db, tenant.tenantId, { status: 'open' })).toHaveLength(0);
    await tenant.score([{ id: 'a1', score: 55 }], hoursLater(5));
    await tenant.score([{ id: 'a1', score: 25 }], hoursLater(6));
    alerts = await listAlerts(handle.db, tenant.tenantId);
    expect(alerts.map((alert) => alert.status)).toEqual(['open', 'resolved']);
    expect(await listOutbox(handle.db, tenant.tenantId)).toHaveLength(2);
  });

  it('compares every account with its new score when chunks overlap (the next one is scored while this one is written)', async () => {
    const tenant = await scoringTenant(handle, 'chunks');
    await createDefinition(handle.db, 'alert_rules', tenant.tenantId, below40, 'admin@example.com', start);
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
    await tenant.score(
      ids.map((id) => ({ id, score: 60 })),
      hoursLater(0),
      2,
    );
    await tenant.score(
      ids.map((id) => ({ id, score: 30 })),
      hoursLater(1),
      2,
    );
    const alerts = await listAlerts(handle.db, tenant.tenantId);
    expect(alerts.map((alert) => [alert.accountId, alert.previousValue, alert.currentValue]).sort()).toEqual(
      ids.map((id) => [id, 60, 30]),
    );
  });

  it('does not rewrite an unchanged observation, and still sees the next crossing', async () => {
    const tenant = await scoringTenant(handle, 'unchanged');
    await createDefinition(handle.db, 'alert_rules', tenant.tenantId, below40, 'admin@example.com', start);
    const observedAt = async () =>
      (
        await handle.db
          .selectFrom('alert_observations')
          .select('observed_at')
          .where('tenant_id', '=', tenant.tenantId)
          .executeTakeFirstOrThrow()
      ).observed_at;
    // The second run stores {previous: 60, current: 60}; from then on nothing changes.
    await tenant.score([{ id: 'a1', score: 60 }], hoursLater(0));
    await tenant.score([{ id: 'a1', score: 60 }], hoursLater(1));
    await tenant.score([{ id: 'a1', score: 60 }], hoursLater(2));
    expect(new Date(await observedAt()).toISOString()).toBe(hoursLater(1).toISOString());
    await tenant.score([{ id: 'a1', score: 61 }], hoursLater(3));
    expect(new Date(await observedAt()).toISOString()).toBe(hoursLater(3).toISOString());
    await tenant.score([{ id: 'a1', score: 61 }], hoursLater(4));
    await tenant.score([{ id: 'a1', score: 61 }], hoursLater(5));
    await tenant.score([{ id: 'a1', score: 35 }], hoursLater(6));
    const alerts = await listAlerts(handle.db, tenant.tenantId);
    expect(alerts.map((alert) => [alert.previousValue, alert.currentValue])).toEqual([[61, 35]]);
  });

  it('does not alert on the first scoring of an account: there is nothing to cross from', async () => {
    const tenant = await scoringTenant(handle, 'baseline');
    await createDefinition(handle.db, 'alert_rules', tenant.tenantId, below40, 'admin@example.com', start);
    await tenant.score([{ id: 'a1', score: 10 }], hoursLater(0));
    await tenant.score([{ id: 'a1', score: 12 }], hoursLater(1));
    expect(await listAlerts(handle.db, tenant.tenantId)).toHaveLength(0);
  });

  it('runs the renewal prep timeline at 90, 75, … days and skips customer-facing steps for opted-out accounts', async () => {
    const tenant = await scoringTenant(handle, 'renewal');
    await createDefinition(
      handle.db,
      'workflows',
      tenant.tenantId,
      template('renewal_prep', { messagingWebhookUrl: 'https://mail.example.com/send' }),
      'admin@example.com',
      start,
    );
    const renewalDate = daysLater(100).toISOString().slice(0, 10);
    const accounts = [
      { id: 'open', score: 70, renewalDate },
      { id: 'optout', score: 70, renewalDate, csOptOut: true },
    ];
    await tenant.score(accounts, daysLater(0)); // 100 days out: baseline
    await tenant.score(accounts, daysLater(12)); // 88 days: the 90-day step
    await tenant.score(accounts, daysLater(26)); // 74 days: the 75-day step (recap message)

    const runs = await handle.db
      .selectFrom('workflow_runs')
      .selectAll()
      .where('tenant_id', '=', tenant.tenantId)
      .orderBy('ran_at')
      .orderBy('account_id')
      .execute();
    expect(runs.map((run) => `${run.account_id}:${run.trigger_key}`)).toEqual([
      'open:renewal:90',
      'optout:renewal:90',
      'open:renewal:75',
      'optout:renewal:75',
    ]);
    const messages = await listOutbox(handle.db, tenant.tenantId);
    const byAccount = (id: string) =>
      messages
        .filter((message) => message.accountId === id)
        .map((message) => message.kind)
        .sort();
    expect(byAccount('open')).toEqual(['crm_task', 'crm_task', 'webhook']);
    // The opted-out account still gets the internal tasks, but not the customer recap.
    expect(byAccount('optout')).toEqual(['crm_task', 'crm_task']);
    const optoutRecap = runs.find((run) => run.account_id === 'optout' && run.trigger_key === 'renewal:75')!;
    const actions = (
      typeof optoutRecap.actions === 'string' ? JSON.parse(optoutRecap.actions) : optoutRecap.actions
    ) as { type: string; skipped: string | null }[];
    expect(actions).toContainEqual(
      expect.objectContaining({ type: 'customer_message', skipped: 'cs_opt_out' }),
    );
    // Scores are still computed for the opted-out account.
    const score = await handle.db
      .selectFrom('account_scores')
      .select('score')
      .where('tenant_id', '=', tenant.tenantId)
      .where('account_id', '=', 'optout')
      .executeTakeFirstOrThrow();
    expect(score.score).toBe(70);
  });

  it('a dry run lists exactly what a real run did', async () => {
    const definition = template('critical_escalation', { managers: { 'owner-1': 'manager-9' } });
    const real = await scoringTenant(handle, 'real');
    const dry = await scoringTenant(handle, 'dry');
    await createDefinition(handle.db, 'workflows', real.tenantId, definition, 'admin@example.com', start);
    const disabled = await createDefinition(
      handle.db,
      'workflows',
      dry.tenantId,
      { ...definition, enabled: false },
      'admin@example.com',
      start,
    );
    const before = [
      { id: 'a1', score: 50 },
      { id: 'a2', score: 45, ownerId: 'owner-2' },
      { id: 'a3', score: 80 },
      { id: 'a4', score: 30 },
    ];
    const after = [
      { id: 'a1', score: 20 },
      { id: 'a2', score: 35, ownerId: 'owner-2' },
      { id: 'a3', score: 75 },
      { id: 'a4', score: 25 },
    ];
    for (const tenant of [real, dry]) {
      await tenant.score(before, hoursLater(0));
      await tenant.score(after, hoursLater(1));
    }

    const runs = await handle.db
      .selectFrom('workflow_runs')
      .selectAll()
      .where('tenant_id', '=', real.tenantId)
      .orderBy('account_id')
      .execute();
    const realRuns = runs.map((run) => ({
      accountId: run.account_id,
      trigger: run.trigger_key,
      actions: (typeof run.actions === 'string' ? JSON.parse(run.actions) : run.actions) as unknown[],
    }));
    expect(realRuns.map((run) => run.accountId)).toEqual(['a1', 'a2']);

    const result = await dryRunWorkflow(handle.db, dry.tenantId, disabled.value, hoursLater(2));
    expect(result.accountsEvaluated).toBe(4);
    const dryRuns = result.runs
      .map((run) => ({
        accountId: run.accountId,
        trigger: run.trigger.key,
        actions: run.actions.map(({ delivery: _delivery, ...action }) => action),
      }))
      .sort((left, right) => left.accountId.localeCompare(right.accountId));
    expect(dryRuns).toEqual(realRuns);
    // The dry run wrote nothing.
    expect(
      await handle.db.selectFrom('workflow_runs').selectAll().where('tenant_id', '=', dry.tenantId).execute(),
    ).toHaveLength(0);
    expect(await listOutbox(handle.db, dry.tenantId)).toHaveLength(0);
  });
});
