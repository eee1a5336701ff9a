/**
 * Discovery documents and JWKS, cached per issuer (never per tenant: 10,000 tenants on one
 * FranceConnect environment share one entry), SR-06:
 * - the discovery `issuer` must equal the configured issuer exactly, and every endpoint must be on
 *   the issuer's origin;
 * - an unknown `kid` refetches the JWKS, at most once per cooldown per issuer, and concurrent
 *   misses share that one refetch, so a flood of forged tokens cannot make us hammer the issuer
 *   (keys rotated right after a scheduled fetch are still picked up at once);
 * - every fetch goes through @fcplat/outbound-http (timeouts, bounded size, no redirects, TLS >= 1.2).
 */
import { createLocalJWKSet, errors as joseErrors, type CryptoKey, type FlattenedJWSInput, type JSONWebKeySet, type JWK, type JWSHeaderParameters } from 'jose';
import { isOutboundHttpError, request, type OutboundResponse } from '@fcplat/outbound-http';
import { BoundedLru } from './lru.js';
import { ProviderMisconfiguredError, ProviderUnavailableError } from './errors.js';

export interface ProviderMetadata {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly userinfoEndpoint: string;
  readonly jwksUri: string;
  /** FranceConnect's `session/end`; required for SR-10. */
  readonly endSessionEndpoint: string;
}

export interface HttpLimits {
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Extra trusted CA (PEM) for a private PKI (staging); never disables verification. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[] | undefined;
}

export interface ProviderDirectoryOptions {
  readonly http: HttpLimits;
  readonly discoveryTtlMs: number;
  readonly jwksTtlMs: number;
  readonly jwksCooldownMs: number;
  readonly maxIssuers: number;
  readonly clock: () => number;
}

const DISCOVERY_MAX_BYTES = 256 * 1024;
const JWKS_MAX_BYTES = 128 * 1024;
const MAX_KEYS = 50;
const USER_AGENT = 'fcplat-franceconnect-rp';

type KeyResolver = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

interface JwksEntry {
  resolve: ReturnType<typeof createLocalJWKSet> | undefined;
  /** Last fetch of any kind (first use, TTL expiry, unknown kid). */
  fetchedAt: number;
  /** Last fetch caused by an unknown `kid`: the cooldown counts from it. */
  refetchedAt: number;
  /** Number of HTTP fetches of this issuer's JWKS (observability and tests). */
  fetches: number;
  inflight: Promise<void> | undefined;
}

interface DiscoveryEntry {
  value: ProviderMetadata | undefined;
  fetchedAt: number;
  inflight: Promise<ProviderMetadata> | undefined;
}

function unavailable(what: string, error: unknown, logoutRecommended: boolean): Error {
  if (isOutboundHttpError(error)) {
    if (error.code === 'OUTBOUND_HTTP_STATUS' || error.retryable) return new ProviderUnavailableError(`${what}_${error.code.toLowerCase()}`, logoutRecommended, error);
    return new ProviderMisconfiguredError(`${what}_${error.code.toLowerCase()}`, logoutRecommended, error);
  }
  return error instanceof Error ? error : new ProviderUnavailableError(`${what}_failed`, logoutRecommended);
}

function endpoint(document: Record<string, unknown>, name: string, issuer: URL, httpsOnly: boolean): string {
  const value = document[name];
  if (typeof value !== 'string' || value.length > 2048) throw new ProviderMisconfiguredError(`discovery_${name}_missing`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ProviderMisconfiguredError(`discovery_${name}_invalid`);
  }
  if (url.origin !== issuer.origin || url.username || url.password || url.hash) throw new ProviderMisconfiguredError(`discovery_${name}_foreign`);
  if (httpsOnly && url.protocol !== 'https:') throw new ProviderMisconfiguredError(`discovery_${name}_not_https`);
  return url.href;
}

/** Validates a discovery document against the configured issuer (exact match, same origin). */
export function parseDiscovery(document: unknown, configuredIssuer: string): ProviderMetadata {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) throw new ProviderMisconfiguredError('discovery_not_an_object');
  const doc = document as Record<string, unknown>;
  if (doc.issuer !== configuredIssuer) throw new ProviderMisconfiguredError('discovery_issuer_mismatch');
  const issuer = new URL(configuredIssuer);
  const httpsOnly = issuer.protocol === 'https:';
  return Object.freeze({
    issuer: configuredIssuer,
    authorizationEndpoint: endpoint(doc, 'authorization_endpoint', issuer, httpsOnly),
    tokenEndpoint: endpoint(doc, 'token_endpoint', issuer, httpsOnly),
    userinfoEndpoint: endpoint(doc, 'userinfo_endpoint', issuer, httpsOnly),
    jwksUri: endpoint(doc, 'jwks_uri', issuer, httpsOnly),
    endSessionEndpoint: endpoint(doc, 'end_session_endpoint', issuer, httpsOnly),
  });
}

/** Keeps the public signing keys only: EC or RSA, not for encryption, without private members. */
export function parseJwks(document: unknown): JSONWebKeySet {
  if (document === null || typeof document !== 'object' || !Array.isArray((document as { keys?: unknown }).keys)) {
    throw new ProviderMisconfiguredError('jwks_invalid');
  }
  const keys: JWK[] = [];
  for (const candidate of (document as { keys: unknown[] }).keys.slice(0, MAX_KEYS)) {
    if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) continue;
    const key = candidate as JWK;
    if (key.kty !== 'EC' && key.kty !== 'RSA') continue;
    if (key.use !== undefined && key.use !== 'sig') continue;
    if ('d' in key || 'p' in key || 'k' in key) continue;
    keys.push(key);
  }
  return { keys };
}

export class ProviderDirectory {
  private readonly discoveries: BoundedLru<string, DiscoveryEntry>;
  private readonly keySets: BoundedLru<string, JwksEntry>;

  constructor(private readonly options: ProviderDirectoryOptions) {
    this.discoveries = new BoundedLru(options.maxIssuers);
    this.keySets = new BoundedLru(options.maxIssuers);
  }

  private async fetchJson(url: string, maxResponseBytes: number, what: string, logoutRecommended: boolean): Promise<unknown> {
    let response: OutboundResponse;
    try {
      response = await request({
        url,
        headers: { Accept: 'application/json', 'User-Agent': USER_AGENT },
        timeoutMs: this.options.http.timeoutMs,
        connectTimeoutMs: this.options.http.connectTimeoutMs,
        maxResponseBytes,
        redirect: 'error',
        ca: this.options.http.ca,
      });
    } catch (error) {
      throw unavailable(what, error, logoutRecommended);
    }
    if (!response.ok) {
      const reason = `${what}_http_${response.status}`;
      throw response.status >= 500 || response.status === 429
        ? new ProviderUnavailableError(reason, logoutRecommended)
        : new ProviderMisconfiguredError(reason, logoutRecommended);
    }
    try {
      return response.json();
    } catch (error) {
      throw new ProviderMisconfiguredError(`${what}_invalid_json`, logoutRecommended, error);
    }
  }

  /** The issuer's metadata, from cache or fetched (one fetch at a time per issuer). */
  async metadata(issuer: string, logoutRecommended = false): Promise<ProviderMetadata> {
    const now = this.options.clock();
    let entry = this.discoveries.get(issuer);
    if (entry?.value && now - entry.fetchedAt < this.options.discoveryTtlMs) return entry.value;
    if (!entry) {
      entry = { value: undefined, fetchedAt: 0, inflight: undefined };
      this.discoveries.set(issuer, entry);
    }
    if (entry.inflight) return entry.inflight;
    const current = entry;
    current.inflight = (async () => {
      try {
        const document = await this.fetchJson(`${issuer}/.well-known/openid-configuration`, DISCOVERY_MAX_BYTES, 'discovery', logoutRecommended);
        const value = parseDiscovery(document, issuer);
        current.value = value;
        current.fetchedAt = this.options.clock();
        return value;
      } finally {
        current.inflight = undefined;
      }
    })();
    return current.inflight;
  }

  private jwksEntry(issuer: string): JwksEntry {
    let entry = this.keySets.get(issuer);
    if (!entry) {
      entry = { resolve: undefined, fetchedAt: Number.NEGATIVE_INFINITY, refetchedAt: Number.NEGATIVE_INFINITY, fetches: 0, inflight: undefined };
      this.keySets.set(issuer, entry);
    }
    return entry;
  }

  private refresh(entry: JwksEntry, jwksUri: string, unknownKid: boolean): Promise<void> {
    if (entry.inflight) return entry.inflight;
    entry.inflight = (async () => {
      try {
        entry.fetches += 1;
        // Times are taken at the attempt: a failing JWKS endpoint is not hammered either.
        entry.fetchedAt = this.options.clock();
        if (unknownKid) entry.refetchedAt = entry.fetchedAt;
        const document = await this.fetchJson(jwksUri, JWKS_MAX_BYTES, 'jwks', true);
        entry.resolve = createLocalJWKSet(parseJwks(document));
      } finally {
        entry.inflight = undefined;
      }
    })();
    return entry.inflight;
  }

  /**
   * A jose key resolver for tokens of `metadata.issuer`: cached keys first; on an unknown `kid`
   * (or no cached keys, or keys older than the TTL), one refetch if the cooldown allows it.
   */
  keyResolver(metadata: ProviderMetadata): KeyResolver {
    const entry = this.jwksEntry(metadata.issuer);
    return async (header, token) => {
      const now = this.options.clock();
      if (!entry.resolve || now - entry.fetchedAt >= this.options.jwksTtlMs) {
        // First use, or keys past their TTL; after a failed fetch, wait for the cooldown.
        if (entry.inflight || entry.resolve || now - entry.fetchedAt >= this.options.jwksCooldownMs) {
          // Keys past their TTL stay usable while the issuer cannot be reached.
          await this.refresh(entry, metadata.jwksUri, false).catch((error: unknown) => {
            if (!entry.resolve) throw error;
          });
        }
      }
      if (!entry.resolve) throw new ProviderUnavailableError('jwks_unavailable', true);
      try {
        return await entry.resolve(header, token);
      } catch (error) {
        if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
        // Unknown kid: share a fetch under way, or refetch once if the cooldown since the last
        // unknown-kid refetch is over; otherwise refuse at once without calling the issuer.
        if (entry.inflight) await entry.inflight;
        else if (this.options.clock() - entry.refetchedAt >= this.options.jwksCooldownMs) await this.refresh(entry, metadata.jwksUri, true);
        else throw error;
        const refreshed = entry.resolve;
        if (!refreshed) throw error;
        return refreshed(header, token);
      }
    };
  }

  /** HTTP fetches of an issuer's JWKS so far (observability, tests). */
  jwksFetchCount(issuer: string): number {
    return this.keySets.peek(issuer)?.fetches ?? 0;
  }

  get cachedIssuers(): number {
    return Math.max(this.discoveries.size, this.keySets.size);
  }
}
