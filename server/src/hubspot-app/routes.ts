import {
  companyCardEndpoint,
  dealCardEndpoint,
  getHealthSettingsEndpoint,
  previewHealthSettingsEndpoint,
  saveHealthSettingsEndpoint,
  ticketCardEndpoint,
} from '@pulse/shared/api/hubspot-app';
import { healthPresets, validateHealthConfig } from '@pulse/shared/health/index';
import { previewTierDistribution } from '@pulse/shared/settings/tier-preview';
import express, { type Express, type RequestHandler, Router } from 'express';

import type { AppContext } from '../context';
import { getCrmAdapter } from '../crm/registry';
import { mountFlagRoutes } from '../flags/routes';
import { principalOf, type Role, requireRole } from '../http/auth';
import { mount } from '../http/endpoint';
import { ApiError } from '../http/errors';
import type { RouteModule } from '../http/routes/index';
import { mountRecommendationRoutes } from '../recommendations/routes';
import { mountRenewalRoutes } from '../renewals/routes';
import { recomputeTenant } from '../scoring/recompute';
import { getSetting, getSettingVersion, SettingValidationError, saveSetting } from '../store/settings';
import { loadCompanyCardJson, loadRecordSummary, loadStoredFactorValues } from './card-data';
import { type PortalRateLimit, portalRateLimit, portalRateLimiter } from './portal-rate-limit';
import { requireHubSpotSignature } from './signed-request';
import { mountWorkflowActions } from './workflow-actions';

/**
 * Everything the HubSpot app calls lives under /hubspot: record cards, the settings page, and the
 * same flag, recommendation and renewal endpoints the console uses (/hubspot/api/v1/...), all behind
 * HubSpot's request signature instead of a session. Workflow actions have their own signature (v2).
 */

/** hubspot.fetch bodies are small JSON; anything bigger is a mistake or an attack. */
export const HUBSPOT_BODY_LIMIT_BYTES = 64 * 1024;

const bodyCap: RequestHandler = (request, _response, next) => {
  const size = request.rawBody?.length ?? Number(request.get('content-length') ?? 0);
  if (size > HUBSPOT_BODY_LIMIT_BYTES) {
    next(new ApiError('PAYLOAD_TOO_LARGE', `Request body is over ${HUBSPOT_BODY_LIMIT_BYTES / 1024} KB`));
    return;
  }
  next();
};

/** Who may open the record cards (every signed card request: HubSpot decided the user sees the record). */
export const cardReaderRoles: readonly Role[] = ['admin', 'csm', 'account_executive'];
const cardReaders = requireRole(...cardReaderRoles);
const admins = requireRole('admin');

/** Tenants whose recompute after a settings save is still running: a second save doesn't start another. */
const recomputing = new Set<string>();

function startRecompute(context: AppContext, tenantId: string): 'started' | 'running' {
  if (recomputing.has(tenantId)) return 'running';
  recomputing.add(tenantId);
  recomputeTenant(context, tenantId)
    .catch((error: unknown) => console.error(`Recompute after settings save failed for ${tenantId}:`, error))
    .finally(() => recomputing.delete(tenantId));
  return 'started';
}

export function createHubSpotAppRouter(
  context: AppContext,
  /** `rateLimit`: buckets of its own instead of the app's (PULSE_HUBSPOT_PORTAL_RATE_LIMIT). */
  options: { rateLimit?: PortalRateLimit } = {},
): Router {
  const router = Router();
  router.use(
    bodyCap,
    requireHubSpotSignature(context),
    portalRateLimit(context, options.rateLimit ?? portalRateLimiter(context)),
  );

  mount(
    router,
    underRouter(companyCardEndpoint),
    async ({ query, request, response }) => {
      // The card goes out as the JSON text PostgreSQL returns: no parse and re-serialise per view, and
      // no ETag either (hashing ~6 kB per view for a conditional GET hubspot.fetch never sends).
      const body = await loadCompanyCardJson(
        context.db,
        principalOf(request).tenantId,
        query.objectId,
        context.now(),
      );
      response.setHeader('Content-Type', 'application/json; charset=utf-8');
      response.end(body);
      return undefined;
    },
    cardReaders,
  );
  mount(
    router,
    underRouter(dealCardEndpoint),
    ({ query, request }) =>
      loadRecordSummary(context.db, principalOf(request).tenantId, 'deals', query.objectId),
    cardReaders,
  );
  mount(
    router,
    underRouter(ticketCardEndpoint),
    ({ query, request }) =>
      loadRecordSummary(context.db, principalOf(request).tenantId, 'tickets', query.objectId),
    cardReaders,
  );

  mount(
    router,
    underRouter(getHealthSettingsEndpoint),
    async ({ request }) => {
      const { tenantId } = principalOf(request);
      const [config, saved, rows] = await Promise.all([
        getSetting(context.db, tenantId, 'health_config'),
        getSettingVersion(context.db, tenantId, 'health_config'),
        loadStoredFactorValues(context.db, tenantId),
      ]);
      return {
        config,
        version: saved?.version ?? 0,
        presets: healthPresets,
        distribution: previewTierDistribution(rows, config),
      };
    },
    admins,
  );
  mount(
    router,
    underRouter(previewHealthSettingsEndpoint),
    async ({ body, request }) => {
      const validation = validateHealthConfig(body.config);
      if (!validation.ok) throw invalidConfig(validation.errors);
      const rows = await loadStoredFactorValues(context.db, principalOf(request).tenantId);
      return previewTierDistribution(rows, validation.config);
    },
    admins,
  );
  mount(
    router,
    underRouter(saveHealthSettingsEndpoint),
    async ({ body, request }) => {
      const principal = principalOf(request);
      try {
        const saved = await saveSetting(
          context.db,
          principal.tenantId,
          'health_config',
          body.config,
          principal.actor,
        );
        return {
          config: saved.value,
          version: saved.version,
          recompute: startRecompute(context, principal.tenantId),
        };
      } catch (error) {
        if (error instanceof SettingValidationError) throw invalidConfig(error.fieldErrors);
        throw error;
      }
    },
    admins,
  );

  mountFlagRoutes(router, context);
  mountRecommendationRoutes(router, context, getCrmAdapter);
  mountRenewalRoutes(router, context);
  return router;
}

/** Contracts name the full path (/hubspot/...); the router is mounted at /hubspot. */
function underRouter<E extends { path: string }>(contract: E): E {
  return { ...contract, path: contract.path.replace(/^\/hubspot/, '') };
}

function invalidConfig(errors: { path: string; message: string }[]): ApiError {
  const fields = errors.map((error) => ({ path: `body.config.${error.path}`, message: error.message }));
  return ApiError.invalid(`Invalid health configuration: ${errors.map((e) => e.message).join('; ')}`, fields);
}

export const hubspotAppRoutes: RouteModule = (app: Express, context: AppContext) => {
  const actions = Router();
  actions.use(bodyCap);
  mountWorkflowActions(actions, context);
  app.use('/hubspot/workflow-actions', actions);
  app.use('/hubspot', createHubSpotAppRouter(context));
  // Keeps unknown /hubspot paths in the JSON error shape instead of Express's HTML page.
  app.use('/hubspot', (_request: express.Request, response: express.Response) => {
    response.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such HubSpot app endpoint' } });
  });
};
