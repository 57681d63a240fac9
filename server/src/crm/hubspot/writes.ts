import { type PulsePropertyName, pulsePropertyDefinitions } from '@pulse/shared';
import { z } from 'zod';

import type { CreateOpportunityInput, CreateTaskInput, PropertyUpdate, RejectedRecord } from '../adapter';
import { associationTypeIds, BATCH_SIZE, RECOMMENDATION_KEY_PROPERTY } from './constants';
import { RawBatchResult, RawObject, RawObjectPage } from './raw-schemas';
import type { HubSpotTransport } from './transport';

/** Company property write-back, Pulse-created deals and tasks. */

/**
 * HubSpot wants strings: numbers as decimals, date properties as midnight-UTC epoch milliseconds,
 * date-times as epoch milliseconds, and '' to clear a value.
 * https://developers.hubspot.com/docs/api/faq#how-should-timestamps-be-formatted-for-hubspot-s-apis
 */
export function toHubSpotValue(name: string, value: string | number | null): string {
  if (value === null) return '';
  const type = pulsePropertyDefinitions[name as PulsePropertyName]?.type;
  if ((type === 'date' || type === 'datetime') && typeof value === 'string') {
    const milliseconds = Date.parse(type === 'date' ? `${value.slice(0, 10)}T00:00:00.000Z` : value);
    if (Number.isFinite(milliseconds)) return String(milliseconds);
  }
  return String(value);
}

export async function writeCompanyProperties(
  transport: HubSpotTransport,
  updates: PropertyUpdate[],
): Promise<{ written: number; failed: RejectedRecord[] }> {
  let written = 0;
  const failed: RejectedRecord[] = [];
  for (let start = 0; start < updates.length; start += BATCH_SIZE) {
    const chunk = updates.slice(start, start + BATCH_SIZE);
    const inputs = chunk.map((update) => ({
      id: update.accountId,
      properties: Object.fromEntries(
        Object.entries(update.values).map(([name, value]) => [name, toHubSpotValue(name, value)]),
      ),
    }));
    const body = await transport.request(
      { method: 'POST', path: '/crm/v3/objects/companies/batch/update', body: { inputs } },
      RawBatchResult,
    );
    const failedIds = new Set<string>();
    for (const error of body.errors ?? []) {
      for (const id of error.context?.ids ?? []) {
        failedIds.add(id);
        failed.push({ id, reason: error.message ?? error.category ?? 'rejected by HubSpot' });
      }
    }
    written += chunk.filter((update) => !failedIds.has(update.accountId)).length;
  }
  return { written, failed };
}

const closedStages = new Set(['closedwon', 'closedlost']);

export async function findPulseDeal(
  transport: HubSpotTransport,
  accountId: string,
  productId: string,
): Promise<RawObject | null> {
  const page = await transport.request(
    {
      method: 'POST',
      path: '/crm/v3/objects/deals/search',
      body: {
        filterGroups: [
          {
            filters: [
              {
                propertyName: RECOMMENDATION_KEY_PROPERTY,
                operator: 'EQ',
                value: `${accountId}:${productId}`,
              },
            ],
          },
        ],
        properties: ['dealname', 'dealstage', 'hs_is_closed', RECOMMENDATION_KEY_PROPERTY],
        limit: 10,
      },
    },
    RawObjectPage,
  );
  for (const result of page.results) {
    const parsed = RawObject.safeParse(result);
    if (!parsed.success) continue;
    const { properties } = parsed.data;
    if (properties.hs_is_closed === 'true' || closedStages.has(properties.dealstage ?? '')) continue;
    return parsed.data;
  }
  return null;
}

export async function createDeal(
  transport: HubSpotTransport,
  input: CreateOpportunityInput,
): Promise<string> {
  const properties: Record<string, string> = {
    dealname: input.name,
    amount: String(input.amount),
    closedate: toHubSpotValue('pulse_next_renewal_date', input.closeDate),
    pulse_product_id: input.productId,
    [RECOMMENDATION_KEY_PROPERTY]: `${input.accountId}:${input.productId}`,
  };
  if (input.pipeline) properties.pipeline = input.pipeline;
  if (input.stage) properties.dealstage = input.stage;
  if (input.ownerId) properties.hubspot_owner_id = input.ownerId;
  const created = await transport.request(
    {
      method: 'POST',
      path: '/crm/v3/objects/deals',
      body: {
        properties,
        associations: [
          {
            to: { id: input.accountId },
            types: [
              { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: associationTypeIds.dealToCompany },
            ],
          },
        ],
      },
    },
    z.object({ id: z.string() }).loose(),
  );
  return created.id;
}

export async function createCompanyTask(
  transport: HubSpotTransport,
  input: CreateTaskInput,
): Promise<string> {
  const properties: Record<string, string> = {
    hs_timestamp: toHubSpotValue('pulse_scored_at', input.dueDate),
    hs_task_subject: input.subject,
    hs_task_body: input.body,
    hs_task_priority: input.priority.toUpperCase(),
    hs_task_status: 'NOT_STARTED',
  };
  if (input.ownerId) properties.hubspot_owner_id = input.ownerId;
  const created = await transport.request(
    {
      method: 'POST',
      path: '/crm/v3/objects/tasks',
      body: {
        properties,
        associations: [
          {
            to: { id: input.accountId },
            types: [
              { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: associationTypeIds.taskToCompany },
            ],
          },
        ],
      },
    },
    z.object({ id: z.string() }).loose(),
  );
  return created.id;
}
