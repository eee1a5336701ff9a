import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer tokens (sessions, API tokens, invitation links) are 256-bit random values and are
 * stored only as their SHA-256: enough entropy that no salt or slow hash is needed, and a
 * database dump gives nothing usable.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random token, URL-safe, with an optional recognisable prefix. */
export function newToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * The CSRF token of a session: derived from the session token (so it is bound to that session,
 * cannot be planted by anyone who does not hold the session, and changes with it), yet distinct
 * from the stored {@link hashToken} and revealing nothing of the session token.
 */
export function csrfTokenOf(sessionToken: string): string {
  return createHash('sha256').update(`fcplat-csrf-v1:${sessionToken}`, 'utf8').digest('base64url');
}
