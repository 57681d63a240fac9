import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CrmError } from '../../server/src/crm/adapter';
import { type SalesforceSandbox, startSalesforceSandbox } from '../../server/src/sandbox/salesforce/server';
import { adapterFor, testClock } from './helpers';

describe('Salesforce adapter: write-back, opportunities, tasks, products, fields', () => {
  let sandbox: SalesforceSandbox;

  beforeEach(async () => {
    sandbox = await startSalesforceSandbox({ accounts: 30, seed: 3, now: testClock().now });
  });
  afterEach(() => sandbox.close());

  it('writes Account fields in collections of 200, sending only the values it was given', async () => {
    await sandbox.close();
    sandbox = await startSalesforceSandbox({ accounts: 450, seed: 3, now: testClock().now });
    const accounts = sandbox.store.all('Account');
    expect(accounts.length).toBe(450);
    const before = sandbox.requests.length;
    const result = await adapterFor(sandbox).writeAccountProperties(
      accounts.map((account, index) => ({
        accountId: account.Id,
        values: (index === 0
          ? { pulse_health_score: 71, pulse_health_tier: 'Healthy' }
          : { pulse_churn_risk: index % 100 }) as Record<string, string | number>,
      })),
    );
    expect(result).toEqual({ written: 450, failed: [] });
    const calls = sandbox.requests.slice(before);
    expect(calls.map((call) => [call.kind, call.records])).toEqual([
      ['collection-update', 200],
      ['collection-update', 200],
      ['collection-update', 50],
    ]);
    const firstBody = calls[0]!.body as { records: Record<string, unknown>[] };
    expect(firstBody.records[0]).toEqual({
      attributes: { type: 'Account' },
      id: accounts[0]!.Id,
      Pulse_Health_Score__c: 71,
      Pulse_Health_Tier__c: 'Healthy',
    });
    expect(Object.keys(firstBody.records[1]!).sort()).toEqual(['Pulse_Churn_Risk__c', 'attributes', 'id']);
    expect(sandbox.store.get('Account', accounts[0]!.Id)?.Pulse_Health_Score__c).toBe(71);
    expect(sandbox.store.get('Account', accounts[0]!.Id)?.Name).toBe(accounts[0]!.Name);
  });

  it('makes no call for updates without values and reports per-record failures', async () => {
    const [account] = sandbox.store.all('Account');
    const before = sandbox.requests.length;
    expect(
      await adapterFor(sandbox).writeAccountProperties([{ accountId: account!.Id, values: {} }]),
    ).toEqual({
      written: 0,
      failed: [],
    });
    expect(sandbox.requests.length).toBe(before);

    const result = await adapterFor(sandbox).writeAccountProperties([
      { accountId: account!.Id, values: { pulse_health_score: 12 } },
      { accountId: '001000000000000XYZ', values: { pulse_health_score: 12 } },
      { accountId: account!.Id, values: { pulse_health_score: 'high' } },
    ]);
    expect(result.written).toBe(1);
    expect(result.failed).toHaveLength(2);
    expect(result.failed[0]).toMatchObject({
      id: '001000000000000XYZ',
      reason: expect.stringMatching(/NOT_FOUND/),
    });
    expect(result.failed[1]!.reason).toMatch(/Pulse_Health_Score__c/);
  });

  it('creates an Opportunity with its line item once per account and product, even on a double click', async () => {
    const adapter = adapterFor(sandbox);
    const [account] = sandbox.store.all('Account');
    const products = await adapter.listProducts();
    expect(products.find((product) => product.name === 'Analytics Add-on')?.monthlyPrice).toBe(450);
    // A product this account has no open opportunity for yet.
    const open = new Set(
      sandbox.store
        .all('Opportunity')
        .filter((opportunity) => opportunity.AccountId === account!.Id && !opportunity.IsClosed)
        .map((opportunity) => opportunity.Pulse_Product_Id__c),
    );
    const analytics = products.find((product) => product.active && !open.has(product.id))!;
    const input = {
      accountId: account!.Id,
      productId: analytics.id,
      productName: analytics.name,
      name: `${account!.Name} - ${analytics.name}`,
      amount: 5400,
      ownerId: null,
      pipeline: null,
      stage: 'Qualification',
      closeDate: '2026-12-31',
    };
    const [first, second] = await Promise.all([
      adapter.createOpportunity(input),
      adapter.createOpportunity(input),
    ]);
    const third = await adapter.createOpportunity(input);
    expect(second.id).toBe(first.id);
    expect(third.id).toBe(first.id);
    expect(first.url).toBe(`${sandbox.instanceUrl}/lightning/r/Opportunity/${first.id}/view`);
    const opportunity = sandbox.store.get('Opportunity', first.id)!;
    expect(opportunity).toMatchObject({ AccountId: account!.Id, StageName: 'Qualification', Amount: 5400 });
    const lines = sandbox.store.all('OpportunityLineItem').filter((line) => line.OpportunityId === first.id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ Product2Id: analytics.id, Quantity: 1, UnitPrice: 5400 });
    expect(await adapter.findOpenOpportunity(account!.Id, analytics.id)).toEqual(first);

    // Once that opportunity is closed, a new click starts a new one.
    sandbox.store.update('Opportunity', first.id, { StageName: 'Closed Won' });
    expect(await adapter.findOpenOpportunity(account!.Id, analytics.id)).toBeNull();
    expect((await adapter.createOpportunity(input)).id).not.toBe(first.id);
  });

  it('creates a CS task on the account', async () => {
    const [account] = sandbox.store.all('Account');
    const { id } = await adapterFor(sandbox).createTask({
      accountId: account!.Id,
      ownerId: null,
      subject: 'Renewal prep: 90 days',
      body: 'Review usage and book the QBR',
      dueDate: '2026-11-15',
      priority: 'medium',
    });
    expect(sandbox.store.get('Task', id)).toMatchObject({
      WhatId: account!.Id,
      AccountId: account!.Id,
      Priority: 'Normal',
      Status: 'Not Started',
      ActivityDate: '2026-11-15',
    });
    await expect(
      adapterFor(sandbox).createTask({
        accountId: account!.Id,
        ownerId: null,
        subject: 'x',
        body: '',
        dueDate: 'tomorrow',
        priority: 'low',
      }),
    ).rejects.toThrow(/dueDate must be YYYY-MM-DD/);
  });

  it('confirms the Pulse Account fields are deployed, or names the missing ones', async () => {
    const factors = [
      { key: 'payment', label: 'Payment' },
      { key: 'engagement', label: 'Engagement' },
    ];
    const result = await adapterFor(sandbox).ensureCustomFields({ tierLabels: ['Healthy'], factors });
    expect(result.existing).toContain('Pulse_Health_Score__c');
    expect(result.existing).toContain('Pulse_Factor_Payment__c');

    const error = await adapterFor(sandbox)
      .ensureCustomFields({ tierLabels: [], factors: [{ key: 'csat', label: 'CSAT' }] })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(CrmError);
    expect(error.code).toBe('INSUFFICIENT_SCOPE');
    expect(error.message).toMatch(/Pulse_Factor_Csat__c/);
    expect(error.message).toMatch(/sf project deploy start/);
  });

  it('reports the org id', async () => {
    expect(await adapterFor(sandbox).externalId()).toBe(sandbox.store.orgId);
  });
});
