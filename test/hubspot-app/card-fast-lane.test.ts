import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Signature } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppContext } from '../../server/src/context';
import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase } from '../../server/src/db/testing';
import { parseEnv } from '../../server/src/env';
import { createApp } from '../../server/src/http/app';
import { loadCompanyCardJson } from '../../server/src/hubspot-app/card-data';
import { withCompanyCardFastLane } from '../../server/src/hubspot-app/card-fast-lane';
import { recomputeTenant } from '../../server/src/scoring/recompute';
import { loadPortalFixture } from './portal-fixture';

/**
 * The company card's lane before Express serves the successful card and hands every other request
 * to Express untouched: each answer must be the one the Express app alone gives.
 */
const CLIENT_SECRET = 'fast-lane-secret';
const PORTAL = '616161';
const OTHER_PORTAL = '727272';
const now = new Date('2026-11-20T12:00:00.000Z');

function listen(listener: RequestListener): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = createServer(listener);
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

interface Call {
  objectId: string;
  portalId?: string;
  secret?: string;
  timestamp?: number;
  method?: string;
  body?: string;
}

describe('company card lane before Express', () => {
  let database: DatabaseHandle;
  let context: AppContext;
  let accountIds: string[];
  let otherAccountIds: string[];
  let lane: { server: Server; url: string };
  let expressOnly: { server: Server; url: string };
  /** Requests the lane handed to Express. */
  const handedOver: string[] = [];

  async function start(rateLimit: string) {
    context = {
      db: database.db,
      dbKind: database.kind,
      env: parseEnv({ HUBSPOT_CLIENT_SECRET: CLIENT_SECRET, PULSE_HUBSPOT_PORTAL_RATE_LIMIT: rateLimit }),
      now: () => now,
    };
    const app = createApp(context);
    lane = await listen(
      withCompanyCardFastLane(context, (request, response) => {
        handedOver.push(request.url ?? '');
        app(request, response);
      }),
    );
    // Its own context, so its rate-limit buckets are its own.
    expressOnly = await listen(createApp({ ...context }));
  }

  async function stop() {
    await Promise.all(
      [lane, expressOnly].map(({ server }) => new Promise((resolve) => server.close(resolve))),
    );
  }

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    ({ accountIds } = await loadPortalFixture(database.db, { portalId: PORTAL, accounts: 6, seed: 5, now }));
    ({ accountIds: otherAccountIds } = await loadPortalFixture(database.db, {
      portalId: OTHER_PORTAL,
      accounts: 2,
      seed: 6,
      now,
      portalOffset: 7,
    }));
    const scoring = { db: database.db, dbKind: database.kind, env: parseEnv({}), now: () => now };
    await recomputeTenant(scoring, `hubspot:${PORTAL}`);
    await recomputeTenant(scoring, `hubspot:${OTHER_PORTAL}`);
    await start('1000');
  }, 60_000);

  afterAll(async () => {
    await stop();
    await database?.close();
  });

  /** The same signed request sent to a server at `base` (the signature covers its origin). */
  async function send(base: string, call: Call) {
    const query = new URLSearchParams({
      objectId: call.objectId,
      portalId: call.portalId ?? PORTAL,
      userId: '7',
      appId: '1',
    });
    const url = `${base}/hubspot/card/company?${query}`;
    const method = call.method ?? 'GET';
    const timestamp = call.timestamp ?? now.getTime();
    const signature = Signature.getSignature(method, 'v3', {
      signature: '',
      clientSecret: call.secret ?? CLIENT_SECRET,
      url,
      requestBody: call.body ?? '',
      timestamp,
    });
    const response = await fetch(url, {
      method,
      headers: {
        'x-hubspot-signature-v3': signature,
        'x-hubspot-request-timestamp': String(timestamp),
        ...(call.body ? { 'content-type': 'application/json' } : {}),
      },
      ...(call.body ? { body: call.body } : {}),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: await response.text(),
    };
  }

  it('serves the card itself, as loadCompanyCardJson gives it', async () => {
    handedOver.length = 0;
    const response = await send(lane.url, { objectId: accountIds[0]! });
    expect(response.status).toBe(200);
    expect(response.body).toBe(
      await loadCompanyCardJson(database.db, `hubspot:${PORTAL}`, accountIds[0]!, now),
    );
    expect(handedOver).toEqual([]);
    expect(await send(expressOnly.url, { objectId: accountIds[0]! })).toEqual(response);
  });

  it('hands every other request to Express, which answers as it always does', async () => {
    const cases: [string, Call, number][] = [
      ['wrong secret', { objectId: accountIds[0]!, secret: 'wrong' }, 401],
      ['stale timestamp', { objectId: accountIds[0]!, timestamp: now.getTime() - 6 * 60_000 }, 401],
      ['unknown company', { objectId: '123456789' }, 404],
      ["another portal's company", { objectId: otherAccountIds[0]! }, 404],
      ['unknown portal', { objectId: accountIds[0]!, portalId: '999' }, 404],
      ['invalid objectId', { objectId: 'abc' }, 400],
      ['a body', { objectId: accountIds[0]!, method: 'POST', body: '{}' }, 404],
    ];
    for (const [name, call, status] of cases) {
      handedOver.length = 0;
      const viaLane = await send(lane.url, call);
      const viaExpress = await send(expressOnly.url, call);
      expect({ name, ...viaLane }).toEqual({ name, ...viaExpress });
      expect({ name, status: viaLane.status }).toEqual({ name, status });
      expect({ name, handedOver: handedOver.length }).toEqual({ name, handedOver: 1 });
    }
  });

  it("shares the app's per-portal rate limit and gives back the token of a request it hands over", async () => {
    await stop();
    await start('1'); // bursts of 2
    handedOver.length = 0;
    // Handed over (unknown company): the lane's token is given back, Express takes one.
    expect((await send(lane.url, { objectId: '123456789' })).status).toBe(404);
    expect((await send(lane.url, { objectId: accountIds[1]! })).status).toBe(200);
    const limited = await send(lane.url, { objectId: accountIds[1]! });
    expect(limited.status).toBe(429);
    expect(limited.retryAfter).toBe('1');
    expect(handedOver).toHaveLength(2);
  });
});
