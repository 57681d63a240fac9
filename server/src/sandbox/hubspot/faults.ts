import { validationError } from './errors';
import { type ObjectTypeName, resolveObjectType } from './object-types';

/**
 * Fault injection: the next N matching requests fail the way HubSpot can fail. Faults queue in the
 * order they were added; each matching request consumes one unit of the first fault that matches.
 */

export interface FaultMatch {
  method?: string;
  /** A path prefix (`/crm/v3/objects/companies`) or a regular expression on the path. */
  path?: string | RegExp;
}

export type FaultSpec =
  | { kind: 'server-error'; count: number; status?: 500 | 502 | 503 | 504; match?: FaultMatch }
  /** Holds the request for `delayMs` before answering normally, so a client timeout fires first. */
  | { kind: 'timeout'; count: number; delayMs: number; match?: FaultMatch }
  /** A 429 burst with the ten-secondly body, whatever the rolling window says. */
  | { kind: 'rate-limit'; count: number; match?: FaultMatch }
  /** The next N list/search/batch-read answers for `objectType` carry one record with unparseable
   * values (the first record of the page unless `recordId` names one). */
  | {
      kind: 'malformed';
      count: number;
      objectType: ObjectTypeName;
      recordId?: string;
      properties?: Record<string, string>;
      match?: FaultMatch;
    };

export const faultKinds = ['server-error', 'timeout', 'rate-limit', 'malformed'] as const;

interface ActiveFault {
  id: number;
  spec: FaultSpec;
  remaining: number;
}

/** Values that look like data but do not parse as the property's type. */
export const defaultMalformedValues: Partial<Record<ObjectTypeName, Record<string, string>>> = {
  companies: { numberofemployees: 'twelve', annualrevenue: '1,2M€' },
  deals: { amount: 'ten thousand', closedate: 'next tuesday' },
  tickets: { closed_date: 'not-a-date' },
  contacts: { notes_last_contacted: 'last week' },
  invoices: { hs_amount_billed: 'n/a', hs_due_date: '31/02/2024' },
  subscriptions: { pulse_mrr: 'n/a', hs_next_payment_due_date: 'soon' },
};

function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.path instanceof RegExp) return match.path.test(path);
  if (typeof match.path === 'string') return path.startsWith(match.path);
  return true;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  /** Queues a fault; returns its id. */
  add(spec: FaultSpec): number {
    if (!Number.isInteger(spec.count) || spec.count < 1)
      throw validationError('count must be a positive integer');
    if (spec.kind === 'timeout' && !(spec.delayMs >= 0))
      throw validationError('delayMs is required for timeout');
    const id = this.nextId++;
    this.faults.push({ id, spec, remaining: spec.count });
    return id;
  }

  serverError(count: number, status: 500 | 502 | 503 | 504 = 500, match?: FaultMatch): number {
    return this.add({ kind: 'server-error', count, status, match });
  }

  timeout(count: number, delayMs: number, match?: FaultMatch): number {
    return this.add({ kind: 'timeout', count, delayMs, match });
  }

  rateLimitBurst(count: number, match?: FaultMatch): number {
    return this.add({ kind: 'rate-limit', count, match });
  }

  malformed(
    count: number,
    objectType: ObjectTypeName,
    options: { recordId?: string; properties?: Record<string, string> } = {},
  ) {
    return this.add({ kind: 'malformed', count, objectType, ...options });
  }

  clear(): void {
    this.faults = [];
  }

  pending(): { id: number; kind: FaultSpec['kind']; remaining: number }[] {
    return this.faults.map((fault) => ({ id: fault.id, kind: fault.spec.kind, remaining: fault.remaining }));
  }

  private consume(predicate: (spec: FaultSpec) => boolean): FaultSpec | null {
    const index = this.faults.findIndex((fault) => predicate(fault.spec));
    if (index < 0) return null;
    const fault = this.faults[index]!;
    fault.remaining--;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault.spec;
  }

  /** The transport fault (5xx, timeout, 429) this request should suffer, if any. */
  takeRequestFault(method: string, path: string): Exclude<FaultSpec, { kind: 'malformed' }> | null {
    return this.consume((spec) => spec.kind !== 'malformed' && matches(spec.match, method, path)) as Exclude<
      FaultSpec,
      { kind: 'malformed' }
    > | null;
  }

  /** The malformed-record fault for a response listing `objectType` records, if any. */
  takeMalformed(
    objectType: ObjectTypeName,
    method: string,
    path: string,
  ): Extract<FaultSpec, { kind: 'malformed' }> | null {
    return this.consume(
      (spec) =>
        spec.kind === 'malformed' && spec.objectType === objectType && matches(spec.match, method, path),
    ) as Extract<FaultSpec, { kind: 'malformed' }> | null;
  }
}

/** Parses a fault from the control API's JSON body, naming the bad field. */
export function parseFaultSpec(body: unknown): FaultSpec {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const kind = input.kind as FaultSpec['kind'];
  if (!faultKinds.includes(kind)) throw validationError(`kind must be one of ${faultKinds.join(', ')}`);
  const count = input.count === undefined ? 1 : Number(input.count);
  const rawMatch = (typeof input.match === 'object' && input.match !== null ? input.match : undefined) as
    | Record<string, unknown>
    | undefined;
  const match: FaultMatch | undefined = rawMatch
    ? {
        ...(typeof rawMatch.method === 'string' ? { method: rawMatch.method } : {}),
        ...(typeof rawMatch.path === 'string' ? { path: rawMatch.path } : {}),
      }
    : undefined;
  switch (kind) {
    case 'server-error': {
      const status = input.status === undefined ? 500 : Number(input.status);
      if (![500, 502, 503, 504].includes(status))
        throw validationError('status must be 500, 502, 503 or 504');
      return { kind, count, status: status as 500, match };
    }
    case 'timeout': {
      const delayMs = Number(input.delayMs);
      if (!Number.isFinite(delayMs) || delayMs < 0)
        throw validationError('delayMs must be a non-negative number');
      return { kind, count, delayMs, match };
    }
    case 'rate-limit':
      return { kind, count, match };
    case 'malformed': {
      const objectType = typeof input.objectType === 'string' ? resolveObjectType(input.objectType) : null;
      if (!objectType) throw validationError('objectType must be a HubSpot object type such as companies');
      return {
        kind,
        count,
        objectType,
        ...(typeof input.recordId === 'string' ? { recordId: input.recordId } : {}),
        ...(typeof input.properties === 'object' && input.properties !== null
          ? { properties: input.properties as Record<string, string> }
          : {}),
        match,
      };
    }
  }
}
