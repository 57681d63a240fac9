import type { NextFunction, Request, RequestHandler, Response } from 'express';

import { apiKeyAuthenticator } from '../api-keys/authenticator';
import { sessionAuthenticator } from '../console/sessions';
import type { AppContext } from '../context';
import { ApiError } from './errors';

/** PRODUCT.md §6: CSM (own accounts), account executive (read own, expansion), admin, read-only. */
export const roles = ['admin', 'csm', 'account_executive', 'read_only'] as const;
export type Role = (typeof roles)[number];

/** Who is calling, for which tenant. Every tenant-scoped handler reads the tenant from here only. */
export interface Principal {
  tenantId: string;
  /** Shown in the audit log: a user email, `api-key:<id>`, `hubspot-user:<id>`. */
  actor: string;
  role: Role;
  /** The CRM owner id of the user, for "own accounts" scoping (CSM / AE); null for admins and keys. */
  ownerId: string | null;
  /**
   * 'crm' when the CRM itself already decided this user may see the record (a signed request from a
   * card on a record page): HubSpot enforces record visibility, so Pulse does not narrow it again.
   */
  recordAccess?: 'owner' | 'crm';
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Turns a request into a principal (API key, console session, …) or null when it carries none. */
export type Authenticator = (request: Request, context: AppContext) => Promise<Principal | null>;

/** Every way a request can authenticate, tried in order. One line per authenticator module. */
export const authenticators: Authenticator[] = [apiKeyAuthenticator, sessionAuthenticator];

export function authenticate(context: AppContext): RequestHandler {
  return async (request: Request, _response: Response, next: NextFunction) => {
    try {
      for (const authenticator of authenticators) {
        const principal = await authenticator(request, context);
        if (principal) {
          request.principal = principal;
          break;
        }
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** 401 without a principal; 403 when its role is not among `allowed` (all roles when omitted). */
export function requireRole(...allowed: Role[]): RequestHandler {
  return (request, _response, next) => {
    if (!request.principal) return next(new ApiError('UNAUTHENTICATED', 'Sign in or send an API key'));
    if (allowed.length > 0 && !allowed.includes(request.principal.role)) {
      return next(new ApiError('FORBIDDEN', `This needs one of the roles: ${allowed.join(', ')}`));
    }
    next();
  };
}

/** CSMs and account executives see their own accounts only (PRODUCT.md §6); null means every account. */
export function ownerScope(principal: Principal): { ownerId: string | null } | null {
  if (principal.recordAccess === 'crm') return null;
  return principal.role === 'csm' || principal.role === 'account_executive'
    ? { ownerId: principal.ownerId }
    : null;
}

export function principalOf(request: Request): Principal {
  if (!request.principal) throw new ApiError('UNAUTHENTICATED', 'Sign in or send an API key');
  return request.principal;
}
