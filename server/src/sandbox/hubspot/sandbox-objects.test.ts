import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type HubSpotSandbox, startHubSpotSandbox } from './index';

// Integration: the real @hubspot/api-client against a sandbox portal of 30 demo accounts.
let sandbox: HubSpotSandbox;
let client: Client;
const now = new Date('2026-11-01T00:00:00.000Z');

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ accounts: 30, seed: 7, now, rateLimit: false });
  client = new Client({ accessToken: sandbox.accessToken, basePath: sandbox.url, numberOfApiCallRetries: 0 });
});
afterAll(() => sandbox.close());

function statusOf(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}

async function failure(promise: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const body = (error as { body?: unknown }).body;
    return {
      code: statusOf(error) ?? -1,
      body: (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, unknown>,
    };
  }
  throw new Error('expected the call to fail');
}

describe('listing objects', () => {
  it('pages companies with after until the last page, each company exactly once', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await client.crm.companies.basicApi.getPage(7, after, ['name', 'numberofemployees']);
      pages++;
      for (const company of page.results) seen.push(company.id);
      expect(page.results.length).toBeLessThanOrEqual(7);
      after = page.paging?.next?.after;
      if (after) expect(page.paging?.next?.link).toContain(`after=${after}`);
    } while (after);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(pages).toBe(Math.ceil(30 / 7));
  });

  it('caps a page at 100 records whatever limit is asked', async () => {
    const page = await client.crm.objects.basicApi.getPage('contacts', 500);
    expect(page.results).toHaveLength(100);
    expect(page.paging?.next?.after).toBeDefined();
  });

  it('returns hs_object_id, createdate and a millisecond hs_lastmodifieddate on every object', async () => {
    const page = await client.crm.deals.basicApi.getPage(5, undefined, ['dealname', 'dealstage']);
    for (const deal of page.results) {
      expect(deal.properties.hs_object_id).toBe(deal.id);
      expect(deal.properties.createdate).toMatch(/Z$/);
      expect(deal.properties.hs_lastmodifieddate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(deal.updatedAt).toBeInstanceOf(Date);
      expect(deal.properties.dealname).toBeTruthy();
    }
  });

  it('reads one object by id, and 404s with HubSpot body for an unknown one', async () => {
    const id = sandbox.store.ids('tickets')[0]!;
    const ticket = await client.crm.tickets.basicApi.getById(id, ['subject', 'hs_pipeline_stage']);
    expect(ticket.id).toBe(id);
    expect(ticket.properties.subject).toBeTruthy();
    const missing = await failure(client.crm.tickets.basicApi.getById('999999999'));
    expect(missing.code).toBe(404);
    expect(missing.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
  });
});

describe('writing objects', () => {
  it('creates a company that then appears in the list, and bumps hs_lastmodifieddate on update', async () => {
    const created = await client.crm.companies.basicApi.create({
      properties: { name: 'Sandbox Test Co', numberofemployees: '42' },
      associations: [],
    });
    expect(created.properties.hs_object_id).toBe(created.id);
    const before = created.properties.hs_lastmodifieddate!;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = await client.crm.companies.basicApi.update(created.id, {
      properties: { numberofemployees: '43' },
    });
    expect(updated.properties.numberofemployees).toBe('43');
    expect(Date.parse(updated.properties.hs_lastmodifieddate!)).toBeGreaterThan(Date.parse(before));
  });

  it('keeps HubSpot’s calculated deal flags in step with the stage', async () => {
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'Flags', dealstage: 'proposal' },
      associations: [],
    });
    const open = await client.crm.deals.basicApi.getById(deal.id, ['hs_is_closed_won', 'hs_is_closed']);
    expect(open.properties).toMatchObject({ hs_is_closed_won: 'false', hs_is_closed: 'false' });
    await client.crm.deals.basicApi.update(deal.id, { properties: { dealstage: 'closedwon' } });
    const won = await client.crm.deals.basicApi.getById(deal.id, ['hs_is_closed_won', 'hs_is_closed']);
    expect(won.properties).toMatchObject({ hs_is_closed_won: 'true', hs_is_closed: 'true' });
  });

  it('rejects an unknown property and a non-numeric number with HubSpot 400 naming the property', async () => {
    const id = sandbox.store.ids('companies')[0]!;
    const unknown = await failure(
      client.crm.companies.basicApi.update(id, { properties: { no_such_thing: 'x' } }),
    );
    expect(unknown.code).toBe(400);
    expect(unknown.body.category).toBe('VALIDATION_ERROR');
    expect(String(unknown.body.message)).toContain('no_such_thing');
    const badNumber = await failure(
      client.crm.companies.basicApi.update(id, { properties: { annualrevenue: 'lots' } }),
    );
    expect(String(badNumber.body.message)).toContain('annualrevenue');
  });

  it('batch-updates up to 100 companies and refuses 101 inputs with a 400', async () => {
    const ids = sandbox.store.ids('companies').slice(0, 20);
    const result = await client.crm.companies.batchApi
      .update({
        inputs: ids.map((id) => ({ id, properties: { pulse_health_score_test: '1' } })),
      })
      .catch((error) => error);
    expect(statusOf(result)).toBe(400); // property not defined yet: the whole batch is rejected
    const ok = await client.crm.companies.batchApi.update({
      inputs: ids.map((id, index) => ({ id, properties: { numberofemployees: String(100 + index) } })),
    });
    expect(ok.status).toBe('COMPLETE');
    expect(ok.results).toHaveLength(20);
    expect(sandbox.store.get('companies', ids[3]!)?.numberofemployees).toBe('103');

    const tooMany = await failure(
      client.crm.companies.batchApi.update({
        inputs: Array.from({ length: 101 }, (_, index) => ({
          id: String(index + 1),
          properties: { name: 'x' },
        })),
      }),
    );
    expect(tooMany.code).toBe(400);
    expect(tooMany.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
  });

  it('batch-reads by id, reporting missing ids as a multi-status error', async () => {
    const ids = sandbox.store.ids('deals').slice(0, 3);
    const read = await client.crm.deals.batchApi.read({
      inputs: [...ids, '424242424'].map((id) => ({ id })),
      properties: ['amount'],
      propertiesWithHistory: [],
    });
    expect(read.results.map((deal) => deal.id).sort()).toEqual([...ids].sort());
    expect((read as { errors?: unknown[] }).errors).toHaveLength(1);
    const tooMany = await failure(
      client.crm.deals.batchApi.read({
        inputs: Array.from({ length: 101 }, (_, index) => ({ id: String(index) })),
        properties: [],
        propertiesWithHistory: [],
      }),
    );
    expect(tooMany.code).toBe(400);
  });

  it('batch-creates and batch-archives; archived records list only with archived=true', async () => {
    const created = await client.crm.companies.batchApi.create({
      inputs: [{ properties: { name: 'Archive Me 1' } }, { properties: { name: 'Archive Me 2' } }].map(
        (input) => ({
          ...input,
          associations: [],
        }),
      ),
    });
    expect(created.results).toHaveLength(2);
    const ids = created.results.map((company) => company.id);
    await client.crm.companies.batchApi.archive({ inputs: ids.map((id) => ({ id })) });
    const archived = await client.crm.companies.basicApi.getPage(
      100,
      undefined,
      ['name'],
      undefined,
      undefined,
      true,
    );
    expect(archived.results.map((company) => company.id)).toEqual(expect.arrayContaining(ids));
    expect(archived.results.every((company) => company.archived)).toBe(true);
    const live = await client.crm.companies.basicApi.getPage(100);
    expect(live.results.map((company) => company.id)).not.toEqual(expect.arrayContaining([ids[0]]));
  });

  it('merges two companies: the survivor records hs_merged_object_ids, the merged one leaves the lists', async () => {
    const [primary, merged] = sandbox.store.ids('companies').slice(5, 7) as [string, string];
    const survivor = await client.crm.companies.basicApi.merge({
      primaryObjectId: primary,
      objectIdToMerge: merged,
    });
    expect(survivor.id).toBe(primary);
    const read = await client.crm.companies.basicApi.getById(primary, ['hs_merged_object_ids']);
    expect(read.properties.hs_merged_object_ids).toBe(merged);
    const all: string[] = [];
    let after: string | undefined;
    do {
      const page = await client.crm.companies.basicApi.getPage(100, after);
      all.push(...page.results.map((company) => company.id));
      after = page.paging?.next?.after;
    } while (after);
    expect(all).toContain(primary);
    expect(all).not.toContain(merged);
    // Reading the merged id answers with the survivor, as HubSpot does.
    expect((await client.crm.companies.basicApi.getById(merged)).id).toBe(primary);
  });
});

describe('seeding', () => {
  it('seeds only the object types asked for, still associated with their companies', async () => {
    const small = await startHubSpotSandbox({
      accounts: 4,
      seed: 7,
      now,
      objectTypes: ['deals'],
      rateLimit: false,
    });
    try {
      expect(small.store.count('companies')).toBe(4);
      expect(small.store.count('deals')).toBeGreaterThan(0);
      expect(small.store.count('tickets') + small.store.count('contacts') + small.store.count('emails')).toBe(
        0,
      );
      const dealId = small.store.ids('deals')[0]!;
      const companies = small.store.raw.associations('deals', dealId, 'companies');
      expect(companies).toHaveLength(1);
      expect(small.hubspotId('companies', 'acc-000001')).toBe(small.store.ids('companies')[0]);
    } finally {
      await small.close();
    }
  });

  it('loads canonical records from any source', async () => {
    const records = await startHubSpotSandbox({
      rateLimit: false,
      records: {
        accounts: [
          {
            tenantId: 't',
            id: 'a-1',
            name: 'Acme',
            domain: 'acme.example',
            industry: 'Software',
            employees: 12,
            annualRevenue: 1000,
            previousAnnualRevenue: 900,
            ownerId: null,
            ownerName: null,
            ownerEmail: null,
            region: 'EMEA',
            customerSince: '2024-01-02',
            csOptOut: true,
            attributes: { plan: 'pro' },
            updatedAt: '2026-10-01T10:00:00.000Z',
          },
        ],
      },
    });
    try {
      const id = records.hubspotId('companies', 'a-1')!;
      expect(records.store.get('companies', id)).toMatchObject({
        name: 'Acme',
        numberofemployees: '12',
        country: 'EMEA',
        pulse_cs_opt_out: 'true',
        plan: 'pro',
        hs_lastmodifieddate: '2026-10-01T10:00:00.000Z',
      });
    } finally {
      await records.close();
    }
  });
});
