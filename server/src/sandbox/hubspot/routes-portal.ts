import { validationError } from './errors';
import { parseFaultSpec } from './faults';
import { hubSpotLimits } from './limits';
import { bodyObject, objectTypeParam } from './object-json';
import type { PropertyCreateInput } from './property-registry';
import type { RequestLog } from './request-log';
import type { HandlerRequest, RouteDefinition } from './router';

/** Properties and groups, OAuth, owners, and the sandbox's own control API. */

export const propertyRoutes: RouteDefinition[] = [
  {
    method: 'GET',
    path: '/crm/v3/properties/{type}',
    authenticated: true,
    handler: (request) => ({
      status: 200,
      body: { results: request.state.store.registry.list(objectTypeParam(request)) },
    }),
  },
  {
    method: 'POST',
    path: '/crm/v3/properties/{type}',
    authenticated: true,
    handler: (request) => ({
      status: 201,
      body: request.state.store.registry.create(
        objectTypeParam(request),
        bodyObject(request.body) as PropertyCreateInput,
      ),
    }),
  },
  {
    method: 'GET',
    path: '/crm/v3/properties/{type}/groups',
    authenticated: true,
    handler: (request) => ({
      status: 200,
      body: { results: request.state.store.registry.listGroups(objectTypeParam(request)) },
    }),
  },
  {
    method: 'POST',
    path: '/crm/v3/properties/{type}/groups',
    authenticated: true,
    handler: (request) => ({
      status: 201,
      body: request.state.store.registry.createGroup(objectTypeParam(request), bodyObject(request.body)),
    }),
  },
  {
    method: 'GET',
    path: '/crm/v3/properties/{type}/{name}',
    authenticated: true,
    handler: (request) => ({
      status: 200,
      body: request.state.store.registry.read(objectTypeParam(request), request.params.name!),
    }),
  },
  {
    method: 'PATCH',
    path: '/crm/v3/properties/{type}/{name}',
    authenticated: true,
    handler: (request) => ({
      status: 200,
      body: request.state.store.registry.update(
        objectTypeParam(request),
        request.params.name!,
        bodyObject(request.body) as PropertyCreateInput,
      ),
    }),
  },
];

function owners(request: HandlerRequest) {
  const limit = Math.min(
    Number(request.url.searchParams.get('limit') ?? 100) || 100,
    hubSpotLimits.ownersMaxPageSize,
  );
  const after = Number(request.url.searchParams.get('after') ?? 0) || 0;
  const all = request.state.owners;
  const page = all.slice(after, after + limit).map((owner, index) => ({
    id: owner.id,
    email: owner.email,
    firstName: owner.firstName,
    lastName: owner.lastName,
    userId: after + index + 1,
    createdAt: '2019-01-01T00:00:00.000Z',
    updatedAt: '2019-01-01T00:00:00.000Z',
    archived: false,
  }));
  const next = after + limit < all.length ? String(after + limit) : null;
  return { status: 200, body: { results: page, ...(next ? { paging: { next: { after: next } } } : {}) } };
}

/** The consent screen approves at once: redirect back with a code, as HubSpot does after "Connect app". */
function authorize(request: HandlerRequest) {
  const query = request.url.searchParams;
  const redirectUri = query.get('redirect_uri');
  if (query.get('client_id') !== request.state.oauth.client.clientId)
    throw validationError('unknown client_id');
  if (!redirectUri) throw validationError('redirect_uri is required');
  const scopes = (query.get('scope') ?? '').split(/[ +]/).filter(Boolean);
  const code = request.state.oauth.issueAuthorizationCode(
    redirectUri,
    scopes.length > 0 ? scopes : undefined,
  );
  const target = new URL(redirectUri);
  target.searchParams.set('code', code);
  const state = query.get('state');
  if (state !== null) target.searchParams.set('state', state);
  return { status: 302, headers: { Location: target.href } };
}

export const oauthRoutes: RouteDefinition[] = [
  {
    method: 'POST',
    path: '/oauth/v1/token',
    authenticated: false,
    handler: (request) => ({ status: 200, body: request.state.oauth.exchange(request.form) }),
  },
  {
    method: 'GET',
    path: '/oauth/v1/access-tokens/{token}',
    authenticated: false,
    handler: (request) => ({ status: 200, body: request.state.oauth.describe(request.params.token!) }),
  },
  { method: 'GET', path: '/oauth/authorize', authenticated: false, handler: authorize },
  { method: 'GET', path: '/crm/v3/owners', authenticated: true, handler: owners },
];

export function controlRoutes(log: RequestLog): RouteDefinition[] {
  return [
    {
      method: 'POST',
      path: '/__sandbox/faults',
      authenticated: false,
      control: true,
      handler: (request) => ({
        status: 201,
        body: { id: request.state.faults.add(parseFaultSpec(request.body)) },
      }),
    },
    {
      method: 'GET',
      path: '/__sandbox/faults',
      authenticated: false,
      control: true,
      handler: (request) => ({ status: 200, body: { results: request.state.faults.pending() } }),
    },
    {
      method: 'DELETE',
      path: '/__sandbox/faults',
      authenticated: false,
      control: true,
      handler: (request) => {
        request.state.faults.clear();
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      path: '/__sandbox/requests',
      authenticated: false,
      control: true,
      handler: () => ({ status: 200, body: { total: log.count(), byRoute: log.countByRoute() } }),
    },
    {
      method: 'DELETE',
      path: '/__sandbox/requests',
      authenticated: false,
      control: true,
      handler: () => {
        log.reset();
        return { status: 204 };
      },
    },
  ];
}
