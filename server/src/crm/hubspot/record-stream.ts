import type { RecordByKind, RecordKind } from '@pulse/shared';
import { z } from 'zod';

import type { RecordPage, RejectedRecord, SyncCheckpoint } from '../adapter';
import { ASSOCIATION_BATCH_SIZE, LIST_PAGE_SIZE, SEARCH_PAGE_SIZE, SEARCH_RESULT_CAP } from './constants';
import {
  type HubSpotObjectType,
  hubspotObjectTypesByKind,
  lastModified,
  mapRecord,
  mergedObjectIds,
  propertiesByObjectType,
} from './mappers';
import { RawAssociationBatch, RawObject, RawObjectPage } from './raw-schemas';
import type { HubSpotTransport } from './transport';

/**
 * One record kind as a resumable stream of pages. Phase `full` lists every object (id-ordered
 * `after` paging); phase `incremental` searches `hs_lastmodifieddate >= since`, ascending, and
 * moves `since` up to the last timestamp of each page, so no query ever pages near the 10,000
 * search cap; then it lists archived objects as deletions. Where a stream stands is the HubSpot
 * cursor below, saved as the checkpoint's `cursor` after every page.
 */

const StreamCursor = z.object({
  /** Index into the kind's HubSpot object types (engagements span meetings/calls/emails/notes). */
  type: z.number().int().nonnegative(),
  step: z.enum(['list', 'search', 'archived']),
  after: z.string().nullable(),
  /** Search lower bound (ISO), moved up page by page. */
  since: z.string().nullable(),
});
type StreamCursor = z.infer<typeof StreamCursor>;

/** HubSpot's clock may run behind ours: a full sync's follow-up search starts this much earlier. */
const CLOCK_SKEW_ALLOWANCE_MS = 5 * 60_000;

export interface StreamState {
  phase: SyncCheckpoint['phase'];
  cursor: StreamCursor | null;
  updatedAfter: string;
  highWatermark: string | null;
}

export function decodeCheckpoint(checkpoint: SyncCheckpoint | null, now: Date): StreamState {
  if (!checkpoint) {
    return {
      phase: 'full',
      cursor: { type: 0, step: 'list', after: null, since: null },
      updatedAfter: new Date(now.getTime() - CLOCK_SKEW_ALLOWANCE_MS).toISOString(),
      highWatermark: null,
    };
  }
  let cursor: StreamCursor | null = null;
  if (checkpoint.cursor) {
    const parsed = StreamCursor.safeParse(JSON.parse(checkpoint.cursor));
    if (!parsed.success) throw new Error(`Unreadable HubSpot sync cursor: ${checkpoint.cursor}`);
    cursor = parsed.data;
  }
  const updatedAfter = checkpoint.updatedAfter ?? new Date(0).toISOString();
  if (!cursor) {
    cursor =
      checkpoint.phase === 'full'
        ? { type: 0, step: 'list', after: null, since: null }
        : { type: 0, step: 'search', after: null, since: updatedAfter };
  }
  return { phase: checkpoint.phase, cursor, updatedAfter, highWatermark: checkpoint.highWatermark ?? null };
}

export function encodeCheckpoint(state: StreamState): SyncCheckpoint {
  return {
    phase: state.phase,
    cursor: state.cursor ? JSON.stringify(state.cursor) : null,
    updatedAfter: state.updatedAfter,
    highWatermark: state.highWatermark,
  };
}

const stateKey = (state: StreamState) => {
  const cursor = state.cursor;
  return JSON.stringify([
    state.phase,
    cursor && [cursor.type, cursor.step, cursor.after, cursor.since],
    state.updatedAfter,
    state.highWatermark,
  ]);
};

interface RawPage {
  objectType: HubSpotObjectType;
  step: StreamCursor['step'];
  objects: RawObject[];
  rejected: RejectedRecord[];
  next: StreamState;
  done: boolean;
}

const later = (first: string | null, second: string | null) =>
  first === null ? second : second === null ? first : Date.parse(second) > Date.parse(first) ? second : first;

export interface StreamDependencies {
  transport: HubSpotTransport;
  tenantId: () => Promise<string>;
  owners: () => Promise<ReadonlyMap<string, { name: string | null; email: string | null }>>;
  attributeProperties: readonly string[];
}

export function createRecordStreams(dependencies: StreamDependencies) {
  const { transport } = dependencies;
  /** Pages fetched ahead so one association call serves up to 1,000 objects. */
  const buffers = new Map<RecordKind, { key: string; page: RecordPage<RecordKind> }[]>();

  async function fetchRaw(kind: RecordKind, state: StreamState): Promise<RawPage> {
    const types = hubspotObjectTypesByKind[kind];
    const cursor = state.cursor!;
    const objectType = types[cursor.type]!;
    const properties = propertiesByObjectType[objectType];
    let body: RawObjectPage;
    if (cursor.step === 'search') {
      body = await transport.request(
        {
          method: 'POST',
          path: `/crm/v3/objects/${objectType}/search`,
          body: {
            filterGroups: [
              {
                filters: [
                  {
                    propertyName: 'hs_lastmodifieddate',
                    operator: 'GTE',
                    value: String(Date.parse(cursor.since ?? state.updatedAfter)),
                  },
                ],
              },
            ],
            sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
            properties,
            limit: SEARCH_PAGE_SIZE,
            ...(cursor.after ? { after: cursor.after } : {}),
          },
        },
        RawObjectPage,
      );
    } else {
      body = await transport.request(
        {
          method: 'GET',
          path: `/crm/v3/objects/${objectType}`,
          qs: {
            limit: String(LIST_PAGE_SIZE),
            archived: String(cursor.step === 'archived'),
            properties: (cursor.step === 'archived' ? ['hs_merged_object_ids'] : properties).join(','),
            ...(cursor.after ? { after: cursor.after } : {}),
          },
        },
        RawObjectPage,
      );
    }
    const objects: RawObject[] = [];
    const rejected: RejectedRecord[] = [];
    for (const result of body.results) {
      const parsed = RawObject.safeParse(result);
      if (parsed.success) objects.push(parsed.data);
      else {
        const id = (result as { id?: unknown } | null)?.id;
        const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
        rejected.push({
          id: typeof id === 'string' ? id : null,
          reason: `malformed ${objectType}: ${problems.join('; ')}`,
        });
      }
    }
    let highWatermark = state.highWatermark;
    if (cursor.step !== 'archived')
      for (const object of objects) highWatermark = later(highWatermark, lastModified(object));
    const nextAfter = body.paging?.next?.after ?? null;
    const next: StreamState = { ...state, highWatermark };
    let done = false;
    if (nextAfter !== null && cursor.step === 'search') {
      const lastSeen = objects.length > 0 ? lastModified(objects[objects.length - 1]!) : null;
      const since = cursor.since ?? state.updatedAfter;
      if (lastSeen !== null && Date.parse(lastSeen) > Date.parse(since)) {
        // Restart the query at the last timestamp seen: offsets stay small, far from the cap.
        next.cursor = { ...cursor, since: lastSeen, after: null };
      } else {
        // A whole page shares one timestamp: only then page by offset within it.
        if (Number(nextAfter) + SEARCH_PAGE_SIZE > SEARCH_RESULT_CAP)
          throw new Error(
            `More than ${SEARCH_RESULT_CAP} ${objectType} share the modification time ${since}`,
          );
        next.cursor = { ...cursor, after: nextAfter };
      }
    } else if (nextAfter !== null) {
      next.cursor = { ...cursor, after: nextAfter };
    } else if (cursor.step === 'search') {
      next.cursor = { ...cursor, step: 'archived', after: null, since: null };
    } else if (cursor.type + 1 < types.length) {
      next.cursor =
        cursor.step === 'list'
          ? { type: cursor.type + 1, step: 'list', after: null, since: null }
          : { type: cursor.type + 1, step: 'search', after: null, since: state.updatedAfter };
    } else if (cursor.step === 'list') {
      // Full listing finished: catch what changed while it ran, then keep going incrementally.
      next.phase = 'incremental';
      next.cursor = { type: 0, step: 'search', after: null, since: state.updatedAfter };
    } else {
      const after = highWatermark ? new Date(Date.parse(highWatermark) + 1).toISOString() : null;
      next.phase = 'incremental';
      next.cursor = null;
      next.updatedAfter =
        after && Date.parse(after) > Date.parse(state.updatedAfter) ? after : state.updatedAfter;
      done = true;
    }
    return { objectType, step: cursor.step, objects, rejected, next, done };
  }

  /** child id → company id (primary association first). */
  async function companiesOf(objectType: HubSpotObjectType, ids: string[], to: 'companies' | 'contacts') {
    const result = new Map<string, string>();
    for (let start = 0; start < ids.length; start += ASSOCIATION_BATCH_SIZE) {
      const inputs = ids.slice(start, start + ASSOCIATION_BATCH_SIZE).map((id) => ({ id }));
      const body = await transport.request(
        { method: 'POST', path: `/crm/v4/associations/${objectType}/${to}/batch/read`, body: { inputs } },
        RawAssociationBatch,
      );
      for (const row of body.results) {
        const primary =
          row.to.find((target) => target.associationTypes?.some((type) => type.label === 'Primary')) ??
          row.to[0];
        if (primary) result.set(row.from.id, primary.toObjectId);
      }
    }
    return result;
  }

  async function toRecordPages<K extends RecordKind>(
    kind: K,
    raws: RawPage[],
    now: Date,
  ): Promise<RecordPage<K>[]> {
    const tenantId = await dependencies.tenantId();
    const needsCompany = kind !== 'accounts';
    const live = raws.filter((raw) => raw.step !== 'archived').flatMap((raw) => raw.objects);
    const objectType = raws[0]!.objectType;
    const companies =
      needsCompany && live.length > 0
        ? await companiesOf(
            objectType,
            live.map((o) => o.id),
            'companies',
          )
        : new Map();
    const contacts =
      kind === 'engagements' && live.length > 0
        ? await companiesOf(
            objectType,
            live.map((o) => o.id),
            'contacts',
          )
        : new Map();
    const owners = kind === 'accounts' && live.length > 0 ? await dependencies.owners() : new Map();
    return raws.map((raw) => {
      const page: RecordPage<K> = {
        records: [],
        deletedIds: [],
        merged: [],
        rejected: [...raw.rejected],
        next: encodeCheckpoint(raw.next),
        done: raw.done,
      };
      if (raw.step === 'archived') {
        page.deletedIds = raw.objects.map((object) => object.id);
        return page;
      }
      for (const object of raw.objects) {
        const mapped = mapRecord(kind, raw.objectType, object, {
          tenantId,
          accountId: needsCompany ? (companies.get(object.id) ?? null) : object.id,
          contactId: contacts.get(object.id) ?? null,
          owners,
          attributeProperties: dependencies.attributeProperties,
          now,
        });
        if (mapped.ok) page.records.push(mapped.record as RecordByKind[K]);
        else page.rejected.push({ id: object.id, reason: mapped.reason });
        for (const from of mergedObjectIds(object)) {
          if (kind === 'accounts') page.merged.push({ from, into: object.id });
          else page.deletedIds.push(from);
        }
      }
      return page;
    });
  }

  return {
    async fetchPage<K extends RecordKind>(
      kind: K,
      checkpoint: SyncCheckpoint | null,
      now: Date,
    ): Promise<RecordPage<K>> {
      let state = decodeCheckpoint(checkpoint, now);
      const key = stateKey(state);
      const buffered = buffers.get(kind);
      if (buffered && buffered[0]?.key === key) return buffered.shift()!.page as RecordPage<K>;
      buffers.delete(kind);
      const raws: RawPage[] = [];
      const keys: string[] = [];
      let objects = 0;
      for (;;) {
        let raw: RawPage;
        try {
          raw = await fetchRaw(kind, state);
        } catch (error) {
          // Keep what was fetched; the failed page is fetched again by the next call.
          if (raws.length > 0) break;
          throw error;
        }
        keys.push(stateKey(state));
        raws.push(raw);
        objects += raw.objects.length;
        const sameBatch =
          !raw.done &&
          raw.step !== 'archived' &&
          raw.next.phase === state.phase &&
          raw.next.cursor?.type === state.cursor?.type &&
          raw.next.cursor?.step === raw.step;
        const room = raw.step === 'search' ? SEARCH_PAGE_SIZE : LIST_PAGE_SIZE;
        state = raw.next;
        if (!sameBatch || objects + room > ASSOCIATION_BATCH_SIZE || kind === 'accounts') break;
      }
      const pages = await toRecordPages(kind, raws, now);
      const [first, ...rest] = pages;
      if (rest.length > 0)
        buffers.set(
          kind,
          rest.map((page, index) => ({ key: keys[index + 1]!, page })),
        );
      return first!;
    },
    reset() {
      buffers.clear();
    },
  };
}
