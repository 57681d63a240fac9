import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encrypts CRM tokens at rest with AES-256-GCM under PULSE_ENCRYPTION_KEY (32 bytes, base64).
 * The stored form is `v1.<iv>.<tag>.<ciphertext>` (base64url parts): self-describing, so a future
 * key rotation can add `v2` without guessing. GCM's tag makes a tampered value fail to decrypt
 * instead of yielding a wrong token.
 */

const VERSION = 'v1';
const IV_BYTES = 12;

export interface TokenCipher {
  encrypt(plaintext: string): string;
  decrypt(sealed: string): string;
}

export class TokenCipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenCipherError';
  }
}

export function createTokenCipher(base64Key: string): TokenCipher {
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== 32) {
    throw new TokenCipherError('PULSE_ENCRYPTION_KEY must be 32 bytes, base64-encoded');
  }
  return {
    encrypt(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv, tag, ciphertext]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    decrypt(sealed) {
      const [version, iv, tag, ciphertext] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
        throw new TokenCipherError('Encrypted token is not in the v1 format');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([
          decipher.update(Buffer.from(ciphertext, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch (error) {
        throw new TokenCipherError(
          `Encrypted token could not be decrypted (wrong PULSE_ENCRYPTION_KEY or tampered value): ${(error as Error).message}`,
        );
      }
    },
  };
}
