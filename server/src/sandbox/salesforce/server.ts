import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { type SeededIds, seedDemoPortfolio } from './canonical-to-salesforce';
import { SandboxFaults } from './faults';
import { type ConnectedApp, OAuthError, SandboxAuth } from './oauth';
import { SandboxApiError, SandboxOrgStore } from './org-store';
import { parseSoql, SoqlSyntaxError } from './soql-parser';

/**
 * A local Salesforce org speaking the REST API subset Pulse uses, over real HTTP so unmodified
 * jsforce can talk to it (its transport cannot be intercepted in-process). docs/salesforce.md
 * lists what it covers and where it differs from a real org.
 */

export const SANDBOX_CLIENT_ID = 'pulse-sandbox-client';
export const SANDBOX_CLIENT_SECRET = 'pulse-sandbox-secret';
export const SANDBOX_USERNAME = 'integration@pulse.sandbox';

export interface SalesforceSandboxOptions {
  port?: number;
  host?: string;
  /** Demo accounts to seed from the demo generator (0 for an empty org). */
  accounts?: number;
  /** Seed of the demo generator: the same seed yields the same org. */
  seed?: number;
  now?: () => Date;
  /** The org's rolling 24-hour API allowance, reported in Sforce-Limit-Info. */
  dailyApiLimit?: number;
  /** API calls already used today when the sandbox starts. */
  apiUsed?: number;
  /** Access token lifetime. */
  sessionMs?: number;
  connectedApp?: Partial<ConnectedApp>;
  /** Whether the Pulse Account fields are deployed (the DX package); default true. */
  pulseFields?: boolean;
  factorKeys?: string[];
  /** A fixed access token to accept (otherwise one is generated). */
  accessToken?: string;
  /** Rows per query page; Salesforce's default is 2000. */
  pageSize?: number;
}

export type SandboxRequestKind =
  | 'token'
  | 'authorize'
  | 'query'
  | 'query-more'
  | 'deleted'
  | 'describe'
  | 'create'
  | 'update'
  | 'retrieve'
  | 'collection-create'
  | 'collection-update'
  | 'limits'
  | 'versions'
  | 'unknown';

export interface SandboxRequest {
  method: string;
  path: string;
  kind: SandboxRequestKind;
  status: number;
  /** Records returned (queries) or sent (writes). */
  records: number;
  /** Whether it counted against the daily API allowance. */
  apiCall: boolean;
  /** The sObject a query or query-more read. */
  object: string | null;
  body: unknown;
}

export interface SalesforceSandbox {
  url: string;
  instanceUrl: string;
  loginUrl: string;
  /** A valid session for the sandbox's integration user. */
  accessToken: string;
  apiVersion: string;
  store: SandboxOrgStore;
  /** Demo (canonical) id -> Salesforce id of every seeded record. */
  seeded: SeededIds;
  faults: SandboxFaults;
  auth: SandboxAuth;
  connectedApp: ConnectedApp;
  requests: SandboxRequest[];
  apiUsage(): { used: number; limit: number };
  setApiUsage(used: number): void;
  close(): Promise<void>;
}

class JsonResponse {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

function errorBody(errorCode: string, message: string, fields: string[] = []) {
  return [{ message, errorCode, ...(fields.length > 0 ? { fields } : {}) }];
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSalesforceSandbox(
  options: SalesforceSandboxOptions = {},
): Promise<SalesforceSandbox> {
  const now = options.now ?? (() => new Date());
  const pageSize = options.pageSize ?? 2000;
  const store = new SandboxOrgStore(now, {
    pulseFields: options.pulseFields,
    factorKeys: options.factorKeys,
  });
  const faults = new SandboxFaults();
  const requests: SandboxRequest[] = [];
  const limit = options.dailyApiLimit ?? 15000;
  let used = options.apiUsed ?? 0;
  store.insert('Organization', { Name: 'Pulse Sandbox Org' }, { Id: store.orgId });
  const integrationUserId = store.insert('User', {
    Name: 'Pulse Integration',
    Email: SANDBOX_USERNAME,
    Username: SANDBOX_USERNAME,
  });
  const connectedApp: ConnectedApp = {
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    usernames: [SANDBOX_USERNAME],
    ...options.connectedApp,
  };
  const auth = new SandboxAuth(connectedApp, integrationUserId, now, options.sessionMs ?? 2 * 60 * 60 * 1000);
  const locators = new Map<string, { object: string; rows: Record<string, unknown>[] }>();
  const seeded = seedDemoPortfolio(store, {
    accounts: options.accounts ?? 0,
    seed: options.seed ?? 1,
    now: now(),
  });

  let baseUrl = '';
  const limitHeader = () => ({ 'Sforce-Limit-Info': `api-usage=${used}/${limit}` });

  function route(
    method: string,
    url: URL,
    body: string,
    headers: IncomingMessage['headers'],
  ): { kind: SandboxRequestKind; run: (entry: SandboxRequest) => JsonResponse | string; counted: boolean } {
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/services/oauth2/token' && method === 'POST') {
      return {
        kind: 'token',
        counted: false,
        run: () => new JsonResponse(200, auth.token(new URLSearchParams(body), baseUrl)),
      };
    }
    if (path === '/services/oauth2/authorize' && method === 'GET') {
      return { kind: 'authorize', counted: false, run: () => auth.authorize(url.searchParams) };
    }
    if (path === '/services/data' && method === 'GET') {
      return {
        kind: 'versions',
        counted: false,
        run: () =>
          new JsonResponse(200, [{ label: 'Winter 25', url: '/services/data/v62.0', version: '62.0' }]),
      };
    }
    if (path === '/__sandbox/requests' && method === 'GET') {
      return { kind: 'unknown', counted: false, run: () => new JsonResponse(200, requestSummary()) };
    }
    const versioned = /^\/services\/data\/v(\d+\.\d)(\/.*)$/.exec(path);
    if (!versioned) return { kind: 'unknown', counted: false, run: () => notFound() };
    const version = versioned[1]!;
    const rest = versioned[2]!;
    const authorised = () => {
      const token = /^(Bearer|OAuth) (.+)$/i.exec(String(headers.authorization ?? ''))?.[2] ?? null;
      if (!auth.session(token))
        throw new SandboxApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    };
    const guarded = (kind: SandboxRequestKind, run: (entry: SandboxRequest) => JsonResponse) => ({
      kind,
      counted: true,
      run: (entry: SandboxRequest) => {
        authorised();
        return run(entry);
      },
    });
    if (rest === '/query' && method === 'GET') {
      return guarded('query', (entry) => {
        const soql = url.searchParams.get('q') ?? '';
        let parsed: ReturnType<typeof parseSoql>;
        try {
          parsed = parseSoql(soql);
        } catch (error) {
          if (error instanceof SoqlSyntaxError)
            throw new SandboxApiError(400, 'MALFORMED_QUERY', `${soql}\nERROR: ${error.message}`);
          throw error;
        }
        const object = store.object(parsed.object).name;
        const rows = applyMalformed(object, store.query(parsed, version));
        entry.object = object;
        return page({ object, rows }, version, randomBytes(9).toString('hex'), 0);
      });
    }
    const more = /^\/query\/([0-9a-f]+)-(\d+)$/.exec(rest);
    if (more && method === 'GET') {
      return guarded('query-more', (entry) => {
        const cursor = locators.get(more[1]!);
        if (!cursor) throw new SandboxApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
        entry.object = cursor.object;
        return page(cursor, version, more[1]!, Number(more[2]));
      });
    }
    if (rest === '/limits' && method === 'GET') {
      return guarded(
        'limits',
        () => new JsonResponse(200, { DailyApiRequests: { Max: limit, Remaining: limit - used } }),
      );
    }
    if (rest === '/composite/sobjects' && (method === 'POST' || method === 'PATCH')) {
      return guarded(method === 'POST' ? 'collection-create' : 'collection-update', () =>
        collection(method, JSON.parse(body || '{}')),
      );
    }
    const deleted = /^\/sobjects\/(\w+)\/deleted$/.exec(rest);
    if (deleted && method === 'GET') {
      return guarded('deleted', () => {
        const start = new Date(url.searchParams.get('start') ?? '');
        const end = new Date(url.searchParams.get('end') ?? '');
        if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
          throw new SandboxApiError(400, 'INVALID_REPLICATION_DATE', 'start and end must be valid dates');
        }
        const earliest = new Date(now().getTime() - 30 * 86_400_000);
        if (start < earliest) {
          throw new SandboxApiError(
            400,
            'INVALID_REPLICATION_DATE',
            'startDate before org replication enabled date / more than 30 days ago',
          );
        }
        return new JsonResponse(200, {
          deletedRecords: store.deletedBetween(deleted[1]!, start, end),
          earliestDateAvailable: earliest.toISOString().replace('Z', '+0000'),
          latestDateCovered: end.toISOString().replace('Z', '+0000'),
        });
      });
    }
    const describe = /^\/sobjects\/(\w+)\/describe$/.exec(rest);
    if (describe && method === 'GET') {
      return guarded('describe', () => {
        const object = store.object(describe[1]!);
        return new JsonResponse(200, {
          name: object.name,
          label: object.label,
          keyPrefix: object.keyPrefix,
          custom: object.custom,
          queryable: true,
          createable: true,
          updateable: true,
          fields: object.fields.map((field) => ({
            name: field.name,
            label: field.label,
            type: field.type,
            custom: field.name.endsWith('__c'),
            updateable: field.updateable,
            createable: field.updateable || field.type === 'reference',
            nillable: field.name !== 'Id',
            referenceTo: field.referenceTo ? [field.referenceTo] : [],
            relationshipName: field.relationshipName ?? null,
          })),
        });
      });
    }
    const single = /^\/sobjects\/(\w+)(?:\/(\w+))?$/.exec(rest);
    if (single && method === 'POST' && !single[2]) {
      return guarded('create', () => {
        const id = store.insert(single[1]!, JSON.parse(body || '{}'));
        return new JsonResponse(201, { id, success: true, errors: [] });
      });
    }
    if (single?.[2] && method === 'PATCH') {
      return guarded('update', () => {
        store.update(single[1]!, single[2]!, JSON.parse(body || '{}'));
        return new JsonResponse(204, null);
      });
    }
    if (single?.[2] && method === 'GET') {
      return guarded('retrieve', () => {
        const object = store.object(single[1]!);
        const record = store.get(object.name, single[2]!);
        if (!record) throw store.missing(object, single[2]!);
        return new JsonResponse(200, { attributes: { type: object.name }, ...record });
      });
    }
    return { kind: 'unknown', counted: false, run: () => notFound() };
  }

  function requestSummary() {
    const byKind: Record<string, number> = {};
    for (const entry of requests) byKind[entry.kind] = (byKind[entry.kind] ?? 0) + 1;
    return { total: requests.length, apiUsage: { used, limit }, byKind };
  }

  function notFound(): JsonResponse {
    return new JsonResponse(404, errorBody('NOT_FOUND', 'The requested resource does not exist'));
  }

  function applyMalformed(objectName: string, rows: Record<string, unknown>[]) {
    const overrides = faults.malformed.get(store.object(objectName).name);
    if (!overrides) return rows;
    return rows.map((row) => ({ ...row, ...(overrides.get(String(row.Id)) ?? {}) }));
  }

  function page(
    cursor: { object: string; rows: Record<string, unknown>[] },
    version: string,
    locator: string,
    offset: number,
  ): JsonResponse {
    const rows = cursor.rows;
    const records = rows.slice(offset, offset + pageSize);
    const done = offset + pageSize >= rows.length;
    if (done) locators.delete(locator);
    else locators.set(locator, cursor);
    return new JsonResponse(200, {
      totalSize: rows.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${locator}-${offset + pageSize}` }),
      records,
    });
  }

  function collection(method: string, payload: { allOrNone?: boolean; records?: Record<string, unknown>[] }) {
    const records = payload.records;
    if (!Array.isArray(records)) throw new SandboxApiError(400, 'JSON_PARSER_ERROR', 'records is required');
    if (records.length > 200) {
      throw new SandboxApiError(
        400,
        'EXCEEDED_ID_LIMIT',
        'record limit reached. cannot submit more than 200 records into this call',
      );
    }
    if (payload.allOrNone)
      throw new SandboxApiError(400, 'INVALID_INPUT', 'The sandbox supports allOrNone=false only');
    const results = records.map((record) => {
      const { attributes, id, Id, ...values } = record as Record<string, unknown> & {
        attributes?: { type?: string };
      };
      const type = attributes?.type;
      try {
        if (!type) throw new SandboxApiError(400, 'INVALID_TYPE', 'attributes.type is required');
        if (method === 'POST') return { id: store.insert(type, values), success: true, errors: [] };
        const recordId = String(id ?? Id ?? '');
        store.update(type, recordId, values);
        return { id: recordId, success: true, errors: [] };
      } catch (error) {
        if (!(error instanceof SandboxApiError)) throw error;
        return {
          id: method === 'PATCH' ? String(id ?? Id ?? '') || null : null,
          success: false,
          errors: [{ statusCode: error.errorCode, message: error.message, fields: error.fields }],
        };
      }
    });
    return new JsonResponse(200, results);
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', baseUrl);
    const body = await readBody(request);
    const { kind, run, counted } = route(method, url, body, request.headers);
    const entry: SandboxRequest = {
      method,
      path: url.pathname + url.search,
      kind,
      status: 0,
      records: 0,
      apiCall: false,
      object: null,
      body: null,
    };
    requests.push(entry);
    try {
      entry.body = body ? JSON.parse(body) : null;
    } catch {
      entry.body = body;
    }
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      const text = payload === null ? '' : JSON.stringify(payload);
      response.writeHead(status, {
        ...(text ? { 'Content-Type': 'application/json;charset=UTF-8' } : {}),
        ...(counted ? limitHeader() : {}),
        ...headers,
      });
      response.end(text);
    };
    const fault = faults.take(method, url.pathname + url.search);
    if (fault?.kind === 'disconnect') {
      entry.status = -1;
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === 'status') return send(fault.status, errorBody(fault.errorCode, fault.message));
    try {
      if (counted) {
        // Salesforce refuses further calls once the rolling 24-hour allowance is used up.
        if (used >= limit) {
          throw new SandboxApiError(403, 'REQUEST_LIMIT_EXCEEDED', `TotalRequests Limit exceeded.`);
        }
      }
      const result = run(entry);
      if (counted) {
        used += 1;
        entry.apiCall = true;
      }
      if (typeof result === 'string') {
        entry.status = 302;
        response.writeHead(302, { Location: result });
        response.end();
        return;
      }
      const payload = result.body as { records?: unknown[] } | unknown[] | null;
      entry.records = Array.isArray(payload)
        ? payload.length
        : Array.isArray(payload?.records)
          ? payload.records.length
          : Array.isArray((entry.body as { records?: unknown[] } | null)?.records)
            ? (entry.body as { records: unknown[] }).records.length
            : 0;
      if (kind === 'collection-create' || kind === 'collection-update') {
        entry.records = (entry.body as { records: unknown[] }).records.length;
      }
      return send(result.status, result.body, result.headers);
    } catch (error) {
      if (error instanceof OAuthError)
        return send(400, { error: error.error, error_description: error.description });
      if (error instanceof SandboxApiError)
        return send(error.status, errorBody(error.errorCode, error.message, error.fields));
      if (error instanceof SyntaxError) return send(400, errorBody('JSON_PARSER_ERROR', error.message));
      return send(
        500,
        errorBody('UNKNOWN_EXCEPTION', error instanceof Error ? error.message : String(error)),
      );
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  const session = auth.issueSession(options.accessToken);

  return {
    url: baseUrl,
    instanceUrl: baseUrl,
    loginUrl: baseUrl,
    accessToken: session.accessToken,
    apiVersion: '62.0',
    store,
    seeded,
    faults,
    auth,
    connectedApp,
    requests,
    apiUsage: () => ({ used, limit }),
    setApiUsage: (value: number) => {
      used = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
