/**
 * The HubSpot object types the sandbox serves, with HubSpot's object type ids and the association
 * type ids HubSpot defines between them.
 * https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide#association-type-id-values
 */

export const objectTypeNames = [
  'companies',
  'contacts',
  'deals',
  'tickets',
  'line_items',
  'products',
  'meetings',
  'calls',
  'emails',
  'notes',
  'invoices',
  'subscriptions',
  'tasks',
] as const;
export type ObjectTypeName = (typeof objectTypeNames)[number];

interface ObjectTypeInfo {
  objectTypeId: string;
  singular: string;
}

export const objectTypes: Record<ObjectTypeName, ObjectTypeInfo> = {
  contacts: { objectTypeId: '0-1', singular: 'contact' },
  companies: { objectTypeId: '0-2', singular: 'company' },
  deals: { objectTypeId: '0-3', singular: 'deal' },
  tickets: { objectTypeId: '0-5', singular: 'ticket' },
  products: { objectTypeId: '0-7', singular: 'product' },
  line_items: { objectTypeId: '0-8', singular: 'line_item' },
  notes: { objectTypeId: '0-46', singular: 'note' },
  meetings: { objectTypeId: '0-47', singular: 'meeting' },
  calls: { objectTypeId: '0-48', singular: 'call' },
  emails: { objectTypeId: '0-49', singular: 'email' },
  invoices: { objectTypeId: '0-53', singular: 'invoice' },
  subscriptions: { objectTypeId: '0-69', singular: 'subscription' },
  tasks: { objectTypeId: '0-27', singular: 'task' },
};

const aliases = new Map<string, ObjectTypeName>();
for (const name of objectTypeNames) {
  const info = objectTypes[name];
  aliases.set(name, name);
  aliases.set(info.singular, name);
  aliases.set(info.objectTypeId, name);
}

/** HubSpot accepts `companies`, `company` and `0-2` alike in paths; null when the type is unknown. */
export function resolveObjectType(value: string): ObjectTypeName | null {
  return aliases.get(value.toLowerCase()) ?? null;
}

export interface AssociationTypeIds {
  /** The unlabeled ("default") association type from → to. */
  unlabeled: number;
  /** The "Primary" label, where HubSpot defines one for this pair. */
  primary?: number;
}

/** HUBSPOT_DEFINED association type ids, keyed `from/to`. */
const associationTypeTable: Record<string, AssociationTypeIds> = {
  'contacts/companies': { unlabeled: 279, primary: 1 },
  'companies/contacts': { unlabeled: 280, primary: 2 },
  'deals/contacts': { unlabeled: 3 },
  'contacts/deals': { unlabeled: 4 },
  'deals/companies': { unlabeled: 341, primary: 5 },
  'companies/deals': { unlabeled: 342, primary: 6 },
  'tickets/contacts': { unlabeled: 16 },
  'contacts/tickets': { unlabeled: 15 },
  'tickets/companies': { unlabeled: 339, primary: 26 },
  'companies/tickets': { unlabeled: 340, primary: 25 },
  'deals/line_items': { unlabeled: 19 },
  'line_items/deals': { unlabeled: 20 },
  'calls/companies': { unlabeled: 182 },
  'companies/calls': { unlabeled: 181 },
  'emails/companies': { unlabeled: 186 },
  'companies/emails': { unlabeled: 185 },
  'meetings/companies': { unlabeled: 188 },
  'companies/meetings': { unlabeled: 187 },
  'notes/companies': { unlabeled: 190 },
  'companies/notes': { unlabeled: 189 },
  'calls/contacts': { unlabeled: 194 },
  'contacts/calls': { unlabeled: 193 },
  'emails/contacts': { unlabeled: 198 },
  'contacts/emails': { unlabeled: 197 },
  'meetings/contacts': { unlabeled: 200 },
  'contacts/meetings': { unlabeled: 199 },
  'notes/contacts': { unlabeled: 202 },
  'contacts/notes': { unlabeled: 201 },
  'invoices/companies': { unlabeled: 179 },
  'companies/invoices': { unlabeled: 180 },
  'invoices/contacts': { unlabeled: 177 },
  'contacts/invoices': { unlabeled: 178 },
  'subscriptions/companies': { unlabeled: 298 },
  'companies/subscriptions': { unlabeled: 297 },
  'subscriptions/contacts': { unlabeled: 296 },
  'contacts/subscriptions': { unlabeled: 295 },
  'tasks/companies': { unlabeled: 192 },
  'companies/tasks': { unlabeled: 191 },
  'tasks/contacts': { unlabeled: 204 },
  'contacts/tasks': { unlabeled: 203 },
  'tasks/deals': { unlabeled: 216 },
  'deals/tasks': { unlabeled: 215 },
};

/** Every pair's ids, computed once: seeding a large portal looks them up millions of times. Ids for a
 * pair HubSpot does not define are a stable made-up number (documented as a difference). */
const associationTypeIdsByPair = new Map<ObjectTypeName, Map<ObjectTypeName, AssociationTypeIds>>(
  objectTypeNames.map((from, fromIndex) => [
    from,
    new Map(
      objectTypeNames.map((to, toIndex) => [
        to,
        associationTypeTable[`${from}/${to}`] ?? { unlabeled: 10_000 + fromIndex * 100 + toIndex },
      ]),
    ),
  ]),
);

export function associationTypeIds(from: ObjectTypeName, to: ObjectTypeName): AssociationTypeIds {
  return associationTypeIdsByPair.get(from)!.get(to)!;
}
