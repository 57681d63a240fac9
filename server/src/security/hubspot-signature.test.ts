import { Signature } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';

import { hubspotSignatureV3, verifyHubSpotSignatureV3 } from './hubspot-signature';

const clientSecret = 'a1b2c3d4-client-secret';
const uri = 'https://pulse.example.com/webhooks/hubspot?portal=42';
const body = JSON.stringify([{ objectId: 123, subscriptionType: 'company.propertyChange', portalId: 42 }]);

describe('HubSpot v3 request signatures', () => {
  it('produces the signature @hubspot/api-client accepts', () => {
    const timestamp = Date.now();
    const signature = hubspotSignatureV3({ clientSecret, method: 'POST', uri, body, timestamp });
    expect(
      Signature.isValid({
        signatureVersion: 'v3',
        signature,
        clientSecret,
        method: 'POST',
        url: uri,
        requestBody: body,
        timestamp,
      }),
    ).toBe(true);
  });

  it('accepts what @hubspot/api-client computes, and rejects a tampered body', () => {
    const timestamp = Date.now();
    const signature = Signature.getSignature('POST', 'v3', {
      signature: '',
      clientSecret,
      url: uri,
      requestBody: body,
      timestamp,
    });
    const check = (requestBody: string) =>
      verifyHubSpotSignatureV3({
        clientSecret,
        method: 'POST',
        uri,
        body: requestBody,
        signature,
        timestamp: String(timestamp),
        now: timestamp + 1000,
      });
    expect(check(body)).toEqual({ valid: true });
    expect(check(body.replace('123', '124'))).toEqual({ valid: false, reason: 'signature does not match' });
  });

  it('rejects a request signed more than 5 minutes ago, even with a valid signature', () => {
    const timestamp = Date.now() - 5 * 60_000 - 1;
    const signature = hubspotSignatureV3({ clientSecret, method: 'POST', uri, body, timestamp });
    const check = verifyHubSpotSignatureV3({
      clientSecret,
      method: 'POST',
      uri,
      body,
      signature,
      timestamp: String(timestamp),
      now: Date.now(),
    });
    expect(check).toEqual({ valid: false, reason: 'request timestamp is older than 5 minutes' });
  });

  it('rejects a missing signature, a wrong secret and a missing timestamp with the reason', () => {
    const timestamp = String(Date.now());
    const signature = hubspotSignatureV3({
      clientSecret: 'other-secret',
      method: 'POST',
      uri,
      body,
      timestamp,
    });
    const base = { clientSecret, method: 'POST', uri, body, now: Date.now() };
    expect(verifyHubSpotSignatureV3({ ...base, signature: undefined, timestamp })).toMatchObject({
      valid: false,
      reason: expect.stringContaining('x-hubspot-signature-v3'),
    });
    expect(verifyHubSpotSignatureV3({ ...base, signature, timestamp })).toEqual({
      valid: false,
      reason: 'signature does not match',
    });
    expect(verifyHubSpotSignatureV3({ ...base, signature, timestamp: undefined })).toMatchObject({
      valid: false,
      reason: expect.stringContaining('timestamp'),
    });
  });

  it('signs the URI with HubSpot-decoded characters, so an encoded colon verifies too', () => {
    const timestamp = Date.now();
    const encoded = 'https://pulse.example.com/webhooks/hubspot?since=10%3A00';
    const signature = Signature.getSignature('POST', 'v3', {
      signature: '',
      clientSecret,
      url: 'https://pulse.example.com/webhooks/hubspot?since=10:00',
      requestBody: body,
      timestamp,
    });
    expect(
      verifyHubSpotSignatureV3({
        clientSecret,
        method: 'POST',
        uri: encoded,
        body,
        signature,
        timestamp: String(timestamp),
        now: timestamp,
      }),
    ).toEqual({ valid: true });
  });
});
