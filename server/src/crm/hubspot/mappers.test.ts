import { describe, expect, it } from 'vitest';

import { type MapContext, mapRecord, mergedObjectIds, toCalendarDate, toInstant } from './mappers';
import type { RawObject } from './raw-schemas';

const context: MapContext = {
  tenantId: 'hubspot:42',
  accountId: '9001',
  owners: new Map([['77', { name: 'Ada Lovelace', email: 'ada@example.com' }]]),
  attributeProperties: ['plan', 'nps'],
  now: new Date('2026-11-22T12:00:00Z'),
};

const raw = (id: string, properties: Record<string, string | null>): RawObject => ({
  id,
  properties: { hs_lastmodifieddate: '2026-11-20T10:00:00.000Z', ...properties },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
  archived: false,
});

describe('HubSpot → canonical mappers', () => {
  it('maps a company with owner, firmographics and attributes', () => {
    const result = mapRecord(
      'accounts',
      'companies',
      raw('9001', {
        name: 'Acme',
        domain: 'acme.example',
        numberofemployees: '250',
        annualrevenue: '1200000.5',
        hubspot_owner_id: '77',
        country: 'Germany',
        hs_lifecyclestage_customer_date: '2024-03-01T00:00:00.000Z',
        pulse_cs_opt_out: 'true',
        plan: 'enterprise',
        nps: '42',
      }),
      { ...context, accountId: '9001' },
    );
    expect(result).toEqual({
      ok: true,
      record: expect.objectContaining({
        id: '9001',
        name: 'Acme',
        employees: 250,
        annualRevenue: 1200000.5,
        ownerName: 'Ada Lovelace',
        ownerEmail: 'ada@example.com',
        region: 'Germany',
        customerSince: '2024-03-01',
        csOptOut: true,
        attributes: { plan: 'enterprise', nps: 42 },
        updatedAt: '2026-11-20T10:00:00.000Z',
      }),
    });
  });

  it('maps deal stages to won/lost/open and HubSpot deal types to canonical ones', () => {
    const won = mapRecord(
      'deals',
      'deals',
      raw('1', {
        dealname: 'Renewal 2027',
        dealstage: 'closedwon',
        dealtype: 'renewal',
        amount: '5000',
        closedate: '1767225600000',
      }),
      context,
    );
    expect(won).toMatchObject({
      ok: true,
      record: { status: 'won', type: 'renewal', amount: 5000, closeDate: '2026-01-01', accountId: '9001' },
    });
    const open = mapRecord(
      'deals',
      'deals',
      raw('2', { dealname: 'Upsell', dealstage: 'appointmentscheduled', dealtype: 'existingbusiness' }),
      context,
    );
    expect(open).toMatchObject({
      ok: true,
      record: { status: 'open', type: 'expansion', stage: 'appointmentscheduled' },
    });
  });

  it('maps ticket pipeline stages, priority and sentiment', () => {
    const ticket = mapRecord(
      'tickets',
      'tickets',
      raw('5', {
        subject: 'Login broken',
        hs_pipeline_stage: '4',
        hs_ticket_priority: 'HIGH',
        closed_date: '2026-11-01T09:00:00Z',
        pulse_sentiment: 'negative',
        pulse_escalated: 'true',
        createdate: '2026-10-30T08:00:00Z',
      }),
      context,
    );
    expect(ticket).toMatchObject({
      ok: true,
      record: {
        status: 'closed',
        priority: 'high',
        sentiment: 'negative',
        escalated: true,
        openedAt: '2026-10-30T08:00:00.000Z',
        closedAt: '2026-11-01T09:00:00.000Z',
      },
    });
  });

  it('an open invoice past its due date is overdue; a QBR meeting is flagged', () => {
    expect(
      mapRecord(
        'invoices',
        'invoices',
        raw('8', {
          hs_amount_billed: '900',
          hs_invoice_date: '2026-10-01',
          hs_due_date: '2026-10-31',
          hs_invoice_status: 'open',
        }),
        context,
      ),
    ).toMatchObject({ ok: true, record: { status: 'overdue' } });
    expect(
      mapRecord(
        'engagements',
        'meetings',
        raw('9', { hs_timestamp: '2026-11-02T10:00:00Z', hs_activity_type: 'QBR' }),
        { ...context, contactId: '33' },
      ),
    ).toMatchObject({ ok: true, record: { type: 'meeting', isQbr: true, contactId: '33' } });
  });

  it('rejects a record whose values do not parse, naming the property, instead of storing nulls', () => {
    const result = mapRecord(
      'deals',
      'deals',
      raw('3', { dealname: 'X', dealstage: 'open', amount: 'ten thousand' }),
      context,
    );
    expect(result).toEqual({ ok: false, reason: 'invalid deals 3: amount: "ten thousand" is not a number' });
    const ticket = mapRecord(
      'tickets',
      'tickets',
      raw('4', { subject: 'Y', closed_date: 'not-a-date' }),
      context,
    );
    expect(ticket).toMatchObject({ ok: false, reason: expect.stringContaining('closed_date') });
  });

  it('rejects a child without a company', () => {
    expect(
      mapRecord('deals', 'deals', raw('6', { dealname: 'Orphan' }), { ...context, accountId: null }),
    ).toEqual({ ok: false, reason: 'deals 6: no associated company' });
  });

  it('reads merged ids and HubSpot date formats', () => {
    expect(mergedObjectIds(raw('10', { hs_merged_object_ids: '11;12;10' }))).toEqual(['11', '12']);
    expect(toInstant('1767225600000')).toBe('2026-01-01T00:00:00.000Z');
    expect(toCalendarDate('2026-02-30')).toBeNull();
    expect(toCalendarDate('2026-02-03T00:00:00Z')).toBe('2026-02-03');
  });
});
