import { createHmac, randomBytes, verify } from 'node:crypto';

/**
 * The sandbox's OAuth server: web-server flow (authorize -> code -> tokens), refresh tokens, and
 * the JWT bearer flow with an RS256 assertion checked against the connected app's certificate key.
 * Errors use Salesforce's OAuth error body `{ error, error_description }` with status 400.
 */

export interface ConnectedApp {
  clientId: string;
  clientSecret: string;
  /** PEM public key (or certificate) the JWT bearer assertion must be signed for. */
  jwtPublicKey?: string;
  /** Usernames allowed to log in with the JWT bearer flow. */
  usernames: string[];
}

export interface Session {
  accessToken: string;
  userId: string;
  expiresAt: number;
}

export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

export class SandboxAuth {
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly codes = new Map<string, { redirectUri: string; userId: string }>();

  constructor(
    private readonly app: ConnectedApp,
    private readonly userId: string,
    private readonly now: () => Date,
    /** How long an access token lives; Salesforce's default session timeout is 2 hours. */
    private readonly sessionMs: number,
  ) {}

  /** A fixed token (the CLI's --token) never expires, so a restart keeps .env valid. */
  issueSession(fixedToken?: string): Session {
    const session = {
      accessToken: fixedToken ?? `00D5g00000PULSE1!${randomBytes(24).toString('base64url')}`,
      userId: this.userId,
      expiresAt: fixedToken ? Number.POSITIVE_INFINITY : this.now().getTime() + this.sessionMs,
    };
    this.sessions.set(session.accessToken, session);
    return session;
  }

  /** The session of a bearer token, or null when it is unknown or expired (INVALID_SESSION_ID). */
  session(accessToken: string | null): Session | null {
    if (!accessToken) return null;
    const session = this.sessions.get(accessToken);
    if (!session || session.expiresAt <= this.now().getTime()) return null;
    return session;
  }

  expireAllSessions(): void {
    this.sessions.clear();
  }

  authorize(query: URLSearchParams): string {
    if (query.get('response_type') !== 'code')
      throw new OAuthError('unsupported_response_type', 'response type not supported');
    if (query.get('client_id') !== this.app.clientId)
      throw new OAuthError('invalid_client_id', 'client identifier invalid');
    const redirectUri = query.get('redirect_uri');
    if (!redirectUri) throw new OAuthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
    const code = `aPrx${randomBytes(16).toString('base64url')}`;
    this.codes.set(code, { redirectUri, userId: this.userId });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = query.get('state');
    if (state) target.searchParams.set('state', state);
    return target.toString();
  }

  private checkClient(form: URLSearchParams): void {
    if (form.get('client_id') !== this.app.clientId)
      throw new OAuthError('invalid_client_id', 'client identifier invalid');
    if (form.get('client_secret') !== this.app.clientSecret)
      throw new OAuthError('invalid_client', 'invalid client credentials');
  }

  token(form: URLSearchParams, issuerUrl: string) {
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      this.checkClient(form);
      const entry = this.codes.get(form.get('code') ?? '');
      if (!entry) throw new OAuthError('invalid_grant', 'invalid authorization code');
      if (entry.redirectUri !== form.get('redirect_uri'))
        throw new OAuthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
      this.codes.delete(form.get('code')!);
      const refreshToken = `5Aep${randomBytes(24).toString('base64url')}`;
      this.refreshTokens.set(refreshToken, entry.userId);
      return this.tokenResponse(this.issueSession(), issuerUrl, refreshToken);
    }
    if (grant === 'refresh_token') {
      this.checkClient(form);
      if (!this.refreshTokens.has(form.get('refresh_token') ?? '')) {
        throw new OAuthError('invalid_grant', 'expired access/refresh token');
      }
      return this.tokenResponse(this.issueSession(), issuerUrl);
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      this.verifyAssertion(form.get('assertion') ?? '', issuerUrl);
      return this.tokenResponse(this.issueSession(), issuerUrl);
    }
    throw new OAuthError('unsupported_grant_type', 'grant type not supported');
  }

  private verifyAssertion(assertion: string, issuerUrl: string): void {
    const [header, payload, signature] = assertion.split('.');
    if (!header || !payload || !signature) throw new OAuthError('invalid_grant', 'invalid assertion');
    let claims: { iss?: string; sub?: string; aud?: string; exp?: number };
    let algorithm: string | undefined;
    try {
      algorithm = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')).alg;
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw new OAuthError('invalid_grant', 'invalid assertion');
    }
    if (algorithm !== 'RS256')
      throw new OAuthError('invalid_grant', 'invalid assertion: algorithm must be RS256');
    if (!this.app.jwtPublicKey)
      throw new OAuthError('invalid_client', 'no certificate configured for the connected app');
    const valid = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      this.app.jwtPublicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!valid) throw new OAuthError('invalid_grant', 'invalid assertion signature');
    if (claims.iss !== this.app.clientId)
      throw new OAuthError('invalid_client_id', 'client identifier invalid');
    const audiences = [issuerUrl, 'https://login.salesforce.com', 'https://test.salesforce.com'];
    if (!claims.aud || !audiences.includes(claims.aud.replace(/\/$/, ''))) {
      throw new OAuthError('invalid_grant', 'audience is invalid');
    }
    if (!claims.sub || !this.app.usernames.includes(claims.sub)) {
      throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.now().getTime()) {
      throw new OAuthError('invalid_grant', 'expired authorization code');
    }
  }

  private tokenResponse(session: Session, issuerUrl: string, refreshToken?: string) {
    const issuedAt = String(this.now().getTime());
    const id = `${issuerUrl}/id/00D5g00000PULSE1AAA/${session.userId}`;
    return {
      access_token: session.accessToken,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      instance_url: issuerUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
      scope: 'api refresh_token',
      signature: createHmac('sha256', this.app.clientSecret)
        .update(id + issuedAt)
        .digest('base64'),
    };
  }
}
