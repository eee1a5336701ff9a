/**
 * The jose checks on their own (SR-04/SR-05), with local keys: skew and age boundaries, `azp`
 * rules, algorithm allowlist and header key material, userinfo media type and `sub`.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { IdTokenInvalidError, UserinfoInvalidError } from './errors.js';
import { verifyIdToken, verifyUserinfo, type KeyResolver } from './token-verification.js';

const ISSUER = 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2';
const CLIENT = 'client-abc';
const NONCE = 'N'.repeat(43);

describe('ID token and userinfo verification', () => {
  let privateKey: CryptoKey;
  let keys: KeyResolver;
  const now = Date.UTC(2026, 5, 1, 12, 0, 0);
  const s = Math.floor(now / 1000);

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    keys = createLocalJWKSet({ keys: [jwk] }) as unknown as KeyResolver;
  });

  const sign = (claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1', ...header }).sign(privateKey);
  const base = (over: JWTPayload = {}): JWTPayload => ({ iss: ISSUER, sub: 'sub-1', aud: CLIENT, iat: s, exp: s + 60, nonce: NONCE, acr: 'eidas1', ...over });
  const verify = async (claims: JWTPayload, header: Record<string, unknown> = {}) =>
    verifyIdToken(await sign(claims, header), { issuer: ISSUER, clientId: CLIENT, algorithm: 'ES256', nonce: NONCE, keys, now, clockSkewSeconds: 30, maxAgeSeconds: 300 });
  const reasonOf = async (claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> => {
    try {
      await verify(claims, header);
    } catch (error) {
      expect(error).toBeInstanceOf(IdTokenInvalidError);
      return (error as IdTokenInvalidError).reason;
    }
    return 'accepted';
  };

  it('accepts a FranceConnect ID token and returns sub, acr and auth_time', async () => {
    await expect(verify(base({ auth_time: s - 5 }))).resolves.toMatchObject({ sub: 'sub-1', acr: 'eidas1', authTime: s - 5 });
  });

  it('tolerates at most 30 s of clock skew on exp and iat, and an iat at most 300 s old', async () => {
    expect(await reasonOf(base({ exp: s - 20, iat: s - 80 }))).toBe('accepted');
    expect(await reasonOf(base({ exp: s - 40, iat: s - 100 }))).toBe('id_token_expired');
    expect(await reasonOf(base({ iat: s + 20, exp: s + 80 }))).toBe('accepted');
    expect(await reasonOf(base({ iat: s + 40, exp: s + 100 }))).toBe('id_token_claim_iat');
    expect(await reasonOf(base({ iat: s - 290 }))).toBe('accepted');
    expect(await reasonOf(base({ iat: s - 340 }))).toBe('id_token_iat_too_old');
  });

  it('applies the aud/azp rules', async () => {
    expect(await reasonOf(base({ aud: [CLIENT, 'other'], azp: CLIENT }))).toBe('accepted');
    expect(await reasonOf(base({ aud: [CLIENT, 'other'] }))).toBe('id_token_azp_missing');
    expect(await reasonOf(base({ azp: 'other' }))).toBe('id_token_azp');
    expect(await reasonOf(base({ aud: 'other' }))).toBe('id_token_claim_aud');
    expect(await reasonOf(base({ iss: `${ISSUER}/` }))).toBe('id_token_claim_iss');
  });

  it('refuses key material in the header, another algorithm, a wrong nonce or acr, a missing claim', async () => {
    expect(await reasonOf(base(), { jku: 'https://evil.example/jwks' })).toBe('id_token_header_jku');
    expect(await reasonOf(base(), { x5u: 'https://evil.example/cert' })).toBe('id_token_header_x5u');
    const rsa = await generateKeyPair('RS256');
    const rs256 = await new SignJWT(base()).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(rsa.privateKey);
    await expect(verifyIdToken(rs256, { issuer: ISSUER, clientId: CLIENT, algorithm: 'ES256', nonce: NONCE, keys, now, clockSkewSeconds: 30, maxAgeSeconds: 300 })).rejects.toMatchObject({
      reason: 'id_token_alg_not_allowed',
    });
    expect(await reasonOf(base({ nonce: 'M'.repeat(43) }))).toBe('id_token_nonce');
    expect(await reasonOf(base({ acr: 'eidas2' }))).toBe('id_token_acr');
    expect(await reasonOf(base({ sub: undefined }))).toBe('id_token_claim_sub');
  });

  it('verifies userinfo: application/jwt only, signed, iss/aud, same sub; registered claims removed', async () => {
    const expected = { issuer: ISSUER, clientId: CLIENT, sub: 'sub-1', keys, now, clockSkewSeconds: 30, idTokenHint: 'hint' };
    const token = await sign({ iss: ISSUER, aud: CLIENT, sub: 'sub-1', iat: s, exp: s + 60, family_name: 'DUBOIS' });
    await expect(verifyUserinfo('application/jwt; charset=utf-8', Buffer.from(token), expected)).resolves.toEqual({ sub: 'sub-1', family_name: 'DUBOIS' });
    await expect(verifyUserinfo('application/json', Buffer.from(token), expected)).rejects.toMatchObject({ reason: 'userinfo_not_jwt', idTokenHint: 'hint' });
    await expect(verifyUserinfo('application/jwt', Buffer.from('{"sub":"sub-1"}'), expected)).rejects.toBeInstanceOf(UserinfoInvalidError);
    await expect(verifyUserinfo('application/jwt', Buffer.from(token), { ...expected, sub: 'sub-2' })).rejects.toMatchObject({ reason: 'userinfo_sub_mismatch' });
    await expect(verifyUserinfo(undefined, Buffer.from(token), expected)).rejects.toMatchObject({ reason: 'userinfo_not_jwt' });
  });
});
