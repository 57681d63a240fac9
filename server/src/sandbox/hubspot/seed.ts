import type { PropertyKind } from './default-properties';
import {
  type CanonicalPortfolio,
  engagementObjectTypes,
  mapPortfolioToHubSpot,
  type SeedOwner,
} from './demo-mapping';
import type { ObjectStore } from './object-store';
import { type ObjectTypeName, objectTypeNames } from './object-types';

/** Loads canonical records (from the demo generator or any other source) into the portal. */

export interface LoadedPortfolio {
  /** Per object type: canonical id → HubSpot id, so tests can find a canonical record's object. */
  ids: Map<ObjectTypeName, Map<string, string>>;
  owners: SeedOwner[];
}

export function emptyLoadedPortfolio(): LoadedPortfolio {
  return { ids: new Map(objectTypeNames.map((type) => [type, new Map()])), owners: [] };
}

function inferKind(value: string): PropertyKind {
  if (/^-?\d+(\.\d+)?$/.test(value)) return 'number';
  if (value === 'true' || value === 'false') return 'bool';
  return 'string';
}

export function loadPortfolio(
  store: ObjectStore,
  portfolio: CanonicalPortfolio,
  loaded: LoadedPortfolio = emptyLoadedPortfolio(),
  /** Object types to seed (companies and products always are); default all. */
  types: readonly ObjectTypeName[] = objectTypeNames,
): LoadedPortfolio {
  const wanted = new Set<ObjectTypeName>([...types, 'companies', 'products']);
  // Drop unwanted kinds before mapping: a benchmark portal skips ~500k engagements and invoices.
  const engagementTypes = new Set(Object.values(engagementObjectTypes));
  const seed = mapPortfolioToHubSpot({
    accounts: portfolio.accounts,
    products: portfolio.products,
    contacts: wanted.has('contacts') ? portfolio.contacts : [],
    deals: wanted.has('deals') ? portfolio.deals : [],
    tickets: wanted.has('tickets') ? portfolio.tickets : [],
    engagements: [...engagementTypes].some((type) => wanted.has(type))
      ? (portfolio.engagements ?? []).filter((engagement) =>
          wanted.has(engagementObjectTypes[engagement.type]),
        )
      : [],
    subscriptions: wanted.has('subscriptions') ? portfolio.subscriptions : [],
    invoices: wanted.has('invoices') ? portfolio.invoices : [],
  });
  const checked = new Map<ObjectTypeName, Set<string>>(objectTypeNames.map((type) => [type, new Set()]));
  for (const object of seed.objects) {
    if (!wanted.has(object.type)) continue;
    // Properties the mapping carries that the portal lacks (account attributes) become custom ones.
    const checkedNames = checked.get(object.type)!;
    for (const name in object.properties) {
      if (checkedNames.has(name)) continue;
      checkedNames.add(name);
      if (!store.registry.get(object.type, name)) {
        const group = object.type === 'companies' ? 'companyinformation' : 'pulse_sandbox';
        store.registry.ensure(object.type, name, inferKind(object.properties[name]!), group);
      }
    }
    const stored = store.insert(object.type, object.properties, {
      createdAt: object.createdAt,
      updatedAt: object.updatedAt,
      adopt: true,
    });
    loaded.ids.get(object.type)!.set(object.key, stored.id);
  }
  for (const association of seed.associations) {
    const fromId = loaded.ids.get(association.fromType)!.get(association.fromKey);
    const toId = loaded.ids.get(association.toType)!.get(association.toKey);
    if (!fromId || !toId || !wanted.has(association.fromType) || !wanted.has(association.toType)) continue;
    store.associate(association.fromType, fromId, association.toType, toId, association.primary);
    if (association.fromType === 'contacts' && association.toType === 'companies' && association.primary) {
      // HubSpot mirrors a contact's primary company into this property.
      store.get('contacts', fromId).properties.associatedcompanyid = toId;
    }
  }
  const known = new Set(loaded.owners.map((owner) => owner.id));
  for (const owner of seed.owners) if (!known.has(owner.id)) loaded.owners.push(owner);
  return loaded;
}
