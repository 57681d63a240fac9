import type { Connection } from 'jsforce';

import { CrmError } from '../adapter';
import {
  BUDGET_RETRY_AFTER_MS,
  COLLECTION_SIZE,
  DEFAULT_API_BUDGET_SHARE,
  SALESFORCE_API_VERSION,
} from './constants';
import { classifySalesforceError } from './errors';

/**
 * The only module that talks to jsforce. Every call goes through `call`, which (1) refuses to
 * start when Pulse has used its share of the org's daily API allowance, read from the
 * Sforce-Limit-Info header of the previous answer, and (2) classifies failures once.
 */

export interface QueryResult {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

export interface SaveResult {
  id: string | null;
  success: boolean;
  errors: { statusCode?: string; message?: string; fields?: string[] }[];
}

export interface ApiUsage {
  used: number;
  limit: number;
}

export interface SalesforceClientOptions {
  connection: Connection;
  apiVersion?: string;
  /** Share (0-1] of the daily allowance Pulse may use; default 0.8. */
  budgetShare?: number;
}

export class SalesforceClient {
  readonly connection: Connection;
  readonly apiVersion: string;
  private readonly budgetShare: number;
  /** Calls made by this client, for benchmarks and logs. */
  calls = 0;

  constructor(options: SalesforceClientOptions) {
    this.connection = options.connection;
    this.apiVersion = options.apiVersion ?? SALESFORCE_API_VERSION;
    this.budgetShare = options.budgetShare ?? DEFAULT_API_BUDGET_SHARE;
    if (!(this.budgetShare > 0 && this.budgetShare <= 1)) {
      throw new Error(`budgetShare must be in (0, 1], got ${this.budgetShare}`);
    }
  }

  apiUsage(): ApiUsage | null {
    return (this.connection.limitInfo as { apiUsage?: ApiUsage }).apiUsage ?? null;
  }

  private checkBudget(action: string) {
    const usage = this.apiUsage();
    if (!usage || usage.limit <= 0) return;
    const allowed = Math.floor(usage.limit * this.budgetShare);
    if (usage.used >= allowed) {
      throw new CrmError(
        'RATE_LIMITED',
        `Salesforce ${action} not started: the org has used ${usage.used} of its ${usage.limit} daily API calls and Pulse stops at ${Math.round(this.budgetShare * 100)}% (${allowed}) to leave the rest for other integrations; the sync resumes from its checkpoint later`,
        { retryAfterMs: BUDGET_RETRY_AFTER_MS, details: { used: usage.used, limit: usage.limit, allowed } },
      );
    }
  }

  private async call<T>(action: string, run: () => Promise<unknown>): Promise<T> {
    this.checkBudget(action);
    this.calls += 1;
    try {
      return (await run()) as T;
    } catch (error) {
      throw classifySalesforceError(error, action);
    }
  }

  private path(rest: string) {
    return `/services/data/v${this.apiVersion}${rest}`;
  }

  query(soql: string): Promise<QueryResult> {
    return this.call('query', () =>
      this.connection.request(this.path(`/query?q=${encodeURIComponent(soql)}`)),
    );
  }

  /** Follows a `nextRecordsUrl` (a path from the instance root). */
  queryMore(nextRecordsUrl: string): Promise<QueryResult> {
    if (!/^\/services\/data\/v\d+\.\d\/query\/[\w-]+$/.test(nextRecordsUrl)) {
      throw new CrmError('INVALID', `Not a Salesforce query locator: ${nextRecordsUrl}`);
    }
    return this.call('query', () => this.connection.request(nextRecordsUrl));
  }

  deleted(
    object: string,
    start: Date,
    end: Date,
  ): Promise<{ deletedRecords: { id: string; deletedDate: string }[] }> {
    return this.call('getDeleted', () => this.connection.sobject(object).deleted(start, end));
  }

  describe(object: string): Promise<{ fields: { name: string; type: string }[] }> {
    return this.call('describe', () => this.connection.request(this.path(`/sobjects/${object}/describe`)));
  }

  create(object: string, values: Record<string, unknown>): Promise<{ id: string }> {
    return this.call('create', () =>
      this.connection.request({
        method: 'POST',
        url: this.path(`/sobjects/${object}`),
        body: JSON.stringify(values),
        headers: { 'content-type': 'application/json' },
      }),
    );
  }

  /** One sObject Collections call: at most COLLECTION_SIZE records, per-record results. */
  collection(
    method: 'POST' | 'PATCH',
    records: ({ attributes: { type: string }; id?: string } & Record<string, unknown>)[],
  ): Promise<SaveResult[]> {
    if (records.length > COLLECTION_SIZE)
      throw new Error(`A collection call takes at most ${COLLECTION_SIZE} records`);
    return this.call(method === 'POST' ? 'create' : 'update', () =>
      this.connection.request({
        method,
        url: this.path('/composite/sobjects'),
        body: JSON.stringify({ allOrNone: false, records }),
        headers: { 'content-type': 'application/json' },
      }),
    );
  }
}
