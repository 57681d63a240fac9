import { sign } from 'node:crypto';
import { Connection, OAuth2, type Schema } from 'jsforce';
import type { SessionRefreshFunc } from 'jsforce/lib/session-refresh-delegate';

import { CrmError } from '../adapter';
import { JWT_BEARER_GRANT, OAUTH_SCOPES, SALESFORCE_API_VERSION } from './constants';
import { classifySalesforceError } from './errors';

/**
 * Connecting to an org: the OAuth web-server flow (authorize URL, code exchange), the JWT bearer
 * flow for server-to-server installs, and a jsforce Connection that refreshes its session on
 * INVALID_SESSION_ID (by refresh token or a new JWT assertion) and reports new tokens so the
 * caller can store them encrypted.
 */

export interface SalesforceTokens {
  instanceUrl: string;
  accessToken: string;
  refreshToken: string | null;
}

export interface SalesforceAuthOptions {
  loginUrl: string;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  /** JWT bearer flow: the connected app's certificate key signs an assertion for this user. */
  jwt?: { username: string; privateKey: string };
  apiVersion?: string;
  /** Called with new tokens after a code exchange or a session refresh. */
  onTokens?: (tokens: SalesforceTokens) => void | Promise<void>;
}

function oauth(options: SalesforceAuthOptions) {
  return new OAuth2({
    loginUrl: options.loginUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: options.redirectUri,
  });
}

export function authorizationUrl(options: SalesforceAuthOptions, state: string): string {
  if (!options.clientId || !options.redirectUri) {
    throw new CrmError(
      'INVALID',
      'SALESFORCE_CLIENT_ID and a redirect URI are needed for the OAuth web-server flow',
    );
  }
  return oauth(options).getAuthorizationUrl({ scope: OAUTH_SCOPES.join(' '), state });
}

export async function exchangeAuthorizationCode(
  options: SalesforceAuthOptions,
  code: string,
): Promise<SalesforceTokens> {
  try {
    const response = await oauth(options).requestToken(code);
    return {
      instanceUrl: response.instance_url,
      accessToken: response.access_token,
      refreshToken: response.refresh_token ?? null,
    };
  } catch (error) {
    throw classifySalesforceError(error, 'authorization code exchange');
  }
}

/** An RS256-signed assertion valid for three minutes (Salesforce's maximum). */
export function jwtAssertion(input: {
  clientId: string;
  username: string;
  audience: string;
  privateKey: string;
  now: Date;
}) {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'RS256', typ: 'JWT' });
  const claims = encode({
    iss: input.clientId,
    sub: input.username,
    aud: input.audience,
    exp: Math.floor(input.now.getTime() / 1000) + 180,
  });
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${claims}`), input.privateKey).toString(
    'base64url',
  );
  return `${header}.${claims}.${signature}`;
}

export async function jwtBearerLogin(
  options: SalesforceAuthOptions,
  now = new Date(),
): Promise<SalesforceTokens> {
  if (!options.jwt || !options.clientId) {
    throw new CrmError(
      'INVALID',
      'The JWT bearer flow needs SALESFORCE_CLIENT_ID, SALESFORCE_USERNAME and a private key',
    );
  }
  try {
    const response = await oauth({
      ...options,
      clientSecret: undefined,
      redirectUri: undefined,
    }).requestToken({
      grant_type: JWT_BEARER_GRANT,
      assertion: jwtAssertion({
        clientId: options.clientId,
        username: options.jwt.username,
        audience: options.loginUrl.replace(/\/$/, ''),
        privateKey: options.jwt.privateKey,
        now,
      }),
    });
    return { instanceUrl: response.instance_url, accessToken: response.access_token, refreshToken: null };
  } catch (error) {
    throw classifySalesforceError(error, 'JWT bearer login');
  }
}

/** A jsforce Connection for stored tokens; refreshes itself when the session expires. */
export function createConnection(
  options: SalesforceAuthOptions,
  tokens: Partial<SalesforceTokens>,
): Connection {
  const refreshFn: SessionRefreshFunc<Schema> | undefined = options.jwt
    ? (connection, callback) => {
        jwtBearerLogin(options).then(
          (fresh) => {
            connection.accessToken = fresh.accessToken;
            connection.instanceUrl = fresh.instanceUrl;
            callback(null, fresh.accessToken);
          },
          (error: Error) => callback(error),
        );
      }
    : undefined;
  const connection = new Connection({
    version: options.apiVersion ?? SALESFORCE_API_VERSION,
    loginUrl: options.loginUrl,
    instanceUrl: tokens.instanceUrl,
    accessToken: tokens.accessToken ?? undefined,
    refreshToken: options.clientId && !options.jwt ? (tokens.refreshToken ?? undefined) : undefined,
    oauth2: options.clientId
      ? {
          loginUrl: options.loginUrl,
          clientId: options.clientId,
          clientSecret: options.clientSecret,
          redirectUri: options.redirectUri,
        }
      : undefined,
    ...(refreshFn ? { refreshFn } : {}),
  });
  connection.on('refresh', (accessToken: string) => {
    void options.onTokens?.({
      instanceUrl: connection.instanceUrl,
      accessToken,
      refreshToken: connection.refreshToken ?? tokens.refreshToken ?? null,
    });
  });
  return connection;
}
