import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Signature } from '@hubspot/api-client';
import { healthPresets } from '@pulse/shared/health/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PULSE_ORIGIN } from '../../extension/hubspot/src/app/shared/config';
import {
  createPulseClient,
  PulseApiError,
  type PulseFetch,
} from '../../extension/hubspot/src/app/shared/pulse-client';
import type { DatabaseHandle } from '../../server/src/db/connection';
import { createTestDatabase } from '../../server/src/db/testing';
import { parseEnv } from '../../server/src/env';
import { recomputeTenant } from '../../server/src/scoring/recompute';
import { type RunningServer, startServer } from '../../server/src/server';
import { loadPortalFixture } from '../hubspot-app/portal-fixture';

/**
 * The app's client and hsmeta files against the real Pulse server, called the way HubSpot calls
 * it: hubspot.fetch requests go to the public origin (PULSE_ORIGIN) with portalId/userId appended
 * and an X-HubSpot-Signature-v3 over that URL; workflow actions are v2-signed. If a path, a query
 * or an output field name drifts between the extension and the backend, this fails.
 */
const CLIENT_SECRET = 'pulse-app-secret';
const PORTAL = '246810';
const srcApp = join(dirname(fileURLToPath(import.meta.url)), '../../extension/hubspot/src/app');

describe('the HubSpot app against the Pulse server', () => {
  let database: DatabaseHandle;
  let server: RunningServer;
  let accountIds: string[];
  const now = new Date('2026-11-20T12:00:00.000Z');

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    ({ accountIds } = await loadPortalFixture(database.db, { portalId: PORTAL, accounts: 12, seed: 3, now }));
    server = await startServer({
      env: parseEnv({ PORT: '0', HUBSPOT_CLIENT_SECRET: CLIENT_SECRET, PULSE_PUBLIC_URL: PULSE_ORIGIN }),
      database,
      scheduler: false,
      log: () => undefined,
      now: () => now,
    });
    await recomputeTenant(server.context, `hubspot:${PORTAL}`);
  });

  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  /** What HubSpot's proxy does with a hubspot.fetch call. */
  const hubspotProxy: PulseFetch = async (url, options) => {
    const publicUrl = new URL(url);
    publicUrl.searchParams.set('portalId', PORTAL);
    publicUrl.searchParams.set('userId', '31');
    publicUrl.searchParams.set('userEmail', 'admin@example.com');
    publicUrl.searchParams.set('appId', '5');
    const body = options.body ? JSON.stringify(options.body) : '';
    const timestamp = now.getTime();
    const signature = Signature.getSignature(options.method, 'v3', {
      signature: '',
      clientSecret: CLIENT_SECRET,
      url: publicUrl.toString().replace(/%40/g, '@'),
      requestBody: body,
      timestamp,
    });
    const response = await fetch(`${server.url}${publicUrl.pathname}${publicUrl.search}`, {
      method: options.method,
      headers: {
        'x-hubspot-signature-v3': signature,
        'x-hubspot-request-timestamp': String(timestamp),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body } : {}),
    });
    return response;
  };

  it('serves every card call the extension makes', async () => {
    const client = createPulseClient({ fetch: hubspotProxy, surface: 'card' });
    const card = await client.companyCard(accountIds[0]!);
    expect(card.status).toBe('scored');
    const recommendations = await client.recommendations(accountIds[0]!);
    expect(Array.isArray(recommendations.recommendations)).toBe(true);

    const deal = await database.db
      .selectFrom('deals')
      .select('id')
      .where('tenant_id', '=', `hubspot:${PORTAL}`)
      .executeTakeFirstOrThrow();
    expect((await client.dealCard(deal.id)).status).toBe('scored');
    const ticket = await database.db
      .selectFrom('tickets')
      .select('id')
      .where('tenant_id', '=', `hubspot:${PORTAL}`)
      .executeTakeFirstOrThrow();
    expect(['scored', 'not_scored', 'no_company']).toContain((await client.ticketCard(ticket.id)).status);

    const missing = await client.companyCard('999999999').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(PulseApiError);
    expect((missing as PulseApiError).code).toBe('NOT_FOUND');
  });

  it('serves every settings call, and refuses a 95% model with the same rule the page enforces', async () => {
    const client = createPulseClient({ fetch: hubspotProxy, surface: 'settings' });
    const settings = await client.healthSettings();
    expect(settings.distribution.accounts).toBe(12);
    const draft = structuredClone(healthPresets.default);
    draft.factors[0]!.weight = 30;
    draft.factors[1]!.weight = 15;
    const preview = await client.previewHealthSettings(draft);
    expect(preview.tiers.map((tier) => tier.key)).toEqual(['healthy', 'at_risk', 'critical']);

    draft.factors[0]!.weight = 25;
    const refused = await client.saveHealthSettings(draft).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PulseApiError);
    expect((refused as PulseApiError).code).toBe('INVALID_INPUT');
    expect((refused as PulseApiError).message).toContain('Weights total 95');

    expect((await client.listRules()).rules.length).toBeGreaterThan(0);
    const upcoming = await client.renewals(180);
    expect(upcoming.totals.count).toBe(upcoming.renewals.length);
  });

  it('answers each workflow action with exactly the output fields its hsmeta declares', async () => {
    const folder = join(srcApp, 'workflow-actions');
    const definitions = readdirSync(folder)
      .filter((name) => name.endsWith('-hsmeta.json'))
      .map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')));
    expect(definitions).toHaveLength(2);
    for (const definition of definitions) {
      const publicUrl: string = definition.config.actionUrl;
      const body = JSON.stringify({
        callbackId: 'cb-7',
        origin: { portalId: Number(PORTAL), actionDefinitionId: 1 },
        object: { objectId: Number(accountIds[1]), objectType: 'COMPANY' },
        inputFields: {},
      });
      const signature = Signature.getSignature('POST', 'v2', {
        signature: '',
        clientSecret: CLIENT_SECRET,
        url: publicUrl,
        requestBody: body,
      });
      const response = await fetch(`${server.url}${new URL(publicUrl).pathname}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hubspot-signature': signature,
          'x-hubspot-signature-version': 'v2',
        },
        body,
      });
      expect(response.status, publicUrl).toBe(200);
      const { outputFields } = (await response.json()) as { outputFields: Record<string, unknown> };
      const declared: { typeDefinition: { name: string; type: string } }[] = definition.config.outputFields;
      expect(Object.keys(outputFields).sort()).toEqual(
        declared.map((field) => field.typeDefinition.name).sort(),
      );
      for (const field of declared) {
        const value = outputFields[field.typeDefinition.name];
        if (value !== null) expect(typeof value, field.typeDefinition.name).toBe(field.typeDefinition.type);
      }
    }
  });
});
