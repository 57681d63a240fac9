import { randomBytes } from 'node:crypto';
import type { ConsoleRole, ConsoleUser, CreateUserBody, UpdateUserBody } from '@pulse/shared/api/users';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import type { Env } from '../env';
import { writeAudit } from '../store/audit';
import { hashPassword, verifyPassword } from './passwords';
import type { ConsoleUsersTable } from './tables';
import './tables';

/** Console users: created by an admin, or the bootstrap admin from PULSE_ADMIN_EMAIL/PASSWORD. */

export interface SignedInUser {
  id: string;
  tenantId: string;
  email: string;
  role: ConsoleRole;
  ownerId: string | null;
}

let unknownUserHash: Promise<string> | null = null;

export class UserConflictError extends Error {
  override name = 'UserConflictError';
}

type UserRow = Omit<ConsoleUsersTable, 'created_at' | 'disabled_at'> & {
  created_at: Date;
  disabled_at: Date | null;
};

export function toConsoleUser(row: UserRow): ConsoleUser {
  return {
    id: row.id,
    email: row.email,
    role: row.role as ConsoleRole,
    ownerId: row.owner_id,
    createdAt: new Date(row.created_at).toISOString(),
    disabled: row.disabled_at !== null,
  };
}

function findByEmail(db: Kysely<Database>, email: string) {
  return db
    .selectFrom('console_users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst();
}

export async function createUser(
  db: Kysely<Database>,
  tenantId: string,
  input: CreateUserBody,
  actor: string,
): Promise<ConsoleUser> {
  if (await findByEmail(db, input.email))
    throw new UserConflictError(`${input.email} already has an account`);
  const row = await db
    .insertInto('console_users')
    .values({
      id: `usr_${randomBytes(8).toString('hex')}`,
      tenant_id: tenantId,
      email: input.email.trim(),
      password_hash: await hashPassword(input.password),
      role: input.role,
      owner_id: input.ownerId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await writeAudit(db, {
    tenantId,
    actor,
    action: 'users.create',
    entityType: 'console_user',
    entityId: row.id,
    before: null,
    after: { email: row.email, role: row.role, ownerId: row.owner_id },
  });
  return toConsoleUser(row);
}

export async function listUsers(db: Kysely<Database>, tenantId: string): Promise<ConsoleUser[]> {
  const rows = await db
    .selectFrom('console_users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('email')
    .execute();
  return rows.map(toConsoleUser);
}

/** null when the tenant has no such user. Disabling or a new password ends the user's sessions. */
export async function updateUser(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  input: UpdateUserBody,
  actor: string,
  now: Date,
): Promise<ConsoleUser | null> {
  const before = await db
    .selectFrom('console_users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!before) return null;
  const row = await db
    .updateTable('console_users')
    .set({
      ...(input.role ? { role: input.role } : {}),
      ...(input.ownerId !== undefined ? { owner_id: input.ownerId } : {}),
      ...(input.password ? { password_hash: await hashPassword(input.password) } : {}),
      ...(input.disabled !== undefined ? { disabled_at: input.disabled ? now : null } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (input.disabled || input.password || input.role) {
    await db.deleteFrom('console_sessions').where('user_id', '=', id).execute();
  }
  await writeAudit(db, {
    tenantId,
    actor,
    action: 'users.update',
    entityType: 'console_user',
    entityId: id,
    before: { role: before.role, ownerId: before.owner_id, disabled: before.disabled_at !== null },
    after: { role: row.role, ownerId: row.owner_id, disabled: row.disabled_at !== null },
  });
  return toConsoleUser(row);
}

/**
 * The user an email and password sign in as, or null. The bootstrap admin (environment) is created
 * on its first sign-in, in the oldest tenant: a fresh install has exactly one.
 */
export async function authenticateUser(
  db: Kysely<Database>,
  env: Pick<Env, 'PULSE_ADMIN_EMAIL' | 'PULSE_ADMIN_PASSWORD'>,
  email: string,
  password: string,
): Promise<SignedInUser | 'no_tenant' | null> {
  const row = await findByEmail(db, email);
  if (row) {
    if (row.disabled_at || !(await verifyPassword(password, row.password_hash))) return null;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      email: row.email,
      role: row.role as ConsoleRole,
      ownerId: row.owner_id,
    };
  }
  const bootstrapEmail = env.PULSE_ADMIN_EMAIL?.trim().toLowerCase();
  if (
    !bootstrapEmail ||
    !env.PULSE_ADMIN_PASSWORD ||
    email.trim().toLowerCase() !== bootstrapEmail ||
    password !== env.PULSE_ADMIN_PASSWORD
  ) {
    // As slow as a wrong password, so the answer time does not tell which emails have an account.
    unknownUserHash ??= hashPassword('no user has this password');
    await verifyPassword(password, await unknownUserHash);
    return null;
  }
  const tenant = await db
    .selectFrom('tenants')
    .select('id')
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!tenant) return 'no_tenant';
  const user = await createUser(
    db,
    tenant.id,
    { email: env.PULSE_ADMIN_EMAIL!.trim(), password, role: 'admin', ownerId: null },
    'bootstrap',
  );
  return { id: user.id, tenantId: tenant.id, email: user.email, role: 'admin', ownerId: null };
}
