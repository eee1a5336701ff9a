/**
 * The FranceConnect modality's bearer: a FranceConnect access token, resolved the way API
 * Particulier does it as a FranceConnect data provider (docs/domain.md §2.5): `POST
 * {issuer}/checktoken` with the token and the data provider's credentials; the answer is a JWS
 * (`application/token-introspection+jwt`) checked against FranceConnect's JWKS (found through its
 * discovery document), whose `token_introspection` gives `active`, the scopes and the pivot
 * identity. Staging's fake FranceConnect tokens (`cnaf_qfv2`, `all_fc`…) are recognised first, as
 * staging does, with their recorded introspection.
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { CHECKTOKEN_CONTENT_TYPE, type DataProvider } from '../franceconnect/checktoken.js';

export interface FranceConnectIdentity {
  readonly given_name: string;
  readonly given_name_array: readonly string[];
  readonly family_name: string;
  /** `YYYY-MM-DD`; presumed dates keep zeros (`1992-00-00`). */
  readonly birthdate: string;
  /** `male`, `female`, or something else FranceConnect allows (`unspecified`…). */
  readonly gender: string;
  /** COG code of the birth commune; empty for a birth abroad. */
  readonly birthplace: string;
  readonly birthcountry: string;
}

export type FranceConnectVerdict =
  | { readonly active: false }
  | { readonly active: true; readonly scopes: readonly string[]; readonly identity: FranceConnectIdentity };

/** FranceConnect could not be asked, or its answer could not be trusted. */
export class FranceConnectUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`FranceConnect checktoken: ${message}`, options);
    this.name = 'FranceConnectUnavailableError';
  }
}

export interface FranceConnectResolverOptions {
  /** FranceConnect's issuer (`http://…/api/v2`), read at each call: the sandbox knows it only once listening. */
  readonly issuer: () => string | undefined;
  readonly dataProvider: Pick<DataProvider, 'client_id' | 'client_secret'>;
  /** Staging's fake tokens: token → recorded `token_introspection`. */
  readonly stagingTokens: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /** Per HTTP exchange with FranceConnect. */
  readonly timeoutMs: number;
}

interface Discovery {
  readonly issuer: string;
  readonly jwks: JWTVerifyGetKey;
}

const MAX_ANSWER_BYTES = 64 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringClaim(introspection: Record<string, unknown>, name: string): string {
  const value = introspection[name];
  return typeof value === 'string' ? value : '';
}

/** Reads a `token_introspection` object (from checktoken or a staging fake token). */
export function readIntrospection(introspection: unknown): FranceConnectVerdict {
  if (!isRecord(introspection) || typeof introspection.active !== 'boolean') throw new FranceConnectUnavailableError('malformed token_introspection');
  if (!introspection.active) return { active: false };
  const scope = stringClaim(introspection, 'scope');
  const givenName = stringClaim(introspection, 'given_name');
  const array = introspection.given_name_array;
  const givenNames = Array.isArray(array) && array.every((item): item is string => typeof item === 'string') ? array : givenName.split(' ').filter((name) => name !== '');
  return {
    active: true,
    scopes: scope.split(' ').filter((value) => value !== ''),
    identity: {
      given_name: givenName,
      given_name_array: givenNames,
      family_name: stringClaim(introspection, 'family_name'),
      birthdate: stringClaim(introspection, 'birthdate'),
      gender: stringClaim(introspection, 'gender'),
      birthplace: stringClaim(introspection, 'birthplace'),
      birthcountry: stringClaim(introspection, 'birthcountry'),
    },
  };
}

export class FranceConnectTokenResolver {
  private readonly discoveries = new Map<string, Promise<Discovery>>();

  constructor(private readonly options: FranceConnectResolverOptions) {}

  async resolve(token: string): Promise<FranceConnectVerdict> {
    const staged = this.options.stagingTokens.get(token);
    if (staged) return readIntrospection(staged);
    const base = this.options.issuer()?.replace(/\/+$/, '');
    if (!base) throw new FranceConnectUnavailableError('no FranceConnect issuer configured');
    const discovery = await this.discover(base);
    const { client_id: clientId, client_secret: clientSecret } = this.options.dataProvider;
    let answer: string;
    try {
      const response = await fetch(`${base}/checktoken`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: CHECKTOKEN_CONTENT_TYPE },
        body: new URLSearchParams({ token, client_id: clientId, client_secret: clientSecret }).toString(),
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      answer = await response.text();
      if (response.status !== 200) throw new FranceConnectUnavailableError(`answered ${response.status}`);
    } catch (error) {
      if (error instanceof FranceConnectUnavailableError) throw error;
      throw new FranceConnectUnavailableError('unreachable', { cause: error });
    }
    if (answer.length > MAX_ANSWER_BYTES) throw new FranceConnectUnavailableError('answer too large');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(answer.trim(), discovery.jwks, {
        issuer: discovery.issuer,
        audience: clientId,
        typ: 'token-introspection+jwt',
        algorithms: ['ES256', 'RS256'],
      }));
    } catch (error) {
      throw new FranceConnectUnavailableError('the answer is not a valid JWS of FranceConnect', { cause: error });
    }
    return readIntrospection(payload.token_introspection);
  }

  /** Discovery document and JWKS, once per base URL (forgotten on failure, so a later call retries). */
  private discover(base: string): Promise<Discovery> {
    let discovery = this.discoveries.get(base);
    if (!discovery) {
      discovery = this.fetchDiscovery(base);
      this.discoveries.set(base, discovery);
      discovery.catch(() => this.discoveries.delete(base));
    }
    return discovery;
  }

  private async fetchDiscovery(base: string): Promise<Discovery> {
    let document: unknown;
    try {
      const response = await fetch(`${base}/.well-known/openid-configuration`, {
        headers: { accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (response.status !== 200) throw new FranceConnectUnavailableError(`discovery answered ${response.status}`);
      document = await response.json();
    } catch (error) {
      if (error instanceof FranceConnectUnavailableError) throw error;
      throw new FranceConnectUnavailableError('discovery unreachable', { cause: error });
    }
    if (!isRecord(document) || typeof document.issuer !== 'string' || typeof document.jwks_uri !== 'string') {
      throw new FranceConnectUnavailableError('malformed discovery document');
    }
    // FranceConnect is reached through `base`, which may differ from its public issuer (a
    // sandbox behind a proxy or a docker service name): its keys are fetched the same way.
    const jwks = document.jwks_uri.startsWith(`${document.issuer}/`) ? `${base}${document.jwks_uri.slice(document.issuer.length)}` : document.jwks_uri;
    let jwksUri: URL;
    try {
      jwksUri = new URL(jwks);
    } catch (error) {
      throw new FranceConnectUnavailableError('malformed jwks_uri', { cause: error });
    }
    return { issuer: document.issuer, jwks: createRemoteJWKSet(jwksUri, { timeoutDuration: this.options.timeoutMs }) };
  }
}
