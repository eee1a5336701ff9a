/**
 * The per-tenant FranceConnect v2 relying party. Framework-light: a Nest controller (or anything)
 * calls four methods and gets URLs, verified results or typed errors. Underneath, each tenant has
 * its own passport-openidconnect Strategy (see strategy.ts), driven through this library's
 * Passport instance with a minimal request/response shim, and hardened as the stack notes demand:
 * own state/nonce store in PostgreSQL, callback guards before the strategy runs, a bounded token
 * transport, jose verification of the ID token and of the JWT userinfo before any result exists.
 */
import { isOutboundHttpError, request, type OutboundResponse } from '@fcplat/outbound-http';
import { normaliseScopes, validateClient, type RelyingPartyClient, type RelyingPartyClientSource } from './client.js';
import { FRANCECONNECT_ACR, type FranceConnectEnvironment } from './environments.js';
import {
  AccessDeniedError,
  CallbackInvalidError,
  ClientUnavailableError,
  FranceConnectError,
  IdTokenInvalidError,
  ProviderError,
  ProviderUnavailableError,
  StateInvalidError,
  TokenEndpointError,
  UserinfoInvalidError,
} from './errors.js';
import { ProviderDirectory, type HttpLimits, type ProviderMetadata } from './provider-directory.js';
import { randomAlphanumeric } from './random.js';
import { PendingStateStore, sha256Hex, type PendingBinding, type PendingRequest, type StateDatabase } from './state-store.js';
import { FRANCECONNECT_PASSPORT, StrategyCache, type AttemptContext, type ShimRequest, type TenantFranceConnectStrategy, type TokenSet } from './strategy.js';
import { boundedAgents, guardTokenCall, type BoundedAgents } from './token-transport.js';
import { compactJwsPayload, MAX_TOKEN_LENGTH, verifyIdToken, verifyUserinfo } from './token-verification.js';

export interface RelyingPartyOptions {
  /** Where tenants' clients come from (engineering habit 7). */
  readonly clients: RelyingPartyClientSource;
  /** The platform's database (TypeORM `DataSource`): table `franceconnect_state`. */
  readonly database: StateDatabase;
  /** Accept `custom` issuers (tests, staging). Keep false in production. Default false. */
  readonly allowCustomIssuers?: boolean;
  /** Discovery, JWKS and userinfo calls: total and connect timeouts (default 5 s and 2 s), extra CA. */
  readonly http?: Partial<HttpLimits>;
  /** Total budget of the token call (default 8 s). */
  readonly tokenTimeoutMs?: number;
  /** Lifetime of a pending `state` (default 10 min). */
  readonly stateTtlMs?: number;
  /** Pending logins kept per tenant and browser (default 10). */
  readonly maxPendingPerBinding?: number;
  /** Tenants' strategies kept in memory (default 1,000; least recently used dropped first). */
  readonly maxStrategies?: number;
  /** Issuers whose discovery and JWKS are cached (default 64). */
  readonly maxIssuers?: number;
  /** Discovery cache lifetime (default 1 h). */
  readonly discoveryTtlMs?: number;
  /** JWKS cache lifetime (default 1 h). */
  readonly jwksTtlMs?: number;
  /** Minimum delay between two JWKS fetches of one issuer (default 60 s), SR-06. */
  readonly jwksCooldownMs?: number;
  /** Clock skew tolerated on `exp`/`iat` (default 30 s, the maximum SR-04 allows). */
  readonly clockSkewSeconds?: number;
  /** Oldest acceptable ID token `iat` (default 300 s). */
  readonly maxIdTokenAgeSeconds?: number;
  /** Concurrent token-call sockets per origin (default 100). */
  readonly maxSockets?: number;
  /** Milliseconds since the epoch (tests). */
  readonly clock?: () => number;
}

export type FranceConnectPrompt = 'login' | 'consent' | 'login consent';

export interface BeginLoginOptions {
  /** `prompt` (FranceConnect accepts `login` and `consent` only). */
  readonly prompt?: FranceConnectPrompt;
  /** Scopes for this login instead of the client's (e.g. data retrieval); `openid` is added. */
  readonly scopes?: readonly string[];
}

export interface LoginRedirect {
  /** The authorization URL to send the browser to (302/303). */
  readonly url: string;
  /** When the pending `state` stops being accepted. */
  readonly expiresAt: Date;
}

export interface LogoutRedirect {
  /** FranceConnect's `end_session_endpoint` with `id_token_hint`, a fresh `state` and the registered `post_logout_redirect_uri`. */
  readonly url: string;
  readonly expiresAt: Date;
}

/** A FranceConnect authentication whose ID token and userinfo passed every check. */
export interface FranceConnectLogin {
  readonly tenantId: string;
  readonly environment: FranceConnectEnvironment;
  readonly clientId: string;
  readonly issuer: string;
  /** Pairwise per client: identify citizens by (tenant, issuer, sub), SR-09. */
  readonly sub: string;
  readonly acr: typeof FRANCECONNECT_ACR;
  /** What `beginLogin` was called with. */
  readonly purpose: string;
  /** The raw ID token: keep it (encrypted) for the logout's `id_token_hint`. */
  readonly idToken: string;
  /** Claims of the verified userinfo JWT (`sub`, `given_name`, `family_name`, `birthdate`...), registered JWT claims removed. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** For an immediate API Particulier call (FranceConnect access tokens live 60 s). */
  readonly accessToken: string;
  readonly accessTokenExpiresAt: Date;
  /** Scopes granted (token response `scope`), or those requested. */
  readonly scopes: readonly string[];
  /** `auth_time` of the ID token, or the time of the callback. */
  readonly authenticatedAt: Date;
}

export interface LogoutCompletion {
  readonly tenantId: string;
}

/** A callback's query: Express's `req.query`, a plain record, or `URLSearchParams`. */
export type CallbackQuery = URLSearchParams | Readonly<Record<string, unknown>>;

interface Settings {
  readonly allowCustomIssuers: boolean;
  readonly http: HttpLimits;
  readonly tokenTimeoutMs: number;
  readonly clockSkewSeconds: number;
  readonly maxIdTokenAgeSeconds: number;
  readonly clock: () => number;
}

type DriveOutcome = { kind: 'redirect'; location: string } | { kind: 'user'; user: unknown } | { kind: 'fail'; info: unknown };

/** An attempt under way: the shim's context plus what the transport and verification recorded. */
interface Attempt extends AttemptContext {
  stage: 'state' | 'token' | 'id_token' | 'userinfo';
  failure?: FranceConnectError;
}

interface ParsedCallback {
  code?: string;
  state?: string;
  error?: string;
  iss?: string;
}

const PURPOSE = /^[a-z][a-z0-9_]{0,39}$/;
const BINDING = /^[\x21-\x7e]{16,512}$/;
const CODE = /^[\x21-\x7e]{1,2048}$/;
const OAUTH_ERROR = /^[A-Za-z0-9_.-]{1,64}$/;
const PROMPTS: readonly string[] = ['login', 'consent', 'login consent'];
/** The only authorize parameters sent (SR-01): FranceConnect refuses any other, PKCE included. */
const AUTHORIZE_PARAMETERS = ['acr_values', 'client_id', 'nonce', 'redirect_uri', 'response_type', 'scope', 'state'];
const USERINFO_MAX_BYTES = 64 * 1024;
const TOKEN_RESPONSE_MAX_BYTES = 64 * 1024;
const PURGE_INTERVAL_MS = 5 * 60 * 1000;
const CALLBACK_KEYS = ['code', 'state', 'error', 'iss'] as const;

/** passport-openidconnect's own ID token refusals, mapped to our reasons. */
const PASSPORT_REASONS: readonly [RegExp, string][] = [
  [/not issued by expected OpenID provider/, 'iss'],
  [/not intended for this relying party/, 'aud'],
  [/missing authorizied party/, 'azp_missing'],
  [/not issued to this relying party/, 'azp'],
  [/has expired/, 'expired'],
  [/invalid nonce/, 'nonce'],
  [/missing issuer claim/, 'claim_iss'],
  [/missing subject claim/, 'claim_sub'],
  [/missing audience claim|audience claim not an array/, 'claim_aud'],
  [/missing expiration time claim/, 'claim_exp'],
  [/missing issued at claim/, 'claim_iat'],
  [/Too much time has elapsed/, 'auth_time'],
];

function passportReason(value: unknown): string {
  const message =
    value instanceof Error ? value.message : typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string' ? (value as { message: string }).message : '';
  for (const [pattern, reason] of PASSPORT_REASONS) if (pattern.test(message)) return reason;
  return 'rejected';
}

function checkBinding(binding: string): string {
  if (typeof binding !== 'string' || !BINDING.test(binding)) throw new TypeError('franceconnect: the browser binding must be 16 to 512 printable ASCII characters');
  return sha256Hex(binding);
}

function checkTenantKey(tenantKey: string): void {
  if (typeof tenantKey !== 'string' || tenantKey.length === 0 || tenantKey.length > 256) throw new TypeError('franceconnect: invalid tenant key');
}

/** Reads the callback parameters we use; a repeated or non-string one is a malformed callback. */
function parseCallback(query: CallbackQuery): ParsedCallback {
  const out: ParsedCallback = {};
  for (const key of CALLBACK_KEYS) {
    let value: unknown;
    if (query instanceof URLSearchParams) {
      const all = query.getAll(key);
      value = all.length === 0 ? undefined : all.length === 1 ? all[0] : all;
    } else {
      value = Object.prototype.hasOwnProperty.call(query, key) ? query[key] : undefined;
    }
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new CallbackInvalidError(`${key}_not_a_single_string`);
    out[key] = value;
  }
  return out;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isFinite(chosen) || chosen <= 0) throw new RangeError(`franceconnect: ${name} must be positive`);
  return chosen;
}

export class FranceConnectRelyingParty {
  private readonly settings: Settings;
  private readonly store: PendingStateStore;
  private readonly directory: ProviderDirectory;
  private readonly strategies: StrategyCache;
  private readonly agents: BoundedAgents;
  private lastPurgeAt = 0;

  constructor(private readonly options: RelyingPartyOptions) {
    const clock = options.clock ?? Date.now;
    const clockSkewSeconds = positive('clockSkewSeconds', options.clockSkewSeconds, 30);
    if (clockSkewSeconds > 30) throw new RangeError('franceconnect: clockSkewSeconds must not exceed 30 (SR-04)');
    const http: HttpLimits = {
      timeoutMs: positive('http.timeoutMs', options.http?.timeoutMs, 5_000),
      connectTimeoutMs: positive('http.connectTimeoutMs', options.http?.connectTimeoutMs, 2_000),
      ca: options.http?.ca,
    };
    this.settings = {
      allowCustomIssuers: options.allowCustomIssuers ?? false,
      http,
      tokenTimeoutMs: positive('tokenTimeoutMs', options.tokenTimeoutMs, 8_000),
      clockSkewSeconds,
      maxIdTokenAgeSeconds: positive('maxIdTokenAgeSeconds', options.maxIdTokenAgeSeconds, 300),
      clock,
    };
    this.store = new PendingStateStore(options.database, {
      ttlMs: positive('stateTtlMs', options.stateTtlMs, 10 * 60 * 1000),
      maxPendingPerBinding: positive('maxPendingPerBinding', options.maxPendingPerBinding, 10),
    });
    this.directory = new ProviderDirectory({
      http,
      discoveryTtlMs: positive('discoveryTtlMs', options.discoveryTtlMs, 60 * 60 * 1000),
      jwksTtlMs: positive('jwksTtlMs', options.jwksTtlMs, 60 * 60 * 1000),
      jwksCooldownMs: positive('jwksCooldownMs', options.jwksCooldownMs, 60 * 1000),
      maxIssuers: positive('maxIssuers', options.maxIssuers, 64),
      clock,
    });
    this.agents = boundedAgents({ maxSockets: positive('maxSockets', options.maxSockets, 100), ca: http.ca });
    this.strategies = new StrategyCache(positive('maxStrategies', options.maxStrategies, 1_000), { store: this.store, agents: this.agents });
  }

  // ---------------------------------------------------------------------------- public API

  /**
   * Starts a login: stores a pending `state`/`nonce` bound to the tenant and the browser, and
   * returns FranceConnect's authorization URL with exactly `client_id, redirect_uri,
   * response_type=code, scope, state, nonce, acr_values=eidas1` (+ `prompt` when asked).
   */
  async beginLogin(tenantKey: string, binding: string, purpose: string, options: BeginLoginOptions = {}): Promise<LoginRedirect> {
    checkTenantKey(tenantKey);
    const bindingHash = checkBinding(binding);
    if (typeof purpose !== 'string' || !PURPOSE.test(purpose)) throw new TypeError('franceconnect: purpose must match [a-z][a-z0-9_]{0,39}');
    if (options.prompt !== undefined && !PROMPTS.includes(options.prompt)) throw new TypeError('franceconnect: prompt must be login, consent or "login consent"');
    const client = await this.clientOf(tenantKey, false);
    const scopes = options.scopes === undefined ? client.scopes : normaliseScopes(options.scopes);
    if (scopes.length === 0) throw new ClientUnavailableError('no_scope');
    const metadata = await this.directory.metadata(client.issuer, false);
    const strategy = this.strategies.strategyFor(client, metadata);
    this.purgeNowAndThen();

    const nonce = randomAlphanumeric(43);
    const attempt = this.newAttempt(client, bindingHash, purpose, `openid ${scopes.join(' ')}`);
    const outcome = await this.drive(strategy, {}, attempt, {
      nonce,
      scope: [...scopes],
      ...(options.prompt === undefined ? {} : { prompt: options.prompt }),
    });
    if (outcome.kind !== 'redirect' || attempt.expiresAt === undefined) throw new Error('franceconnect: the strategy did not redirect to the provider');
    const url = new URL(outcome.location);
    const expected = options.prompt === undefined ? AUTHORIZE_PARAMETERS : [...AUTHORIZE_PARAMETERS, 'prompt'].sort();
    const sent = [...url.searchParams.keys()].sort();
    if (
      sent.join(',') !== expected.join(',') ||
      url.searchParams.get('nonce') !== nonce ||
      url.searchParams.get('acr_values') !== FRANCECONNECT_ACR ||
      url.searchParams.get('response_type') !== 'code'
    ) {
      throw new Error('franceconnect: unexpected authorization parameters');
    }
    return { url: url.href, expiresAt: attempt.expiresAt };
  }

  /**
   * Completes a login from the callback's query. Order: callback guards (`error`, `code`,
   * `iss`), then the state is consumed (single use, same tenant, same browser), then the token
   * call, then passport-openidconnect's checks and ours (jose) on the ID token, then userinfo
   * (only after a valid ID token) verified as a JWT. Throws a {@link FranceConnectError}.
   */
  async completeLogin(tenantKey: string, binding: string, callbackQuery: CallbackQuery): Promise<FranceConnectLogin> {
    checkTenantKey(tenantKey);
    const bindingHash = checkBinding(binding);
    const client = await this.clientOf(tenantKey, true);
    const pendingBinding: PendingBinding = { tenantId: client.tenantId, bindingHash, issuer: client.issuer, clientId: client.clientId };
    const query = parseCallback(callbackQuery);

    // Guards that passport-openidconnect gets wrong: an `error` other than access_denied would be
    // a bare error, and a callback without `code` would start a NEW login (a redirect loop).
    if (query.error !== undefined) {
      await this.burn(query.state, pendingBinding);
      if (query.error === 'access_denied') throw new AccessDeniedError();
      throw new ProviderError(OAUTH_ERROR.test(query.error) ? query.error : 'unknown');
    }
    if (query.code === undefined || query.code === '') {
      await this.burn(query.state, pendingBinding);
      throw new CallbackInvalidError('code_missing');
    }
    if (!CODE.test(query.code)) {
      await this.burn(query.state, pendingBinding);
      throw new CallbackInvalidError('code_malformed');
    }
    if (query.state === undefined || query.state === '') throw new StateInvalidError('missing');
    // RFC 9207: FranceConnect sends `iss` on the callback; another issuer's is a mix-up.
    if (query.iss !== undefined && query.iss !== client.issuer) {
      await this.burn(query.state, pendingBinding);
      throw new CallbackInvalidError('iss_mismatch');
    }

    const metadata = await this.directory.metadata(client.issuer, true);
    const strategy = this.strategies.strategyFor(client, metadata);
    const attempt = this.newAttempt(client, bindingHash, 'login', '');
    attempt.onTokens = (tokens) => this.verifyTokens(client, metadata, attempt, tokens);
    let outcome: DriveOutcome;
    try {
      outcome = await this.drive(strategy, { code: query.code, state: query.state }, attempt, {});
    } catch (error) {
      throw this.failureOf(attempt, error);
    }
    if (outcome.kind === 'user') return outcome.user as FranceConnectLogin;
    if (outcome.kind === 'redirect') throw new CallbackInvalidError('unexpected_redirect');
    throw this.failureOf(attempt, outcome.info);
  }

  /**
   * The URL ending the FranceConnect session (SR-10): `end_session_endpoint` with the
   * `id_token_hint`, a fresh `state` stored like a login's, and the registered
   * `post_logout_redirect_uri`. Without a hint (no verified ID token at hand), or with one issued
   * to another client or by another issuer, `client_id` is sent instead and FranceConnect asks the
   * citizen to confirm.
   */
  async logoutUrl(tenantKey: string, binding: string, idTokenHint?: string | null): Promise<LogoutRedirect> {
    checkTenantKey(tenantKey);
    const bindingHash = checkBinding(binding);
    const client = await this.clientOf(tenantKey, false);
    const metadata = await this.directory.metadata(client.issuer, false);
    // null, undefined and '' all mean "no ID token at hand".
    const given = idTokenHint || undefined;
    if (given !== undefined && (typeof given !== 'string' || given.length > MAX_TOKEN_LENGTH || !compactJwsPayload(given))) {
      throw new TypeError('franceconnect: idTokenHint is not an ID token');
    }
    // A hint of another client or issuer (credentials changed since the login) would only get an
    // error page at FranceConnect: send client_id instead, FranceConnect then asks the citizen.
    const hintPayload = given === undefined ? undefined : compactJwsPayload(given);
    const hintAudience = hintPayload?.aud;
    const hint =
      hintPayload?.iss === client.issuer && (hintAudience === client.clientId || (Array.isArray(hintAudience) && hintAudience.includes(client.clientId)))
        ? given
        : undefined;
    const { state, expiresAt } = await this.store.create({
      kind: 'logout',
      tenantId: client.tenantId,
      bindingHash,
      issuer: client.issuer,
      clientId: client.clientId,
      redirectUri: client.postLogoutRedirectUri,
      purpose: 'logout',
      nonce: null,
      scope: null,
    });
    const url = new URL(metadata.endSessionEndpoint);
    if (hint !== undefined) url.searchParams.set('id_token_hint', hint);
    else url.searchParams.set('client_id', client.clientId);
    url.searchParams.set('state', state);
    url.searchParams.set('post_logout_redirect_uri', client.postLogoutRedirectUri);
    return { url: url.href, expiresAt };
  }

  /** Checks the `state` FranceConnect returns after a logout (single use, same tenant and browser). */
  async completeLogout(tenantKey: string, binding: string, state: string | undefined): Promise<LogoutCompletion> {
    checkTenantKey(tenantKey);
    const bindingHash = checkBinding(binding);
    const client = await this.clientOf(tenantKey, false);
    const result = await this.store.consume('logout', typeof state === 'string' ? state : undefined, {
      tenantId: client.tenantId,
      bindingHash,
      issuer: client.issuer,
      clientId: client.clientId,
    });
    if (!result.ok) throw new StateInvalidError(result.failure, 'logout');
    return { tenantId: result.pending.tenantId };
  }

  /** Deletes pending states expired for more than an hour (also done now and then by `beginLogin`). */
  purgeExpiredStates(): Promise<number> {
    return this.store.purgeExpired();
  }

  /** Drops a tenant's cached strategy (e.g. right after its credentials changed; a changed fingerprint does it anyway). */
  forgetTenant(tenantId: string): void {
    this.strategies.forget(tenantId);
  }

  /** Cache sizes, for health pages and tests. */
  stats(): { strategies: number; maxStrategies: number; issuers: number } {
    return { strategies: this.strategies.size, maxStrategies: this.strategies.maxEntries, issuers: this.directory.cachedIssuers };
  }

  /** JWKS fetches made for an issuer so far (observability). */
  jwksFetchCount(issuer: string): number {
    return this.directory.jwksFetchCount(issuer);
  }

  /** Releases the strategies and the token-call agents. */
  close(): void {
    this.strategies.clear();
    this.agents.destroy();
  }

  // ---------------------------------------------------------------------------- internals

  private async clientOf(tenantKey: string, duringCallback: boolean): Promise<RelyingPartyClient> {
    const client = await this.options.clients.clientFor(tenantKey);
    if (!client) throw new ClientUnavailableError('no_client', duringCallback);
    try {
      return validateClient(client, this.settings.allowCustomIssuers);
    } catch (error) {
      if (error instanceof ClientUnavailableError && duringCallback) throw new ClientUnavailableError(error.reason, true);
      throw error;
    }
  }

  /** Consumes a state that came with a failed callback, so it can never be used again. */
  private async burn(state: string | undefined, binding: PendingBinding): Promise<void> {
    if (state === undefined || state === '') return;
    await this.store.consume('login', state, binding).catch(() => undefined);
  }

  private purgeNowAndThen(): void {
    const now = this.settings.clock();
    if (now - this.lastPurgeAt < PURGE_INTERVAL_MS) return;
    this.lastPurgeAt = now;
    this.store.purgeExpired().catch(() => undefined);
  }

  private newAttempt(client: RelyingPartyClient, bindingHash: string, purpose: string, scope: string): Attempt {
    return {
      binding: { tenantId: client.tenantId, bindingHash, issuer: client.issuer, clientId: client.clientId },
      purpose,
      scope,
      stage: 'state',
      abort: () => undefined,
      onTokens: () => Promise.reject(new Error('franceconnect: no token expected in this attempt')),
    };
  }

  /**
   * Runs the tenant's strategy once through passport's `authenticate` (custom callback, no
   * session) with a request/response shim. The per-request strategy object gets its own guarded
   * view of the OAuth2 client, so nothing of one attempt leaks into another.
   */
  private drive(strategy: TenantFranceConnectStrategy, query: Record<string, string>, attempt: Attempt, authenticateOptions: Record<string, unknown>): Promise<DriveOutcome> {
    return new Promise<DriveOutcome>((resolve, reject) => {
      let settled = false;
      const watchdogMs = this.settings.tokenTimeoutMs + 3 * this.settings.http.timeoutMs + 5_000;
      const watchdog = setTimeout(() => finish(() => reject(new ProviderUnavailableError('attempt_timeout', attempt.stage !== 'state'))), watchdogMs);
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(watchdog);
        fn();
      };
      attempt.abort = (error) => finish(() => reject(error));

      let location = '';
      const res = {
        statusCode: 200,
        setHeader(name: string, value: unknown): void {
          if (name.toLowerCase() === 'location' && typeof value === 'string') location = value;
        },
        end(): void {
          finish(() => resolve({ kind: 'redirect', location }));
        },
      };
      const req: ShimRequest = { method: 'GET', url: '/', headers: {}, query, fcplat: attempt };

      const perRequest = Object.create(strategy) as TenantFranceConnectStrategy;
      perRequest._oauth2 = guardTokenCall(
        strategy._oauth2,
        this.agents,
        { timeoutMs: this.settings.tokenTimeoutMs, connectTimeoutMs: this.settings.http.connectTimeoutMs, maxResponseBytes: TOKEN_RESPONSE_MAX_BYTES },
        {
          failed: (error) => {
            attempt.failure ??= error;
          },
          inspect: (results, accessToken) => {
            attempt.stage = 'token';
            if (!results || typeof results.id_token !== 'string') return new TokenEndpointError('token_response_without_id_token');
            if (typeof accessToken !== 'string' || accessToken.length === 0 || accessToken.length > 4096) return new TokenEndpointError('token_response_without_access_token');
            if (typeof results.token_type === 'string' && results.token_type.toLowerCase() !== 'bearer') return new TokenEndpointError('token_type_not_bearer');
            if (!compactJwsPayload(results.id_token)) return new IdTokenInvalidError('malformed');
            attempt.stage = 'id_token';
            return undefined;
          },
          crashed: (error) => attempt.abort(error),
        },
      );

      try {
        FRANCECONNECT_PASSPORT.authenticate(perRequest, { session: false, ...authenticateOptions }, (err, user, info) => {
          if (err) finish(() => reject(err));
          else if (user) finish(() => resolve({ kind: 'user', user }));
          else finish(() => resolve({ kind: 'fail', info }));
        })(req, res, (err?: unknown) => finish(() => reject(err ?? new Error('franceconnect: passport passed the request on'))));
      } catch (error) {
        finish(() => reject(error));
      }
    });
  }

  /** Turns what passport reported into the most precise typed error. */
  private failureOf(attempt: Attempt, reported: unknown): unknown {
    if (reported instanceof FranceConnectError) return reported;
    if (attempt.failure) return attempt.failure;
    if (attempt.consumed && !attempt.consumed.ok) return new StateInvalidError(attempt.consumed.failure);
    if (attempt.stage === 'id_token') return new IdTokenInvalidError(passportReason(reported));
    // Our own infrastructure (the database) failed: not a FranceConnect problem, let it surface.
    if (reported instanceof Error) return reported;
    return new CallbackInvalidError('rejected');
  }

  /** The verify step: jose on the ID token, then (only then) userinfo, verified as a JWT. */
  private async verifyTokens(client: RelyingPartyClient, metadata: ProviderMetadata, attempt: Attempt, tokens: TokenSet): Promise<FranceConnectLogin> {
    const consumed = attempt.consumed;
    if (!consumed?.ok || consumed.pending.nonce === null) throw new StateInvalidError('unknown');
    const pending: PendingRequest = consumed.pending;
    const receivedAt = this.settings.clock();
    const keys = this.directory.keyResolver(metadata);
    const verified = await verifyIdToken(tokens.idToken, {
      issuer: client.issuer,
      clientId: client.clientId,
      algorithm: client.signingAlgorithm,
      nonce: pending.nonce ?? '',
      keys,
      now: receivedAt,
      clockSkewSeconds: this.settings.clockSkewSeconds,
      maxAgeSeconds: this.settings.maxIdTokenAgeSeconds,
    });

    attempt.stage = 'userinfo';
    const hint = tokens.idToken;
    let response: OutboundResponse;
    try {
      response = await request({
        url: metadata.userinfoEndpoint,
        headers: { Authorization: `Bearer ${tokens.accessToken}`, Accept: 'application/jwt', 'User-Agent': 'fcplat-franceconnect-rp' },
        timeoutMs: this.settings.http.timeoutMs,
        connectTimeoutMs: this.settings.http.connectTimeoutMs,
        maxResponseBytes: USERINFO_MAX_BYTES,
        redirect: 'error',
        ca: this.settings.http.ca,
        // The token call's pooled connection: no second TLS handshake for this login.
        agent: metadata.userinfoEndpoint.startsWith('https:') ? this.agents.https : this.agents.http,
      });
    } catch (error) {
      if (isOutboundHttpError(error) && error.retryable) throw new ProviderUnavailableError(`userinfo_${error.code.toLowerCase()}`, true, error, hint);
      const reason = isOutboundHttpError(error) ? error.code.replace(/^OUTBOUND_/, '').toLowerCase() : 'failed';
      throw new UserinfoInvalidError(reason, hint, error);
    }
    if (!response.ok) {
      if (response.status >= 500) throw new ProviderUnavailableError(`userinfo_http_${response.status}`, true, undefined, hint);
      throw new UserinfoInvalidError(`http_${response.status}`, hint);
    }
    const claims = await verifyUserinfo(response.header('content-type'), response.body, {
      issuer: client.issuer,
      clientId: client.clientId,
      sub: verified.sub,
      keys,
      now: this.settings.clock(),
      clockSkewSeconds: this.settings.clockSkewSeconds,
      idTokenHint: hint,
    });

    const expiresIn = Number(tokens.params.expires_in);
    const lifetimeSeconds = Number.isFinite(expiresIn) && expiresIn > 0 ? Math.min(expiresIn, 3600) : 60;
    const granted = typeof tokens.params.scope === 'string' ? tokens.params.scope.split(' ').filter((s) => s !== '') : pending.scope?.split(' ').filter((s) => s !== '') ?? [];
    return Object.freeze({
      tenantId: client.tenantId,
      environment: client.environment,
      clientId: client.clientId,
      issuer: client.issuer,
      sub: verified.sub,
      acr: FRANCECONNECT_ACR,
      purpose: pending.purpose,
      idToken: tokens.idToken,
      claims: Object.freeze(claims),
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: new Date(receivedAt + lifetimeSeconds * 1000),
      scopes: Object.freeze(granted),
      authenticatedAt: new Date(verified.authTime !== undefined ? verified.authTime * 1000 : receivedAt),
    });
  }
}
