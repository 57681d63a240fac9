import { salesforceFieldName } from '@pulse/shared';

import type { PropertyUpdate, RejectedRecord } from '../adapter';
import type { SalesforceClient } from './client';
import { COLLECTION_SIZE } from './constants';

/**
 * Account write-back through sObject Collections: up to 200 Accounts per PATCH, allOrNone false so
 * one bad record does not sink its 199 neighbours. The caller passes only changed values; an
 * update with nothing in it costs no call.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_update.htm
 */

/** `pulse_health_score` -> `Pulse_Health_Score__c`; names already in Salesforce form pass through. */
export function accountFieldName(property: string): string {
  return property.endsWith('__c') ? property : salesforceFieldName(property);
}

export async function writeAccountProperties(
  client: SalesforceClient,
  updates: PropertyUpdate[],
): Promise<{ written: number; failed: RejectedRecord[] }> {
  const records = updates
    .filter((update) => Object.keys(update.values).length > 0)
    .map((update) => ({
      attributes: { type: 'Account' },
      id: update.accountId,
      ...Object.fromEntries(
        Object.entries(update.values).map(([name, value]) => [accountFieldName(name), value]),
      ),
    }));
  let written = 0;
  const failed: RejectedRecord[] = [];
  for (let start = 0; start < records.length; start += COLLECTION_SIZE) {
    const batch = records.slice(start, start + COLLECTION_SIZE);
    const results = await client.collection('PATCH', batch);
    results.forEach((result, index) => {
      if (result.success) {
        written += 1;
        return;
      }
      const reason = result.errors
        .map(
          (error) =>
            `${error.statusCode ?? 'ERROR'}: ${error.message ?? ''}${error.fields?.length ? ` (${error.fields.join(', ')})` : ''}`,
        )
        .join('; ');
      failed.push({ id: result.id ?? batch[index]?.id ?? null, reason });
    });
  }
  return { written, failed };
}
