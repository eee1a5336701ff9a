/**
 * One passport-openidconnect Strategy per tenant, built through @nestjs/passport's
 * `PassportStrategy(Strategy, name, true)` mixin so the verify callback has the full arity
 * (ID token, access token and token response reach us), registered in a Passport instance of
 * this library's own (never the global one), and cached in a bounded LRU keyed by tenant with a
 * fingerprint of everything the strategy is built from: 10,000 tenants cannot grow memory without
 * bound, and changed credentials replace the strategy instead of re-configuring a shared one.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { PassportStrategy } from '@nestjs/passport';
import { fingerprintOf, type RelyingPartyClient } from './client.js';
import { FRANCECONNECT_ACR } from './environments.js';
import { BoundedLru } from './lru.js';
import type { ProviderMetadata } from './provider-directory.js';
import type { PendingStateStore, StoreContext } from './state-store.js';
import type { BoundedAgents, OAuth2Like } from './token-transport.js';

const require = createRequire(import.meta.url);

// ------------------------------------------------------------------ the untyped CommonJS modules

/** The callback passport-openidconnect hands to the verify function. */
export type VerifiedCallback = (err: unknown, user?: unknown, info?: unknown) => void;

export interface OidcStrategyOptions {
  readonly name: string;
  readonly issuer: string;
  readonly authorizationURL: string;
  readonly tokenURL: string;
  readonly userInfoURL: string;
  readonly clientID: string;
  readonly clientSecret: string;
  readonly callbackURL: string;
  readonly scope: readonly string[];
  readonly acrValues: string;
  readonly skipUserProfile: true;
  readonly passReqToCallback: true;
  readonly store: Pick<PendingStateStore, 'store' | 'verify'>;
  readonly agent: unknown;
  readonly customHeaders: Readonly<Record<string, string>>;
}

/** What we use of a passport-openidconnect Strategy instance. */
export interface OidcStrategyInstance {
  name: string;
  _oauth2: OAuth2Like;
  authenticate(req: unknown, options?: Record<string, unknown>): void;
}

type OidcStrategyConstructor = new (options: OidcStrategyOptions, verify: (...args: unknown[]) => void) => OidcStrategyInstance;

/** passport's Authenticator, as far as this library drives it. */
export interface PassportInstance {
  use(strategy: OidcStrategyInstance): PassportInstance;
  unuse(name: string): PassportInstance;
  authenticate(
    strategy: OidcStrategyInstance,
    options: Record<string, unknown>,
    callback: (err: unknown, user?: unknown, info?: unknown, status?: unknown) => void,
  ): (req: unknown, res: unknown, next: (err?: unknown) => void) => void;
  _strategies: Record<string, unknown>;
}

const OidcStrategy = (require('passport-openidconnect') as { Strategy: OidcStrategyConstructor }).Strategy;
const { Passport } = require('passport') as { Passport: new () => PassportInstance };

/** This library's own Passport: the tenants' strategies live here, not in the process-wide instance. */
export const FRANCECONNECT_PASSPORT: PassportInstance = new Passport();

// ------------------------------------------------------------------ the hardened strategy

/** The request shim handed to passport: the attempt's context travels with it. */
export interface ShimRequest {
  readonly method: 'GET';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly query: Record<string, string>;
  readonly fcplat: AttemptContext;
}

/** Per-attempt context: the state store reads its binding, the verify step hands the tokens over. */
export interface AttemptContext extends StoreContext {
  /** Called by the strategy's `validate` with what passport-openidconnect parsed. */
  onTokens(tokens: TokenSet): Promise<unknown>;
}

export interface TokenSet {
  readonly idToken: string;
  readonly accessToken: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * passport-openidconnect's Strategy with our authorize parameters: the nonce comes from the
 * caller (43 alphanumerics, stored by our store), never from its 20-character `utils.uid`.
 */
class HardenedOidcStrategy extends OidcStrategy {
  constructor(options: OidcStrategyOptions, verify: (...args: unknown[]) => void) {
    super(options, verify);
    // The mixin registers the strategy under this name right after construction.
    this.name = options.name;
  }

  authorizationParams(options: { nonce?: unknown }): Record<string, string> {
    return typeof options.nonce === 'string' ? { nonce: options.nonce } : {};
  }
}

/** A tenant's strategy: the @nestjs/passport mixin with `callbackArity: true` (validate's 9 parameters + done). */
export class TenantFranceConnectStrategy extends PassportStrategy(HardenedOidcStrategy, undefined, true) {
  constructor(options: OidcStrategyOptions) {
    super(options);
  }

  /** Registration target of the mixin: this library's Passport, not the global one. */
  getPassportInstance(): PassportInstance {
    return FRANCECONNECT_PASSPORT;
  }

  /**
   * Called by passport-openidconnect after its own (partial) checks, with the raw tokens. The
   * real verification (jose, userinfo) belongs to the attempt, which knows the tenant's client.
   */
  // Nine declared parameters: the mixin makes the verify callback's arity 10, the form of
  // passport-openidconnect that passes the ID token, the access token and the token response.
  async validate(
    req: ShimRequest,
    _issuer: unknown,
    _userinfoProfile: unknown,
    _idProfile: unknown,
    _context: unknown,
    idToken: unknown,
    accessToken: unknown,
    _refreshToken: unknown,
    params: unknown,
  ): Promise<unknown> {
    return req.fcplat.onTokens({
      idToken: typeof idToken === 'string' ? idToken : '',
      accessToken: typeof accessToken === 'string' ? accessToken : '',
      params: params !== null && typeof params === 'object' ? (params as Record<string, unknown>) : {},
    });
  }
}

// ------------------------------------------------------------------ the bounded cache

export interface StrategyDependencies {
  readonly store: Pick<PendingStateStore, 'store' | 'verify'>;
  readonly agents: BoundedAgents;
}

interface CachedStrategy {
  readonly fingerprint: string;
  readonly strategy: TenantFranceConnectStrategy;
}

/** Everything a strategy is built from, in a fixed order. */
function partsOf(client: RelyingPartyClient, metadata: ProviderMetadata): string[] {
  return [
    client.tenantId,
    client.environment,
    client.issuer,
    client.clientId,
    client.clientSecret,
    client.signingAlgorithm,
    client.redirectUri,
    client.scopes.join(' '),
    metadata.authorizationEndpoint,
    metadata.tokenEndpoint,
  ];
}

export class StrategyCache {
  private readonly lru: BoundedLru<string, CachedStrategy>;
  /** Distinguishes the registrations of several relying parties in one process. */
  private readonly instanceId = randomBytes(6).toString('hex');

  constructor(
    maxEntries: number,
    private readonly deps: StrategyDependencies,
  ) {
    this.lru = new BoundedLru(maxEntries, (_tenantId, evicted) => {
      FRANCECONNECT_PASSPORT.unuse(evicted.strategy.name);
    });
  }

  /** The tenant's strategy for this client and provider, built on first use or when anything changed. */
  strategyFor(client: RelyingPartyClient, metadata: ProviderMetadata): TenantFranceConnectStrategy {
    const fingerprint = fingerprintOf(partsOf(client, metadata));
    const cached = this.lru.get(client.tenantId);
    if (cached && cached.fingerprint === fingerprint) return cached.strategy;
    const tokenUrl = new URL(metadata.tokenEndpoint);
    const strategy = new TenantFranceConnectStrategy({
      name: `franceconnect:${this.instanceId}:${client.tenantId}:${fingerprint}`,
      issuer: client.issuer,
      authorizationURL: metadata.authorizationEndpoint,
      tokenURL: metadata.tokenEndpoint,
      userInfoURL: metadata.userinfoEndpoint,
      clientID: client.clientId,
      clientSecret: client.clientSecret,
      callbackURL: client.redirectUri,
      scope: client.scopes,
      acrValues: FRANCECONNECT_ACR,
      // Userinfo is a signed JWT at FranceConnect v2: passport-openidconnect would crash on it.
      skipUserProfile: true,
      passReqToCallback: true,
      store: this.deps.store,
      agent: tokenUrl.protocol === 'https:' ? this.deps.agents.https : this.deps.agents.http,
      customHeaders: { 'User-Agent': 'fcplat-franceconnect-rp', Accept: 'application/json' },
    });
    this.lru.set(client.tenantId, { fingerprint, strategy });
    return strategy;
  }

  /** Drops a tenant's strategy (credentials revoked, tenant deleted). */
  forget(tenantId: string): void {
    this.lru.delete(tenantId);
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }

  get maxEntries(): number {
    return this.lru.maxEntries;
  }

  /** Whether a strategy is still registered in the library's Passport (tests). */
  static registered(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(FRANCECONNECT_PASSPORT._strategies, name);
  }
}
