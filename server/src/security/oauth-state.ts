import type { TokenCipher } from './token-cipher';

/**
 * The OAuth `state` Pulse sends to a CRM's consent page: an encrypted, timestamped value (AES-GCM,
 * so it cannot be forged or altered). A callback whose state this server did not issue in the last
 * ten minutes is refused, which stops cross-site request forgery of the install flow.
 */
export const OAUTH_STATE_MAX_AGE_MS = 10 * 60 * 1000;

export function issueOAuthState(cipher: TokenCipher, now: Date): string {
  return cipher.encrypt(JSON.stringify({ issuedAt: now.getTime() }));
}

export type OAuthStateCheck = { ok: true } | { ok: false; problem: 'not issued by this server' | 'expired' };

export function checkOAuthState(cipher: TokenCipher, state: string | undefined, now: Date): OAuthStateCheck {
  let issuedAt: unknown;
  try {
    issuedAt = (JSON.parse(cipher.decrypt(state ?? '')) as { issuedAt?: unknown }).issuedAt;
  } catch {
    return { ok: false, problem: 'not issued by this server' };
  }
  if (typeof issuedAt !== 'number') return { ok: false, problem: 'not issued by this server' };
  if (now.getTime() - issuedAt > OAUTH_STATE_MAX_AGE_MS) return { ok: false, problem: 'expired' };
  return { ok: true };
}
