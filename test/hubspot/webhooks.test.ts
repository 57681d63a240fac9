import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppContext } from '../../server/src/context';
import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase } from '../../server/src/db/testing';
import { parseEnv } from '../../server/src/env';
import { errorHandler } from '../../server/src/http/errors';
import { hubspotSignatureV3 } from '../../server/src/security/hubspot-signature';
import { ensureTenant, upsertRecords } from '../../server/src/store/records';
import { hubspotWebhookRoutes } from '../../server/src/webhooks/hubspot';

const secret = 'hubspot-app-secret';

describe('POST /webhooks/hubspot', () => {
  let database: DatabaseHandle;
  let ctx: AppContext;
  let url: string;
  let close: () => void;
  const followUps: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    ctx = {
      db: database.db,
      dbKind: database.kind,
      env: parseEnv({ HUBSPOT_CLIENT_SECRET: secret }),
      now: () => new Date(),
    };
    const tenantId = await ensureTenant(ctx.db, { crm: 'hubspot', externalId: '42', name: 'Portal 42' });
    const at = '2026-11-01T00:00:00.000Z';
    await upsertRecords(ctx.db, 'deals', [
      {
        tenantId,
        id: 'd1',
        accountId: 'c7',
        name: 'Deal',
        amount: 1,
        stage: 'x',
        closeDate: null,
        type: 'new',
        status: 'open',
        productId: null,
        ownerId: null,
        updatedAt: at,
      },
    ]);
    const app = express();
    app.use(
      express.json({
        verify: (request, _response, buffer) => {
          (request as express.Request).rawBody = buffer;
        },
      }),
    );
    hubspotWebhookRoutes(app, ctx, {
      schedule: (tenant) => void followUps.push(tenant),
      idle: async () => undefined,
    });
    app.use(errorHandler);
    const server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks/hubspot`;
    close = () => server.close();
  });
  afterAll(async () => {
    close();
    await database.close();
  });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const signed = (body: string, timestamp = Date.now()) => ({
    'x-hubspot-signature-v3': hubspotSignatureV3({
      clientSecret: secret,
      method: 'POST',
      uri: url,
      body,
      timestamp,
    }),
    'x-hubspot-request-timestamp': String(timestamp),
  });

  it('queues the company of a company event and the company of a known deal, then schedules a sync', async () => {
    const body = JSON.stringify([
      { objectId: 123, portalId: 42, subscriptionType: 'company.propertyChange', occurredAt: Date.now() },
      { objectId: 'd1', portalId: 42, subscriptionType: 'deal.propertyChange', occurredAt: Date.now() },
      { objectId: 5, portalId: 999, subscriptionType: 'ticket.creation', occurredAt: Date.now() },
    ]);
    const response = await post(body, signed(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 3, queuedAccounts: 2, ignoredPortals: 1 });
    const queued = await ctx.db
      .selectFrom('rescore_queue')
      .select(['account_id', 'reason'])
      .orderBy('account_id')
      .execute();
    expect(queued).toEqual([
      { account_id: '123', reason: 'webhook' },
      { account_id: 'c7', reason: 'webhook' },
    ]);
    expect(followUps).toEqual(['hubspot:42']);
  });

  it('rejects a bad signature and a replayed (old) request with 401, queuing nothing', async () => {
    await ctx.db.deleteFrom('rescore_queue').execute();
    const body = JSON.stringify([{ objectId: 555, portalId: 42, subscriptionType: 'company.creation' }]);
    const tampered = await post(body.replace('555', '556'), signed(body));
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toMatchObject({
      error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('signature does not match') },
    });
    const old = await post(body, signed(body, Date.now() - 6 * 60_000));
    expect(old.status).toBe(401);
    expect(await old.json()).toMatchObject({
      error: { message: expect.stringContaining('older than 5 minutes') },
    });
    expect(await ctx.db.selectFrom('rescore_queue').selectAll().execute()).toEqual([]);
  });

  it('answers 400 naming the field when the body is not a list of events', async () => {
    const body = JSON.stringify([{ portalId: 42, subscriptionType: 'company.creation' }]);
    const response = await post(body, signed(body));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'INVALID_INPUT', details: { fields: [{ path: '0.objectId' }] } },
    });
  });
});
