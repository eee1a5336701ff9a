import { ProviderMisconfiguredError } from './errors.js';
import { parseDiscovery, parseJwks } from './provider-directory.js';

const ISSUER = 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2';
const document = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  userinfo_endpoint: `${ISSUER}/userinfo`,
  jwks_uri: `${ISSUER}/jwks`,
  end_session_endpoint: `${ISSUER}/session/end`,
};

const reasonOf = (value: unknown): string => {
  try {
    parseDiscovery(value, ISSUER);
    return 'valid';
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderMisconfiguredError);
    return (error as ProviderMisconfiguredError).reason;
  }
};

describe('discovery and JWKS parsing', () => {
  it('accepts FranceConnect’s discovery document and keeps its endpoints', () => {
    expect(parseDiscovery(document, ISSUER)).toEqual({
      issuer: ISSUER,
      authorizationEndpoint: `${ISSUER}/authorize`,
      tokenEndpoint: `${ISSUER}/token`,
      userinfoEndpoint: `${ISSUER}/userinfo`,
      jwksUri: `${ISSUER}/jwks`,
      endSessionEndpoint: `${ISSUER}/session/end`,
    });
  });

  it('requires the exact issuer, every endpoint, on the issuer’s origin, in https', () => {
    expect(reasonOf({ ...document, issuer: `${ISSUER}/` })).toBe('discovery_issuer_mismatch');
    expect(reasonOf([document])).toBe('discovery_not_an_object');
    expect(reasonOf({ ...document, end_session_endpoint: undefined })).toBe('discovery_end_session_endpoint_missing');
    expect(reasonOf({ ...document, token_endpoint: 'https://evil.example/token' })).toBe('discovery_token_endpoint_foreign');
    expect(reasonOf({ ...document, jwks_uri: 'not a url' })).toBe('discovery_jwks_uri_invalid');
    expect(reasonOf({ ...document, userinfo_endpoint: 'http://fcp-low.sbx.dev-franceconnect.fr/api/v2/userinfo' })).toBe('discovery_userinfo_endpoint_foreign');
  });

  it('keeps only public signing keys of the JWKS', () => {
    const ec = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'a' };
    const parsed = parseJwks({ keys: [ec, { kty: 'oct', k: 'c2VjcmV0' }, { ...ec, kid: 'enc', use: 'enc' }, { ...ec, kid: 'priv', d: 'd' }, 'junk', null] });
    expect(parsed.keys).toEqual([ec]);
    expect(() => parseJwks({ keys: 'no' })).toThrow(ProviderMisconfiguredError);
  });
});
