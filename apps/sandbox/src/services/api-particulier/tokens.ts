/**
 * API Particulier tokens of the sandbox: JWTs (HS256) signed with a fixed key that is public on
 * purpose (anyone may mint a sandbox token; nothing real is behind it), carrying
 * `{ jti, sub, scopes, iat, exp? }` like the real API's tokens (valid 18 months by default).
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { ALL_API_PARTICULIER_SCOPES } from './catalogue.js';

/**
 * The sandbox's HS256 key. Public, fixed, and worthless outside the sandbox: never a real secret,
 * and no real API Particulier token is ever signed with it.
 */
export const SANDBOX_API_PARTICULIER_JWT_KEY = 'fcplat-sandbox-api-particulier-v3-hs256-key-public-not-a-secret';

const KEY = new TextEncoder().encode(SANDBOX_API_PARTICULIER_JWT_KEY);
const SCOPE = /^[a-z0-9_]{1,100}$/;
const MAX_SUBJECT = 200;
const MAX_SCOPES = 200;
/** ±10 years: long enough for any test, bounded so dates stay sane. */
const MAX_LIFETIME_SECONDS = 10 * 366 * 24 * 3600;

export interface MintOptions {
  /** Who the token is for (e.g. the public body's SIRET or name); the JWT's `sub`. */
  readonly subject: string;
  /** Scopes granted; every scope of the four APIs by default. */
  readonly scopes?: readonly string[];
  /**
   * Lifetime in seconds; 18 months by default; `null` for a token without `exp`; a negative value
   * mints an already-expired token (for tests).
   */
  readonly expiresInSeconds?: number | null;
  /** Issue time, epoch ms (the service's clock); now by default. */
  readonly now?: number;
}

export interface MintedToken {
  readonly token: string;
  readonly jti: string;
  /** ISO 8601, or null for a token that never expires. */
  readonly expiresAt: string | null;
}

export class TokenOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenOptionsError';
  }
}

function checkOptions(options: MintOptions): { subject: string; scopes: readonly string[]; expiresInSeconds: number | null | undefined } {
  const { subject, scopes = ALL_API_PARTICULIER_SCOPES, expiresInSeconds } = options;
  if (typeof subject !== 'string' || subject.trim() === '' || subject.length > MAX_SUBJECT) {
    throw new TokenOptionsError(`subject must be a non-empty string of at most ${MAX_SUBJECT} characters`);
  }
  if (!Array.isArray(scopes) || scopes.length > MAX_SCOPES || !scopes.every((scope) => typeof scope === 'string' && SCOPE.test(scope))) {
    throw new TokenOptionsError(`scopes must be an array of at most ${MAX_SCOPES} scope names ([a-z0-9_])`);
  }
  if (expiresInSeconds !== undefined && expiresInSeconds !== null) {
    if (!Number.isInteger(expiresInSeconds) || Math.abs(expiresInSeconds) > MAX_LIFETIME_SECONDS) {
      throw new TokenOptionsError('expiresInSeconds must be an integer number of seconds within ±10 years, or null');
    }
  }
  return { subject, scopes: [...new Set(scopes)], expiresInSeconds };
}

/** Epoch seconds 18 months after `nowMs` (calendar months, as the real API's token validity). */
function eighteenMonthsAfter(nowMs: number): number {
  const date = new Date(nowMs);
  date.setUTCMonth(date.getUTCMonth() + 18);
  return Math.floor(date.getTime() / 1000);
}

/** Mints a sandbox API Particulier token (no service needed: the key is fixed). */
export async function mintSandboxApiParticulierToken(options: MintOptions): Promise<MintedToken> {
  const { subject, scopes, expiresInSeconds } = checkOptions(options);
  const nowMs = options.now ?? Date.now();
  const iat = Math.floor(nowMs / 1000);
  const exp = expiresInSeconds === null ? null : expiresInSeconds === undefined ? eighteenMonthsAfter(nowMs) : iat + expiresInSeconds;
  const jti = randomUUID();
  const claims: Record<string, unknown> = { jti, sub: subject, scopes, iat };
  if (exp !== null) claims.exp = exp;
  const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(KEY);
  return { token, jti, expiresAt: exp === null ? null : new Date(exp * 1000).toISOString() };
}

export interface TokenClaims {
  readonly jti: string;
  readonly sub: string;
  readonly scopes: readonly string[];
}

export type TokenVerdict =
  | { readonly kind: 'valid'; readonly claims: TokenClaims }
  | { readonly kind: 'expired'; readonly claims: TokenClaims }
  | { readonly kind: 'invalid' };

function claimsOf(payload: Record<string, unknown>): TokenClaims | undefined {
  const { jti, sub, scopes } = payload;
  if (typeof jti !== 'string' || jti === '' || typeof sub !== 'string' || !Array.isArray(scopes)) return undefined;
  if (!scopes.every((scope): scope is string => typeof scope === 'string')) return undefined;
  return { jti, sub, scopes };
}

/** Checks a bearer against the sandbox key at `nowMs`; never throws. */
export async function verifySandboxApiParticulierToken(token: string, nowMs: number): Promise<TokenVerdict> {
  try {
    const { payload } = await jwtVerify(token, KEY, { algorithms: ['HS256'], currentDate: new Date(nowMs) });
    const claims = claimsOf(payload);
    return claims ? { kind: 'valid', claims } : { kind: 'invalid' };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      // The signature was checked before the expiry: the claims are the ones we signed.
      const claims = claimsOf(decodeJwt(token));
      return claims ? { kind: 'expired', claims } : { kind: 'invalid' };
    }
    return { kind: 'invalid' };
  }
}
