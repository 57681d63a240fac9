import type { AppContext } from '../../context';
import { ensureTenant } from '../../store/records';
import type { CrmAdapter } from '../adapter';
import { getCrmAdapter } from '../registry';
import { createSalesforceAdapter } from './adapter';
import { salesforceOptionsFromEnv } from './connections';

/** The Salesforce tenant to sync: the org in SALESFORCE_* variables, else the newest connected org. */
export async function resolveSalesforceTenant(
  ctx: AppContext,
): Promise<{ tenantId: string; adapter: CrmAdapter }> {
  const fromEnv = salesforceOptionsFromEnv(ctx.env);
  if (fromEnv) {
    const orgId = await createSalesforceAdapter(fromEnv).externalId();
    const tenantId = await ensureTenant(ctx.db, {
      crm: 'salesforce',
      externalId: orgId,
      name: `Salesforce ${orgId}`,
    });
    return { tenantId, adapter: await getCrmAdapter(ctx, tenantId) };
  }
  const connected = await ctx.db
    .selectFrom('crm_connections')
    .select('tenant_id')
    .where('crm', '=', 'salesforce')
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
  if (!connected) {
    throw new Error(
      'No Salesforce org connected: set SALESFORCE_ACCESS_TOKEN + SALESFORCE_INSTANCE_URL, or the JWT variables (docs/salesforce.md)',
    );
  }
  return { tenantId: connected.tenant_id, adapter: await getCrmAdapter(ctx, connected.tenant_id) };
}
