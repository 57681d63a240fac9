import { sql } from 'kysely';

import type { AppContext } from '../context';

/**
 * One recompute per tenant at a time. On PostgreSQL a session advisory lock on a dedicated
 * connection makes this hold across processes (two `pulse serve` on one database never double-run);
 * the lock dies with the connection, so a crashed process never leaves it held. PGlite is embedded
 * in one process, so an in-process set is enough there.
 */
const RECOMPUTE_LOCK_CLASS = 0x50554c53; // 'PULS': keeps Pulse's locks apart from other users of the database

const heldInProcess = new WeakMap<object, Set<string>>();

/** Run `work` holding the tenant's recompute lock, or return `{ skipped: 'locked' }` if another run has it. */
export async function withTenantLock<T>(
  ctx: AppContext,
  tenantId: string,
  work: () => Promise<T>,
): Promise<T | { skipped: 'locked' }> {
  if (ctx.dbKind === 'pglite') {
    let held = heldInProcess.get(ctx.db);
    if (!held) {
      held = new Set();
      heldInProcess.set(ctx.db, held);
    }
    if (held.has(tenantId)) return { skipped: 'locked' };
    held.add(tenantId);
    try {
      return await work();
    } finally {
      held.delete(tenantId);
    }
  }
  return ctx.db.connection().execute(async (connection) => {
    const { rows } = await sql<{ locked: boolean }>`
      select pg_try_advisory_lock(${RECOMPUTE_LOCK_CLASS}, hashtext(${tenantId})) as locked
    `.execute(connection);
    if (!rows[0]?.locked) return { skipped: 'locked' as const };
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${RECOMPUTE_LOCK_CLASS}, hashtext(${tenantId}))`.execute(
        connection,
      );
    }
  });
}
