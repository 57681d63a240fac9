import { randomBytes } from 'node:crypto';

import { expiredCredentials, HubSpotHttpError, missingCredentials } from './errors';

/**
 * The portal's credentials: a fixed private-app token, OAuth authorization codes, expiring access
 * tokens and refresh tokens. https://developers.hubspot.com/docs/api/oauth/tokens
 */

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface OAuthOptions {
  /** Access-token lifetime; HubSpot's is 30 minutes. */
  accessTokenTtlSeconds?: number;
  client?: OAuthClient;
  scopes?: string[];
}

interface AccessToken {
  token: string;
  expiresAtMs: number | null;
  refreshToken: string | null;
  /** Which rate-limit bucket the token draws from: one per app installed in the portal. */
  appKey: string;
  scopes: string[];
}

interface PendingCode {
  redirectUri: string;
  scopes: string[];
  expiresAtMs: number;
}

/** HubSpot's OAuth endpoint errors use `status` as the code, not `status: 'error'`. */
function oauthError(status: string, message: string): HubSpotHttpError {
  return new HubSpotHttpError(400, { status, message });
}

const token = (prefix: string) => `${prefix}-${randomBytes(18).toString('base64url')}`;

export class OAuthServer {
  readonly client: OAuthClient;
  readonly accessTokenTtlSeconds: number;
  readonly scopes: string[];
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, { scopes: string[] }>();
  private readonly codes = new Map<string, PendingCode>();

  constructor(
    private readonly portalId: number,
    private readonly clock: () => number,
    privateAppToken: string,
    options: OAuthOptions = {},
  ) {
    this.client = options.client ?? { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' };
    this.accessTokenTtlSeconds = options.accessTokenTtlSeconds ?? 1800;
    this.scopes = options.scopes ?? ['oauth', 'crm.objects.companies.read', 'crm.objects.companies.write'];
    this.accessTokens.set(privateAppToken, {
      token: privateAppToken,
      expiresAtMs: null,
      refreshToken: null,
      appKey: 'private-app',
      scopes: this.scopes,
    });
  }

  /** What the authorize page does once the user approves: a one-use code for the redirect URI. */
  issueAuthorizationCode(redirectUri: string, scopes: string[] = this.scopes): string {
    const code = token('code');
    this.codes.set(code, { redirectUri, scopes, expiresAtMs: this.clock() + 10 * 60_000 });
    return code;
  }

  /** `POST /oauth/v1/token` with `grant_type` authorization_code or refresh_token. */
  exchange(form: Record<string, string>) {
    if (form.client_id !== this.client.clientId)
      throw oauthError('BAD_CLIENT_ID', 'missing or unknown client id');
    if (form.client_secret !== this.client.clientSecret) {
      throw oauthError('BAD_CLIENT_SECRET', 'missing or invalid client secret');
    }
    let scopes: string[];
    if (form.grant_type === 'authorization_code') {
      const pending = form.code ? this.codes.get(form.code) : undefined;
      if (!pending || pending.expiresAtMs < this.clock()) {
        throw oauthError('BAD_AUTH_CODE', 'missing or unknown auth code');
      }
      if (form.redirect_uri !== pending.redirectUri) {
        throw oauthError('BAD_REDIRECT_URI', 'redirect_uri does not match the one the code was issued for');
      }
      this.codes.delete(form.code!);
      scopes = pending.scopes;
    } else if (form.grant_type === 'refresh_token') {
      const refresh = form.refresh_token ? this.refreshTokens.get(form.refresh_token) : undefined;
      if (!refresh) throw oauthError('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
      scopes = refresh.scopes;
    } else {
      throw oauthError('BAD_GRANT_TYPE', `unsupported grant_type '${form.grant_type ?? ''}'`);
    }
    const refreshToken = form.grant_type === 'refresh_token' ? form.refresh_token! : token('refresh');
    this.refreshTokens.set(refreshToken, { scopes });
    const accessToken = token('access');
    this.accessTokens.set(accessToken, {
      token: accessToken,
      expiresAtMs: this.clock() + this.accessTokenTtlSeconds * 1000,
      refreshToken,
      appKey: `oauth:${this.client.clientId}`,
      scopes,
    });
    return {
      token_type: 'bearer',
      refresh_token: refreshToken,
      access_token: accessToken,
      expires_in: this.accessTokenTtlSeconds,
    };
  }

  /** Checks a request's `Authorization: Bearer` header; returns the rate-limit bucket key. */
  authenticate(header: string | undefined): string {
    const match = header?.match(/^Bearer\s+(.+)$/i);
    const record = match ? this.accessTokens.get(match[1]!.trim()) : undefined;
    if (!record) throw missingCredentials();
    const now = this.clock();
    if (record.expiresAtMs !== null && record.expiresAtMs <= now)
      throw expiredCredentials(record.expiresAtMs, now);
    return `${this.portalId}:${record.appKey}`;
  }

  /** Test hook: make an access token expire now (as if its 30 minutes had passed). */
  expireAccessToken(accessToken: string): void {
    const record = this.accessTokens.get(accessToken);
    if (record) record.expiresAtMs = this.clock() - 1;
  }

  /** `GET /oauth/v1/access-tokens/{token}`. */
  describe(accessToken: string) {
    const record = this.accessTokens.get(accessToken);
    const now = this.clock();
    if (!record || (record.expiresAtMs !== null && record.expiresAtMs <= now)) {
      throw new HubSpotHttpError(404, {
        message: 'access token not found or expired',
        category: 'OBJECT_NOT_FOUND',
      });
    }
    return {
      token: accessToken,
      user: 'sandbox-user@example.com',
      hub_domain: `sandbox-${this.portalId}.hubspot.test`,
      scopes: record.scopes,
      scope_to_scope_group_pks: [],
      trial_scopes: [],
      trial_scope_to_scope_group_pks: [],
      hub_id: this.portalId,
      app_id: 1,
      expires_in: record.expiresAtMs === null ? 0 : Math.floor((record.expiresAtMs - now) / 1000),
      user_id: 1,
      token_type: 'access',
    };
  }
}
