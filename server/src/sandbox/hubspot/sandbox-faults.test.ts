import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { type HubSpotSandbox, startHubSpotSandbox } from './index';

// Integration: fault injection (in-process and over HTTP) and the request log.
let sandbox: HubSpotSandbox;
let client: Client;

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({
    accounts: 10,
    seed: 9,
    now: new Date('2026-11-01T00:00:00Z'),
    rateLimit: false,
  });
  client = new Client({ accessToken: sandbox.accessToken, basePath: sandbox.url, numberOfApiCallRetries: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.resetRequestLog();
});

describe('faults', () => {
  it('answers the next N requests with a 5xx, then recovers', async () => {
    sandbox.faults.serverError(2, 502);
    const first = await client.crm.companies.basicApi.getPage(1).catch((caught) => caught);
    const second = await client.crm.companies.basicApi.getPage(1).catch((caught) => caught);
    expect([first.code, second.code]).toEqual([502, 502]);
    expect((await client.crm.companies.basicApi.getPage(1)).results).toHaveLength(1);
  });

  it('only hits requests that match a method and path', async () => {
    sandbox.faults.serverError(1, 500, { method: 'POST', path: '/crm/v3/objects/companies/search' });
    expect((await client.crm.companies.basicApi.getPage(1)).results).toHaveLength(1);
    const search = await client.crm.companies.searchApi
      .doSearch({ filterGroups: [], limit: 1 })
      .catch((caught) => caught);
    expect(search.code).toBe(500);
  });

  it('holds a request past the given delay (a client timeout fires first)', async () => {
    sandbox.faults.timeout(1, 400);
    const started = performance.now();
    const response = await fetch(`${sandbox.url}/crm/v3/objects/deals?limit=1`, {
      headers: { Authorization: `Bearer ${sandbox.accessToken}` },
      signal: AbortSignal.timeout(150),
    }).catch((caught) => caught);
    expect(response).toBeInstanceOf(Error);
    expect(performance.now() - started).toBeLessThan(400);
    // The fault is spent: the next call answers at once.
    expect((await client.crm.deals.basicApi.getPage(1)).results).toHaveLength(1);
    // The held request is logged once the sandbox finally answers it.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const held = sandbox.requests.find((request) => request.durationMs >= 400);
    expect(held).toMatchObject({ route: 'GET /crm/v3/objects/deals', status: 200 });
  });

  it('sends a burst of 429s with the ten-secondly body', async () => {
    sandbox.faults.rateLimitBurst(3);
    const codes = [];
    for (let index = 0; index < 4; index++) {
      const result = await client.crm.tickets.basicApi.getPage(1).catch((caught) => caught);
      codes.push(result.code ?? 200);
      if (result.code === 429) {
        const body = typeof result.body === 'string' ? JSON.parse(result.body) : result.body;
        expect(body.policyName).toBe('TEN_SECONDLY_ROLLING');
      }
    }
    expect(codes).toEqual([429, 429, 429, 200]);
  });

  it('serves one malformed company in list and search answers; the stored record stays valid', async () => {
    sandbox.faults.malformed(2, 'companies');
    const listed = await client.crm.companies.basicApi.getPage(5, undefined, ['numberofemployees']);
    expect(listed.results[0]!.properties.numberofemployees).toBe('twelve');
    expect(
      listed.results.slice(1).every((company) => company.properties.numberofemployees !== 'twelve'),
    ).toBe(true);
    const searched = await client.crm.companies.searchApi.doSearch({
      filterGroups: [],
      limit: 3,
      properties: ['annualrevenue'],
    });
    expect(Number.isNaN(Number(searched.results[0]!.properties.annualrevenue))).toBe(true);
    const clean = await client.crm.companies.basicApi.getPage(5, undefined, ['numberofemployees']);
    expect(clean.results[0]!.properties.numberofemployees).not.toBe('twelve');
  });

  it('corrupts a stored record so every read of it is unparseable', async () => {
    const id = sandbox.store.ids('deals')[0]!;
    sandbox.store.corrupt('deals', id, { amount: 'ten thousand' });
    const read = await client.crm.deals.basicApi.getById(id, ['amount']);
    expect(read.properties.amount).toBe('ten thousand');
  });

  it('takes faults over HTTP at POST /__sandbox/faults, naming a bad field', async () => {
    const added = await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'server-error', status: 503, count: 1 }),
    });
    expect(added.status).toBe(201);
    const failed = await client.crm.deals.basicApi.getPage(1).catch((caught) => caught);
    expect(failed.code).toBe(503);
    const bad = await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'timeout', count: 1 }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toContain('delayMs');
  });
});

describe('request log', () => {
  it('records every API call with its route, status and portal, and counts by route', async () => {
    const ids = sandbox.store.ids('companies');
    await client.crm.companies.basicApi.getPage(2);
    await client.crm.companies.basicApi.getById(ids[0]!);
    await client.crm.companies.basicApi.getById(ids[1]!);
    await client.crm.companies.batchApi.read({
      inputs: [{ id: ids[0]! }],
      properties: [],
      propertiesWithHistory: [],
    });
    expect(sandbox.requestLog.countByRoute()).toEqual({
      'GET /crm/v3/objects/companies': 1,
      'GET /crm/v3/objects/companies/{id}': 2,
      'POST /crm/v3/objects/companies/batch/read': 1,
    });
    expect(sandbox.requests[0]).toMatchObject({ method: 'GET', status: 200, portalId: sandbox.portalId });
    const summary = await (await fetch(`${sandbox.url}/__sandbox/requests`)).json();
    expect(summary.total).toBe(4);
    sandbox.resetRequestLog();
    expect(sandbox.requests).toHaveLength(0);
  });
});
