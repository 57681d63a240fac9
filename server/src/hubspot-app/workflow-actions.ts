import { fieldErrors } from '@pulse/shared/api/contract';
import type { StoredScore } from '@pulse/shared/api/health';
import { WorkflowActionRequest } from '@pulse/shared/api/hubspot-app';
import type { Request, Router } from 'express';

import type { AppContext } from '../context';
import { ApiError } from '../http/errors';
import { recomputeTenant } from '../scoring/recompute';
import {
  SIGNATURE_V2_HEADER,
  SIGNATURE_VERSION_HEADER,
  verifyHubSpotSignatureV2,
} from '../security/hubspot-signature-v2';
import { writeAudit } from '../store/audit';
import { tenantIdFor } from '../store/records';
import { hubspotClientSecret, signedUri } from './signed-request';

/**
 * Custom workflow actions on companies (extension/hubspot/src/app/workflow-actions/):
 * "Recalculate Pulse health" re-scores the enrolled company now and outputs score, tier and churn
 * risk; "Get top Pulse recommendation" outputs the best product, its score and why.
 * https://developers.hubspot.com/docs/api/automation/custom-workflow-actions
 */

async function parseAction(context: AppContext, request: Request) {
  const secret = hubspotClientSecret(context);
  const check = verifyHubSpotSignatureV2({
    clientSecret: secret,
    method: request.method,
    uri: signedUri(context, request),
    body: request.rawBody ?? '',
    signature: request.get(SIGNATURE_V2_HEADER),
    version: request.get(SIGNATURE_VERSION_HEADER),
  });
  if (!check.valid) throw new ApiError('UNAUTHENTICATED', `HubSpot signature rejected: ${check.reason}`);
  const parsed = WorkflowActionRequest.safeParse(request.body);
  if (!parsed.success) throw ApiError.invalid('Invalid workflow action request', fieldErrors(parsed.error));
  if (parsed.data.object.objectType.toUpperCase() !== 'COMPANY') {
    throw ApiError.invalid('Pulse workflow actions run on companies', [
      { path: 'object.objectType', message: `expected COMPANY, got ${parsed.data.object.objectType}` },
    ]);
  }
  const tenantId = tenantIdFor('hubspot', parsed.data.origin.portalId);
  const companyId = parsed.data.object.objectId;
  const account = await context.db
    .selectFrom('accounts')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', companyId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!account) throw new ApiError('NOT_FOUND', `Company ${companyId} is not synced to Pulse yet`);
  return { tenantId, companyId, callbackId: parsed.data.callbackId ?? null };
}

async function storedScore(
  context: AppContext,
  tenantId: string,
  companyId: string,
): Promise<StoredScore | null> {
  const row = await context.db
    .selectFrom('account_scores')
    .select('result')
    .where('tenant_id', '=', tenantId)
    .where('account_id', '=', companyId)
    .executeTakeFirst();
  if (!row) return null;
  return (typeof row.result === 'string' ? JSON.parse(row.result) : row.result) as StoredScore;
}

export function mountWorkflowActions(router: Router, context: AppContext): void {
  router.post('/recalculate', async (request, response, next) => {
    try {
      const { tenantId, companyId, callbackId } = await parseAction(context, request);
      // A tenant-wide run already in progress scores this company too; its stored result is then read.
      await recomputeTenant(context, tenantId, { accountIds: [companyId] });
      const stored = await storedScore(context, tenantId, companyId);
      await writeAudit(context.db, {
        tenantId,
        actor: `hubspot-workflow:${callbackId ?? 'unknown'}`,
        action: 'workflow_action.recalculate',
        entityType: 'account',
        entityId: companyId,
        before: null,
        after: stored ? { score: stored.health.score, tier: stored.health.tier } : null,
      });
      response.json({
        outputFields: {
          pulse_health_score: stored?.health.score ?? null,
          pulse_health_tier: stored?.health.tierLabel ?? null,
          pulse_churn_risk: stored?.churnRisk.value ?? null,
        },
      });
    } catch (error) {
      next(error);
    }
  });

  router.post('/top-recommendation', async (request, response, next) => {
    try {
      const { tenantId, companyId } = await parseAction(context, request);
      const best = (await storedScore(context, tenantId, companyId))?.topRecommendations[0] ?? null;
      response.json({
        outputFields: {
          pulse_recommended_product: best?.productName ?? null,
          pulse_recommendation_score: best?.score ?? null,
          pulse_recommendation_explanation: best?.explanation ?? null,
        },
      });
    } catch (error) {
      next(error);
    }
  });
}
