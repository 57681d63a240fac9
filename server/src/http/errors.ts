import type { ErrorCode, FieldError } from '@pulse/shared/api/contract';
import type { ErrorRequestHandler } from 'express';

const statusByCode: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  CRM_ERROR: 502,
  INTERNAL: 500,
};

/** An error a handler throws to answer `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): number {
    return statusByCode[this.code];
  }

  static invalid(message: string, fields: FieldError[]): ApiError {
    return new ApiError('INVALID_INPUT', message, { fields });
  }
}

export const errorHandler: ErrorRequestHandler = (error, _request, response, _next) => {
  if (error instanceof ApiError) {
    response
      .status(error.status)
      .json({ error: { code: error.code, message: error.message, details: error.details } });
    return;
  }
  const status = (error as { status?: number; type?: string }).status;
  if (status === 413) {
    response.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' } });
    return;
  }
  if (status === 400 && (error as { type?: string }).type === 'entity.parse.failed') {
    response
      .status(400)
      .json({ error: { code: 'INVALID_INPUT', message: 'Request body is not valid JSON' } });
    return;
  }
  console.error(error);
  response.status(500).json({ error: { code: 'INTERNAL', message: 'Internal error' } });
};
