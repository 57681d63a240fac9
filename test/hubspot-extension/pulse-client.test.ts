import { describe, expect, it } from 'vitest';

import { PULSE_ORIGIN } from '../../extension/hubspot/src/app/shared/config';
import {
  createPulseClient,
  PulseApiError,
  type PulseFetch,
} from '../../extension/hubspot/src/app/shared/pulse-client';
import { fakePulse } from './fake-pulse';

async function failure(promise: Promise<unknown>): Promise<PulseApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PulseApiError);
  return error as PulseApiError;
}

describe('the hubspot.fetch wrapper', () => {
  it('builds every URL from the configured Pulse origin, with encoded ids and a timeout', async () => {
    const seen: { url: string; options: Parameters<PulseFetch>[1] }[] = [];
    const client = createPulseClient({
      fetch: async (url, options) => {
        seen.push({ url, options });
        return { ok: true, status: 200, json: async () => ({}) };
      },
      timeoutMs: 5_000,
    });
    await client.createOpportunity('42', 'support premium');
    await client.resolveFlag('a/b');
    expect(seen[0]).toEqual({
      url: `${PULSE_ORIGIN}/hubspot/api/v1/accounts/42/opportunities`,
      options: { method: 'POST', timeout: 5_000, body: { productId: 'support premium' } },
    });
    expect(seen[1]!.url).toBe(`${PULSE_ORIGIN}/hubspot/api/v1/flags/a%2Fb/resolve`);
  });

  it('passes the server error through as { code, message, details }', async () => {
    const pulse = fakePulse({
      'PUT /hubspot/settings/health': {
        status: 400,
        body: {
          error: {
            code: 'INVALID_INPUT',
            message: 'Weights total 95; they must total exactly 100',
            details: { fields: [{ path: 'body.config.factors', message: 'Weights total 95' }] },
          },
        },
      },
    });
    const client = createPulseClient({ fetch: pulse.fetch, surface: 'settings' });
    const error = await failure(client.saveHealthSettings({} as never));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.status).toBe(400);
    expect(error.message).toBe('Weights total 95; they must total exactly 100');
    expect(error.details).toEqual({ fields: [{ path: 'body.config.factors', message: 'Weights total 95' }] });
  });

  it('maps a non-JSON failure (a proxy error page) to a code from the status', async () => {
    const client = createPulseClient({
      fetch: async () => ({
        ok: false,
        status: 429,
        json: async () => {
          throw new SyntaxError('Unexpected token <');
        },
      }),
    });
    const error = await failure(client.companyCard('1'));
    expect([error.code, error.message]).toEqual(['RATE_LIMITED', 'Pulse answered HTTP 429']);
  });

  it('gives up after the timeout instead of leaving the card spinning', async () => {
    const client = createPulseClient({ fetch: () => new Promise(() => {}), timeoutMs: 50 });
    const error = await failure(client.companyCard('1'));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe('Pulse did not answer within 0.05 s');
  });

  it('reports an unreachable server as NETWORK', async () => {
    const client = createPulseClient({
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const error = await failure(client.renewals(30));
    expect([error.code, error.message]).toEqual(['NETWORK', 'Cannot reach Pulse: fetch failed']);
  });

  it('adds surface=settings only for the settings page', async () => {
    const pulse = fakePulse({
      'GET /hubspot/api/v1/renewals': { body: { renewals: [], totals: { count: 0, mrr: 0 } } },
    });
    await createPulseClient({ fetch: pulse.fetch, surface: 'settings' }).renewals(60);
    await createPulseClient({ fetch: pulse.fetch, surface: 'card' }).renewals(60);
    expect(pulse.calls.map((call) => call.query)).toEqual([
      { within: '60', surface: 'settings' },
      { within: '60' },
    ]);
  });
});
