import { CrmError } from '../adapter';
import { DAILY_POLICY, rateLimitHeaders } from './constants';
import { RawErrorBody } from './raw-schemas';

/**
 * HubSpot answers → the neutral CrmError codes. One function, so the retry policy never sees a
 * vendor status code. https://developers.hubspot.com/docs/api/error-handling
 */

export interface HubSpotFailure {
  status: number;
  headers: { get(name: string): string | null };
  body: unknown;
  /** For the message: `GET /crm/v3/objects/companies`. */
  request: string;
  now: Date;
}

function retryAfterMs(headers: HubSpotFailure['headers']): number | undefined {
  const value = headers.get(rateLimitHeaders.retryAfter);
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function untilNextUtcMidnight(now: Date): number {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return midnight - now.getTime();
}

export function classifyHubSpotFailure(failure: HubSpotFailure): CrmError {
  const parsed = RawErrorBody.safeParse(failure.body);
  const body = parsed.success ? parsed.data : {};
  const vendorMessage = body.message ?? (typeof failure.body === 'string' ? failure.body.slice(0, 200) : '');
  const message = `HubSpot ${failure.request} answered ${failure.status}${vendorMessage ? `: ${vendorMessage}` : ''}`;
  const details = {
    category: body.category ?? null,
    correlationId: body.correlationId ?? null,
    context: body.context ?? null,
  };
  const { status } = failure;
  if (status === 429) {
    const daily = body.policyName === DAILY_POLICY;
    const wait = daily
      ? untilNextUtcMidnight(failure.now)
      : (retryAfterMs(failure.headers) ?? intervalHeader(failure.headers) ?? 1_000);
    return new CrmError('RATE_LIMITED', message, {
      status,
      retryAfterMs: wait,
      details: { ...details, policyName: body.policyName ?? null },
    });
  }
  if (status === 401) return new CrmError('AUTH_EXPIRED', message, { status, details });
  if (status === 403) return new CrmError('INSUFFICIENT_SCOPE', message, { status, details });
  if (status === 404) return new CrmError('NOT_FOUND', message, { status, details });
  if (status === 408 || status >= 500) return new CrmError('TEMPORARY', message, { status, details });
  if (status === 400 || status === 409 || status === 422)
    return new CrmError('INVALID', message, { status, details });
  return new CrmError('UNKNOWN', message, { status, details });
}

function intervalHeader(headers: HubSpotFailure['headers']): number | undefined {
  // A rolling-window 429 rarely carries Retry-After; a tenth of the window is a safe first wait.
  const interval = Number(headers.get(rateLimitHeaders.intervalMs));
  return Number.isFinite(interval) && interval > 0 ? Math.ceil(interval / 10) : undefined;
}

/** A request that never answered: refused, reset, timed out. Worth retrying. */
export function classifyNetworkFailure(error: unknown, request: string): CrmError {
  const reason = error instanceof Error ? error.message : String(error);
  return new CrmError('TEMPORARY', `HubSpot ${request} failed without an answer: ${reason}`, {
    cause: error,
  });
}
