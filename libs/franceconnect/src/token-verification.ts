/**
 * The checks passport-openidconnect does not do, with jose (SR-04, SR-05): signatures against the
 * issuer's JWKS with an algorithm allowlist, no key material in headers, exact `iss`, `aud` and
 * `azp`, `exp`/`iat` with a bounded skew and age, `nonce`, `acr`; userinfo as a signed JWT whose
 * `sub` is the ID token's.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type CryptoKey, type FlattenedJWSInput, type JWSHeaderParameters, type JWTPayload } from 'jose';
import { FRANCECONNECT_ACR, FRANCECONNECT_SIGNING_ALGORITHMS, type FranceConnectSigningAlgorithm } from './environments.js';
import { IdTokenInvalidError, ProviderMisconfiguredError, ProviderUnavailableError, UserinfoInvalidError } from './errors.js';

export type KeyResolver = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

/** Headers that carry or point at key material: a token must never choose its own key. */
const FORBIDDEN_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;
/** Three base64url segments; an empty signature (`alg: none`) is shaped right and refused by the header check. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
export const MAX_TOKEN_LENGTH = 16 * 1024;
/** JWT registered claims, left out of the userinfo `claims` handed to the caller (except `sub`). */
const REGISTERED = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'jti']);

export interface IdTokenExpectations {
  readonly issuer: string;
  readonly clientId: string;
  readonly algorithm: FranceConnectSigningAlgorithm;
  readonly nonce: string;
  readonly keys: KeyResolver;
  readonly now: number;
  readonly clockSkewSeconds: number;
  readonly maxAgeSeconds: number;
}

export interface VerifiedIdToken {
  readonly sub: string;
  readonly acr: string;
  readonly authTime: number | undefined;
  readonly claims: JWTPayload;
}

function equalSecrets(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Whether `token` is shaped like a compact JWS whose payload is a JSON object (checked before anyone parses it). */
export function compactJwsPayload(token: unknown): Record<string, unknown> | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

type HeaderCheck = { ok: true; header: JWSHeaderParameters } | { ok: false; reason: string };

function checkHeader(token: string, allowed: readonly string[]): HeaderCheck {
  let header: JWSHeaderParameters;
  try {
    header = decodeProtectedHeader(token) as JWSHeaderParameters;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof header.alg !== 'string') return { ok: false, reason: 'alg_missing' };
  if (header.alg === 'none') return { ok: false, reason: 'alg_none' };
  if (!allowed.includes(header.alg)) return { ok: false, reason: header.alg.startsWith('HS') ? 'alg_hmac' : 'alg_not_allowed' };
  for (const name of FORBIDDEN_HEADERS) {
    if (name in header) return { ok: false, reason: `header_${name}` };
  }
  return { ok: true, header };
}

/** Maps jose's failures to a short reason; key-fetching failures surface as provider errors. */
function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return error.claim === 'iat' ? 'iat_too_old' : 'expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim_${error.claim}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'unknown_kid';
  if (error instanceof joseErrors.JWKSMultipleMatchingKeys) return 'ambiguous_kid';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'alg_not_allowed';
  if (error instanceof joseErrors.JOSENotSupported) return 'not_supported';
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return 'malformed';
  return 'invalid';
}

function rethrowProviderErrors(error: unknown): void {
  if (error instanceof ProviderUnavailableError || error instanceof ProviderMisconfiguredError) throw error;
}

/** Verifies an ID token (SR-04). Throws {@link IdTokenInvalidError}, or a provider error when the JWKS cannot be had. */
export async function verifyIdToken(idToken: string, expected: IdTokenExpectations): Promise<VerifiedIdToken> {
  if (!compactJwsPayload(idToken)) throw new IdTokenInvalidError('malformed');
  const header = checkHeader(idToken, [expected.algorithm]);
  if (!header.ok) throw new IdTokenInvalidError(header.reason);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, expected.keys, {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: [expected.algorithm],
      clockTolerance: expected.clockSkewSeconds,
      maxTokenAge: expected.maxAgeSeconds,
      currentDate: new Date(expected.now),
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'nonce', 'acr'],
    }));
  } catch (error) {
    rethrowProviderErrors(error);
    // No cause: jose's claim errors carry the token's payload.
    throw new IdTokenInvalidError(reasonOf(error));
  }
  const aud = payload.aud;
  if (Array.isArray(aud) && aud.length > 1 && payload.azp === undefined) throw new IdTokenInvalidError('azp_missing');
  if (payload.azp !== undefined && payload.azp !== expected.clientId) throw new IdTokenInvalidError('azp');
  if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 255) throw new IdTokenInvalidError('sub');
  if (typeof payload.nonce !== 'string' || !equalSecrets(payload.nonce, expected.nonce)) throw new IdTokenInvalidError('nonce');
  if (payload.acr !== FRANCECONNECT_ACR) throw new IdTokenInvalidError('acr');
  const authTime = typeof payload.auth_time === 'number' && Number.isFinite(payload.auth_time) ? payload.auth_time : undefined;
  return { sub: payload.sub, acr: FRANCECONNECT_ACR, authTime, claims: payload };
}

export interface UserinfoExpectations {
  readonly issuer: string;
  readonly clientId: string;
  readonly sub: string;
  readonly keys: KeyResolver;
  readonly now: number;
  readonly clockSkewSeconds: number;
  /** The verified ID token, attached to the error for the logout hint. */
  readonly idTokenHint: string;
}

/** Verifies a userinfo answer (SR-05): `application/jwt`, signed, `iss`/`aud`, `sub` = the ID token's. */
export async function verifyUserinfo(contentType: string | undefined, body: Buffer, expected: UserinfoExpectations): Promise<Record<string, unknown>> {
  const hint = expected.idTokenHint;
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/jwt') throw new UserinfoInvalidError('not_jwt', hint);
  const token = body.toString('utf8').trim();
  if (!compactJwsPayload(token)) throw new UserinfoInvalidError('malformed', hint);
  const header = checkHeader(token, FRANCECONNECT_SIGNING_ALGORITHMS);
  if (!header.ok) throw new UserinfoInvalidError(header.reason, hint);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, expected.keys, {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: [...FRANCECONNECT_SIGNING_ALGORITHMS],
      clockTolerance: expected.clockSkewSeconds,
      currentDate: new Date(expected.now),
      requiredClaims: ['iss', 'aud', 'sub'],
    }));
  } catch (error) {
    rethrowProviderErrors(error);
    // No cause: jose's claim errors carry the citizen's claims.
    throw new UserinfoInvalidError(reasonOf(error), hint);
  }
  if (typeof payload.sub !== 'string' || !equalSecrets(payload.sub, expected.sub)) throw new UserinfoInvalidError('sub_mismatch', hint);
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (!REGISTERED.has(name)) claims[name] = value;
  }
  return claims;
}
