import type { PropertyKind } from './default-properties';
import { type CanonicalPortfolio, mapPortfolioToHubSpot, type SeedOwner } from './demo-mapping';
import type { ObjectStore } from './object-store';

/** Loads canonical records (from the demo generator or any other source) into the portal. */

export interface LoadedPortfolio {
  /** `${objectType}|${canonicalId}` → HubSpot id, so tests can find a canonical record's object. */
  ids: Map<string, string>;
  owners: SeedOwner[];
}

function inferKind(value: string): PropertyKind {
  if (/^-?\d+(\.\d+)?$/.test(value)) return 'number';
  if (value === 'true' || value === 'false') return 'bool';
  return 'string';
}

export function loadPortfolio(
  store: ObjectStore,
  portfolio: CanonicalPortfolio,
  loaded: LoadedPortfolio = { ids: new Map(), owners: [] },
): LoadedPortfolio {
  const seed = mapPortfolioToHubSpot(portfolio);
  for (const object of seed.objects) {
    // Properties the mapping carries that the portal lacks (account attributes) become custom ones.
    for (const [name, value] of Object.entries(object.properties)) {
      if (!store.registry.get(object.type, name)) {
        const group = object.type === 'companies' ? 'companyinformation' : 'pulse_sandbox';
        store.registry.ensure(object.type, name, inferKind(value), group);
      }
    }
    const stored = store.insert(object.type, object.properties, {
      createdAt: object.createdAt,
      updatedAt: object.updatedAt,
    });
    loaded.ids.set(`${object.type}|${object.key}`, stored.id);
  }
  for (const association of seed.associations) {
    const fromId = loaded.ids.get(`${association.fromType}|${association.fromKey}`);
    const toId = loaded.ids.get(`${association.toType}|${association.toKey}`);
    if (!fromId || !toId) continue;
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
