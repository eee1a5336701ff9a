import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import type Provider from 'oidc-provider';
import type { ClientRegistry } from './clients.js';
import { HttpError, readFields } from './http-utils.js';
import { findIdentity, pairwiseSubject, pivotIdentity } from './identities.js';
import type { SigningAlg, SigningJwk } from './keys.js';
import { ACR } from './provider.js';
import { ALL_SCOPES } from './scopes.js';

/** A data provider allowed to call `/checktoken` (API Particulier is one for FranceConnect). */
export interface DataProvider {
  readonly client_id: string;
  readonly client_secret: string;
  readonly name: string;
  /** Scopes of this data provider; the answer's `scope` is the token's scopes among them. */
  readonly scopes: readonly string[];
  /** Algorithm of the answer's signature (FranceConnect: per data provider). */
  readonly checktoken_signing_alg: SigningAlg;
}

/**
 * The sandbox's API Particulier data provider. Its client_id is the audience of API Particulier's
 * staging payloads; the secret is a fixed, public sandbox value (never a real credential).
 */
export const SANDBOX_API_PARTICULIER_DATA_PROVIDER: DataProvider = Object.freeze({
  client_id: '423dcbdc5a15ece61ed00ff5989d72379c26d9ed4c8e4e05a87cffae019586e0',
  client_secret: 'sandbox-api-particulier-checktoken-secret-not-a-real-one',
  name: 'API Particulier (bac à sable)',
  scopes: ALL_SCOPES,
  checktoken_signing_alg: 'ES256',
});

export const CHECKTOKEN_CONTENT_TYPE = 'application/token-introspection+jwt';

const FIELDS = new Set(['token', 'client_id', 'client_secret']);

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Signs JWTs with the provider's own keys (imported once). */
export class Signer {
  readonly #keys = new Map<SigningAlg, Promise<{ kid: string; key: CryptoKey | Uint8Array }>>();

  constructor(private readonly jwks: readonly SigningJwk[]) {}

  async sign(payload: Record<string, unknown>, alg: SigningAlg, typ: string): Promise<string> {
    let entry = this.#keys.get(alg);
    if (!entry) {
      const jwk = this.jwks.find((key) => key.alg === alg);
      if (!jwk) throw new Error(`no ${alg} signing key`);
      entry = importJWK({ ...jwk } as JWK, alg).then((key) => ({ kid: jwk.kid, key }));
      this.#keys.set(alg, entry);
    }
    const { kid, key } = await entry;
    return new SignJWT(payload).setProtectedHeader({ alg, kid, typ }).sign(key);
  }
}

interface ChecktokenContext {
  readonly provider: Provider;
  readonly registry: ClientRegistry;
  readonly dataProviders: readonly DataProvider[];
  readonly signer: Signer;
  readonly pairwiseSalt: string;
}

type Introspection = { active: false } | ({ active: true } & Record<string, unknown>);

async function introspect(token: string, dataProvider: DataProvider, context: ChecktokenContext): Promise<Introspection> {
  const { provider } = context;
  const accessToken = await provider.AccessToken.find(token).catch(() => undefined);
  if (!accessToken || accessToken.isExpired) return { active: false };
  // The token dies with the FranceConnect session (logout, or the 30-minute session expiry).
  if (accessToken.expiresWithSession) {
    const session = accessToken.sessionUid ? await provider.Session.findByUid(accessToken.sessionUid) : undefined;
    if (!session) return { active: false };
  }
  const serviceProvider = accessToken.clientId ? context.registry.get(accessToken.clientId) : undefined;
  const identity = accessToken.accountId ? findIdentity(accessToken.accountId) : undefined;
  if (!serviceProvider || !identity) return { active: false };
  const allowed = new Set(dataProvider.scopes);
  const scope = (accessToken.scope ?? '').split(' ').filter((value) => value !== '' && allowed.has(value));
  return {
    active: true,
    aud: accessToken.clientId,
    sub: pairwiseSubject(dataProvider.client_id, identity, context.pairwiseSalt),
    iat: accessToken.iat,
    exp: accessToken.exp,
    acr: ACR,
    jti: accessToken.jti,
    scope: scope.join(' '),
    ...pivotIdentity(identity),
  };
}

/**
 * `POST /api/v2/checktoken` (data providers only): `token`, `client_id`, `client_secret` as a
 * form or JSON. Answers `application/token-introspection+jwt`, a JWS by the provider's key whose
 * payload is `{ iss, aud: <data provider>, iat, token_introspection: { active, aud: <service
 * provider>, sub: <data-provider sub>, iat, exp, acr, jti, scope, ...pivot identity } }`, or
 * `token_introspection: { active: false }` for an unknown, expired or session-less token.
 */
export async function handleChecktoken(req: IncomingMessage, res: ServerResponse, context: ChecktokenContext): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    throw new HttpError(405, 'invalid_request', 'checktoken only answers POST');
  }
  const fields = await readFields(req, 16 * 1024);
  const unknown = [...fields.keys()].filter((name) => !FIELDS.has(name));
  if (unknown.length > 0) throw new HttpError(400, 'invalid_request', `unexpected parameter(s): ${unknown.join(', ')}`);
  const token = fields.get('token') ?? '';
  const clientId = fields.get('client_id') ?? '';
  const clientSecret = fields.get('client_secret') ?? '';
  if (token === '' || clientId === '' || clientSecret === '') throw new HttpError(400, 'invalid_request', 'token, client_id and client_secret are required');
  const dataProvider = context.dataProviders.find((candidate) => candidate.client_id === clientId);
  if (!dataProvider || !sameSecret(clientSecret, dataProvider.client_secret)) {
    throw new HttpError(401, 'invalid_client', 'unknown data provider or wrong secret');
  }

  const introspection = await introspect(token, dataProvider, context);
  const jwt = await context.signer.sign(
    { iss: context.provider.issuer, aud: dataProvider.client_id, iat: Math.floor(Date.now() / 1000), token_introspection: introspection },
    dataProvider.checktoken_signing_alg,
    'token-introspection+jwt',
  );
  res.writeHead(200, { 'Content-Type': CHECKTOKEN_CONTENT_TYPE, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(jwt) });
  res.end(jwt);
}
