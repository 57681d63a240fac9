import {
  createConsoleApiKey,
  getCrmConnections,
  getHealthSettings,
  listConsoleApiKeys,
  previewHealthSettings,
  revokeConsoleApiKey,
  SimpleSetting,
  saveHealthSettings,
  simpleSettings,
} from '@pulse/shared/api/console';
import { endpoint } from '@pulse/shared/api/contract';
import { validateHealthConfig } from '@pulse/shared/health/index';
import { previewTierDistribution } from '@pulse/shared/settings/tier-preview';
import { Router } from 'express';
import { z } from 'zod';

import { createApiKey, listApiKeys, revokeApiKey } from '../api-keys/api-keys';
import type { AppContext } from '../context';
import '../crm/hubspot/connections';
import { principalOf, requireRole } from '../http/auth';
import { mount } from '../http/endpoint';
import { ApiError } from '../http/errors';
import { loadStoredFactorValues } from '../hubspot-app/card-data';
import { recomputeTenant } from '../scoring/recompute';
import { getSetting, getSettingVersion, SettingValidationError, saveSetting } from '../store/settings';

/**
 * Settings for the console. Everyone signed in may read them (read-only users see the model their
 * dashboard is computed with); only admins save. A failed validation is a 400 naming every field
 * and saves nothing.
 */

// A big tenant's recompute outlasts a request; the save answers after this long and recompute goes on.
const RECOMPUTE_WAIT_MS = 5_000;

function versionOf(saved: { version: number; changedBy: string; changedAt: string } | null) {
  return saved ? { version: saved.version, changedBy: saved.changedBy, changedAt: saved.changedAt } : null;
}

function invalid(error: SettingValidationError): ApiError {
  return ApiError.invalid(
    error.message,
    error.fieldErrors.map((field) => ({
      path: `body.${field.path === '(root)' ? 'value' : field.path}`,
      message: field.message,
    })),
  );
}

export function consoleSettingsRouter(context: AppContext): Router {
  const router = Router();
  const readers = requireRole();
  const admins = requireRole('admin');

  mount(
    router,
    getHealthSettings,
    async ({ request }) => {
      const { tenantId } = principalOf(request);
      const saved = await getSettingVersion(context.db, tenantId, 'health_config');
      return {
        config: saved?.value ?? (await getSetting(context.db, tenantId, 'health_config')),
        saved: versionOf(saved),
      };
    },
    readers,
  );

  mount(
    router,
    saveHealthSettings,
    async ({ body, request }) => {
      const principal = principalOf(request);
      let saved: Awaited<ReturnType<typeof saveSetting<'health_config'>>>;
      try {
        saved = await saveSetting(context.db, principal.tenantId, 'health_config', body, principal.actor);
      } catch (error) {
        if (error instanceof SettingValidationError) throw invalid(error);
        throw error;
      }
      const recompute = recomputeTenant(context, principal.tenantId);
      recompute.catch((error: unknown) => console.error('Recompute after a settings save failed', error));
      const outcome = await Promise.race([
        recompute,
        new Promise<null>((resolve) => setTimeout(() => resolve(null), RECOMPUTE_WAIT_MS).unref()),
      ]);
      return {
        config: saved.value,
        saved: versionOf(saved),
        recomputed: outcome && 'accounts' in outcome ? { accounts: outcome.accounts } : null,
      };
    },
    admins,
  );

  mount(
    router,
    previewHealthSettings,
    async ({ body, request }) => {
      const validation = validateHealthConfig(body);
      if (!validation.ok) {
        throw ApiError.invalid(
          `Invalid health_config: ${validation.errors.map((field) => field.message).join('; ')}`,
          validation.errors.map((field) => ({ path: `body.${field.path}`, message: field.message })),
        );
      }
      const rows = await loadStoredFactorValues(context.db, principalOf(request).tenantId);
      return previewTierDistribution(rows, validation.config);
    },
    readers,
  );

  for (const { key, path } of Object.values(simpleSettings)) {
    mount(
      router,
      endpoint({ method: 'get', path, response: SimpleSetting }),
      async ({ request }) => {
        const { tenantId } = principalOf(request);
        const saved = await getSettingVersion(context.db, tenantId, key);
        return {
          value: saved?.value ?? (await getSetting(context.db, tenantId, key)),
          saved: versionOf(saved),
        };
      },
      readers,
    );
    mount(
      router,
      endpoint({
        method: 'put',
        path,
        body: z.object({ value: z.unknown() }).strict(),
        response: SimpleSetting,
      }),
      async ({ body, request }) => {
        const principal = principalOf(request);
        try {
          const saved = await saveSetting(context.db, principal.tenantId, key, body.value, principal.actor);
          return { value: saved.value, saved: versionOf(saved) };
        } catch (error) {
          if (error instanceof SettingValidationError) throw invalid(error);
          throw error;
        }
      },
      admins,
    );
  }

  mount(
    router,
    getCrmConnections,
    async ({ request }) => {
      const { tenantId } = principalOf(request);
      const [connection, streams] = await Promise.all([
        context.db
          .selectFrom('crm_connections')
          .select(['crm', 'external_id', 'status', 'last_error', 'connected_at', 'updated_at'])
          .where('tenant_id', '=', tenantId)
          .executeTakeFirst(),
        context.db
          .selectFrom('sync_checkpoints')
          .select(['stream', 'status', 'last_error', 'updated_at'])
          .where('tenant_id', '=', tenantId)
          .orderBy('stream')
          .execute(),
      ]);
      return {
        connection: connection
          ? {
              crm: connection.crm,
              externalId: connection.external_id,
              status: connection.status,
              lastError: connection.last_error,
              connectedAt: new Date(connection.connected_at).toISOString(),
              updatedAt: new Date(connection.updated_at).toISOString(),
            }
          : null,
        streams: streams.map((stream) => ({
          stream: stream.stream,
          status: stream.status,
          lastError: stream.last_error,
          updatedAt: new Date(stream.updated_at).toISOString(),
        })),
      };
    },
    admins,
  );

  const keyItem = (key: Awaited<ReturnType<typeof listApiKeys>>[number]) => ({
    id: key.id,
    label: key.label,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  });

  mount(
    router,
    listConsoleApiKeys,
    async ({ request }) => ({
      keys: (await listApiKeys(context.db, principalOf(request).tenantId)).map(keyItem),
    }),
    admins,
  );
  mount(
    router,
    createConsoleApiKey,
    async ({ body, request }) => {
      const created = await createApiKey(context.db, {
        tenantId: principalOf(request).tenantId,
        label: body.label,
      });
      return { key: created.key, apiKey: keyItem(created.apiKey) };
    },
    admins,
  );
  mount(
    router,
    revokeConsoleApiKey,
    async ({ params, request }) => {
      const { tenantId } = principalOf(request);
      const owned = (await listApiKeys(context.db, tenantId)).some(
        (key) => key.id === params.id && !key.revokedAt,
      );
      if (!owned || !(await revokeApiKey(context.db, params.id, context.now()))) {
        throw new ApiError('NOT_FOUND', `No live API key "${params.id}"`);
      }
      return { revoked: true as const };
    },
    admins,
  );

  return router;
}
