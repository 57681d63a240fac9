import { createHash, timingSafeEqual } from 'node:crypto';

import type { SignatureCheck } from './hubspot-signature';

/**
 * HubSpot request signature v2 (custom workflow actions): hex(SHA-256(clientSecret + method + uri +
 * body)) in X-HubSpot-Signature with X-HubSpot-Signature-Version: v2. It has no timestamp, so
 * replays can only be limited by making the actions idempotent (they are: they read or recompute).
 * https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 */
export const SIGNATURE_V2_HEADER = 'x-hubspot-signature';
export const SIGNATURE_VERSION_HEADER = 'x-hubspot-signature-version';

export function hubspotSignatureV2(input: {
  clientSecret: string;
  method: string;
  uri: string;
  body: string | Buffer;
}) {
  return createHash('sha256')
    .update(`${input.clientSecret}${input.method.toUpperCase()}${input.uri}${input.body.toString()}`)
    .digest('hex');
}

export function verifyHubSpotSignatureV2(input: {
  clientSecret: string;
  method: string;
  uri: string;
  body: string | Buffer;
  signature: string | undefined;
  version: string | undefined;
}): SignatureCheck {
  if (!input.signature) return { valid: false, reason: `missing ${SIGNATURE_V2_HEADER} header` };
  if (input.version && input.version.toLowerCase() !== 'v2') {
    return { valid: false, reason: `signature version ${input.version} is not v2` };
  }
  const expected = Buffer.from(hubspotSignatureV2(input));
  const received = Buffer.from(input.signature.toLowerCase());
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    return { valid: false, reason: 'signature does not match' };
  }
  return { valid: true };
}
