import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';

import type { AppContext } from '../context';
import { portalRateLimit } from './portal-rate-limit';

function harness(perSecond: number, burst: number) {
  const clock = { now: new Date('2026-11-20T12:00:00Z') };
  const limiter = portalRateLimit({ now: () => clock.now } as AppContext, { perSecond, burst });
  const send = (tenantId: string) => {
    let status = 200;
    const headers: Record<string, string> = {};
    const response = {
      setHeader: (name: string, value: string) => {
        headers[name] = value;
      },
      status(code: number) {
        status = code;
        return this;
      },
      json: () => undefined,
    } as unknown as Response;
    let passed = false;
    limiter({ principal: { tenantId } } as unknown as Request, response, () => {
      passed = true;
    });
    return { passed, status, headers };
  };
  return { clock, send };
}

describe('per-portal rate limit', () => {
  it('lets a burst through, then answers 429 with Retry-After, and refills over time', () => {
    const { clock, send } = harness(2, 3);
    expect([send('hubspot:1'), send('hubspot:1'), send('hubspot:1')].every((result) => result.passed)).toBe(
      true,
    );
    const limited = send('hubspot:1');
    expect(limited.passed).toBe(false);
    expect(limited.status).toBe(429);
    expect(limited.headers['Retry-After']).toBe('1');
    clock.now = new Date(clock.now.getTime() + 500);
    expect(send('hubspot:1').passed).toBe(true);
  });

  it('keeps portals apart: one busy portal does not limit another', () => {
    const { send } = harness(1, 1);
    expect(send('hubspot:1').passed).toBe(true);
    expect(send('hubspot:1').passed).toBe(false);
    expect(send('hubspot:2').passed).toBe(true);
  });
});
