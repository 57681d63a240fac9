import { z } from 'zod';

/**
 * An HTTP endpoint's contract: the zod schemas of its params, query, body and response. The Express
 * handler (server/src/http/endpoint.ts) and the typed test/console client are built from the same
 * declaration, so they cannot drift.
 */
export interface Endpoint<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  params: P;
  query: Q;
  body: B;
  response: R;
}

const empty = z.object({}).strict();

export function endpoint<
  P extends z.ZodType = typeof empty,
  Q extends z.ZodType = typeof empty,
  B extends z.ZodType = typeof empty,
  R extends z.ZodType = z.ZodUnknown,
>(definition: {
  method: Endpoint['method'];
  path: string;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
}): Endpoint<P, Q, B, R> {
  return {
    method: definition.method,
    path: definition.path,
    params: (definition.params ?? z.object({})) as P,
    query: (definition.query ?? z.object({}).loose()) as Q,
    body: (definition.body ?? z.unknown()) as B,
    response: definition.response,
  };
}

export const errorCodes = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'CRM_ERROR',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Field-level problems of a 400: `{ path: 'factors.2.weight', message: '...' }`. */
export interface FieldError {
  path: string;
  message: string;
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}
