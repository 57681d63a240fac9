import type { SeedOwner } from './demo-mapping';
import type { FaultInjector } from './faults';
import type { OAuthServer } from './oauth';
import type { ObjectStore } from './object-store';
import type { SearchEngine } from './search';

/** The small router the sandbox's routes plug into: HubSpot paths as templates, JSON in and out. */

export interface SandboxState {
  store: ObjectStore;
  search: SearchEngine;
  oauth: OAuthServer;
  faults: FaultInjector;
  owners: SeedOwner[];
  portalId: number;
  baseUrl: () => string;
}

export interface HandlerRequest {
  method: string;
  url: URL;
  params: Record<string, string>;
  /** Parsed JSON body (undefined when none). */
  body: unknown;
  /** Parsed `application/x-www-form-urlencoded` body. */
  form: Record<string, string>;
  state: SandboxState;
}

export interface HandlerReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: HandlerRequest) => HandlerReply | Promise<HandlerReply>;

export interface RouteDefinition {
  method: string;
  /** `/crm/v3/objects/{type}/{id}`: `{name}` matches one path segment. */
  path: string;
  /** Needs a bearer token and counts against the rate limit (false for OAuth and control routes). */
  authenticated: boolean;
  /** Control routes are not recorded in the request log. */
  control?: boolean;
  handler: Handler;
}

interface CompiledRoute extends RouteDefinition {
  pattern: RegExp;
  names: string[];
}

export interface RouteMatch {
  route: CompiledRoute;
  params: Record<string, string>;
  /** The path with ids replaced by `{id}` and the object type kept, for call counting. */
  label: string;
}

/** Parameters whose value stays in a route label (object types); all others become `{name}`. */
const keptParameters = new Set(['type', 'from', 'to']);

export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(definitions: RouteDefinition[]): void {
    for (const definition of definitions) {
      const names: string[] = [];
      const source = definition.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      this.routes.push({ ...definition, pattern: new RegExp(`^${source}/?$`), names });
    }
  }

  /** Null when no route has this path; `methodNotAllowed` when only the method is wrong. */
  match(method: string, path: string): RouteMatch | null | 'methodNotAllowed' {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1]!);
      });
      const label = route.path.replace(/\{(\w+)\}/g, (_match, name: string) =>
        keptParameters.has(name) ? params[name]! : `{${name}}`,
      );
      return { route, params, label: `${method} ${label}` };
    }
    return pathMatched ? 'methodNotAllowed' : null;
  }
}
