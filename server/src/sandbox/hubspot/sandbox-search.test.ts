import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/companies/models/Filter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type HubSpotSandbox, startHubSpotSandbox } from './index';

// Integration: search windows on hs_lastmodifieddate, sorts, paging and the 10,000-result cap.
let sandbox: HubSpotSandbox;
let client: Client;
const now = new Date('2026-11-01T00:00:00.000Z');

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({ accounts: 200, seed: 3, now, rateLimit: false });
  client = new Client({ accessToken: sandbox.accessToken, basePath: sandbox.url, numberOfApiCallRetries: 0 });
}, 120_000);
afterAll(() => sandbox.close());

const modifiedBetween = (from: number, to: number) => ({
  filters: [
    { propertyName: 'hs_lastmodifieddate', operator: FilterOperatorEnum.Gte, value: String(from) },
    { propertyName: 'hs_lastmodifieddate', operator: FilterOperatorEnum.Lt, value: String(to) },
  ],
});

describe('search', () => {
  it('finds exactly the companies modified in a window, sorted by hs_lastmodifieddate, paged with after', async () => {
    const from = Date.parse('2026-09-01T00:00:00Z');
    const to = Date.parse('2026-10-15T00:00:00Z');
    const expected = sandbox.store
      .ids('companies')
      .filter((id) => {
        const modified = Date.parse(sandbox.store.get('companies', id)!.hs_lastmodifieddate!);
        return modified >= from && modified < to;
      })
      .sort();
    expect(expected.length).toBeGreaterThan(20);
    const found: string[] = [];
    const stamps: number[] = [];
    let after: string | undefined = '0';
    do {
      const page = await client.crm.companies.searchApi.doSearch({
        filterGroups: [modifiedBetween(from, to)],
        sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }] as unknown as string[],
        properties: ['name'],
        limit: 20,
        after,
      });
      expect(page.total).toBe(expected.length);
      for (const company of page.results) {
        found.push(company.id);
        stamps.push(Date.parse(company.properties.hs_lastmodifieddate!));
      }
      after = page.paging?.next?.after;
    } while (after);
    expect([...found].sort()).toEqual(expected);
    expect(stamps).toEqual([...stamps].sort((left, right) => left - right));
  });

  it('accepts ISO values, EQ/IN/HAS_PROPERTY filters and OR-ed filter groups', async () => {
    const emea = await client.crm.companies.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'country', operator: FilterOperatorEnum.Eq, value: 'EMEA' }] },
      ],
      limit: 1,
      properties: ['country'],
    });
    const apac = await client.crm.companies.searchApi.doSearch({
      filterGroups: [
        {
          filters: [{ propertyName: 'country', operator: FilterOperatorEnum.In, values: ['APAC', 'apac'] }],
        },
      ],
      limit: 1,
    });
    const either = await client.crm.companies.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'country', operator: FilterOperatorEnum.Eq, value: 'EMEA' }] },
        { filters: [{ propertyName: 'country', operator: FilterOperatorEnum.Eq, value: 'APAC' }] },
      ],
      limit: 1,
    });
    expect(emea.total).toBeGreaterThan(0);
    expect(emea.results[0]!.properties.country).toBe('EMEA');
    expect(either.total).toBe(emea.total + apac.total);
    const withDomain = await client.crm.companies.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'domain', operator: FilterOperatorEnum.HasProperty }] }],
      limit: 1,
    });
    expect(withDomain.total).toBe(sandbox.store.count('companies'));
    const iso = await client.crm.companies.searchApi.doSearch({
      filterGroups: [
        {
          filters: [
            {
              propertyName: 'hs_lastmodifieddate',
              operator: FilterOperatorEnum.Gte,
              value: '2026-09-01T00:00:00.000Z',
            },
          ],
        },
      ],
      limit: 1,
    });
    const epoch = await client.crm.companies.searchApi.doSearch({
      filterGroups: [
        {
          filters: [
            {
              propertyName: 'hs_lastmodifieddate',
              operator: FilterOperatorEnum.Gte,
              value: String(Date.parse('2026-09-01T00:00:00Z')),
            },
          ],
        },
      ],
      limit: 1,
    });
    expect(iso.total).toBe(epoch.total);
  });

  it('sorts descending when asked, by date and by a number property', async () => {
    const byDate = await client.crm.deals.searchApi.doSearch({
      filterGroups: [],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'DESCENDING' }] as unknown as string[],
      limit: 50,
    });
    const stamps = byDate.results.map((deal) => Date.parse(deal.properties.hs_lastmodifieddate!));
    expect(stamps).toEqual([...stamps].sort((left, right) => right - left));
    const byAmount = await client.crm.deals.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'amount', operator: FilterOperatorEnum.HasProperty }] }],
      sorts: ['-amount'],
      properties: ['amount'],
      limit: 50,
    });
    const amounts = byAmount.results.map((deal) => Number(deal.properties.amount));
    expect(amounts).toEqual([...amounts].sort((left, right) => right - left));
    expect(amounts[0]).toBeGreaterThan(amounts[amounts.length - 1]!);
  });

  it('refuses a page size over 200', async () => {
    const error = await client.crm.deals.searchApi
      .doSearch({ filterGroups: [], limit: 201 })
      .catch((caught) => caught);
    expect(error.code).toBe(400);
  });

  it('pages at most 10,000 results deep: after=10000 answers 400, as HubSpot does', async () => {
    const large = await startHubSpotSandbox({ rateLimit: false });
    try {
      for (let index = 0; index < 10_050; index++)
        large.store.create('notes', { hs_note_body: `note ${index}` });
      const largeClient = new Client({
        accessToken: large.accessToken,
        basePath: large.url,
        numberOfApiCallRetries: 0,
      });
      const lastPage = await largeClient.crm.objects.searchApi.doSearch('notes', {
        filterGroups: [],
        limit: 200,
        after: '9800',
      });
      expect(lastPage.total).toBe(10_050);
      expect(lastPage.results).toHaveLength(200);
      expect(lastPage.paging?.next?.after).toBe('10000');
      const beyond = await largeClient.crm.objects.searchApi
        .doSearch('notes', { filterGroups: [], limit: 200, after: '10000' })
        .catch((caught) => caught);
      expect(beyond.code).toBe(400);
      const body = typeof beyond.body === 'string' ? JSON.parse(beyond.body) : beyond.body;
      expect(body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    } finally {
      await large.close();
    }
  });

  it('sees an edit made in the portal on the next search window', async () => {
    const id = sandbox.store.ids('deals')[0]!;
    const since = Date.now() + (now.getTime() - Date.now()) - 1;
    sandbox.store.update('deals', id, { amount: '123456' });
    const changed = await client.crm.deals.searchApi.doSearch({
      filterGroups: [
        {
          filters: [
            { propertyName: 'hs_lastmodifieddate', operator: FilterOperatorEnum.Gt, value: String(since) },
          ],
        },
      ],
      properties: ['amount'],
      limit: 10,
    });
    expect(changed.results.map((deal) => deal.id)).toContain(id);
    expect(changed.results.find((deal) => deal.id === id)!.properties.amount).toBe('123456');
  });

  it('answers a repeated query afresh after a change (no stale paging cache)', async () => {
    const query = {
      filterGroups: [
        { filters: [{ propertyName: 'amount', operator: FilterOperatorEnum.Eq, value: '777777' }] },
      ],
      limit: 10,
    };
    expect((await client.crm.deals.searchApi.doSearch(query)).total).toBe(0);
    const id = sandbox.store.ids('deals')[1]!;
    sandbox.store.update('deals', id, { amount: '777777' });
    const after = await client.crm.deals.searchApi.doSearch(query);
    expect(after.results.map((deal) => deal.id)).toEqual([id]);
  });
});
