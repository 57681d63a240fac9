import { factorPropertyName, pulsePropertyNames, salesforceFieldName } from '@pulse/shared';

import { CrmError, type EnsureFieldsInput } from '../adapter';
import type { SalesforceClient } from './client';

/**
 * Salesforce custom fields are metadata, deployed with the DX package in extension/salesforce
 * (`sf project deploy start`), together with the permission set that makes them visible to the
 * integration user. Pulse checks them through describe rather than creating them itself: a field
 * created over the API would be invisible until an admin grants field-level security anyway.
 */

export function requiredAccountFields(input: EnsureFieldsInput): string[] {
  return [
    ...pulsePropertyNames.map(salesforceFieldName),
    ...input.factors.map((factor) => salesforceFieldName(factorPropertyName(factor.key))),
  ];
}

export async function ensureAccountFields(client: SalesforceClient, input: EnsureFieldsInput) {
  const describe = await client.describe('Account');
  const present = new Set(describe.fields.map((field) => field.name.toLowerCase()));
  const required = requiredAccountFields(input);
  const missing = required.filter((name) => !present.has(name.toLowerCase()));
  if (missing.length > 0) {
    throw new CrmError(
      'INSUFFICIENT_SCOPE',
      `Salesforce Account is missing Pulse fields (or the integration user cannot see them): ${missing.join(', ')}. ` +
        'Deploy extension/salesforce with `sf project deploy start` and assign the Pulse permission set (docs/salesforce.md).',
      { details: { missing } },
    );
  }
  return { created: [], updated: [], existing: required };
}
