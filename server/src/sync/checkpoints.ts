import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { SyncCheckpoint } from '../crm/adapter';
import type { Database } from '../db/schema';

/** sync_checkpoints rows: one per (tenant, record kind), validated on every read. */

export const SyncCheckpointSchema = z.object({
  phase: z.enum(['full', 'incremental']),
  cursor: z.string().nullable(),
  updatedAfter: z.iso.datetime({ offset: true }).nullable(),
  windowEnd: z.iso.datetime({ offset: true }).nullish(),
  highWatermark: z.iso.datetime({ offset: true }).nullish(),
});

export const syncStatuses = ['running', 'idle', 'failed', 'interrupted'] as const;
export type SyncStatus = (typeof syncStatuses)[number];

export interface StoredCheckpoint {
  checkpoint: SyncCheckpoint | null;
  status: SyncStatus | null;
  lastError: string | null;
  /** Set when the stored checkpoint was unreadable and the stream starts over. */
  problem: string | null;
}

export async function loadCheckpoint(
  db: Kysely<Database>,
  tenantId: string,
  stream: string,
): Promise<StoredCheckpoint> {
  const row = await db
    .selectFrom('sync_checkpoints')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('stream', '=', stream)
    .executeTakeFirst();
  if (!row) return { checkpoint: null, status: null, lastError: null, problem: null };
  const value = typeof row.checkpoint === 'string' ? JSON.parse(row.checkpoint) : row.checkpoint;
  const parsed = SyncCheckpointSchema.nullable().safeParse(value);
  const status = row.status as SyncStatus;
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    return {
      checkpoint: null,
      status,
      lastError: row.last_error,
      problem: `unreadable checkpoint (${problems}); full sync`,
    };
  }
  return { checkpoint: parsed.data, status, lastError: row.last_error, problem: null };
}

export async function saveCheckpoint(
  db: Kysely<Database>,
  input: {
    tenantId: string;
    stream: string;
    checkpoint: SyncCheckpoint;
    status: SyncStatus;
    lastError: string | null;
    now: Date;
  },
): Promise<void> {
  const values = {
    checkpoint: JSON.stringify(input.checkpoint) as never,
    status: input.status,
    last_error: input.lastError,
    updated_at: input.now,
  };
  await db
    .insertInto('sync_checkpoints')
    .values({ tenant_id: input.tenantId, stream: input.stream, ...values })
    .onConflict((conflict) => conflict.columns(['tenant_id', 'stream']).doUpdateSet(values))
    .execute();
}

/**
 * Record why a stream stopped, keeping its checkpoint so the next run resumes there (a stream that
 * failed before its first page stores a null checkpoint: it starts from scratch).
 */
export async function markStream(
  db: Kysely<Database>,
  input: { tenantId: string; stream: string; status: SyncStatus; lastError: string | null; now: Date },
): Promise<void> {
  const values = { status: input.status, last_error: input.lastError, updated_at: input.now };
  await db
    .insertInto('sync_checkpoints')
    .values({ tenant_id: input.tenantId, stream: input.stream, checkpoint: 'null' as never, ...values })
    .onConflict((conflict) => conflict.columns(['tenant_id', 'stream']).doUpdateSet(values))
    .execute();
}
