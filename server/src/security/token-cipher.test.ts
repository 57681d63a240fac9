import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { createTokenCipher } from './token-cipher';

describe('token cipher', () => {
  const key = randomBytes(32).toString('base64');

  it('round-trips and never stores the token in clear', () => {
    const cipher = createTokenCipher(key);
    const sealed = cipher.encrypt('pat-na1-secret-token');
    expect(sealed).not.toContain('secret');
    expect(cipher.decrypt(sealed)).toBe('pat-na1-secret-token');
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('refuses a tampered ciphertext or the wrong key', () => {
    const sealed = createTokenCipher(key).encrypt('token');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => createTokenCipher(key).decrypt(parts.join('.'))).toThrow();
    expect(() => createTokenCipher(randomBytes(32).toString('base64')).decrypt(sealed)).toThrow();
  });
});
