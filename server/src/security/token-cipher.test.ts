import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { createTokenCipher, TokenCipherError } from './token-cipher';

const key = randomBytes(32).toString('base64');

describe('token cipher', () => {
  it('round-trips a token and never stores it in clear', () => {
    const cipher = createTokenCipher(key);
    const sealed = cipher.encrypt('00Dxx!secret-access-token');
    expect(sealed).not.toContain('secret-access-token');
    expect(cipher.decrypt(sealed)).toBe('00Dxx!secret-access-token');
  });

  it('uses a fresh IV each time, so equal tokens do not look equal at rest', () => {
    const cipher = createTokenCipher(key);
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('rejects a tampered value and a wrong key', () => {
    const cipher = createTokenCipher(key);
    const sealed = cipher.encrypt('token');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    parts[3] = flipped.toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow(TokenCipherError);
    expect(() => createTokenCipher(randomBytes(32).toString('base64')).decrypt(sealed)).toThrow(
      /wrong PULSE_ENCRYPTION_KEY/,
    );
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createTokenCipher(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
