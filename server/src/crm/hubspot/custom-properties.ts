import {
  factorPropertyName,
  HUBSPOT_PROPERTY_GROUP,
  type PropertyType,
  pulsePropertyDefinitions,
  pulsePropertyNames,
} from '@pulse/shared';
import { z } from 'zod';

import type { EnsureFieldsInput } from '../adapter';
import { RECOMMENDATION_KEY_PROPERTY } from './constants';
import { type RawProperty, RawPropertyGroupList, RawPropertyList } from './raw-schemas';
import type { HubSpotTransport } from './transport';

/**
 * The `pulse` property group and every property of the public contract (PRODUCT.md), created when
 * missing and updated when the tier options or a factor label changed. Idempotent: a second run
 * only reads. https://developers.hubspot.com/docs/api/crm/properties
 */

interface DesiredProperty {
  objectType: 'companies' | 'deals';
  name: string;
  label: string;
  description: string;
  type: PropertyType;
  options?: { label: string; value: string; displayOrder: number }[];
}

const hubspotTypes: Record<PropertyType, { type: string; fieldType: string }> = {
  number: { type: 'number', fieldType: 'number' },
  enumeration: { type: 'enumeration', fieldType: 'select' },
  string: { type: 'string', fieldType: 'text' },
  date: { type: 'date', fieldType: 'date' },
  datetime: { type: 'datetime', fieldType: 'date' },
};

export function desiredProperties(input: EnsureFieldsInput): DesiredProperty[] {
  const company = pulsePropertyNames.map((name): DesiredProperty => {
    const definition = pulsePropertyDefinitions[name];
    const property: DesiredProperty = { objectType: 'companies', name, ...definition };
    if (name === 'pulse_health_tier') {
      // Option values are the tier labels, so workflows read the same words the card shows.
      property.options = input.tierLabels.map((label, index) => ({
        label,
        value: label,
        displayOrder: index,
      }));
    }
    return property;
  });
  const factors = input.factors.map(
    (factor): DesiredProperty => ({
      objectType: 'companies',
      name: factorPropertyName(factor.key),
      label: `Pulse factor: ${factor.label}`,
      description: `Health factor "${factor.label}" (0-100)`,
      type: 'number',
    }),
  );
  const deal: DesiredProperty = {
    objectType: 'deals',
    name: RECOMMENDATION_KEY_PROPERTY,
    label: 'Pulse recommendation key',
    description:
      'Set on deals Pulse created: <account id>:<product id>, so a second click finds the first deal',
    type: 'string',
  };
  return [...company, ...factors, deal];
}

const sameOptions = (existing: RawProperty, desired: DesiredProperty) =>
  JSON.stringify((existing.options ?? []).map((option) => [option.label, option.value])) ===
  JSON.stringify((desired.options ?? []).map((option) => [option.label, option.value]));

export async function ensureCustomProperties(
  transport: HubSpotTransport,
  input: EnsureFieldsInput,
): Promise<{ created: string[]; updated: string[]; existing: string[] }> {
  const result = { created: [] as string[], updated: [] as string[], existing: [] as string[] };
  const desired = desiredProperties(input);
  for (const objectType of ['companies', 'deals'] as const) {
    const groups = await transport.request(
      { method: 'GET', path: `/crm/v3/properties/${objectType}/groups` },
      RawPropertyGroupList,
    );
    if (!groups.results.some((group) => group.name === HUBSPOT_PROPERTY_GROUP)) {
      await transport.request(
        {
          method: 'POST',
          path: `/crm/v3/properties/${objectType}/groups`,
          body: { name: HUBSPOT_PROPERTY_GROUP, label: 'Pulse', displayOrder: -1 },
        },
        z.unknown(),
      );
      result.created.push(`${objectType}:group:${HUBSPOT_PROPERTY_GROUP}`);
    }
    const existing = await transport.request(
      { method: 'GET', path: `/crm/v3/properties/${objectType}` },
      RawPropertyList,
    );
    const byName = new Map(existing.results.map((property) => [property.name, property]));
    for (const property of desired.filter((candidate) => candidate.objectType === objectType)) {
      const current = byName.get(property.name);
      const types = hubspotTypes[property.type];
      if (!current) {
        await transport.request(
          {
            method: 'POST',
            path: `/crm/v3/properties/${objectType}`,
            body: {
              name: property.name,
              label: property.label,
              description: property.description,
              groupName: HUBSPOT_PROPERTY_GROUP,
              ...types,
              ...(property.options ? { options: property.options } : {}),
            },
          },
          z.unknown(),
        );
        result.created.push(property.name);
      } else if (current.label !== property.label || (property.options && !sameOptions(current, property))) {
        await transport.request(
          {
            method: 'PATCH',
            path: `/crm/v3/properties/${objectType}/${property.name}`,
            body: { label: property.label, ...(property.options ? { options: property.options } : {}) },
          },
          z.unknown(),
        );
        result.updated.push(property.name);
      } else {
        result.existing.push(property.name);
      }
    }
  }
  return result;
}
