import { CrmError } from '../adapter';
import { AUTHORIZE_URL, requiredScopes, TOKEN_PATH, TOKEN_REFRESH_MARGIN_MS } from './constants';
import { RawTokenResponse } from './raw-schemas';
import type { HubSpotTransport } from './transport';

/**
 * HubSpot OAuth 2.0: the install (authorize) URL, the code exchange and refresh at
 * /oauth/v1/token, and a token source that refreshes before the 30-minute access token expires.
 * https://developers.hubspot.com/docs/api/oauth-quickstart-guide
 */

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  portalId: string | null;
  scopes: string[];
}

export function authorizeUrl(input: {
  clientId: string;
  redirectUri: string;
  state: string;
  authorizeBase?: string;
}): string {
  const url = new URL(input.authorizeBase ?? AUTHORIZE_URL);
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  // Only the scopes Pulse needs: an install asking for more is refused by careful admins.
  url.searchParams.set('scope', requiredScopes.join(' '));
  url.searchParams.set('state', input.state);
  return url.toString();
}

function toTokens(raw: RawTokenResponse, now: Date): OAuthTokens {
  return {
    accessToken: raw.access_token,
    refreshToken: raw.refresh_token,
    expiresAt: new Date(now.getTime() + raw.expires_in * 1000),
    portalId: raw.hub_id === null || raw.hub_id === undefined ? null : String(raw.hub_id),
    scopes: raw.scopes ?? [],
  };
}

export async function exchangeCode(
  transport: HubSpotTransport,
  client: OAuthClient,
  code: string,
  now: Date,
): Promise<OAuthTokens> {
  const raw = await transport.request(
    {
      method: 'POST',
      path: TOKEN_PATH,
      form: {
        grant_type: 'authorization_code',
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uri: client.redirectUri,
        code,
      },
    },
    RawTokenResponse,
  );
  return toTokens(raw, now);
}

export async function refreshTokens(
  transport: HubSpotTransport,
  client: Pick<OAuthClient, 'clientId' | 'clientSecret'>,
  refreshToken: string,
  now: Date,
): Promise<OAuthTokens> {
  const raw = await transport.request(
    {
      method: 'POST',
      path: TOKEN_PATH,
      form: {
        grant_type: 'refresh_token',
        client_id: client.clientId,
        client_secret: client.clientSecret,
        refresh_token: refreshToken,
      },
    },
    RawTokenResponse,
  );
  return toTokens(raw, now);
}

export interface TokenSource {
  getAccessToken(): Promise<string>;
  /** Refresh now (after a 401), whatever the expiry says. */
  refresh(): Promise<void>;
}

/** A fixed private-app token: nothing to refresh, a 401 means the token was revoked. */
export function staticTokenSource(accessToken: string): TokenSource {
  return {
    getAccessToken: async () => accessToken,
    refresh: async () => {
      throw new CrmError('AUTH_EXPIRED', 'The HubSpot private-app token was rejected; create a new one');
    },
  };
}

export function oauthTokenSource(input: {
  tokens: Pick<OAuthTokens, 'accessToken' | 'refreshToken' | 'expiresAt'>;
  refresh: (refreshToken: string) => Promise<OAuthTokens>;
  /** Persist refreshed tokens (encrypted) before they are used. */
  onRefreshed?: (tokens: OAuthTokens) => Promise<void>;
  now: () => Date;
  marginMs?: number;
}): TokenSource {
  let tokens = input.tokens;
  let pending: Promise<void> | null = null;
  const margin = input.marginMs ?? TOKEN_REFRESH_MARGIN_MS;
  const refresh = () => {
    // Concurrent callers share one refresh: HubSpot may invalidate a refresh token once used.
    pending ??= (async () => {
      try {
        const fresh = await input.refresh(tokens.refreshToken);
        await input.onRefreshed?.(fresh);
        tokens = fresh;
      } finally {
        pending = null;
      }
    })();
    return pending;
  };
  return {
    async getAccessToken() {
      if (tokens.expiresAt.getTime() - margin <= input.now().getTime()) await refresh();
      return tokens.accessToken;
    },
    refresh,
  };
}
