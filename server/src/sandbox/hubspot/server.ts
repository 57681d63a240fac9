import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { portfolioBatches, productCatalogue } from '@pulse/shared/demo/index';

import type { CanonicalPortfolio, SeedOwner } from './demo-mapping';
import { HubSpotHttpError, notFound, rateLimited, searchRateLimited, validationError } from './errors';
import { FaultInjector } from './faults';
import { type OAuthOptions, OAuthServer } from './oauth';
import { ObjectStore } from './object-store';
import type { ObjectTypeName } from './object-types';
import { PropertyRegistry } from './property-registry';
import { type RateLimitOptions, RollingRateLimiter } from './rate-limit';
import { RequestLog } from './request-log';
import { type HandlerReply, Router, type SandboxState } from './router';
import { associationRoutes } from './routes-associations';
import { objectRoutes } from './routes-objects';
import { controlRoutes, oauthRoutes, propertyRoutes } from './routes-portal';
import { SearchEngine } from './search';
import { emptyLoadedPortfolio, type LoadedPortfolio, loadPortfolio } from './seed';

export interface HubSpotSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  portalId?: number;
  /** Demo accounts to generate (with all their child records); 0 = an empty portal. */
  accounts?: number;
  seed?: number;
  /** The demo data's "as of" instant; the sandbox clock starts here and runs in real time. */
  now?: Date;
  /** Object types to seed from the demo data (companies always are); default all. A benchmark that
   * only syncs companies, deals, tickets and contacts skips the bulky engagements and invoices. */
  objectTypes?: ObjectTypeName[];
  /** Canonical records from any source, loaded in addition to generated demo accounts. */
  records?: CanonicalPortfolio;
  /** Default 100 requests per 10 s per app and portal; false turns the limit off. */
  rateLimit?: RateLimitOptions | false;
  /**
   * CRM search's own limit, on top of `rateLimit` (HubSpot: 5 requests per 1,000 ms per portal).
   * Off by default, so tests that search in a tight loop need not pace themselves.
   */
  searchRateLimit?: { max: number; intervalMs: number } | false;
  /** A fixed private-app token the portal accepts (one is generated when absent). */
  accessToken?: string;
  oauth?: OAuthOptions;
}

export interface HubSpotSandbox {
  url: string;
  portalId: number;
  accessToken: string;
  store: SandboxStoreControls;
  faults: FaultInjector;
  oauth: OAuthServer;
  requestLog: RequestLog;
  /** Every recorded request (control routes excluded). */
  readonly requests: RequestLog['entries'];
  resetRequestLog(): void;
  /** The HubSpot id a seeded canonical record got (undefined when it was not seeded). */
  hubspotId(type: ObjectTypeName, canonicalId: string): string | undefined;
  owners: SeedOwner[];
  close(): Promise<void>;
}

/** What tests do to the portal behind the API's back, as a user editing in HubSpot would. */
export interface SandboxStoreControls {
  raw: ObjectStore;
  get(type: ObjectTypeName, id: string): Record<string, string> | undefined;
  create(type: ObjectTypeName, properties: Record<string, unknown>): string;
  update(type: ObjectTypeName, id: string, properties: Record<string, unknown>): void;
  archive(type: ObjectTypeName, id: string): void;
  merge(primaryId: string, mergedId: string, type?: ObjectTypeName): void;
  associate(fromType: ObjectTypeName, fromId: string, toType: ObjectTypeName, toId: string): void;
  /** Stores values as-is, skipping validation: a record HubSpot holds but a client cannot parse. */
  corrupt(type: ObjectTypeName, id: string, properties: Record<string, string>): void;
  count(type: ObjectTypeName): number;
  ids(type: ObjectTypeName): string[];
}

function controls(store: ObjectStore): SandboxStoreControls {
  return {
    raw: store,
    get: (type, id) => store.find(type, id)?.properties,
    create: (type, properties) => store.insert(type, store.normalise(type, properties)).id,
    update: (type, id, properties) => {
      store.apply(store.get(type, id), store.normalise(type, properties));
    },
    archive: (type, id) => store.archive(type, id),
    merge: (primaryId, mergedId, type = 'companies') => {
      store.merge(type, primaryId, mergedId);
    },
    associate: (fromType, fromId, toType, toId) => store.associate(fromType, fromId, toType, toId),
    corrupt: (type, id, properties) => {
      const object = store.get(type, id);
      for (const [name, value] of Object.entries(properties)) object.properties[name] = value;
      store.touch(object);
    },
    count: (type) => store.count(type),
    ids: (type) =>
      store
        .objectsOf(type)
        .filter((object) => !object.archived && !object.mergedInto)
        .map((object) => object.id),
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): { body: unknown; form: Record<string, string> } {
  if (raw.length === 0) return { body: undefined, form: {} };
  const text = raw.toString('utf8');
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return { body: undefined, form: Object.fromEntries(new URLSearchParams(text)) };
  }
  try {
    return { body: JSON.parse(text), form: {} };
  } catch (error) {
    throw validationError(`Invalid input JSON: ${(error as Error).message}`);
  }
}

function send(response: ServerResponse, reply: HandlerReply, extraHeaders: Record<string, string>): void {
  if (response.writableEnded || response.destroyed) return;
  const headers: Record<string, string> = { ...extraHeaders, ...reply.headers };
  if (reply.body !== undefined) headers['Content-Type'] = 'application/json;charset=utf-8';
  response.writeHead(reply.status, headers);
  response.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
}

function errorReply(error: unknown): HandlerReply {
  if (error instanceof HubSpotHttpError)
    return { status: error.status, body: error.body, headers: error.headers };
  return {
    status: 500,
    body: {
      status: 'error',
      message: `Sandbox internal error: ${(error as Error)?.message ?? String(error)}`,
      correlationId: 'sandbox',
      category: 'INTERNAL_ERROR',
    },
  };
}

export async function startHubSpotSandbox(options: HubSpotSandboxOptions = {}): Promise<HubSpotSandbox> {
  const portalId = options.portalId ?? 100_001;
  const offset = options.now ? options.now.getTime() - Date.now() : 0;
  const clock = () => Date.now() + offset;
  const registry = new PropertyRegistry(clock);
  const store = new ObjectStore(registry, clock);
  const accessToken = options.accessToken ?? `pat-sandbox-${randomBytes(16).toString('hex')}`;
  const oauth = new OAuthServer(portalId, clock, accessToken, options.oauth);
  const faults = new FaultInjector();
  const log = new RequestLog();
  const limiter = new RollingRateLimiter(options.rateLimit ?? {});
  const searchLimiter = new RollingRateLimiter(
    options.searchRateLimit ? { ...options.searchRateLimit, daily: Number.MAX_SAFE_INTEGER } : false,
  );

  let loaded: LoadedPortfolio = emptyLoadedPortfolio();
  if ((options.accounts ?? 0) > 0) {
    const now = options.now ?? new Date();
    const batches = portfolioBatches({
      seed: options.seed ?? 42,
      accounts: options.accounts!,
      tenantId: `hubspot-${portalId}`,
      now,
      usageDays: 0,
    });
    const catalogue = { accounts: [], products: productCatalogue(`hubspot-${portalId}`) };
    loaded = loadPortfolio(store, catalogue, loaded, options.objectTypes);
    for (const batch of batches) loaded = loadPortfolio(store, batch, loaded, options.objectTypes);
  }
  if (options.records) loaded = loadPortfolio(store, options.records, loaded, options.objectTypes);

  let baseUrl = '';
  const state: SandboxState = {
    store,
    search: new SearchEngine(store),
    oauth,
    faults,
    owners: loaded.owners,
    portalId,
    baseUrl: () => baseUrl,
  };
  const router = new Router();
  router.add([
    ...controlRoutes(log),
    ...oauthRoutes,
    ...propertyRoutes,
    ...associationRoutes,
    ...objectRoutes,
  ]);

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const at = new Date(clock()).toISOString();
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', baseUrl);
    const match = router.match(method, url.pathname);
    let reply: HandlerReply;
    let headers: Record<string, string> = {};
    try {
      const raw = await readBody(request);
      if (match === null) throw notFound(`No sandbox route for ${method} ${url.pathname}`);
      if (match === 'methodNotAllowed') {
        throw new HubSpotHttpError(405, {
          message: `${method} is not supported on ${url.pathname}`,
          category: 'VALIDATION_ERROR',
        });
      }
      if (!match.route.control) {
        const fault = faults.takeRequestFault(method, url.pathname);
        if (fault?.kind === 'timeout') await sleep(fault.delayMs);
        if (fault?.kind === 'server-error') {
          throw new HubSpotHttpError(fault.status ?? 500, {
            message: 'internal error',
            category: fault.status === 502 || fault.status === 504 ? 'BAD_GATEWAY' : 'INTERNAL_ERROR',
          });
        }
        if (fault?.kind === 'rate-limit') {
          const key = safeKey(request.headers.authorization);
          const error = rateLimited();
          Object.assign(error.headers, limiter.peek(key));
          throw error;
        }
      }
      if (match.route.authenticated) {
        const key = oauth.authenticate(request.headers.authorization);
        const decision = limiter.take(key);
        headers = decision.headers;
        if (!decision.allowed) throw rateLimited();
        // The search limit is the portal's, whichever app searches.
        const searching = method === 'POST' && url.pathname.endsWith('/search');
        if (searching && !searchLimiter.take(String(portalId)).allowed) {
          // Refused requests do not count against the ten-secondly window either.
          limiter.refund(key);
          headers = limiter.peek(key);
          throw searchRateLimited();
        }
      }
      const { body, form } = parseBody(raw, request.headers['content-type']);
      reply = await match.route.handler({ method, url, params: match.params, body, form, state });
    } catch (error) {
      reply = errorReply(error);
    }
    send(response, reply, headers);
    if (match && match !== 'methodNotAllowed' && match.route.control) return;
    log.record({
      method,
      path: url.pathname,
      route: match && match !== 'methodNotAllowed' ? match.label : `${method} ${url.pathname}`,
      status: reply.status,
      at,
      durationMs: performance.now() - startedAt,
      portalId,
    });
  }

  /** The rate-limit key of a request even when its token is bad (faults come before auth). */
  function safeKey(header: string | undefined): string {
    try {
      return oauth.authenticate(header);
    } catch {
      return `${portalId}:anonymous`;
    }
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${host}:${address.port}`;

  return {
    url: baseUrl,
    portalId,
    accessToken,
    store: controls(store),
    faults,
    oauth,
    requestLog: log,
    get requests() {
      return log.entries;
    },
    resetRequestLog: () => log.reset(),
    hubspotId: (type, canonicalId) => loaded.ids.get(type)?.get(canonicalId),
    owners: loaded.owners,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
