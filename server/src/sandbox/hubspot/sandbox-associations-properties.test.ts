import { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/companies/models/AssociationSpec';
import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyCreate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type HubSpotSandbox, startHubSpotSandbox } from './index';

// Integration: associations v4 and the properties API through the real client.
let sandbox: HubSpotSandbox;
let client: Client;

beforeAll(async () => {
  sandbox = await startHubSpotSandbox({
    accounts: 12,
    seed: 11,
    now: new Date('2026-11-01T00:00:00Z'),
    rateLimit: false,
  });
  client = new Client({ accessToken: sandbox.accessToken, basePath: sandbox.url, numberOfApiCallRetries: 0 });
});
afterAll(() => sandbox.close());

describe('associations v4', () => {
  it('batch-reads each company’s deals with HubSpot’s type ids, primary label included', async () => {
    const companyIds = sandbox.store.ids('companies');
    const read = await client.crm.associations.v4.batchApi.getPage('companies', 'deals', {
      inputs: companyIds.map((id) => ({ id })),
    });
    const dealCount = read.results.reduce((sum, result) => sum + result.to.length, 0);
    expect(dealCount).toBe(sandbox.store.count('deals'));
    const first = read.results[0]!;
    expect(companyIds).toContain(first._from.id);
    expect(first.to[0]!.associationTypes).toEqual(
      expect.arrayContaining([
        { category: 'HUBSPOT_DEFINED', typeId: 342, label: null },
        { category: 'HUBSPOT_DEFINED', typeId: 6, label: 'Primary' },
      ]),
    );
    // The demo deal maps back to the company it belongs to.
    const dealId = String(first.to[0]!.toObjectId);
    const back = await client.crm.associations.v4.batchApi.getPage('deals', 'companies', {
      inputs: [{ id: dealId }],
    });
    expect(String(back.results[0]!.to[0]!.toObjectId)).toBe(first._from.id);
  });

  it('takes up to 1,000 inputs and refuses 1,001 with a 400', async () => {
    const ids = Array.from({ length: 1000 }, (_, index) => ({ id: String(index + 1) }));
    const read = await client.crm.associations.v4.batchApi.getPage('companies', 'tickets', { inputs: ids });
    expect(read.status).toBe('COMPLETE');
    const error = await client.crm.associations.v4.batchApi
      .getPage('companies', 'tickets', { inputs: [...ids, { id: '1001' }] })
      .catch((caught) => caught);
    expect(error.code).toBe(400);
  });

  it('creates a default association with PUT and through a create payload', async () => {
    const companyId = sandbox.store.ids('companies')[0]!;
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'Pulse upsell', amount: '1200', dealstage: 'appointmentscheduled' },
      associations: [
        {
          to: { id: companyId },
          types: [
            {
              associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
              associationTypeId: 341,
            },
          ],
        },
      ],
    });
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: 'new@example.com' },
      associations: [],
    });
    await client.crm.associations.v4.basicApi.createDefault('contacts', contact.id, 'companies', companyId);
    const read = await client.crm.associations.v4.batchApi.getPage('companies', 'deals', {
      inputs: [{ id: companyId }],
    });
    expect(read.results[0]!.to.map((target) => String(target.toObjectId))).toContain(deal.id);
    const contacts = await client.crm.associations.v4.batchApi.getPage('companies', 'contacts', {
      inputs: [{ id: companyId }],
    });
    expect(contacts.results[0]!.to.map((target) => String(target.toObjectId))).toContain(contact.id);
  });
});

describe('Pulse writes', () => {
  it('creates a deal with the primary deal→company type and a task on the company, as Create Opportunity and alerts do', async () => {
    const companyId = sandbox.store.ids('companies')[3]!;
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'Upsell', amount: '14400', dealstage: 'appointmentscheduled' },
      associations: [
        {
          to: { id: companyId },
          types: [
            {
              associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
              associationTypeId: 5,
            },
          ],
        },
      ],
    });
    const dealToCompany = await client.crm.associations.v4.batchApi.getPage('deals', 'companies', {
      inputs: [{ id: deal.id }],
    });
    expect(dealToCompany.results[0]!.to[0]!.associationTypes).toEqual(
      expect.arrayContaining([
        { category: 'HUBSPOT_DEFINED', typeId: 341, label: null },
        { category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' },
      ]),
    );
    const task = await client.crm.objects.basicApi.create('tasks', {
      properties: {
        hs_timestamp: '2026-11-05T09:00:00.000Z',
        hs_task_subject: 'Health fell to Critical',
        hs_task_priority: 'HIGH',
        hs_task_status: 'NOT_STARTED',
      },
      associations: [
        {
          to: { id: companyId },
          types: [
            {
              associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
              associationTypeId: 192,
            },
          ],
        },
      ],
    });
    const companyTasks = await client.crm.associations.v4.batchApi.getPage('companies', 'tasks', {
      inputs: [{ id: companyId }],
    });
    expect(companyTasks.results[0]!.to.map((target) => String(target.toObjectId))).toEqual([task.id]);
  });
});

describe('properties', () => {
  it('creates the pulse group and a property once; a second create answers 409 like HubSpot', async () => {
    await client.crm.properties.groupsApi.create('companies', {
      name: 'pulse',
      label: 'Pulse',
      displayOrder: -1,
    });
    const duplicateGroup = await client.crm.properties.groupsApi
      .create('companies', { name: 'pulse', label: 'Pulse' })
      .catch((caught) => caught);
    expect(duplicateGroup.code).toBe(409);
    const input = {
      name: 'pulse_health_score',
      label: 'Pulse health score',
      type: PropertyCreateTypeEnum.Number,
      fieldType: PropertyCreateFieldTypeEnum.Number,
      groupName: 'pulse',
      description: 'Weighted 0-100 health score',
    };
    const created = await client.crm.properties.coreApi.create('companies', input);
    expect(created).toMatchObject({ name: 'pulse_health_score', groupName: 'pulse', type: 'number' });
    const duplicate = await client.crm.properties.coreApi
      .create('companies', input)
      .catch((caught) => caught);
    expect(duplicate.code).toBe(409);
    const body = typeof duplicate.body === 'string' ? JSON.parse(duplicate.body) : duplicate.body;
    expect(body).toMatchObject({ status: 'error', category: 'OBJECT_ALREADY_EXISTS' });

    const all = await client.crm.properties.coreApi.getAll('companies');
    expect(all.results.map((property) => property.name)).toContain('pulse_health_score');
    const groups = await client.crm.properties.groupsApi.getAll('companies');
    expect(groups.results.map((group) => group.name)).toContain('pulse');

    // Once defined, the property can be written.
    const id = sandbox.store.ids('companies')[1]!;
    await client.crm.companies.batchApi.update({
      inputs: [{ id, properties: { pulse_health_score: '77' } }],
    });
    expect(sandbox.store.get('companies', id)?.pulse_health_score).toBe('77');
  });

  it('reads and patches an enumeration’s options, then enforces them on writes', async () => {
    await client.crm.properties.coreApi.create('companies', {
      name: 'pulse_health_tier',
      label: 'Pulse health tier',
      type: PropertyCreateTypeEnum.Enumeration,
      fieldType: PropertyCreateFieldTypeEnum.Select,
      groupName: 'pulse',
      options: [{ label: 'Healthy', value: 'Healthy', displayOrder: 0, hidden: false }],
    });
    const patched = await client.crm.properties.coreApi.update('companies', 'pulse_health_tier', {
      options: ['Healthy', 'At Risk', 'Critical'].map((value, index) => ({
        label: value,
        value,
        displayOrder: index,
        hidden: false,
      })),
    });
    expect(patched.options.map((option) => option.value)).toEqual(['Healthy', 'At Risk', 'Critical']);
    const read = await client.crm.properties.coreApi.getByName('companies', 'pulse_health_tier');
    expect(read.options).toHaveLength(3);
    const id = sandbox.store.ids('companies')[2]!;
    const bad = await client.crm.companies.basicApi
      .update(id, { properties: { pulse_health_tier: 'Thriving' } })
      .catch((caught) => caught);
    expect(bad.code).toBe(400);
  });

  it('rejects a property in a group that does not exist, naming the group', async () => {
    const error = await client.crm.properties.coreApi
      .create('deals', {
        name: 'pulse_x',
        label: 'X',
        type: PropertyCreateTypeEnum.String,
        fieldType: PropertyCreateFieldTypeEnum.Text,
        groupName: 'nope',
      })
      .catch((caught) => caught);
    expect(error.code).toBe(400);
    expect(JSON.stringify(error.body)).toContain('nope');
  });
});
