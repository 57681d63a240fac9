import type { CreateTaskInput, CrmAdapter, PropertyUpdate } from '../../server/src/crm/adapter';

/** A CRM adapter that records the tasks and property writes Pulse sends it. */
export interface FakeCrm {
  adapter: CrmAdapter;
  tasks: CreateTaskInput[];
  properties: PropertyUpdate[];
}

export function fakeCrm(): FakeCrm {
  const crm: FakeCrm = {
    tasks: [],
    properties: [],
    adapter: {
      crm: 'demo',
      kinds: [],
      externalId: async () => 'fake',
      fetchPage: async () => {
        throw new Error('not used');
      },
      listProducts: async () => [],
      ensureCustomFields: async () => ({ created: [], updated: [], existing: [] }),
      writeAccountProperties: async (updates) => {
        crm.properties.push(...updates);
        return { written: updates.length, failed: [] };
      },
      findOpenOpportunity: async () => null,
      createOpportunity: async () => ({ id: 'deal', url: null }),
      createTask: async (input) => {
        crm.tasks.push(input);
        return { id: `task-${crm.tasks.length}` };
      },
    },
  };
  return crm;
}
