import {
  createAccountOpportunity,
  createRule,
  deleteRule as deleteRuleEndpoint,
  getAccountRecommendations,
  getRule as getRuleEndpoint,
  listRules as listRulesEndpoint,
  type RecommendationItem,
  updateRule as updateRuleEndpoint,
} from '@pulse/shared/api/recommendations';
import { recommendTop } from '@pulse/shared/recommendations/evaluate';
import { validateRule } from '@pulse/shared/recommendations/rules';
import type { Router } from 'express';

import type { AppContext } from '../context';
import type { CrmAdapter } from '../crm/adapter';
import { CrmError } from '../crm/adapter';
import { principalOf, requireRole } from '../http/auth';
import { mount } from '../http/endpoint';
import { ApiError } from '../http/errors';
import { loadSnapshots } from '../store/snapshots';
import { requireAccount } from './access';
import { createOpportunityOnce, OpportunityError } from './opportunities';
import {
  deleteRule,
  ensureExampleRules,
  getRule,
  listRules,
  loadCatalogue,
  createRule as storeRule,
  updateRule,
} from './rules-store';

/** How the server reaches a tenant's CRM; injected so tests can count calls on a fake adapter. */
export type CrmAdapterProvider = (context: AppContext, tenantId: string) => Promise<CrmAdapter>;

const readers = requireRole('admin', 'csm', 'account_executive');
const admins = requireRole('admin');

async function validOrThrow(context: AppContext, tenantId: string, body: unknown) {
  const catalogue = await loadCatalogue(context.db, tenantId);
  const result = validateRule(body, catalogue);
  if (!result.ok) {
    const fields = result.errors.map((error) => ({ path: `body.${error.path}`, message: error.message }));
    throw ApiError.invalid(`Invalid rule: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}`, fields);
  }
  return result.rule;
}

function crmFailure(error: unknown): never {
  if (error instanceof CrmError) {
    throw new ApiError('CRM_ERROR', `The CRM refused to create the opportunity: ${error.message}`, {
      crmCode: error.code,
    });
  }
  throw error;
}

export function mountRecommendationRoutes(
  router: Router,
  context: AppContext,
  crmAdapter: CrmAdapterProvider,
): void {
  mount(
    router,
    listRulesEndpoint,
    async ({ request }) => {
      const { tenantId } = principalOf(request);
      await ensureExampleRules(
        context.db,
        tenantId,
        await loadCatalogue(context.db, tenantId),
        context.now(),
      );
      return { rules: await listRules(context.db, tenantId) };
    },
    readers,
  );

  mount(
    router,
    getRuleEndpoint,
    async ({ params, request }) => {
      const rule = await getRule(context.db, principalOf(request).tenantId, params.id);
      if (!rule) throw new ApiError('NOT_FOUND', `No rule "${params.id}"`);
      return rule;
    },
    readers,
  );

  mount(
    router,
    createRule,
    async ({ body, request, response }) => {
      const principal = principalOf(request);
      const rule = await validOrThrow(context, principal.tenantId, body);
      response.status(201);
      return storeRule(context.db, principal.tenantId, rule, principal.actor, context.now());
    },
    admins,
  );

  mount(
    router,
    updateRuleEndpoint,
    async ({ params, body, request }) => {
      const principal = principalOf(request);
      if (!(await getRule(context.db, principal.tenantId, params.id))) {
        throw new ApiError('NOT_FOUND', `No rule "${params.id}"`);
      }
      const rule = await validOrThrow(context, principal.tenantId, body);
      const updated = await updateRule(
        context.db,
        principal.tenantId,
        params.id,
        rule,
        principal.actor,
        context.now(),
      );
      if (!updated) throw new ApiError('NOT_FOUND', `No rule "${params.id}"`);
      return updated;
    },
    admins,
  );

  mount(
    router,
    deleteRuleEndpoint,
    async ({ params, request }) => {
      const principal = principalOf(request);
      if (!(await deleteRule(context.db, principal.tenantId, params.id, principal.actor))) {
        throw new ApiError('NOT_FOUND', `No rule "${params.id}"`);
      }
      return { deleted: true as const };
    },
    admins,
  );

  mount(
    router,
    getAccountRecommendations,
    async ({ params, request }) => {
      const principal = principalOf(request);
      const { tenantId } = principal;
      await requireAccount(context.db, principal, params.id);
      const now = context.now();
      const catalogue = await loadCatalogue(context.db, tenantId);
      await ensureExampleRules(context.db, tenantId, catalogue, now);
      const [snapshot] = await loadSnapshots(context.db, tenantId, [params.id], now);
      if (!snapshot) throw new ApiError('NOT_FOUND', `No account "${params.id}" in this tenant`);
      const score = await context.db
        .selectFrom('account_scores')
        .select('tier')
        .where('tenant_id', '=', tenantId)
        .where('account_id', '=', params.id)
        .executeTakeFirst();
      const rules = await listRules(context.db, tenantId, { activeOnly: true });
      const top = recommendTop(rules, { snapshot, healthTier: score?.tier ?? null, catalogue, now });
      const opportunities = await context.db
        .selectFrom('opportunities_created')
        .select(['product_id', 'crm_id', 'url'])
        .where('tenant_id', '=', tenantId)
        .where('account_id', '=', params.id)
        .where('status', '=', 'open')
        .execute();
      const recommendations: RecommendationItem[] = top.map((recommendation) => {
        const open = opportunities.find((row) => row.product_id === recommendation.productId && row.crm_id);
        return { ...recommendation, openOpportunity: open ? { id: open.crm_id!, url: open.url } : null };
      });
      return { accountId: params.id, recommendations };
    },
    readers,
  );

  mount(
    router,
    createAccountOpportunity,
    async ({ params, body, request }) => {
      const principal = principalOf(request);
      await requireAccount(context.db, principal, params.id);
      try {
        return await createOpportunityOnce(context.db, {
          tenantId: principal.tenantId,
          accountId: params.id,
          productId: body.productId,
          actor: principal.actor,
          now: context.now(),
          adapter: async () => {
            try {
              return await crmAdapter(context, principal.tenantId);
            } catch (error) {
              // No connection, missing credentials: the CRM cannot be reached, which is not a Pulse bug.
              const reason = error instanceof Error ? error.message : String(error);
              throw new ApiError('CRM_ERROR', `Cannot reach the CRM: ${reason}`);
            }
          },
        });
      } catch (error) {
        if (error instanceof OpportunityError) {
          if (error.reason === 'product_not_found') {
            throw ApiError.invalid(error.message, [{ path: 'body.productId', message: error.message }]);
          }
          if (error.reason === 'in_progress') throw new ApiError('CONFLICT', error.message);
          throw new ApiError('NOT_FOUND', error.message);
        }
        return crmFailure(error);
      }
    },
    readers,
  );
}
