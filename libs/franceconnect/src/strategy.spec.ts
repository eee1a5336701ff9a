/**
 * The tenants' strategies: one per tenant, built with the callback arity fix, registered in the
 * library's own Passport (never the global one), and kept in a bounded LRU: 10,000 tenants
 * through a cache of 1,000 leave 1,000 strategies and 1,000 registrations, not 10,000.
 */
import { createRequire } from 'node:module';
import type { RelyingPartyClient } from './client.js';
import type { ProviderMetadata } from './provider-directory.js';
import { FRANCECONNECT_PASSPORT, StrategyCache } from './strategy.js';
import { boundedAgents } from './token-transport.js';

const require = createRequire(import.meta.url);

const metadata: ProviderMetadata = {
  issuer: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2',
  authorizationEndpoint: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2/authorize',
  tokenEndpoint: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2/token',
  userinfoEndpoint: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2/userinfo',
  jwksUri: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2/jwks',
  endSessionEndpoint: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2/session/end',
};

function client(i: number, secret = `secret-${i}`): RelyingPartyClient {
  return {
    tenantId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    environment: 'sandbox',
    issuer: metadata.issuer,
    clientId: `client-${i}`,
    clientSecret: secret,
    signingAlgorithm: 'ES256',
    redirectUri: `https://portal.example.fr/t/t${i}/auth/franceconnect/callback`,
    postLogoutRedirectUri: `https://portal.example.fr/t/t${i}/auth/franceconnect/logout/callback`,
    scopes: ['identite_pivot'],
  };
}

const store = { store: () => undefined, verify: () => undefined };

function registeredOf(prefix: string): string[] {
  return Object.keys(FRANCECONNECT_PASSPORT._strategies).filter((name) => name.startsWith(prefix));
}

describe('StrategyCache', () => {
  const agents = boundedAgents({ maxSockets: 10 });
  afterAll(() => agents.destroy());

  it('builds one strategy per tenant with the full verify arity, skipUserProfile and our state store', () => {
    const cache = new StrategyCache(10, { store, agents });
    const strategy = cache.strategyFor(client(1), metadata) as unknown as {
      _verify: { length: number };
      _skipUserProfile: unknown;
      _stateStore: unknown;
      _passReqToCallback: unknown;
      _acrValues: unknown;
      _nonce: unknown;
      name: string;
      _oauth2: { _clientId: string; _agent: unknown };
    };
    // passport-openidconnect picks the verify form by arity: 10 (with req) passes the ID token,
    // the access token and the token response; a short arity would hand over none of them.
    expect(strategy._verify.length).toBe(10);
    expect(strategy._passReqToCallback).toBe(true);
    expect(strategy._skipUserProfile).toBe(true);
    expect(strategy._stateStore).toBe(store);
    expect(strategy._acrValues).toBe('eidas1');
    expect(strategy._nonce).toBeUndefined();
    expect(strategy._oauth2._clientId).toBe('client-1');
    expect(strategy._oauth2._agent).toBe(agents.https);
    expect(cache.strategyFor(client(1), metadata)).toBe(strategy);
    expect(cache.strategyFor(client(2), metadata)).not.toBe(strategy);
    // Registered in the library's Passport, not in the process-wide one.
    const globalPassport = require('passport') as { _strategies: Record<string, unknown> };
    expect(FRANCECONNECT_PASSPORT).not.toBe(globalPassport);
    expect(Object.keys(globalPassport._strategies).some((name) => name.startsWith('franceconnect:'))).toBe(false);
    expect(StrategyCache.registered(strategy.name)).toBe(true);
    cache.clear();
    expect(StrategyCache.registered(strategy.name)).toBe(false);
  });

  it('stays bounded with 10,000 tenants: least recently used strategies are dropped and unregistered', () => {
    const cache = new StrategyCache(1_000, { store, agents });
    const first = cache.strategyFor(client(0), metadata);
    const prefix = first.name.split(':').slice(0, 2).join(':');
    for (let i = 1; i < 10_000; i += 1) {
      cache.strategyFor(client(i), metadata);
      if (i % 500 === 0) cache.strategyFor(client(0), metadata); // tenant 0 stays in use
    }
    expect(cache.size).toBe(1_000);
    expect(registeredOf(prefix)).toHaveLength(1_000);
    // The busy tenant kept its strategy; an idle early one was dropped and gets a new one.
    expect(cache.strategyFor(client(0), metadata)).toBe(first);
    expect(StrategyCache.registered(first.name)).toBe(true);
    expect(registeredOf(`${prefix}:${client(5).tenantId}`)).toHaveLength(0);
    const rebuilt = cache.strategyFor(client(5), metadata);
    expect(StrategyCache.registered(rebuilt.name)).toBe(true);
    expect(cache.size).toBe(1_000);
    cache.clear();
    expect(registeredOf(prefix)).toHaveLength(0);
  });

  it('replaces (never re-configures) a tenant’s strategy when its credentials or endpoints change', () => {
    const cache = new StrategyCache(10, { store, agents });
    const before = cache.strategyFor(client(7), metadata);
    const rotated = cache.strategyFor(client(7, 'rotated-secret'), metadata);
    expect(rotated).not.toBe(before);
    expect(StrategyCache.registered(before.name)).toBe(false);
    expect(StrategyCache.registered(rotated.name)).toBe(true);
    const moved = cache.strategyFor(client(7, 'rotated-secret'), { ...metadata, tokenEndpoint: `${metadata.issuer}/token2` });
    expect(moved).not.toBe(rotated);
    expect(cache.size).toBe(1);
    expect((before as unknown as { _oauth2: { _clientSecret: string } })._oauth2._clientSecret).toBe('secret-7');
    cache.forget(client(7).tenantId);
    expect(cache.size).toBe(0);
    expect(StrategyCache.registered(moved.name)).toBe(false);
  });
});
