import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import { ownerScope, type Principal } from '../http/auth';
import { ApiError } from '../http/errors';

export { ownerScope } from '../http/auth';

/** 404 for an unknown or deleted account, 403 for someone else's; returns the account's name and owner. */
export async function requireAccount(
  db: Kysely<Database>,
  principal: Principal,
  accountId: string,
): Promise<{ id: string; name: string; ownerId: string | null }> {
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'name', 'owner_id'])
    .where('tenant_id', '=', principal.tenantId)
    .where('id', '=', accountId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!account) throw new ApiError('NOT_FOUND', `No account "${accountId}" in this tenant`);
  const scope = ownerScope(principal);
  if (scope && (scope.ownerId === null || account.owner_id !== scope.ownerId)) {
    throw new ApiError('FORBIDDEN', `Account "${accountId}" is not one of your accounts`);
  }
  return { id: account.id, name: account.name, ownerId: account.owner_id };
}
