import { randomUUID } from 'node:crypto';

/**
 * HubSpot's error body: `{ status: 'error', message, correlationId, category, ... }`.
 * https://developers.hubspot.com/docs/api/error-handling
 */
export interface HubSpotErrorBody {
  status: string;
  message: string;
  correlationId: string;
  category?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: unknown[];
  [extra: string]: unknown;
}

/** Thrown by handlers; the server turns it into the HTTP status and HubSpot's body. */
export class HubSpotHttpError extends Error {
  readonly status: number;
  readonly body: HubSpotErrorBody;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    body: { message: string; status?: string; category?: string; [extra: string]: unknown },
    headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.status = status;
    this.body = { status: 'error', correlationId: randomUUID(), ...body };
    this.headers = headers;
  }
}

export function validationError(message: string, extra: Partial<HubSpotErrorBody> = {}): HubSpotHttpError {
  return new HubSpotHttpError(400, { message, category: 'VALIDATION_ERROR', ...extra });
}

export function notFound(message = 'resource not found'): HubSpotHttpError {
  return new HubSpotHttpError(404, { message, category: 'OBJECT_NOT_FOUND' });
}

export function conflict(message: string, subCategory?: string): HubSpotHttpError {
  return new HubSpotHttpError(409, {
    message,
    category: 'OBJECT_ALREADY_EXISTS',
    ...(subCategory ? { subCategory } : {}),
  });
}

/** HubSpot answers a missing or unknown token with this message. */
export function missingCredentials(): HubSpotHttpError {
  return new HubSpotHttpError(401, {
    message:
      'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    category: 'INVALID_AUTHENTICATION',
  });
}

export function expiredCredentials(expiredAtMs: number, nowMs: number): HubSpotHttpError {
  const seconds = Math.max(0, Math.floor((nowMs - expiredAtMs) / 1000));
  return new HubSpotHttpError(401, {
    message: `The OAuth token used to make this call expired ${seconds} second(s) ago.`,
    category: 'EXPIRED_AUTHENTICATION',
    context: { 'expire time': [new Date(expiredAtMs).toISOString()] },
  });
}

/** The ten-secondly rolling limit body; @hubspot/api-client's retry keys on `policyName`. */
export function rateLimited(): HubSpotHttpError {
  return new HubSpotHttpError(429, {
    message: 'You have reached your ten_secondly_rolling limit.',
    errorType: 'RATE_LIMIT',
    policyName: 'TEN_SECONDLY_ROLLING',
  });
}

/**
 * CRM search's own per-second limit. HubSpot documents the limit, not the body; this follows the
 * ten-secondly body with the secondly policy name.
 */
export function searchRateLimited(): HubSpotHttpError {
  return new HubSpotHttpError(429, {
    message: 'You have reached your secondly limit.',
    errorType: 'RATE_LIMIT',
    policyName: 'SECONDLY',
  });
}

/** Batch endpoints reject more inputs than their limit, before doing any work. */
export function tooManyInputs(count: number, maximum: number): HubSpotHttpError {
  return validationError(
    `Too many inputs: ${count}. The maximum number of inputs per batch request is ${maximum}.`,
    {
      context: { inputs: [String(count)], maximum: [String(maximum)] },
    },
  );
}
