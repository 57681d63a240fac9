import { generatePortfolio } from '@pulse/shared/demo/index';
import { describe, expect, it } from 'vitest';

import { customPropertyNames, mapPortfolioToHubSpot } from './demo-mapping';

const portfolio = generatePortfolio({
  seed: 21,
  accounts: 25,
  tenantId: 'demo',
  now: new Date('2026-11-01T00:00:00Z'),
  usageDays: 0,
});
const seed = mapPortfolioToHubSpot(portfolio);

describe('canonical → HubSpot mapping', () => {
  it('creates one HubSpot object per canonical record, engagements split by type', () => {
    const count = (type: string) => seed.objects.filter((object) => object.type === type).length;
    expect(count('companies')).toBe(portfolio.accounts.length);
    expect(count('deals')).toBe(portfolio.deals.length);
    expect(count('tickets')).toBe(portfolio.tickets.length);
    expect(count('contacts')).toBe(portfolio.contacts.length);
    expect(count('invoices')).toBe(portfolio.invoices.length);
    expect(count('subscriptions')).toBe(portfolio.subscriptions.length);
    expect(count('meetings') + count('calls') + count('emails') + count('notes')).toBe(
      portfolio.engagements.length,
    );
    expect(count('products')).toBe(portfolio.products.length);
  });

  it('maps company firmographics to standard properties and the rest to the documented custom ones', () => {
    const account = portfolio.accounts[0]!;
    const company = seed.objects.find((object) => object.key === account.id)!;
    expect(company.properties.name).toBe(account.name);
    expect(company.properties.hubspot_owner_id).toBe(account.ownerId);
    expect(company.properties.country).toBe(account.region);
    expect(company.properties[customPropertyNames.companies.csOptOut]).toBe(String(account.csOptOut));
    expect(company.updatedAt).toBe(account.updatedAt);
  });

  it('maps deal status to closedwon/closedlost and open stages to slugs', () => {
    for (const deal of portfolio.deals) {
      const object = seed.objects.find((candidate) => candidate.key === deal.id)!;
      const stage = object.properties.dealstage;
      if (deal.status === 'won') expect(stage).toBe('closedwon');
      else if (deal.status === 'lost') expect(stage).toBe('closedlost');
      else expect(stage).toMatch(/^[a-z0-9]+$/);
      expect(object.properties.closedate ?? null).toBe(
        deal.closeDate ? `${deal.closeDate}T00:00:00.000Z` : null,
      );
    }
  });

  it('associates every child record with its account, with the primary label for contacts, deals and tickets', () => {
    const deal = portfolio.deals[0]!;
    expect(seed.associations).toContainEqual({
      fromType: 'deals',
      fromKey: deal.id,
      toType: 'companies',
      toKey: deal.accountId,
      primary: true,
    });
    const qbr = portfolio.engagements.find((engagement) => engagement.isQbr);
    if (qbr) {
      const meeting = seed.objects.find((object) => object.key === qbr.id)!;
      expect(meeting.type).toBe('meetings');
      expect(meeting.properties.hs_activity_type).toBe('QBR');
    }
  });

  it('collects each distinct account owner once', () => {
    const ownerIds = new Set(portfolio.accounts.map((account) => account.ownerId).filter(Boolean));
    expect(seed.owners.map((owner) => owner.id).sort()).toEqual([...ownerIds].sort());
  });
});
