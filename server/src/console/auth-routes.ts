import { login, logout, me } from '@pulse/shared/api/console';
import { createUser, listUsers, updateUser } from '@pulse/shared/api/users';
import { Router } from 'express';

import type { AppContext } from '../context';
import { principalOf, requireRole } from '../http/auth';
import { mount } from '../http/endpoint';
import { ApiError } from '../http/errors';
import { endSession, startSession } from './sessions';
import * as users from './users';

/** Sign-in, sign-out, who am I, and user management (admins). */

async function tenantName(context: AppContext, tenantId: string): Promise<string> {
  const tenant = await context.db
    .selectFrom('tenants')
    .select('name')
    .where('id', '=', tenantId)
    .executeTakeFirst();
  return tenant?.name ?? tenantId;
}

export function consoleAuthRouter(context: AppContext): Router {
  const router = Router();
  const admins = requireRole('admin');

  mount(router, login, async ({ body, request, response }) => {
    const user = await users.authenticateUser(context.db, context.env, body.email, body.password);
    if (user === 'no_tenant') {
      throw new ApiError(
        'CONFLICT',
        'Pulse has no data yet: run `npm start` or `npx pulse demo-data` first, then sign in',
      );
    }
    if (!user) throw new ApiError('UNAUTHENTICATED', 'Wrong email or password');
    const csrfToken = await startSession(context, request, response, user);
    return {
      email: user.email,
      role: user.role,
      ownerId: user.ownerId,
      tenantId: user.tenantId,
      tenantName: await tenantName(context, user.tenantId),
      csrfToken,
    };
  });

  mount(router, logout, async ({ request, response }) => {
    await endSession(context, request, response);
    return { signedOut: true as const };
  });

  mount(
    router,
    me,
    async ({ request }) => {
      const session = request.consoleSession;
      if (!session) throw new ApiError('UNAUTHENTICATED', 'Sign in to use the console');
      const { user } = session;
      return {
        email: user.email,
        role: user.role,
        ownerId: user.ownerId,
        tenantId: user.tenantId,
        tenantName: await tenantName(context, user.tenantId),
        csrfToken: session.csrfToken,
      };
    },
    requireRole(),
  );

  mount(
    router,
    listUsers,
    async ({ request }) => ({ users: await users.listUsers(context.db, principalOf(request).tenantId) }),
    admins,
  );

  mount(
    router,
    createUser,
    async ({ body, request }) => {
      const principal = principalOf(request);
      try {
        return await users.createUser(context.db, principal.tenantId, body, principal.actor);
      } catch (error) {
        if (error instanceof users.UserConflictError) {
          throw ApiError.invalid(error.message, [{ path: 'body.email', message: error.message }]);
        }
        throw error;
      }
    },
    admins,
  );

  mount(
    router,
    updateUser,
    async ({ params, body, request }) => {
      const principal = principalOf(request);
      if (
        request.consoleSession?.user.id === params.id &&
        (body.disabled || (body.role && body.role !== 'admin'))
      ) {
        throw ApiError.invalid('You cannot disable yourself or remove your own admin role', [
          { path: body.disabled ? 'body.disabled' : 'body.role', message: 'not for your own account' },
        ]);
      }
      const user = await users.updateUser(
        context.db,
        principal.tenantId,
        params.id,
        body,
        principal.actor,
        context.now(),
      );
      if (!user) throw new ApiError('NOT_FOUND', `No user "${params.id}"`);
      return user;
    },
    admins,
  );

  return router;
}
