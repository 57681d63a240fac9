import type { Endpoint } from '@pulse/shared/api/contract';
import { fieldErrors } from '@pulse/shared/api/contract';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';

import { ApiError } from './errors';

export interface HandlerInput<E extends Endpoint> {
  params: z.infer<E['params']>;
  query: z.infer<E['query']>;
  body: z.infer<E['body']>;
  request: Request;
  response: Response;
}

/**
 * Mounts a handler for a contract: params, query and body are parsed (400 naming the fields on
 * failure) before the handler runs, and its result is the JSON response.
 */
export function mount<E extends Endpoint>(
  router: Router,
  contract: E,
  /** Returns the response body, or `undefined` after answering itself (a stream, pre-serialised JSON). */
  handler: (
    input: HandlerInput<E>,
  ) => Promise<z.input<E['response']> | undefined> | z.input<E['response']> | undefined,
  ...middleware: RequestHandler[]
): void {
  const run = async (request: Request, response: Response, next: NextFunction) => {
    try {
      const params = contract.params.safeParse(request.params);
      const query = contract.query.safeParse(request.query);
      const body = contract.body.safeParse(request.body ?? {});
      const failures = [
        ...(params.success ? [] : fieldErrors(params.error).map((f) => ({ ...f, path: `params.${f.path}` }))),
        ...(query.success ? [] : fieldErrors(query.error).map((f) => ({ ...f, path: `query.${f.path}` }))),
        ...(body.success ? [] : fieldErrors(body.error).map((f) => ({ ...f, path: `body.${f.path}` }))),
      ];
      if (failures.length > 0) {
        throw ApiError.invalid(
          `Invalid request: ${failures.map((f) => `${f.path} ${f.message}`).join('; ')}`,
          failures,
        );
      }
      const result = await handler({
        params: params.data,
        query: query.data,
        body: body.data,
        request,
        response,
      } as HandlerInput<E>);
      if (!response.headersSent) response.json(result);
    } catch (error) {
      next(error);
    }
  };
  router[contract.method](contract.path, ...middleware, run);
}
