import type { AlertRuleDefinition } from '@pulse/shared/alerts/rules';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createDefinition } from '../../server/src/alerts/definitions-store';
import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase, databaseKinds } from '../../server/src/db/testing';
import { verifyPulseWebhook } from '../../server/src/outbox/signature';
import { enqueue, listOutbox } from '../../server/src/outbox/store';
import { deliverDue, startOutboxWorker } from '../../server/src/outbox/worker';
import { listAudit } from '../../server/src/store/audit';
import { fakeCrm } from './fake-crm';
import { hoursLater, scoringTenant, start } from './fixtures';
import { startAlertsApi } from './harness';

const SLACK_URL = 'https://hooks.slack.test/services/T000/B000/XXXX';
const WEBHOOK_URL = 'https://receiver.test/pulse';
const SECRET = 'receiver-shared-secret-123';

interface Received {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Slack and webhook receivers on the global fetch; each test decides how the webhook answers. */
const received: Received[] = [];
let webhookAnswer: (request: Request) => Promise<Response> = async () =>
  new HttpResponse('ok', { status: 200 });
const receivers = setupServer(
  http.post(SLACK_URL, async ({ request }) => {
    received.push({
      url: SLACK_URL,
      headers: Object.fromEntries(request.headers),
      body: await request.clone().text(),
    });
    return new HttpResponse('ok', { status: 200 });
  }),
  http.post(WEBHOOK_URL, async ({ request }) => {
    received.push({
      url: WEBHOOK_URL,
      headers: Object.fromEntries(request.headers),
      body: await request.clone().text(),
    });
    return webhookAnswer(request);
  }),
);

beforeAll(() => receivers.listen({ onUnhandledRequest: 'bypass' }));
afterEach(() => {
  received.length = 0;
  webhookAnswer = async () => new HttpResponse('ok', { status: 200 });
});
afterAll(() => receivers.close());

const rule: AlertRuleDefinition = {
  name: 'Health below 40',
  enabled: true,
  severity: 'critical',
  when: { metric: 'health_score', condition: 'crosses_below', threshold: 40 },
  routes: [
    { type: 'slack', url: SLACK_URL },
    { type: 'webhook', url: WEBHOOK_URL, secret: SECRET },
    { type: 'crm_task', dueInDays: 1 },
  ],
};

function webhookMessages(count: number, tenantId: string) {
  return Array.from({ length: count }, (_, index) => ({
    idempotencyKey: `test:${index}`,
    sourceType: 'workflow' as const,
    sourceId: `run-${index}`,
    accountId: `a${index}`,
    delivery: {
      kind: 'webhook' as const,
      url: WEBHOOK_URL,
      secret: SECRET,
      event: 'workflow.triggered',
      data: { index, tenantId },
    },
  }));
}

describe.each(databaseKinds)('outbox delivery on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await handle.close();
  });

  it('delivers a fired alert to Slack, a signed webhook and a CRM task, and audits each delivery', async () => {
    const tenant = await scoringTenant(handle, 'deliver');
    await createDefinition(handle.db, 'alert_rules', tenant.tenantId, rule, 'admin@example.com', start);
    await tenant.score([{ id: 'a1', score: 60 }], hoursLater(0));
    await tenant.score([{ id: 'a1', score: 30 }], hoursLater(1));
    const crm = fakeCrm();

    const result = await deliverDue(tenant.context, {
      crmAdapter: async () => crm.adapter,
      now: () => hoursLater(1),
    });
    expect(result).toEqual({ delivered: 3, retrying: 0, dead: 0 });

    const slack = received.find((request) => request.url === SLACK_URL)!;
    const slackBody = JSON.parse(slack.body);
    expect(slackBody.text).toContain('Health score of Account a1 went below 40: 60 → 30');
    expect(slackBody.blocks[0].type).toBe('section');

    const webhook = received.find((request) => request.url === WEBHOOK_URL)!;
    expect(verifyPulseWebhook(SECRET, webhook.headers, webhook.body, hoursLater(1), 300)).toEqual({
      ok: true,
    });
    expect(JSON.parse(webhook.body)).toMatchObject({
      type: 'alert.fired',
      data: { severity: 'critical', currentValue: 30, account: { id: 'a1' } },
    });
    expect(webhook.headers['x-pulse-idempotency-key']).toMatch(/^alert:/);

    expect(crm.tasks).toEqual([
      expect.objectContaining({
        accountId: 'a1',
        ownerId: 'owner-1',
        priority: 'high',
        dueDate: '2026-11-03',
      }),
    ]);
    const audit = await listAudit(handle.db, tenant.tenantId, { action: 'outbox.delivered' });
    expect(audit.map((entry) => (entry.after as { kind: string }).kind).sort()).toEqual([
      'crm_task',
      'slack',
      'webhook',
    ]);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
  });

  it('loses nothing when a worker dies mid-delivery: a new worker re-sends with the same idempotency keys', async () => {
    const tenant = await scoringTenant(handle, 'restart');
    await enqueue(handle.db, tenant.tenantId, webhookMessages(10, tenant.tenantId), start);

    // The first worker's receiver never answers: its deliveries are in flight when it is killed.
    let hang = true;
    webhookAnswer = async (request) => {
      if (hang) await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
      return new HttpResponse('ok', { status: 200 });
    };
    const clock = { now: start };
    const first = startOutboxWorker(tenant.context, {
      batchSize: 4,
      leaseMs: 60_000,
      pollMs: 10,
      now: () => clock.now,
    });
    while (received.length < 4) await new Promise((resolve) => setTimeout(resolve, 10));
    await first.stop(0);
    const inFlight = new Set(received.map((request) => request.headers['x-pulse-idempotency-key']));
    expect(inFlight.size).toBe(4);
    expect((await listOutbox(handle.db, tenant.tenantId, { status: 'delivering' })).length).toBe(4);

    // A new worker (after a restart) on the same database: the abandoned claims come back after the lease.
    hang = false;
    received.length = 0;
    const second = startOutboxWorker(tenant.context, { leaseMs: 60_000, pollMs: 10, now: () => clock.now });
    await second.settle();
    expect((await listOutbox(handle.db, tenant.tenantId, { status: 'delivered' })).length).toBe(6);
    clock.now = new Date(start.getTime() + 61_000);
    await second.settle();
    await second.stop();

    const messages = await listOutbox(handle.db, tenant.tenantId);
    expect(messages.every((message) => message.status === 'delivered')).toBe(true);
    const keys = received.map((request) => request.headers['x-pulse-idempotency-key']);
    expect(new Set(keys)).toEqual(new Set(messages.map((message) => message.idempotencyKey)));
    // The re-sent ones carry the key (and body id) they had the first time.
    for (const key of inFlight) expect(keys).toContain(key);
    for (const request of received)
      expect(JSON.parse(request.body).id).toBe(request.headers['x-pulse-idempotency-key']);
  });

  it('backs off, dead-letters after the configured attempts, and an admin can retry the dead letter', async () => {
    const tenant = await scoringTenant(handle, 'dead');
    await enqueue(handle.db, tenant.tenantId, webhookMessages(1, tenant.tenantId), start);
    webhookAnswer = async () => new HttpResponse('busy', { status: 503 });
    const clock = { now: start };
    const options = { maxAttempts: 3, baseBackoffMs: 60_000, now: () => clock.now };

    expect(await deliverDue(tenant.context, options)).toEqual({ delivered: 0, retrying: 1, dead: 0 });
    // Not due again until the back-off has passed.
    expect(await deliverDue(tenant.context, options)).toEqual({ delivered: 0, retrying: 0, dead: 0 });
    clock.now = new Date(start.getTime() + 60_000);
    expect(await deliverDue(tenant.context, options)).toEqual({ delivered: 0, retrying: 1, dead: 0 });
    clock.now = new Date(start.getTime() + 60_000 + 119_000);
    expect(await deliverDue(tenant.context, options)).toEqual({ delivered: 0, retrying: 0, dead: 0 });
    clock.now = new Date(start.getTime() + 60_000 + 120_000);
    expect(await deliverDue(tenant.context, options)).toEqual({ delivered: 0, retrying: 0, dead: 1 });
    expect(received).toHaveLength(3);

    const api = await startAlertsApi(tenant.context, tenant.tenantId);
    try {
      expect((await api.call('GET', '/api/v1/outbox/dead-letters', { role: 'read_only' })).status).toBe(403);
      const list = await api.call('GET', '/api/v1/outbox/dead-letters');
      expect(list.status).toBe(200);
      expect(list.body.messages).toEqual([
        expect.objectContaining({
          status: 'dead',
          attempts: 3,
          target: WEBHOOK_URL,
          lastError: expect.stringContaining('503'),
        }),
      ]);
      expect(JSON.stringify(list.body)).not.toContain(SECRET);

      webhookAnswer = async () => new HttpResponse('ok', { status: 200 });
      const retried = await api.call('POST', `/api/v1/outbox/dead-letters/${list.body.messages[0].id}/retry`);
      expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
      expect(
        (await api.call('POST', `/api/v1/outbox/dead-letters/${list.body.messages[0].id}/retry`)).status,
      ).toBe(404);
      expect(await deliverDue(tenant.context, options)).toEqual({ delivered: 1, retrying: 0, dead: 0 });
      expect((await api.call('GET', '/api/v1/outbox/dead-letters')).body.messages).toEqual([]);
      const actions = (await listAudit(handle.db, tenant.tenantId)).map((entry) => entry.action);
      expect(actions).toEqual(
        expect.arrayContaining(['outbox.dead_lettered', 'outbox.retried', 'outbox.delivered']),
      );
    } finally {
      await api.close();
    }
  });

  it('dead-letters at once when the receiver rejects the request itself (4xx)', async () => {
    const tenant = await scoringTenant(handle, 'reject');
    await enqueue(handle.db, tenant.tenantId, webhookMessages(1, tenant.tenantId), start);
    webhookAnswer = async () => new HttpResponse('no such hook', { status: 410 });
    expect(await deliverDue(tenant.context, { now: () => start })).toEqual({
      delivered: 0,
      retrying: 0,
      dead: 1,
    });
  });
});
