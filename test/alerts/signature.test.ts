import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';

import { signPulseWebhook, verifyPulseWebhook } from '../../server/src/outbox/signature';

const secret = 'whsec_0123456789abcdef';
const now = new Date('2026-11-02T09:00:00Z');
const nowSec = Math.floor(now.getTime() / 1000);
const body = JSON.stringify({ id: 'alert:r1:a1', type: 'alert.fired', data: { score: 30 } });

function headers(timestamp: number, rawBody = body, key = secret) {
  return {
    'X-Pulse-Signature': signPulseWebhook(key, timestamp, rawBody),
    'X-Pulse-Timestamp': String(timestamp),
  };
}

describe('verifyPulseWebhook', () => {
  it('accepts a genuine delivery', () => {
    expect(verifyPulseWebhook(secret, headers(nowSec), body, now, 300)).toEqual({ ok: true });
  });

  it('rejects a tampered body, a wrong secret, an old or future timestamp and missing headers', () => {
    const tampered = body.replace('30', '90');
    expect(verifyPulseWebhook(secret, headers(nowSec), tampered, now, 300)).toMatchObject({
      ok: false,
      reason: 'signature does not match',
    });
    expect(
      verifyPulseWebhook(secret, headers(nowSec, body, 'whsec_someone_else_entirely'), body, now, 300).ok,
    ).toBe(false);
    expect(verifyPulseWebhook(secret, headers(nowSec - 301), body, now, 300)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('tolerance'),
    });
    expect(verifyPulseWebhook(secret, headers(nowSec + 301), body, now, 300).ok).toBe(false);
    // Re-signing an old body under a new timestamp needs the secret: swapping the timestamp header fails.
    const replay = { ...headers(nowSec - 3600), 'X-Pulse-Timestamp': String(nowSec) };
    expect(verifyPulseWebhook(secret, replay, body, now, 300).ok).toBe(false);
    expect(verifyPulseWebhook(secret, {}, body, now, 300).ok).toBe(false);
  });

  it('works for a receiver reading the raw bytes of a real HTTP request', async () => {
    const verdicts: boolean[] = [];
    const receiver = createServer((request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const verdict = verifyPulseWebhook(secret, request.headers, Buffer.concat(chunks), now, 300);
        verdicts.push(verdict.ok);
        response.writeHead(verdict.ok ? 200 : 401).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
    try {
      const good = await fetch(url, { method: 'POST', headers: headers(nowSec), body });
      const bad = await fetch(url, { method: 'POST', headers: headers(nowSec), body: `${body} ` });
      expect([good.status, bad.status]).toEqual([200, 401]);
      expect(verdicts).toEqual([true, false]);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
