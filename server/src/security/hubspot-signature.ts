import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HubSpot request signatures, v3: base64(HMAC-SHA256(clientSecret, method + uri + body + timestamp)),
 * sent in X-HubSpot-Signature-v3 with X-HubSpot-Request-Timestamp (epoch ms). Used by webhooks and
 * by the HubSpot app's hubspot.fetch endpoints.
 * https://developers.hubspot.com/docs/guides/apps/authentication/validating-requests
 */

export const SIGNATURE_HEADER = 'x-hubspot-signature-v3';
export const TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';
/** Requests signed longer ago than this are replays. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60_000;

/** HubSpot signs the URI with these characters decoded (its docs list them). */
const decodedInUri: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function normaliseSignedUri(uri: string): string {
  return uri.replace(
    /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (match) => decodedInUri[match.toUpperCase()]!,
  );
}

export function hubspotSignatureV3(input: {
  clientSecret: string;
  method: string;
  uri: string;
  body: string | Buffer;
  timestamp: string | number;
}): string {
  return createHmac('sha256', input.clientSecret)
    .update(
      `${input.method.toUpperCase()}${normaliseSignedUri(input.uri)}${input.body.toString()}${input.timestamp}`,
    )
    .digest('base64');
}

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

export function verifyHubSpotSignatureV3(input: {
  clientSecret: string;
  method: string;
  /** The full URI HubSpot called: https://host/path?query */
  uri: string;
  body: string | Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  /** Epoch ms. */
  now: number;
  maxAgeMs?: number;
}): SignatureCheck {
  if (!input.signature) return { valid: false, reason: `missing ${SIGNATURE_HEADER} header` };
  if (!input.timestamp || !/^\d+$/.test(input.timestamp))
    return { valid: false, reason: `missing or invalid ${TIMESTAMP_HEADER} header` };
  const age = input.now - Number(input.timestamp);
  if (age > (input.maxAgeMs ?? MAX_SIGNATURE_AGE_MS))
    return { valid: false, reason: 'request timestamp is older than 5 minutes' };
  const expected = Buffer.from(
    hubspotSignatureV3({
      clientSecret: input.clientSecret,
      method: input.method,
      uri: input.uri,
      body: input.body,
      timestamp: input.timestamp,
    }),
  );
  const received = Buffer.from(input.signature);
  // Constant-time: a byte-by-byte comparison would leak how much of a forged signature is right.
  if (expected.length !== received.length || !timingSafeEqual(expected, received))
    return { valid: false, reason: 'signature does not match' };
  return { valid: true };
}
