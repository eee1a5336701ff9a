/**
 * A misbehaving OpenID Provider on 127.0.0.1 for negative protocol tests of the FranceConnect
 * relying party (issue 4, acceptance 3). It speaks FranceConnect v2's dialect (discovery,
 * `/authorize` without a login page, `client_secret_post` token endpoint, ES256/RS256 ID tokens,
 * userinfo as `application/jwt`, `session/end`) and forges one fault on demand:
 *
 * ```ts
 * const op = await startFaultyOp();
 * const client = op.addClient({ redirectUri: 'https://portal.test/cb' });
 * op.setFault('alg_none');            // every token from now on is unsigned
 * const callback = await op.authorize(authorizationUrl);   // the browser's trip, no UI
 * op.counts.userinfo;                  // how many userinfo calls the relying party made
 * ```
 *
 * Node built-ins and jose only. Every request is counted per endpoint; `lastAuthorize` keeps the
 * exact parameters of the last authorization request.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const FAULTY_OP_FAULTS = [
  'none',
  // ID token
  'bad_signature',
  'alg_none',
  'hs256',
  'alg_mismatch',
  'jwk_header',
  'jku_header',
  'wrong_iss',
  'wrong_aud',
  'multiple_aud_without_azp',
  'wrong_azp',
  'expired',
  'missing_iat',
  'iat_too_old',
  'iat_in_future',
  'wrong_nonce',
  'missing_nonce',
  'wrong_acr',
  'missing_acr',
  'unknown_kid',
  'id_token_null_payload',
  'id_token_garbage',
  'no_id_token',
  // userinfo
  'userinfo_sub_mismatch',
  'userinfo_json',
  'userinfo_html',
  'userinfo_unsigned',
  'userinfo_hs256',
  'userinfo_bad_signature',
  'userinfo_wrong_aud',
  'userinfo_wrong_iss',
  'userinfo_oversized',
  'userinfo_500',
  'userinfo_redirect',
  // token endpoint
  'token_slow',
  'token_stalled_body',
  'token_500',
  'token_invalid_grant',
  'token_redirect',
  'token_oversized',
  'token_html',
  'token_not_bearer',
  // provider metadata
  'discovery_wrong_issuer',
  'discovery_foreign_endpoint',
  'jwks_oversized',
] as const;
export type FaultyOpFault = (typeof FAULTY_OP_FAULTS)[number];

export type FaultyOpAlgorithm = 'ES256' | 'RS256';

export interface FaultyOpClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
}

export interface FaultyOpCounts {
  discovery: number;
  jwks: number;
  authorize: number;
  token: number;
  userinfo: number;
  endSession: number;
}

export interface FaultyOpOptions {
  /** Algorithm of honest ID tokens and userinfo (default ES256). */
  readonly algorithm?: FaultyOpAlgorithm;
  /** How long `token_slow` waits before answering, and `token_stalled_body` before finishing (default 30 s). */
  readonly slowMs?: number;
  /** Size of the oversized answers (default 2 MiB). */
  readonly oversizeBytes?: number;
}

export interface FaultyOp {
  /** `http://127.0.0.1:<port>/api/v2`. */
  readonly issuer: string;
  readonly origin: string;
  readonly algorithm: FaultyOpAlgorithm;
  readonly fault: FaultyOpFault;
  /** Applies `fault` to every following request ('none': an honest provider). */
  setFault(fault: FaultyOpFault): void;
  /** Registers a client (random credentials unless given). */
  addClient(overrides?: Partial<FaultyOpClient>): FaultyOpClient;
  /** New signing keys with new `kid`s; the JWKS then lists only them. */
  rotateKeys(): Promise<void>;
  readonly counts: Readonly<FaultyOpCounts>;
  resetCounts(): void;
  /** Parameters of the last authorization request, exactly as received. */
  readonly lastAuthorize: URLSearchParams | undefined;
  /** Pivot identity released by userinfo (and its `sub`) for the next logins. */
  identity: Record<string, unknown>;
  /** The browser's trip: follows `authorizationUrl` and returns the callback URL (with `code`, `state`, `iss`). */
  authorize(authorizationUrl: string): Promise<URL>;
  close(): Promise<void>;
}

interface KeyPair {
  readonly kid: string;
  readonly alg: FaultyOpAlgorithm;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

interface IssuedCode {
  readonly client: FaultyOpClient;
  readonly nonce: string;
  readonly redirectUri: string;
  readonly scope: string;
}

const MOUNT = '/api/v2';
const DEFAULT_IDENTITY: Record<string, unknown> = {
  given_name: 'Angela Claire Louise',
  given_name_array: ['Angela', 'Claire', 'Louise'],
  family_name: 'DUBOIS',
  birthdate: '1962-08-24',
  gender: 'female',
  birthplace: '75107',
  birthcountry: '99100',
  email: 'angela.dubois@example.fr',
};

const random = (bytes = 24): string => randomBytes(bytes).toString('base64url');
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

async function keyPair(alg: FaultyOpAlgorithm, kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Flips characters of the signature segment: a well-formed token whose signature no longer matches. */
function tamperSignature(token: string): string {
  const [header, payload, signature = ''] = token.split('.');
  const flipped = signature.slice(0, 10).replace(/[A-Za-z0-9]/g, (c) => (c === 'A' ? 'B' : 'A')) + signature.slice(10);
  return `${header}.${payload}.${flipped}`;
}

/** Starts the misbehaving provider on a free loopback port. */
export async function startFaultyOp(options: FaultyOpOptions = {}): Promise<FaultyOp> {
  const algorithm = options.algorithm ?? 'ES256';
  const other: FaultyOpAlgorithm = algorithm === 'ES256' ? 'RS256' : 'ES256';
  const slowMs = options.slowMs ?? 30_000;
  const oversizeBytes = options.oversizeBytes ?? 2 * 1024 * 1024;

  let generation = 1;
  let keys = { main: await keyPair(algorithm, `main-${generation}`), other: await keyPair(other, `other-${generation}`) };
  const outsider = await keyPair(algorithm, 'never-published');
  const attacker = await keyPair(algorithm, 'attacker');

  const clients = new Map<string, FaultyOpClient>();
  const codes = new Map<string, IssuedCode>();
  const accessTokens = new Map<string, { client: FaultyOpClient; sub: string }>();
  const counts: FaultyOpCounts = { discovery: 0, jwks: 0, authorize: 0, token: 0, userinfo: 0, endSession: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let fault: FaultyOpFault = 'none';
  let lastAuthorize: URLSearchParams | undefined;
  let issuer = '';
  let origin = '';

  const state = {
    identity: { ...DEFAULT_IDENTITY } as Record<string, unknown>,
  };
  /** A stable pairwise-looking subject per client. */
  const subjectOf = (client: FaultyOpClient): string => `${Buffer.from(client.clientId).toString('hex').slice(0, 32)}v1`;

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  async function sign(payload: JWTPayload, key: KeyPair, extraHeader: Record<string, unknown> = {}): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...extraHeader }).sign(key.privateKey);
  }

  async function idToken(code: IssuedCode): Promise<string> {
    const now = nowSeconds();
    const clientId = code.client.clientId;
    const claims: JWTPayload & Record<string, unknown> = {
      iss: issuer,
      sub: subjectOf(code.client),
      aud: clientId,
      exp: now + 60,
      iat: now,
      auth_time: now,
      nonce: code.nonce,
      acr: 'eidas1',
    };
    switch (fault) {
      case 'wrong_iss':
        claims.iss = 'https://oidc.evil.example/api/v2';
        break;
      case 'wrong_aud':
        claims.aud = 'another-client-id';
        break;
      case 'multiple_aud_without_azp':
        claims.aud = [clientId, 'another-client-id'];
        break;
      case 'wrong_azp':
        claims.azp = 'another-client-id';
        break;
      case 'expired':
        claims.iat = now - 180;
        claims.exp = now - 120;
        break;
      case 'missing_iat':
        delete claims.iat;
        break;
      case 'iat_too_old':
        claims.iat = now - 600;
        claims.exp = now + 60;
        break;
      case 'iat_in_future':
        claims.iat = now + 300;
        claims.exp = now + 360;
        break;
      case 'wrong_nonce':
        claims.nonce = random(32).replace(/[^A-Za-z0-9]/g, 'x');
        break;
      case 'missing_nonce':
        delete claims.nonce;
        break;
      case 'wrong_acr':
        claims.acr = 'eidas2';
        break;
      case 'missing_acr':
        delete claims.acr;
        break;
      default:
        break;
    }
    switch (fault) {
      case 'bad_signature':
        return tamperSignature(await sign(claims, keys.main));
      case 'alg_none':
        return new UnsecuredJWT(claims).encode();
      case 'hs256':
        return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(code.client.clientSecret));
      case 'alg_mismatch':
        return sign(claims, keys.other);
      case 'jwk_header':
        return sign(claims, attacker, { jwk: attacker.publicJwk });
      case 'jku_header':
        return sign(claims, attacker, { jku: `${origin}/attacker/jwks` });
      case 'unknown_kid':
        return sign(claims, outsider);
      case 'id_token_null_payload':
        return `${Buffer.from(JSON.stringify({ alg: algorithm })).toString('base64url')}.${Buffer.from('null').toString('base64url')}.c2lnbmF0dXJl`;
      case 'id_token_garbage':
        return '<html>not a token</html>';
      default:
        return sign(claims, keys.main);
    }
  }

  async function userinfo(res: ServerResponse, client: FaultyOpClient, sub: string): Promise<void> {
    const now = nowSeconds();
    const claims: JWTPayload & Record<string, unknown> = { ...state.identity, iss: issuer, aud: client.clientId, sub, iat: now, exp: now + 60 };
    switch (fault) {
      case 'userinfo_sub_mismatch':
        claims.sub = `${'f'.repeat(64)}v1`;
        break;
      case 'userinfo_wrong_aud':
        claims.aud = 'another-client-id';
        break;
      case 'userinfo_wrong_iss':
        claims.iss = 'https://oidc.evil.example/api/v2';
        break;
      default:
        break;
    }
    switch (fault) {
      case 'userinfo_json':
        sendJson(res, 200, claims);
        return;
      case 'userinfo_html':
        send(res, 200, 'text/html; charset=utf-8', '<!DOCTYPE html><html><body><h1>Erreur</h1></body></html>');
        return;
      case 'userinfo_unsigned':
        send(res, 200, 'application/jwt', new UnsecuredJWT(claims).encode());
        return;
      case 'userinfo_hs256':
        send(res, 200, 'application/jwt', await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(client.clientSecret)));
        return;
      case 'userinfo_bad_signature':
        send(res, 200, 'application/jwt', tamperSignature(await sign(claims, keys.main)));
        return;
      case 'userinfo_oversized':
        send(res, 200, 'application/jwt', Buffer.alloc(oversizeBytes, 'a'));
        return;
      case 'userinfo_500':
        sendJson(res, 500, { error: 'server_error' });
        return;
      case 'userinfo_redirect':
        send(res, 302, 'application/jwt', await sign(claims, keys.main), { Location: `${origin}/elsewhere` });
        return;
      default:
        send(res, 200, 'application/jwt; charset=utf-8', await sign(claims, keys.main));
    }
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const client = clients.get(form.get('client_id') ?? '');
    if (req.headers.authorization !== undefined || !client || form.get('client_secret') !== client.clientSecret) {
      sendJson(res, 401, { error: 'invalid_client' });
      return;
    }
    const code = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    if (form.get('grant_type') !== 'authorization_code' || !code || code.client !== client || form.get('redirect_uri') !== code.redirectUri) {
      sendJson(res, 400, { error: 'invalid_grant', error_description: 'code unknown, used or not yours' });
      return;
    }
    const accessToken = random(32);
    const sub = subjectOf(client);
    accessTokens.set(accessToken, { client, sub });
    const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: 60, scope: code.scope, id_token: await idToken(code) };
    switch (fault) {
      case 'token_slow':
        later(slowMs, () => {
          if (!res.destroyed) sendJson(res, 200, body);
        });
        return;
      case 'token_stalled_body': {
        const text = JSON.stringify(body);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
        res.write(text.slice(0, 20));
        later(slowMs, () => {
          if (!res.destroyed) res.end(text.slice(20));
        });
        return;
      }
      case 'token_500':
        sendJson(res, 500, { error: 'server_error', error_description: 'boom' });
        return;
      case 'token_invalid_grant':
        sendJson(res, 400, { error: 'invalid_grant', error_description: 'code expired' });
        return;
      case 'token_redirect':
        // A redirect whose body is a perfectly valid token response: node-oauth would take it.
        sendJson(res, 302, body, { Location: `${origin}/elsewhere` });
        return;
      case 'token_oversized':
        sendJson(res, 200, { ...body, padding: 'x'.repeat(oversizeBytes) });
        return;
      case 'token_html':
        send(res, 200, 'text/html; charset=utf-8', '<!DOCTYPE html><html><body>Maintenance</body></html>');
        return;
      case 'token_not_bearer':
        sendJson(res, 200, { ...body, token_type: 'MAC' });
        return;
      case 'no_id_token':
        delete body.id_token;
        sendJson(res, 200, body);
        return;
      default:
        sendJson(res, 200, body);
    }
  }

  function authorize(url: URL, res: ServerResponse): void {
    lastAuthorize = new URLSearchParams(url.searchParams);
    const params = url.searchParams;
    const client = clients.get(params.get('client_id') ?? '');
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!client || redirectUri !== client.redirectUri) {
      send(res, 400, 'text/plain; charset=utf-8', 'unknown client or redirect_uri');
      return;
    }
    const code = random(24);
    codes.set(code, { client, nonce: params.get('nonce') ?? '', redirectUri, scope: params.get('scope') ?? 'openid' });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    target.searchParams.set('state', params.get('state') ?? '');
    target.searchParams.set('iss', issuer);
    res.writeHead(302, { Location: target.href, 'Content-Length': 0 });
    res.end();
  }

  function discovery(res: ServerResponse): void {
    const document: Record<string, unknown> = {
      issuer: fault === 'discovery_wrong_issuer' ? 'https://oidc.evil.example/api/v2' : issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: fault === 'discovery_foreign_endpoint' ? 'https://oidc.evil.example/api/v2/token' : `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      jwks_uri: `${issuer}/jwks`,
      end_session_endpoint: `${issuer}/session/end`,
      response_types_supported: ['code'],
      acr_values_supported: ['eidas1'],
      subject_types_supported: ['pairwise'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
      id_token_signing_alg_values_supported: ['ES256', 'RS256'],
      userinfo_signing_alg_values_supported: ['ES256', 'RS256'],
      authorization_response_iss_parameter_supported: true,
    };
    sendJson(res, 200, document);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    if (path === `${MOUNT}/.well-known/openid-configuration`) {
      counts.discovery += 1;
      discovery(res);
    } else if (path === `${MOUNT}/jwks`) {
      counts.jwks += 1;
      if (fault === 'jwks_oversized') sendJson(res, 200, { keys: [keys.main.publicJwk, keys.other.publicJwk], padding: 'x'.repeat(oversizeBytes) });
      else sendJson(res, 200, { keys: [keys.main.publicJwk, keys.other.publicJwk] });
    } else if (path === `${MOUNT}/authorize` && req.method === 'GET') {
      counts.authorize += 1;
      authorize(url, res);
    } else if (path === `${MOUNT}/token` && req.method === 'POST') {
      counts.token += 1;
      await token(req, res);
    } else if (path === `${MOUNT}/userinfo`) {
      counts.userinfo += 1;
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const granted = accessTokens.get(bearer);
      if (!granted) {
        sendJson(res, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
        return;
      }
      await userinfo(res, granted.client, granted.sub);
    } else if (path === `${MOUNT}/session/end`) {
      counts.endSession += 1;
      const target = url.searchParams.get('post_logout_redirect_uri') ?? '';
      const known = [...clients.values()].some((c) => c.postLogoutRedirectUri === target);
      if (!known) {
        send(res, 400, 'text/plain; charset=utf-8', 'unknown post_logout_redirect_uri');
        return;
      }
      const back = new URL(target);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { Location: back.href, 'Content-Length': 0 });
      res.end();
    } else {
      send(res, 404, 'text/plain; charset=utf-8', 'not found');
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'faulty op failure');
      else res.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${origin}${MOUNT}`;

  return {
    issuer,
    origin,
    algorithm,
    get fault() {
      return fault;
    },
    setFault(next) {
      fault = next;
    },
    addClient(overrides = {}) {
      const id = random(16);
      const client: FaultyOpClient = {
        clientId: overrides.clientId ?? randomBytes(32).toString('hex'),
        clientSecret: overrides.clientSecret ?? randomBytes(32).toString('hex'),
        redirectUri: overrides.redirectUri ?? `https://portal-${id.toLowerCase().replace(/[^a-z0-9]/g, '')}.example.fr/auth/franceconnect/callback`,
        postLogoutRedirectUri: overrides.postLogoutRedirectUri ?? `https://portal-${id.toLowerCase().replace(/[^a-z0-9]/g, '')}.example.fr/auth/franceconnect/logout/callback`,
      };
      clients.set(client.clientId, client);
      return client;
    },
    async rotateKeys() {
      generation += 1;
      keys = { main: await keyPair(algorithm, `main-${generation}`), other: await keyPair(other, `other-${generation}`) };
    },
    counts,
    resetCounts() {
      for (const name of Object.keys(counts) as (keyof FaultyOpCounts)[]) counts[name] = 0;
    },
    get lastAuthorize() {
      return lastAuthorize;
    },
    get identity() {
      return state.identity;
    },
    set identity(value: Record<string, unknown>) {
      state.identity = { ...value };
    },
    async authorize(authorizationUrl) {
      const response = await fetch(authorizationUrl, { redirect: 'manual' });
      const location = response.headers.get('location');
      await response.arrayBuffer();
      if (response.status !== 302 || !location) throw new Error(`faulty op: authorize answered ${response.status}`);
      return new URL(location);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
