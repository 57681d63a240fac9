import type { PulseFetch } from '../../extension/hubspot/src/app/shared/pulse-client';

/**
 * A stand-in for hubspot.fetch: answers by "METHOD /path" and records every call, so tests can
 * assert what the app asked Pulse for and how often.
 */
export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown> | undefined;
}

export type Reply = { status?: number; body: unknown } | Promise<{ status?: number; body: unknown }>;
export type Handler = (call: RecordedCall) => Reply;

export function fakePulse(routes: Record<string, Handler | { status?: number; body: unknown }>) {
  const calls: RecordedCall[] = [];
  const fetch: PulseFetch = async (url, options) => {
    const parsed = new URL(url);
    const call: RecordedCall = {
      method: options.method,
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      body: options.body,
    };
    calls.push(call);
    const route = routes[`${call.method} ${call.path}`];
    const reply =
      route === undefined
        ? {
            status: 404,
            body: { error: { code: 'NOT_FOUND', message: `No fake for ${call.method} ${call.path}` } },
          }
        : typeof route === 'function'
          ? await route(call)
          : route;
    const status = reply.status ?? 200;
    return { ok: status < 400, status, json: async () => reply.body };
  };
  const callsTo = (method: string, path: string) =>
    calls.filter((call) => call.method === method && call.path === path);
  return { fetch, calls, callsTo };
}

/** A promise the test settles when it wants: for loading states and in-flight clicks. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
