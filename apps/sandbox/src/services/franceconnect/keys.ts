import { generateKeyPairSync, randomBytes } from 'node:crypto';

export type SigningAlg = 'ES256' | 'RS256';

export const SIGNING_ALGS: readonly SigningAlg[] = ['ES256', 'RS256'];

/** A private signing key as a JWK (what oidc-provider's `jwks` and jose's `importJWK` take). */
export interface SigningJwk {
  readonly kty: 'EC' | 'RSA';
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly use: 'sig';
  readonly [member: string]: unknown;
}

/**
 * One ES256 (P-256) key, FranceConnect's recommended algorithm, and one RS256 (RSA 2048) key for
 * clients registered with RS256. Generated at start unless a state file keeps them.
 */
export function generateSigningKeys(): SigningJwk[] {
  const suffix = randomBytes(6).toString('hex');
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  return [
    { ...ec, kty: 'EC', kid: `sandbox:ES256:${suffix}`, alg: 'ES256', use: 'sig' },
    { ...rsa, kty: 'RSA', kid: `sandbox:RS256:${suffix}`, alg: 'RS256', use: 'sig' },
  ];
}

/** Checks keys read back from a state file: one private key per algorithm, with a kid. */
export function isSigningKeySet(value: unknown): value is SigningJwk[] {
  if (!Array.isArray(value)) return false;
  const keys = value as unknown[];
  const valid = keys.every((key) => {
    if (typeof key !== 'object' || key === null) return false;
    const jwk = key as Record<string, unknown>;
    const shapeOk = typeof jwk.kid === 'string' && jwk.kid !== '' && jwk.use === 'sig' && typeof jwk.d === 'string';
    return shapeOk && ((jwk.alg === 'ES256' && jwk.kty === 'EC' && jwk.crv === 'P-256') || (jwk.alg === 'RS256' && jwk.kty === 'RSA'));
  });
  return valid && SIGNING_ALGS.every((alg) => keys.some((key) => (key as { alg?: unknown }).alg === alg));
}
