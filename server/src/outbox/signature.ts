import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Pulse webhook signatures. The signed string is `${timestamp}.${rawBody}`, HMAC-SHA256 with the
 * route's secret, sent as `X-Pulse-Signature: v1=<hex>` next to `X-Pulse-Timestamp` (Unix seconds).
 * Binding the timestamp into the signature lets a receiver reject replays of old deliveries.
 */
export const signatureHeader = 'x-pulse-signature';
export const timestampHeader = 'x-pulse-timestamp';
export const idempotencyHeader = 'x-pulse-idempotency-key';

export function signPulseWebhook(secret: string, timestampSec: number, rawBody: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSec}.${rawBody}`).digest('hex')}`;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * For receivers: checks a delivery's signature and that its timestamp is within `toleranceSec` of
 * `now`. Pass the raw request body exactly as received (re-serialised JSON will not match).
 */
export function verifyPulseWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined> | Headers,
  rawBody: string | Buffer,
  now: Date,
  toleranceSec = 300,
): VerifyResult {
  const read = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
    const value = key === undefined ? undefined : headers[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const signature = read(signatureHeader);
  const timestamp = read(timestampHeader);
  if (!signature || !timestamp) return { ok: false, reason: 'missing signature or timestamp header' };
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: 'timestamp is not Unix seconds' };
  const age = Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp));
  if (age > toleranceSec)
    return { ok: false, reason: `timestamp is ${age}s away from now (tolerance ${toleranceSec}s)` };
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const expected = Buffer.from(signPulseWebhook(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'signature does not match' };
  }
  return { ok: true };
}
