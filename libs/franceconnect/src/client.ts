/**
 * A tenant's FranceConnect client, and the adapter the relying party asks for it (engineering
 * habit 7): the library never reads where credentials live, it asks `clientFor(tenantKey)`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { ClientUnavailableError } from './errors.js';
import {
  FRANCECONNECT_ISSUERS,
  FRANCECONNECT_SIGNING_ALGORITHMS,
  isFranceConnectEnvironment,
  type FranceConnectEnvironment,
  type FranceConnectSigningAlgorithm,
} from './environments.js';

export interface RelyingPartyClient {
  /** The tenant's id (uuid of `tenant`): pending states are bound to it. */
  readonly tenantId: string;
  readonly environment: FranceConnectEnvironment;
  /** Must equal the environment's issuer for FranceConnect's environments; any http(s) issuer for `custom`, or for a stand-in where allowed. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `id_token_signed_response_alg` declared at FranceConnect: the only algorithm accepted for the ID token. */
  readonly signingAlgorithm: FranceConnectSigningAlgorithm;
  /** Registered callback, e.g. `https://…/t/{slug}/auth/franceconnect/callback`. */
  readonly redirectUri: string;
  /** Registered post-logout URI, e.g. `https://…/t/{slug}/auth/franceconnect/logout/callback`. */
  readonly postLogoutRedirectUri: string;
  /** Scopes of a normal login (`openid` is added; at least the pivot identity, qualification #17). */
  readonly scopes: readonly string[];
}

/** Where the relying party gets a tenant's client. `null` when the tenant has none (or is unknown). */
export interface RelyingPartyClientSource {
  clientFor(tenantKey: string): Promise<RelyingPartyClient | null>;
}

const SCOPE = /^[A-Za-z0-9_]{1,64}$/;
const CLIENT_ID = /^[\x21-\x7e]{1,256}$/;
const SECRET = /^[\x20-\x7e]{1,512}$/;

/** Scope tokens as sent after `openid` (which passport-openidconnect prepends itself). */
export function normaliseScopes(scopes: readonly string[]): string[] {
  const out: string[] = [];
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !SCOPE.test(scope)) throw new ClientUnavailableError('invalid_scope');
    if (scope === 'openid' || out.includes(scope)) continue;
    out.push(scope);
  }
  if (out.length > 100) throw new ClientUnavailableError('too_many_scopes');
  return out;
}

function absoluteHttpUrl(value: unknown, httpsOnly: boolean): URL | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && (httpsOnly || url.protocol !== 'http:')) return undefined;
  if (url.username || url.password || url.hash) return undefined;
  return url;
}

/**
 * Checks a client given by the source and returns it frozen with normalised scopes; throws
 * {@link ClientUnavailableError} (`reason` names the field) otherwise. `custom` issuers, and
 * stand-in issuers for the other environments, are only accepted when the caller allows them
 * (never in production).
 */
export function validateClient(client: RelyingPartyClient, allowCustomIssuers: boolean): RelyingPartyClient {
  if (!isFranceConnectEnvironment(client.environment)) throw new ClientUnavailableError('invalid_environment');
  // A stand-in: `custom`, or another environment pointed at a provider of the platform's choosing
  // (test platforms only, e.g. a local provider standing in for production in tests).
  const standIn = client.environment === 'custom' || client.issuer !== FRANCECONNECT_ISSUERS[client.environment];
  if (standIn) {
    if (!allowCustomIssuers) throw new ClientUnavailableError(client.environment === 'custom' ? 'custom_issuer_not_allowed' : 'issuer_not_of_environment');
    const issuer = absoluteHttpUrl(client.issuer, false);
    if (!issuer || issuer.search !== '') throw new ClientUnavailableError('invalid_issuer');
  }
  if (typeof client.tenantId !== 'string' || client.tenantId.length === 0 || client.tenantId.length > 64) throw new ClientUnavailableError('invalid_tenant_id');
  if (typeof client.clientId !== 'string' || !CLIENT_ID.test(client.clientId)) throw new ClientUnavailableError('invalid_client_id');
  if (typeof client.clientSecret !== 'string' || !SECRET.test(client.clientSecret)) throw new ClientUnavailableError('invalid_client_secret');
  if (!(FRANCECONNECT_SIGNING_ALGORITHMS as readonly string[]).includes(client.signingAlgorithm)) throw new ClientUnavailableError('invalid_signing_algorithm');
  // The real production requires https redirect URIs; a stand-in (tests) may use the loopback.
  const httpsOnly = client.environment === 'production' && !standIn;
  if (!absoluteHttpUrl(client.redirectUri, httpsOnly)) throw new ClientUnavailableError('invalid_redirect_uri');
  if (!absoluteHttpUrl(client.postLogoutRedirectUri, httpsOnly)) throw new ClientUnavailableError('invalid_post_logout_redirect_uri');
  return Object.freeze({
    tenantId: client.tenantId,
    environment: client.environment,
    issuer: client.issuer,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    signingAlgorithm: client.signingAlgorithm,
    redirectUri: client.redirectUri,
    postLogoutRedirectUri: client.postLogoutRedirectUri,
    scopes: Object.freeze(normaliseScopes(client.scopes)),
  });
}

/** Per-process key: fingerprints cannot be compared across processes nor brute-forced offline. */
const FINGERPRINT_KEY = randomBytes(32);

/**
 * A short keyed digest of everything a tenant's strategy is built from (credentials included):
 * when any of it changes, the cached strategy is replaced.
 */
export function fingerprintOf(parts: readonly string[]): string {
  const mac = createHmac('sha256', FINGERPRINT_KEY);
  for (const part of parts) mac.update(`${part.length}:${part}|`);
  return mac.digest('hex').slice(0, 32);
}
