import { fieldErrors } from '@pulse/shared/api/contract';
import type { Express } from 'express';
import { z } from 'zod';

import type { AppContext } from '../context';
import { ApiError } from '../http/errors';
import { hubspotClientSecret, signedUri } from '../hubspot-app/signed-request';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyHubSpotSignatureV3 } from '../security/hubspot-signature';
import { queueRescore, tenantIdFor } from '../store/records';
import { createFollowUp, type FollowUp } from './follow-up';

/**
 * POST /webhooks/hubspot: HubSpot's batched change events (signature v3 verified). Company, deal,
 * ticket and contact events queue their account for re-scoring; a debounced follow-up syncs what
 * changed, re-scores and writes back, so the CRM shows the new score within minutes.
 * https://developers.hubspot.com/docs/api/webhooks
 */

const WebhookEvent = z
  .object({
    objectId: z.union([z.number(), z.string()]).transform(String),
    portalId: z.union([z.number(), z.string()]).transform(String),
    subscriptionType: z.string(),
    occurredAt: z.number().nullish(),
    primaryObjectId: z.union([z.number(), z.string()]).transform(String).nullish(),
    mergedObjectIds: z.array(z.union([z.number(), z.string()]).transform(String)).nullish(),
  })
  .loose();
const WebhookBody = z.array(WebhookEvent).max(1_000);
type WebhookEvent = z.infer<typeof WebhookEvent>;

const childTables = { deal: 'deals', ticket: 'tickets', contact: 'contacts' } as const;

/** Events → the accounts to re-score, per tenant. Children not yet synced are found by the follow-up sync. */
export async function accountsForEvents(
  ctx: AppContext,
  events: WebhookEvent[],
): Promise<Map<string, Set<string>>> {
  const byTenant = new Map<string, Set<string>>();
  const add = (tenantId: string, accountId: string) => {
    if (!byTenant.has(tenantId)) byTenant.set(tenantId, new Set());
    byTenant.get(tenantId)!.add(accountId);
  };
  for (const event of events) {
    const tenantId = tenantIdFor('hubspot', event.portalId);
    const objectType = event.subscriptionType.split('.')[0]!;
    if (!byTenant.has(tenantId)) byTenant.set(tenantId, new Set());
    if (objectType === 'company') {
      add(tenantId, event.primaryObjectId ?? event.objectId);
      continue;
    }
    const table = childTables[objectType as keyof typeof childTables];
    if (!table) continue;
    const row = await ctx.db
      .selectFrom(table)
      .select('account_id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', event.primaryObjectId ?? event.objectId)
      .executeTakeFirst();
    if (row) add(tenantId, row.account_id);
  }
  return byTenant;
}

/** The route module (routes/index.ts); tests pass their own follow-up. */
export function hubspotWebhookRoutes(
  app: Express,
  ctx: AppContext,
  followUp: FollowUp = createFollowUp(ctx),
): void {
  app.post('/webhooks/hubspot', async (request, response, next) => {
    try {
      const secret = hubspotClientSecret(ctx);
      const check = verifyHubSpotSignatureV3({
        clientSecret: secret,
        method: request.method,
        uri: signedUri(ctx, request),
        body: request.rawBody ?? '',
        signature: request.get(SIGNATURE_HEADER),
        timestamp: request.get(TIMESTAMP_HEADER),
        now: ctx.now().getTime(),
      });
      if (!check.valid) throw new ApiError('UNAUTHENTICATED', `Invalid HubSpot signature: ${check.reason}`);
      const parsed = WebhookBody.safeParse(request.body);
      if (!parsed.success) {
        throw ApiError.invalid('Webhook body is not a list of HubSpot events', fieldErrors(parsed.error));
      }
      const byTenant = await accountsForEvents(ctx, parsed.data);
      let queued = 0;
      let ignored = 0;
      for (const [tenantId, accounts] of byTenant) {
        const tenant = await ctx.db
          .selectFrom('tenants')
          .select('id')
          .where('id', '=', tenantId)
          .executeTakeFirst();
        if (!tenant) {
          ignored += 1;
          continue;
        }
        await queueRescore(ctx.db, tenantId, [...accounts], 'webhook', ctx.now());
        queued += accounts.size;
        followUp.schedule(tenantId);
      }
      // HubSpot retries anything but 2xx; unknown portals are acknowledged and ignored.
      response.json({ received: parsed.data.length, queuedAccounts: queued, ignoredPortals: ignored });
    } catch (error) {
      next(error);
    }
  });
}
