import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Largest multiple of 62 below 256: bytes above it are dropped so every character is equally likely. */
const UNBIASED_LIMIT = 248;

/**
 * A uniformly random string of `[0-9A-Za-z]` from the CSPRNG (rejection sampling, no modulo
 * bias). 43 characters carry about 256 bits. Used for `state` and `nonce` (SR-02: at least 32).
 */
export function randomAlphanumeric(length = 43): string {
  if (!Number.isInteger(length) || length <= 0) throw new RangeError('length must be a positive integer');
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= UNBIASED_LIMIT) continue;
      out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}
