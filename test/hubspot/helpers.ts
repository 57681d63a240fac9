import type { RecordKind } from '@pulse/shared';

import type { AppContext } from '../../server/src/context';
import { createHubSpotAdapter, type HubSpotAdapterOptions } from '../../server/src/crm/hubspot/adapter';
import type { DatabaseHandle } from '../../server/src/db/connection';
import { parseEnv } from '../../server/src/env';
import {
  type HubSpotSandbox,
  type HubSpotSandboxOptions,
  startHubSpotSandbox,
} from '../../server/src/sandbox/hubspot';
import { ensureTenant } from '../../server/src/store/records';

/** A sandbox portal, a database and the tenant connected to it, for integration tests. */
export interface SyncFixture {
  sandbox: HubSpotSandbox;
  ctx: AppContext;
  tenantId: string;
  adapter(options?: Partial<HubSpotAdapterOptions>): ReturnType<typeof createHubSpotAdapter>;
  close(): Promise<void>;
}

export async function startSyncFixture(
  handle: DatabaseHandle,
  sandboxOptions: HubSpotSandboxOptions = {},
): Promise<SyncFixture> {
  const sandbox = await startHubSpotSandbox({ accounts: 20, seed: 7, rateLimit: false, ...sandboxOptions });
  const ctx: AppContext = { db: handle.db, dbKind: handle.kind, env: parseEnv({}), now: () => new Date() };
  const portalId = String(sandbox.portalId);
  const tenantId = await ensureTenant(handle.db, { crm: 'hubspot', externalId: portalId, name: 'Sandbox' });
  return {
    sandbox,
    ctx,
    tenantId,
    adapter: (options = {}) =>
      createHubSpotAdapter({
        basePath: sandbox.url,
        accessToken: sandbox.accessToken,
        portalId,
        rateLimit: false,
        ...options,
      }),
    close: () => sandbox.close(),
  };
}

/** Live (not deleted) ids per kind, as stored. */
export async function storedIds(ctx: AppContext, tenantId: string, kind: RecordKind): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom(kind as 'deals')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('deleted_at', 'is', null)
    .execute();
  return rows.map((row) => row.id).sort();
}

/** Live ids per kind in the sandbox portal. */
export function portalIds(
  sandbox: HubSpotSandbox,
  type: Parameters<HubSpotSandbox['store']['ids']>[0],
): string[] {
  return [...sandbox.store.ids(type)].sort();
}
