import { Client } from '@hubspot/api-client';
import type { z } from 'zod';

import { CrmError } from '../adapter';
import type { RateObservation, ReleaseSlot } from '../rate-limiter';
import { REQUEST_TIMEOUT_MS, rateLimitHeaders } from './constants';
import { classifyHubSpotFailure, classifyNetworkFailure } from './errors';
import type { PortalLimiters } from './portal-limiters';

/**
 * Every HubSpot call goes through here: the real @hubspot/api-client (its own retries and
 * Bottleneck limiter switched off, so Pulse's limiter and retry policy are the only ones), the
 * per-portal rate limiters (searches wait for the search limit, then every request for the burst
 * budget), a timeout, zod parsing of the answer and error classification.
 */

export interface HubSpotRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  qs?: Record<string, string>;
  body?: unknown;
  /** application/x-www-form-urlencoded body (OAuth token endpoint), sent without a token. */
  form?: Record<string, string>;
}

export interface HubSpotTransport {
  request<T>(request: HubSpotRequest, schema: z.ZodType<T>): Promise<T>;
  /** Requests sent (answered or not). */
  readonly stats: { calls: number; rateLimited: number };
}

export interface TransportOptions {
  basePath: string;
  /** The token to send, fetched per request so OAuth tokens can be refreshed underneath. */
  getAccessToken: () => Promise<string | null>;
  limiters?: Partial<PortalLimiters> | undefined;
  timeoutMs?: number;
  now?: () => Date;
}

function numberHeader(headers: { get(name: string): string | null }, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || value === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

export function createHubSpotTransport(options: TransportOptions): HubSpotTransport {
  const basePath = options.basePath.replace(/\/+$/, '');
  const client = new Client({ basePath, numberOfApiCallRetries: 0 });
  let currentToken: string | null = null;
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const now = options.now ?? (() => new Date());
  const stats = { calls: 0, rateLimited: 0 };

  const isSearch = (request: HubSpotRequest) => request.method === 'POST' && request.path.endsWith('/search');

  /** Waits for the limiters this request needs; the slots are released when it is answered. */
  async function acquire(request: HubSpotRequest): Promise<(response: Response | null) => void> {
    const { requests, search } = options.limiters ?? {};
    const searchSlot: ReleaseSlot | undefined = isSearch(request) ? await search?.acquire() : undefined;
    let requestSlot: ReleaseSlot | undefined;
    try {
      requestSlot = await requests?.acquire();
    } catch (error) {
      searchSlot?.();
      throw error;
    }
    return (response) => {
      if (!response) {
        searchSlot?.();
        requestSlot?.();
        return;
      }
      const headers = response.headers;
      const retryAfter = numberHeader(headers, rateLimitHeaders.retryAfter);
      const retryAfterMs =
        response.status === 429 && retryAfter !== undefined ? retryAfter * 1000 : undefined;
      const observation: RateObservation = {
        remaining: numberHeader(headers, rateLimitHeaders.remaining),
        max: numberHeader(headers, rateLimitHeaders.max),
        intervalMs: numberHeader(headers, rateLimitHeaders.intervalMs),
      };
      // A search answered 429 hit the search limit unless the burst window says it is spent.
      const searchLimited =
        searchSlot !== undefined && response.status === 429 && observation.remaining !== 0;
      searchSlot?.(searchLimited && retryAfterMs !== undefined ? { retryAfterMs } : undefined);
      requestSlot?.(searchLimited ? observation : { ...observation, retryAfterMs });
    };
  }

  async function send(request: HubSpotRequest): Promise<Response> {
    const label = `${request.method} ${request.path}`;
    if (!request.form) {
      const token = await options.getAccessToken();
      if (token !== currentToken) {
        client.setAccessToken(token ?? '');
        currentToken = token;
      }
    }
    const release = await acquire(request);
    stats.calls += 1;
    const pending = client.apiRequest({
      method: request.method,
      path: request.path,
      ...(request.qs ? { qs: request.qs } : {}),
      ...(request.form
        ? {
            authType: 'none',
            defaultJson: false,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(request.form).toString(),
          }
        : request.body !== undefined
          ? { body: request.body }
          : {}),
    }) as unknown as Promise<Response>;
    let timer: NodeJS.Timeout | undefined;
    // The SDK's fetch takes no AbortSignal; a request that outlives the timeout is abandoned.
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const response = await Promise.race([pending, timeout]);
      release(response);
      return response;
    } catch (error) {
      release(null);
      pending.catch(() => undefined);
      throw classifyNetworkFailure(error, label);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    stats,
    async request(request, schema) {
      const label = `${request.method} ${request.path}`;
      const response = await send(request);
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw classifyNetworkFailure(error, label);
      }
      let body: unknown = text;
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        // Not JSON (a proxy's HTML error page): keep the text for the message.
      }
      if (response.status < 200 || response.status >= 300) {
        if (response.status === 429) stats.rateLimited += 1;
        throw classifyHubSpotFailure({
          status: response.status,
          headers: response.headers,
          body,
          request: label,
          now: now(),
        });
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const problems = parsed.error.issues
          .slice(0, 5)
          .map((issue) => `${issue.path.join('.')}: ${issue.message}`);
        throw new CrmError(
          'UNKNOWN',
          `HubSpot ${label} answered an unexpected shape: ${problems.join('; ')}`,
          {
            status: response.status,
            details: { problems },
          },
        );
      }
      return parsed.data;
    },
  };
}
