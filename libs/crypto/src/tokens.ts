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
