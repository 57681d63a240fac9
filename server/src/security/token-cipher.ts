import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * CRM tokens at rest: AES-256-GCM with the key from PULSE_ENCRYPTION_KEY (32 bytes, base64).
 * Ciphertext format: `v1.<iv>.<tag>.<data>` (base64url parts), so a key rotation can add v2.
 * Without a configured key (local demo only) a key is derived from the data directory path, and
 * `isEphemeral` says so, so the server can warn.
 */
export interface TokenCipher {
  encrypt(plaintext: string): string;
  decrypt(ciphertext: string): string;
  readonly isEphemeral: boolean;
}

export function createTokenCipher(
  base64Key: string | undefined,
  fallbackSeed = 'pulse-local-demo',
): TokenCipher {
  const key = base64Key
    ? Buffer.from(base64Key, 'base64')
    : createHash('sha256').update(`pulse:${fallbackSeed}`).digest();
  if (key.length !== 32) throw new Error('PULSE_ENCRYPTION_KEY must be 32 bytes, base64-encoded');
  return {
    isEphemeral: !base64Key,
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), data]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    decrypt(ciphertext) {
      const [version, iv, tag, data] = ciphertext.split('.');
      if (version !== 'v1' || !iv || !tag || data === undefined)
        throw new Error('Unrecognised token ciphertext');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
