/**
 * Fault injection for the sandbox org: the failures a real org produces now and then (5xx,
 * dropped connections, slow answers, records a client cannot parse), switched on by tests.
 */

export interface RequestMatch {
  method?: string;
  /** Substring or pattern of the request path (with query string). */
  path?: string | RegExp;
}

type FaultAction =
  | { kind: 'status'; status: number; errorCode: string; message: string }
  | { kind: 'delay'; ms: number }
  | { kind: 'disconnect' };

interface FaultRule extends RequestMatch {
  remaining: number;
  action: FaultAction;
}

export class SandboxFaults {
  private rules: FaultRule[] = [];
  /** object -> record id -> field overrides applied to query output only. */
  readonly malformed = new Map<string, Map<string, Record<string, unknown>>>();

  /** The next `times` matching requests answer with this status and Salesforce error body. */
  failNext(
    options: RequestMatch & { times?: number; status?: number; errorCode?: string; message?: string } = {},
  ) {
    this.rules.push({
      method: options.method,
      path: options.path,
      remaining: options.times ?? 1,
      action: {
        kind: 'status',
        status: options.status ?? 503,
        errorCode: options.errorCode ?? 'SERVER_UNAVAILABLE',
        message: options.message ?? 'Server temporarily unavailable, try again later',
      },
    });
  }

  /** The next matching requests are answered only after `ms` (to test client timeouts). */
  delayNext(options: RequestMatch & { ms: number; times?: number }) {
    this.rules.push({ ...options, remaining: options.times ?? 1, action: { kind: 'delay', ms: options.ms } });
  }

  /** The next matching requests have their connection dropped without an answer. */
  disconnectNext(options: RequestMatch & { times?: number } = {}) {
    this.rules.push({ ...options, remaining: options.times ?? 1, action: { kind: 'disconnect' } });
  }

  /** Query results show these raw values for the record (e.g. a number where text belongs). */
  malformRecord(objectName: string, id: string, values: Record<string, unknown>) {
    const forObject = this.malformed.get(objectName) ?? new Map();
    forObject.set(id, values);
    this.malformed.set(objectName, forObject);
  }

  clear() {
    this.rules = [];
    this.malformed.clear();
  }

  /** Consumes and returns the fault for this request, if any. */
  take(method: string, path: string): FaultAction | null {
    const rule = this.rules.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (!candidate.method || candidate.method.toUpperCase() === method.toUpperCase()) &&
        (!candidate.path ||
          (typeof candidate.path === 'string' ? path.includes(candidate.path) : candidate.path.test(path))),
    );
    if (!rule) return null;
    rule.remaining -= 1;
    this.rules = this.rules.filter((candidate) => candidate.remaining > 0);
    return rule.action;
  }
}
