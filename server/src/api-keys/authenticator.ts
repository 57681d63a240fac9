import type { Authenticator } from '../http/auth';
import { ApiError } from '../http/errors';
import { API_KEY_PREFIX, verifyApiKey } from './api-keys';

const bearer = /^Bearer\s+(\S+)\s*$/i;

/**
 * `Authorization: Bearer pulse_…` → an admin principal of the key's tenant. A Pulse key that is
 * unknown or revoked is refused outright with the same message, so the answer never tells which.
 * Other bearer tokens are left to the other authenticators.
 */
export const apiKeyAuthenticator: Authenticator = async (request, context) => {
  const match = bearer.exec(request.headers.authorization ?? '');
  const key = match?.[1];
  if (!key?.startsWith(API_KEY_PREFIX)) return null;
  const owner = await verifyApiKey(context.db, key, context.now());
  if (!owner) throw new ApiError('UNAUTHENTICATED', 'Invalid or revoked API key');
  return { tenantId: owner.tenantId, actor: `api-key:${owner.id}`, role: 'admin', ownerId: null };
};
