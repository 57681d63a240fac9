import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '@pulse/shared/api/console';
import type { ConsoleRole } from '@pulse/shared/api/users';
import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';

import type { AppContext } from '../context';
import type { Database } from '../db/schema';
import type { Authenticator } from '../http/auth';
import { ApiError } from '../http/errors';
import type { SignedInUser } from './users';
import './tables';

/**
 * Console sessions: a random token in an http-only SameSite=Lax cookie (Secure over https), stored
 * only as its hash. CSRF: each session has a token the console reads from /auth/me (and a readable
 * cookie) and sends back in x-csrf-token on every non-GET request; a session-authenticated write
 * without it is refused. API-key requests never carry the cookie and are not affected.
 */

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

function isHttps(request: Request, context: AppContext): boolean {
  return request.secure || Boolean(context.env.PULSE_PUBLIC_URL?.startsWith('https:'));
}

function cookieOptions(request: Request, context: AppContext, httpOnly: boolean) {
  return { httpOnly, sameSite: 'lax' as const, secure: isHttps(request, context), path: '/' };
}

export interface SessionPrincipal {
  user: SignedInUser;
  csrfToken: string;
}

export async function startSession(
  context: AppContext,
  request: Request,
  response: Response,
  user: SignedInUser,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = context.now();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await context.db
    .insertInto('console_sessions')
    .values({
      token_hash: hashToken(token),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  // Expired sessions of this user are swept here rather than by a job.
  await context.db
    .deleteFrom('console_sessions')
    .where('user_id', '=', user.id)
    .where('expires_at', '<', now)
    .execute();
  response.cookie(SESSION_COOKIE, token, {
    ...cookieOptions(request, context, true),
    maxAge: SESSION_TTL_MS,
  });
  response.cookie(CSRF_COOKIE, csrfToken, {
    ...cookieOptions(request, context, false),
    maxAge: SESSION_TTL_MS,
  });
  return csrfToken;
}

export async function endSession(context: AppContext, request: Request, response: Response): Promise<void> {
  const token = readCookie(request, SESSION_COOKIE);
  if (token)
    await context.db.deleteFrom('console_sessions').where('token_hash', '=', hashToken(token)).execute();
  response.clearCookie(SESSION_COOKIE, cookieOptions(request, context, true));
  response.clearCookie(CSRF_COOKIE, cookieOptions(request, context, false));
}

export async function findSession(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<SessionPrincipal | null> {
  const row = await db
    .selectFrom('console_sessions')
    .innerJoin('console_users', 'console_users.id', 'console_sessions.user_id')
    .select([
      'console_users.id',
      'console_users.tenant_id',
      'console_users.email',
      'console_users.role',
      'console_users.owner_id',
      'console_users.disabled_at',
      'console_sessions.csrf_token',
      'console_sessions.expires_at',
    ])
    .where('console_sessions.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.disabled_at || new Date(row.expires_at).getTime() <= now.getTime()) return null;
  return {
    user: {
      id: row.id,
      tenantId: row.tenant_id,
      email: row.email,
      role: row.role as ConsoleRole,
      ownerId: row.owner_id,
    },
    csrfToken: row.csrf_token,
  };
}

function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set when the request was authenticated by a console session cookie. */
    consoleSession?: SessionPrincipal;
  }
}

/** The session cookie → the signed-in user's principal; a write without the CSRF token is refused. */
export const sessionAuthenticator: Authenticator = async (request, context) => {
  const token = readCookie(request, SESSION_COOKIE);
  // Signing in needs no principal; a stale cookie from an old session must not block it.
  if (!token || request.originalUrl.split('?')[0] === '/api/v1/auth/login') return null;
  const session = await findSession(context.db, token, context.now());
  if (!session) return null;
  if (!safeMethods.has(request.method)) {
    const presented = request.get(CSRF_HEADER) ?? '';
    const cookie = readCookie(request, CSRF_COOKIE) ?? '';
    if (!presented || !sameToken(presented, session.csrfToken) || !sameToken(cookie, session.csrfToken)) {
      throw new ApiError(
        'FORBIDDEN',
        `Missing or wrong ${CSRF_HEADER} header: reload the console and try again`,
      );
    }
  }
  request.consoleSession = session;
  const { user } = session;
  return { tenantId: user.tenantId, actor: user.email, role: user.role, ownerId: user.ownerId };
};
