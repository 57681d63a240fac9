import type { RecordByKind, RecordKind } from '@pulse/shared';
import type { z } from 'zod';

import {
  type Mapped,
  mapAccount,
  mapCase,
  mapContact,
  mapEvent,
  mapInvoice,
  mapOpportunity,
  mapSubscription,
  mapTask,
} from './mapper';
import {
  RawAccount,
  RawCase,
  RawContact,
  RawEvent,
  RawInvoice,
  RawOpportunity,
  RawSubscription,
  RawTask,
} from './raw-schemas';
import type { SoqlQuery } from './soql';

/**
 * Which sObjects feed each canonical record kind, with the filters that keep out records Pulse
 * cannot attach to an account. Engagements come from two objects (Task, then Event).
 */

export interface StreamObject<K extends RecordKind> {
  object: string;
  schema: z.ZodObject;
  map: (raw: never) => Mapped<Omit<RecordByKind[K], 'tenantId'>>;
  where: NonNullable<SoqlQuery['where']>;
}

const withAccount = (field: string) => ({ field, operator: '!=' as const, value: null });

export const streamObjects: { [K in RecordKind]: StreamObject<K>[] } = {
  accounts: [{ object: 'Account', schema: RawAccount, map: mapAccount, where: [] }],
  contacts: [{ object: 'Contact', schema: RawContact, map: mapContact, where: [withAccount('AccountId')] }],
  deals: [
    { object: 'Opportunity', schema: RawOpportunity, map: mapOpportunity, where: [withAccount('AccountId')] },
  ],
  tickets: [{ object: 'Case', schema: RawCase, map: mapCase, where: [withAccount('AccountId')] }],
  engagements: [
    {
      object: 'Task',
      schema: RawTask,
      map: mapTask,
      // Open tasks are to-dos (Pulse creates some itself), not customer engagement.
      where: [withAccount('AccountId'), { field: 'Status', operator: '=', value: 'Completed' }],
    },
    { object: 'Event', schema: RawEvent, map: mapEvent, where: [withAccount('AccountId')] },
  ],
  subscriptions: [
    {
      object: 'Pulse_Subscription__c',
      schema: RawSubscription,
      map: mapSubscription,
      where: [withAccount('Account__c')],
    },
  ],
  invoices: [
    { object: 'Pulse_Invoice__c', schema: RawInvoice, map: mapInvoice, where: [withAccount('Account__c')] },
  ],
};
