import { fingerprintOf, validateClient, type RelyingPartyClient } from './client.js';
import { ClientUnavailableError, FRANCECONNECT_MESSAGES } from './errors.js';
import { FRANCECONNECT_ISSUERS, issuerOf } from './environments.js';

const good: RelyingPartyClient = {
  tenantId: '0c5b3c1e-0000-4000-8000-000000000001',
  environment: 'production',
  issuer: 'https://oidc.franceconnect.gouv.fr/api/v2',
  clientId: 'abc',
  clientSecret: 's3cr3t',
  signingAlgorithm: 'ES256',
  redirectUri: 'https://services.example.fr/t/clamart/auth/franceconnect/callback',
  postLogoutRedirectUri: 'https://services.example.fr/t/clamart/auth/franceconnect/logout/callback',
  scopes: ['openid', 'identite_pivot', 'email', 'email'],
};

const reasonOf = (client: RelyingPartyClient, allowCustom = false): string => {
  try {
    validateClient(client, allowCustom);
    return 'valid';
  } catch (error) {
    expect(error).toBeInstanceOf(ClientUnavailableError);
    expect((error as Error).message).toBe(FRANCECONNECT_MESSAGES.notOffered);
    return (error as ClientUnavailableError).reason;
  }
};

describe('validateClient', () => {
  it('knows the environments and their issuers', () => {
    expect(FRANCECONNECT_ISSUERS).toEqual({
      sandbox: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2',
      integration: 'https://fcp-low.integ01.dev-franceconnect.fr/api/v2',
      production: 'https://oidc.franceconnect.gouv.fr/api/v2',
    });
    expect(issuerOf('sandbox')).toBe(FRANCECONNECT_ISSUERS.sandbox);
    expect(issuerOf('custom', 'http://127.0.0.1:4010/api/v2')).toBe('http://127.0.0.1:4010/api/v2');
    expect(issuerOf('custom')).toBeUndefined();
  });

  it('normalises scopes (openid added by the strategy, duplicates dropped) and freezes the client', () => {
    const client = validateClient(good, false);
    expect(client.scopes).toEqual(['identite_pivot', 'email']);
    expect(Object.isFrozen(client)).toBe(true);
  });

  it('refuses a client that does not fit its environment', () => {
    expect(reasonOf({ ...good, issuer: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2' })).toBe('issuer_not_of_environment');
    expect(reasonOf({ ...good, environment: 'custom', issuer: 'http://127.0.0.1:4010/api/v2' })).toBe('custom_issuer_not_allowed');
    expect(reasonOf({ ...good, environment: 'custom', issuer: 'http://127.0.0.1:4010/api/v2' }, true)).toBe('valid');
    expect(reasonOf({ ...good, environment: 'custom', issuer: 'ftp://x/api/v2' }, true)).toBe('invalid_issuer');
    expect(reasonOf({ ...good, environment: 'custom', issuer: 'http://x/api/v2?a=b' }, true)).toBe('invalid_issuer');
    // A stand-in for production (test platforms): only where allowed, and then the loopback's http redirect URIs are fine.
    const standIn = { ...good, issuer: 'http://127.0.0.1:4010/api/v2', redirectUri: 'http://127.0.0.1:3000/t/x/auth/franceconnect/callback' };
    expect(reasonOf(standIn)).toBe('issuer_not_of_environment');
    expect(reasonOf(standIn, true)).toBe('valid');
    expect(reasonOf({ ...good, redirectUri: 'http://127.0.0.1:3000/cb' }, true)).toBe('invalid_redirect_uri');
    expect(reasonOf({ ...good, signingAlgorithm: 'HS256' as 'ES256' })).toBe('invalid_signing_algorithm');
    expect(reasonOf({ ...good, redirectUri: 'http://services.example.fr/cb' })).toBe('invalid_redirect_uri');
    expect(reasonOf({ ...good, postLogoutRedirectUri: 'https://u:p@services.example.fr/cb' })).toBe('invalid_post_logout_redirect_uri');
    expect(reasonOf({ ...good, clientSecret: '' })).toBe('invalid_client_secret');
    expect(reasonOf({ ...good, scopes: ['identite pivot'] })).toBe('invalid_scope');
    expect(reasonOf({ ...good, environment: 'staging' as 'sandbox' })).toBe('invalid_environment');
  });

  it('fingerprints change with any part and do not reveal it', () => {
    const a = fingerprintOf(['t', 'secret-1']);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprintOf(['t', 'secret-1'])).toBe(a);
    expect(fingerprintOf(['t', 'secret-2'])).not.toBe(a);
    expect(fingerprintOf(['ts', 'ecret-1'])).not.toBe(a);
  });
});
