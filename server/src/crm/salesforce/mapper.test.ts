import { describe, expect, it } from 'vitest';

import {
  accountAttributes,
  isoInstant,
  mapAccount,
  mapCase,
  mapInvoice,
  mapOpportunity,
  mapTask,
  websiteDomain,
} from './mapper';
import { RawAccount } from './raw-schemas';

const stamp = '2026-05-06T07:08:09.000+0000';

describe('Salesforce -> canonical mapper', () => {
  it('maps an Account with its owner, custom inputs and a normalised timestamp', () => {
    const raw = RawAccount.parse({
      Id: '001A',
      SystemModstamp: stamp,
      Name: 'Acme',
      Website: 'https://www.Acme.com/about',
      Industry: 'Retail',
      NumberOfEmployees: 120,
      AnnualRevenue: 5_000_000,
      Previous_Annual_Revenue__c: 4_000_000,
      OwnerId: '005A',
      Owner: { Name: 'Ava Thompson', Email: 'ava@example.com' },
      Region__c: 'EMEA',
      Customer_Since__c: '2024-02-01',
      CS_Opt_Out__c: true,
    });
    expect(mapAccount(raw)).toEqual({
      ok: true,
      record: {
        id: '001A',
        name: 'Acme',
        domain: 'acme.com',
        industry: 'Retail',
        employees: 120,
        annualRevenue: 5_000_000,
        previousAnnualRevenue: 4_000_000,
        ownerId: '005A',
        ownerName: 'Ava Thompson',
        ownerEmail: 'ava@example.com',
        region: 'EMEA',
        customerSince: '2024-02-01',
        csOptOut: true,
        attributes: {},
        updatedAt: '2026-05-06T07:08:09.000Z',
      },
    });
  });

  it('treats fields hidden by field-level security (absent) as unknown, not zero', () => {
    const mapped = mapAccount(RawAccount.parse({ Id: '001B', SystemModstamp: stamp }));
    expect(mapped.ok && mapped.record).toMatchObject({
      name: '',
      employees: null,
      annualRevenue: null,
      csOptOut: false,
    });
  });

  it('derives deal status from IsWon/IsClosed and type from the standard picklist', () => {
    const base = { Id: '006A', SystemModstamp: stamp, AccountId: '001A', StageName: 'Closed Lost' };
    expect(mapOpportunity({ ...base, IsClosed: true, IsWon: false, Type: 'Renewal' })).toMatchObject({
      record: { status: 'lost', type: 'renewal', stage: 'Closed Lost' },
    });
    expect(
      mapOpportunity({ ...base, IsClosed: true, IsWon: true, Type: 'Existing Customer - Upgrade' }),
    ).toMatchObject({
      record: { status: 'won', type: 'expansion' },
    });
    expect(mapOpportunity({ ...base, AccountId: null })).toEqual({
      ok: false,
      reason: 'Opportunity has no AccountId',
    });
  });

  it('maps Case status, priority, escalation and sentiment', () => {
    const mapped = mapCase({
      Id: '500A',
      SystemModstamp: stamp,
      AccountId: '001A',
      Subject: 'Login broken',
      Status: 'Waiting on Customer',
      Priority: 'Critical',
      IsClosed: false,
      CreatedDate: '2026-05-01T00:00:00.000+0000',
      IsEscalated: true,
      Sentiment__c: 'negative',
    });
    expect(mapped).toMatchObject({
      ok: true,
      record: {
        status: 'pending',
        priority: 'urgent',
        escalated: true,
        sentiment: 'negative',
        closedAt: null,
      },
    });
  });

  it('dates a Task by completion, then activity date, and keeps only contact WhoIds', () => {
    const task = { Id: '00TA', SystemModstamp: stamp, AccountId: '001A', TaskSubtype: 'Call' };
    expect(mapTask({ ...task, ActivityDate: '2026-04-01', WhoId: '00QLead' })).toMatchObject({
      record: { type: 'call', occurredAt: '2026-04-01T00:00:00.000Z', contactId: null },
    });
    expect(
      mapTask({ ...task, CompletedDateTime: '2026-04-02T10:00:00.000+0200', WhoId: '003C' }),
    ).toMatchObject({
      record: { occurredAt: '2026-04-02T08:00:00.000Z', contactId: '003C' },
    });
  });

  it('rejects an invoice whose status it cannot interpret, naming the field', () => {
    expect(
      mapInvoice({
        Id: 'a0I1',
        SystemModstamp: stamp,
        Account__c: '001A',
        Amount__c: 10,
        Issued_On__c: '2026-01-01',
        Due_Date__c: '2026-01-31',
        Status__c: 'Disputed',
      }),
    ).toEqual({ ok: false, reason: 'Pulse_Invoice__c has an unknown Status__c: "Disputed"' });
  });

  it('copies extra Account fields into attributes under HubSpot-style keys', () => {
    expect(
      accountAttributes({ NPS__c: 42, Type: 'Customer', Is_Strategic__c: true, Owner: { Name: 'x' } }, [
        'NPS__c',
        'Type',
        'Is_Strategic__c',
        'Owner',
        'Missing__c',
      ]),
    ).toEqual({ nps: 42, type: 'Customer', is_strategic: true, owner: null, missing: null });
  });

  it('normalises Salesforce timestamps and websites', () => {
    expect(isoInstant('2026-01-02T03:04:05.000-0130')).toBe('2026-01-02T04:34:05.000Z');
    expect(isoInstant('garbage')).toBeNull();
    expect(websiteDomain('acme.io')).toBe('acme.io');
    expect(websiteDomain('  ')).toBeNull();
  });
});
