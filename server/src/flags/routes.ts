import {
  acknowledgeFlagEndpoint,
  listAccountFlags,
  listFlags as listFlagsEndpoint,
  resolveFlagEndpoint,
} from '@pulse/shared/api/flags';
import type { Router } from 'express';

import type { AppContext } from '../context';
import { principalOf, requireRole } from '../http/auth';
import { mount } from '../http/endpoint';
import { ApiError } from '../http/errors';
import { ownerScope, requireAccount } from '../recommendations/access';
import { type FlagAction, getFlag, listFlags, transitionFlag } from './store';

const readers = requireRole('admin', 'csm', 'account_executive');
const actors = requireRole('admin', 'csm');

export function mountFlagRoutes(router: Router, context: AppContext): void {
  mount(
    router,
    listFlagsEndpoint,
    async ({ query, request }) => {
      const principal = principalOf(request);
      const scope = ownerScope(principal);
      const flags = await listFlags(context.db, principal.tenantId, {
        ...query,
        ...(scope ? { ownerId: scope.ownerId } : {}),
      });
      return { flags };
    },
    readers,
  );

  mount(
    router,
    listAccountFlags,
    async ({ params, query, request }) => {
      const principal = principalOf(request);
      await requireAccount(context.db, principal, params.id);
      return { flags: await listFlags(context.db, principal.tenantId, { accountId: params.id, ...query }) };
    },
    readers,
  );

  const transition =
    (action: FlagAction) =>
    async ({ params, request }: { params: { id: string }; request: Parameters<typeof principalOf>[0] }) => {
      const principal = principalOf(request);
      const flag = await getFlag(context.db, principal.tenantId, params.id);
      if (!flag) throw new ApiError('NOT_FOUND', `No flag "${params.id}"`);
      await requireAccount(context.db, principal, flag.accountId);
      const outcome = await transitionFlag(
        context.db,
        principal.tenantId,
        params.id,
        action,
        principal.actor,
        context.now(),
      );
      if (outcome.ok) return outcome.flag;
      if (outcome.reason === 'not_found') throw new ApiError('NOT_FOUND', `No flag "${params.id}"`);
      throw new ApiError('CONFLICT', outcome.message);
    };

  mount(router, resolveFlagEndpoint, transition('resolve'), actors);
  mount(router, acknowledgeFlagEndpoint, transition('acknowledge'), actors);
}
