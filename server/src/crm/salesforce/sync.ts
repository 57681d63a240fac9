import { type RecordByKind, type RecordKind, recordSchemas } from '@pulse/shared';
import { z } from 'zod';

import { CrmError, type RecordPage, type RejectedRecord, type SyncCheckpoint } from '../adapter';
import type { SalesforceClient } from './client';
import { DELETED_RETENTION_DAYS } from './constants';
import { accountAttributes, isoInstant } from './mapper';
import { buildSoql, SoqlDateTime } from './soql';
import { type StreamObject, streamObjects } from './streams';

/**
 * Incremental sync on SystemModstamp. One fetchPage = one SOQL page (2,000 rows), so the checkpoint
 * is saved after every page. The checkpoint's cursor carries which object of the stream is being
 * read, the query locator (nextRecordsUrl) within it, and each object's watermark (engagements
 * read Task and Event, whose watermarks differ). When the last page of an object arrives in the
 * incremental phase, getDeleted reports what was deleted since that object's previous watermark.
 * `updatedAfter` is the oldest watermark: everything modified since then is read again at most.
 */

const CursorState = z.object({
  object: z.number().int().nonnegative(),
  locator: z.string().nullable(),
  /** sObject -> newest SystemModstamp read (ISO), the start of its next incremental query. */
  watermarks: z.record(z.string(), z.string()),
});
type CursorState = z.infer<typeof CursorState>;

function readCursor(cursor: string | null): CursorState {
  if (!cursor) return { object: 0, locator: null, watermarks: {} };
  try {
    return CursorState.parse(JSON.parse(cursor));
  } catch {
    throw new CrmError(
      'INVALID',
      `Salesforce sync checkpoint has an unreadable cursor: ${cursor.slice(0, 80)}`,
    );
  }
}

const later = (a: string | null | undefined, b: string | null | undefined) =>
  !a ? (b ?? null) : !b ? a : a > b ? a : b;
const earlier = (a: string | null | undefined, b: string | null | undefined) =>
  !a ? (b ?? null) : !b ? a : a < b ? a : b;

export function streamQuery(
  stream: StreamObject<RecordKind>,
  fields: string[],
  since: string | null,
): string {
  return buildSoql({
    select: fields,
    from: stream.object,
    where: [
      ...stream.where,
      ...(since
        ? [{ field: 'SystemModstamp', operator: '>=' as const, value: new SoqlDateTime(new Date(since)) }]
        : []),
    ],
    orderBy: [{ field: 'SystemModstamp' }],
  });
}

export async function fetchSalesforcePage<K extends RecordKind>(
  client: SalesforceClient,
  kind: K,
  checkpoint: SyncCheckpoint | null,
  options: {
    now: Date;
    selectFields: (stream: StreamObject<K>) => string[];
    /** Account fields copied into Account.attributes. */
    accountAttributeFields?: readonly string[];
  },
): Promise<RecordPage<K>> {
  const current: SyncCheckpoint = checkpoint ?? {
    phase: 'full',
    cursor: null,
    updatedAfter: null,
    highWatermark: null,
  };
  const state = readCursor(current.cursor);
  const objects = streamObjects[kind] as StreamObject<K>[];
  const stream = objects[state.object];
  if (!stream) throw new CrmError('INVALID', `Salesforce sync checkpoint points past the ${kind} stream`);

  const start = state.watermarks[stream.object] ?? current.updatedAfter;
  const since = later(start, current.highWatermark);
  const runQuery = () =>
    client.query(streamQuery(stream as StreamObject<RecordKind>, options.selectFields(stream), since));
  let result: Awaited<ReturnType<SalesforceClient['query']>>;
  if (state.locator) {
    try {
      result = await client.queryMore(state.locator);
    } catch (error) {
      // Locators expire after ~15 minutes idle; restarting from the page's watermark re-reads at
      // most the records sharing that modstamp, never skips one.
      if (
        !(error instanceof CrmError) ||
        (error.details as { vendorCode?: string })?.vendorCode !== 'INVALID_QUERY_LOCATOR'
      ) {
        throw error;
      }
      result = await runQuery();
    }
  } else {
    result = await runQuery();
  }

  const records: RecordByKind[K][] = [];
  const rejected: RejectedRecord[] = [];
  let watermark = current.highWatermark ?? null;
  for (const raw of result.records) {
    const id = typeof raw.Id === 'string' ? raw.Id : null;
    const parsed = stream.schema.safeParse(raw);
    if (!parsed.success) {
      rejected.push({
        id,
        reason: `${stream.object}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      });
      continue;
    }
    watermark = later(watermark, isoInstant(String(raw.SystemModstamp)));
    const mapped = stream.map(parsed.data as never);
    if (!mapped.ok) {
      rejected.push({ id, reason: mapped.reason });
      continue;
    }
    // The canonical schema is the last gate: what passes here is what the store accepts.
    const canonical = (recordSchemas[kind] as z.ZodType).safeParse({ ...mapped.record, tenantId: 'pending' });
    if (!canonical.success) {
      rejected.push({
        id,
        reason: `${stream.object}: ${canonical.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      });
      continue;
    }
    if (kind === 'accounts' && options.accountAttributeFields?.length) {
      (mapped.record as unknown as { attributes: Record<string, unknown> }).attributes = accountAttributes(
        raw,
        options.accountAttributeFields,
      );
    }
    records.push(mapped.record as RecordByKind[K]);
  }

  if (result.nextRecordsUrl) {
    return {
      records,
      deletedIds: [],
      merged: [],
      rejected,
      done: false,
      next: {
        phase: current.phase,
        cursor: JSON.stringify({
          ...state,
          locator: relativeLocator(result.nextRecordsUrl),
        } satisfies CursorState),
        updatedAfter: current.updatedAfter,
        highWatermark: watermark,
      },
    };
  }

  const deletedIds =
    current.phase === 'incremental' && start
      ? await deletedSince(client, stream.object, start, options.now)
      : [];
  const finished = later(start, watermark);
  const watermarks = finished ? { ...state.watermarks, [stream.object]: finished } : state.watermarks;
  const last = state.object + 1 >= objects.length;
  const oldest = Object.values(watermarks).reduce<string | null>(
    (soFar, value) => earlier(soFar, value),
    null,
  );
  return {
    records,
    deletedIds,
    merged: [],
    rejected,
    done: last,
    next: {
      phase: last ? 'incremental' : current.phase,
      cursor: JSON.stringify({
        object: last ? 0 : state.object + 1,
        locator: null,
        watermarks,
      } satisfies CursorState),
      updatedAfter: last ? (oldest ?? current.updatedAfter) : current.updatedAfter,
      highWatermark: null,
    },
  };
}

/** jsforce may hand back an absolute URL; the checkpoint keeps the instance-relative path. */
function relativeLocator(nextRecordsUrl: string): string {
  return nextRecordsUrl.replace(/^https?:\/\/[^/]+/, '');
}

async function deletedSince(
  client: SalesforceClient,
  object: string,
  since: string,
  now: Date,
): Promise<string[]> {
  // getDeleted reaches back 30 days; an older checkpoint cannot learn its deletions this way, so
  // it reads what is still available rather than failing the whole sync (docs/salesforce.md).
  const earliest = new Date(now.getTime() - (DELETED_RETENTION_DAYS * 86_400_000 - 60_000));
  const start = new Date(since) < earliest ? earliest : new Date(since);
  const response = await client.deleted(object, start, now);
  return response.deletedRecords.map((entry) => entry.id);
}
