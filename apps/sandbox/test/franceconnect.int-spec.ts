/**
 * The FranceConnect v2 stand-in over real HTTP on 127.0.0.1, driven like a browser with plain
 * fetch and manual redirects: discovery, the code flow through the identity picker, tokens checked
 * with jose against the JWKS, pairwise subjects, FranceConnect's refusals, lifetimes, checktoken,
 * logout and cancel.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { CookieJarBrowser as Browser, locationOf } from '@fcplat/testing';
import { startSandbox, type RunningSandbox } from '../src/sandbox.js';
import {
  FRANCECONNECT_TTLS,
  franceConnectService,
  SANDBOX_API_PARTICULIER_DATA_PROVIDER,
  type FranceConnectOptions,
  type FranceConnectSandbox,
} from '../src/services/franceconnect.js';

// ---------------------------------------------------------------- helpers

/** Random [0-9A-Za-z] string, like the relying party's state and nonce. */
function random(length = 43): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return Array.from({ length }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
}

interface Client {
  client_id: string;
  client_secret: string;
  redirect_uri: string;
  post_logout_redirect_uri: string;
}

async function register(base: string, body: Record<string, unknown> = {}): Promise<Client> {
  const redirectUri = `https://commune-${random(8).toLowerCase()}.example.fr/auth/franceconnect/callback`;
  const postLogout = redirectUri.replace('/callback', '/logout/callback');
  const response = await fetch(`${base}/admin/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Mairie de test', redirect_uris: [redirectUri], post_logout_redirect_uris: [postLogout], ...body }),
  });
  expect(response.status).toBe(201);
  const created = (await response.json()) as { client_id: string; client_secret: string; redirect_uris: string[]; post_logout_redirect_uris: string[] };
  return { client_id: created.client_id, client_secret: created.client_secret, redirect_uri: created.redirect_uris[0] ?? '', post_logout_redirect_uri: created.post_logout_redirect_uris[0] ?? '' };
}

interface AuthorizeOptions {
  scope?: string;
  extra?: Record<string, string>;
  omit?: string[];
  state?: string;
  nonce?: string;
}

function authorizeUrl(issuer: string, client: Client, options: AuthorizeOptions = {}): { url: string; state: string; nonce: string } {
  const state = options.state ?? random();
  const nonce = options.nonce ?? random();
  const params: Record<string, string> = {
    client_id: client.client_id,
    redirect_uri: client.redirect_uri,
    response_type: 'code',
    scope: options.scope ?? 'openid identite_pivot email preferred_username',
    state,
    nonce,
    acr_values: 'eidas1',
    ...options.extra,
  };
  for (const name of options.omit ?? []) delete params[name];
  return { url: `${issuer}/authorize?${new URLSearchParams(params).toString()}`, state, nonce };
}

interface LoginResult {
  callback: URL;
  state: string;
  nonce: string;
}

/** authorize → picker → identity button → resume → back at the client with a code. */
async function login(issuer: string, browser: Browser, client: Client, identity = 'test', options: AuthorizeOptions = {}): Promise<LoginResult> {
  const { url, state, nonce } = authorizeUrl(issuer, client, options);
  const authorize = await browser.get(url);
  expect(authorize.status).toBe(303);
  const picker = locationOf(authorize, issuer);
  expect(picker.pathname).toMatch(/^\/api\/v2\/interaction\/[A-Za-z0-9_-]+$/);
  const page = await browser.get(picker.href);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain(`data-testid="identity-${identity}"`);
  const submitted = await browser.post(`${picker.href}/login`, { login: identity });
  expect(submitted.status).toBe(303);
  const resume = await browser.get(locationOf(submitted, issuer).href);
  expect(resume.status).toBe(303);
  return { callback: locationOf(resume, issuer), state, nonce };
}

interface TokenResponse {
  access_token: string;
  id_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

async function token(issuer: string, client: Client, code: string, init: { basic?: boolean } = {}): Promise<Response> {
  const form: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: client.redirect_uri };
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (init.basic) headers.authorization = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
  else Object.assign(form, { client_id: client.client_id, client_secret: client.client_secret });
  return fetch(`${issuer}/token`, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
}

async function codeFlow(issuer: string, client: Client, identity = 'test', options: AuthorizeOptions = {}): Promise<{ tokens: TokenResponse; nonce: string; browser: Browser }> {
  const browser = new Browser();
  const { callback, nonce } = await login(issuer, browser, client, identity, options);
  const response = await token(issuer, client, callback.searchParams.get('code') ?? '');
  expect(response.status).toBe(200);
  return { tokens: (await response.json()) as TokenResponse, nonce, browser };
}

async function checktoken(issuer: string, accessToken: string, credentials = SANDBOX_API_PARTICULIER_DATA_PROVIDER): Promise<Response> {
  return fetch(`${issuer}/checktoken`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: accessToken, client_id: credentials.client_id, client_secret: credentials.client_secret }).toString(),
  });
}

/** A stand-in on its own server (custom lifetimes), closed by the returned function. */
async function serve(options: FranceConnectOptions): Promise<{ base: string; issuer: string; service: FranceConnectSandbox; close: () => Promise<void> }> {
  const service = franceConnectService({ clientsFile: null, ...options });
  const server: Server = createServer((req, res) => {
    Promise.resolve(service.handler(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    issuer: `${base}/api/v2`,
    service,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- tests

describe('FranceConnect v2 stand-in', () => {
  let sandbox: RunningSandbox;
  let base: string;
  let issuer: string;
  let jwks: ReturnType<typeof createRemoteJWKSet>;

  beforeAll(async () => {
    sandbox = await startSandbox();
    base = sandbox.url('franceconnect');
    issuer = `${base}/api/v2`;
    jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  });

  afterAll(async () => {
    await sandbox.stop();
  });

  describe('discovery', () => {
    it('publishes FranceConnect v2 metadata under /api/v2', async () => {
      const response = await fetch(`${issuer}/.well-known/openid-configuration`);
      expect(response.status).toBe(200);
      const doc = (await response.json()) as Record<string, unknown>;
      expect(doc).toMatchObject({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        end_session_endpoint: `${issuer}/session/end`,
        acr_values_supported: ['eidas1'],
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code'],
        subject_types_supported: ['pairwise'],
        token_endpoint_auth_methods_supported: ['client_secret_post'],
        claims_parameter_supported: true,
        authorization_response_iss_parameter_supported: true,
      });
      expect(doc.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256', 'RS256']));
      expect(doc.id_token_signing_alg_values_supported).not.toContain('HS256');
      expect(doc.userinfo_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256', 'RS256']));
      expect(doc.scopes_supported).toEqual(
        expect.arrayContaining(['openid', 'identite_pivot', 'given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry', 'email', 'preferred_username', 'profile', 'birth', 'cnaf_quotient_familial']),
      );
      expect(doc.claims_supported).toEqual(
        expect.arrayContaining(['sub', 'given_name', 'given_name_array', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry', 'email', 'preferred_username', 'acr']),
      );
    });

    it('serves public ES256 and RS256 keys only', async () => {
      const { keys } = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
      expect(keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
      for (const key of keys) {
        expect(key.kid).toEqual(expect.any(String));
        expect(key).not.toHaveProperty('d');
      }
    });

    it('keeps the common sandbox routes', async () => {
      expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok', service: 'franceconnect' });
      expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    });
  });

  describe('code flow', () => {
    it('logs a demo citizen in and issues a verifiable ES256 ID token and userinfo JWT', async () => {
      const client = await register(base);
      const browser = new Browser();
      const { callback, state, nonce } = await login(issuer, browser, client, 'test');
      expect(`${callback.origin}${callback.pathname}`).toBe(client.redirect_uri);
      expect(callback.searchParams.get('state')).toBe(state);
      expect(callback.searchParams.get('iss')).toBe(issuer);
      const code = callback.searchParams.get('code') ?? '';
      expect(code).not.toBe('');

      const response = await token(issuer, client, code);
      expect(response.status).toBe(200);
      const tokens = (await response.json()) as TokenResponse;
      expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 60 });
      expect(tokens.scope.split(' ').sort()).toEqual(['email', 'identite_pivot', 'openid', 'preferred_username']);
      expect(tokens).not.toHaveProperty('refresh_token');

      expect(decodeProtectedHeader(tokens.id_token).alg).toBe('ES256');
      const { payload: idToken } = await jwtVerify(tokens.id_token, jwks, { issuer, audience: client.client_id, algorithms: ['ES256'] });
      expect(idToken.nonce).toBe(nonce);
      expect(idToken.acr).toBe('eidas1');
      expect(typeof idToken.auth_time).toBe('number');
      const digest = createHash('sha256').update(tokens.access_token).digest();
      expect(idToken.at_hash).toBe(digest.subarray(0, 16).toString('base64url'));
      expect((idToken.exp ?? 0) - (idToken.iat ?? 0)).toBe(60);
      expect(Math.abs((idToken.iat ?? 0) - Date.now() / 1000)).toBeLessThan(10);
      expect(idToken.sub).toMatch(/^[0-9a-f]{64}v1$/);
      // FranceConnect's ID token carries no identity claim: they come from userinfo.
      expect(idToken).not.toHaveProperty('given_name');

      const userinfo = await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(userinfo.status).toBe(200);
      expect(userinfo.headers.get('content-type')).toMatch(/^application\/jwt/);
      const jwt = await userinfo.text();
      expect(decodeProtectedHeader(jwt).alg).toBe('ES256');
      const { payload: claims } = await jwtVerify(jwt, jwks, { issuer, audience: client.client_id, algorithms: ['ES256'] });
      expect(claims.sub).toBe(idToken.sub);
      expect(claims).toMatchObject({
        given_name: 'Angela Claire Louise',
        given_name_array: ['Angela', 'Claire', 'Louise'],
        family_name: 'DUBOIS',
        birthdate: '1962-08-24',
        gender: 'female',
        birthplace: '75107',
        birthcountry: '99100',
        email: 'wossewodda-3728@yopmail.com',
      });
      // Only what the scopes ask for.
      expect(claims).not.toHaveProperty('idp_id');
      expect(claims).not.toHaveProperty('phone_number');
    });

    it('accepts the picker’s login/password form and refuses a wrong password', async () => {
      const client = await register(base);
      const browser = new Browser();
      const { url, state } = authorizeUrl(issuer, client);
      const picker = locationOf(await browser.get(url), issuer);
      const html = await (await browser.get(picker.href)).text();
      expect(html).toContain('<html lang="fr">');
      expect(html).toContain('data-testid="password-form"');
      expect(html).toContain('data-testid="cancel"');
      expect(html).toContain('Mairie de test');
      const wrong = await browser.post(`${picker.href}/login`, { login: 'sans_nom_dusage', password: 'nope' });
      expect(wrong.status).toBe(400);
      expect(await wrong.text()).toContain('data-testid="login-error"');
      const right = await browser.post(`${picker.href}/login`, { login: 'sans_nom_dusage', password: '123' });
      expect(right.status).toBe(303);
      const callback = locationOf(await browser.get(locationOf(right, issuer).href), issuer);
      expect(callback.searchParams.get('state')).toBe(state);
      const tokens = (await (await token(issuer, client, callback.searchParams.get('code') ?? '')).json()) as TokenResponse;
      const userinfo = decodeJwt(await (await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).text());
      expect(userinfo).toMatchObject({ family_name: 'DUPONT', given_name: 'Paul Louis', birthdate: '1962-08-24' });
    });

    it('signs with RS256 for a client registered so', async () => {
      const client = await register(base, { id_token_signed_response_alg: 'RS256' });
      const { tokens } = await codeFlow(issuer, client);
      expect(decodeProtectedHeader(tokens.id_token).alg).toBe('RS256');
      await jwtVerify(tokens.id_token, jwks, { issuer, audience: client.client_id, algorithms: ['RS256'] });
      const userinfo = await (await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).text();
      expect(decodeProtectedHeader(userinfo).alg).toBe('RS256');
    });

    it('gives a citizen a different sub per client, stable for one client', async () => {
      const first = await register(base);
      const second = await register(base);
      const subOf = async (client: Client, identity: string): Promise<string> => decodeJwt((await codeFlow(issuer, client, identity)).tokens.id_token).sub ?? '';
      const a1 = await subOf(first, 'test');
      const a2 = await subOf(first, 'test');
      const b = await subOf(second, 'test');
      const other = await subOf(first, 'avec_nom_dusage');
      expect(a1).toBe(a2);
      expect(b).not.toBe(a1);
      expect(other).not.toBe(a1);
    });

    it('releases usage name and foreign-birth claims as the CSV says', async () => {
      const client = await register(base);
      const { tokens } = await codeFlow(issuer, client, 'naissance_Algérie', { scope: 'openid identite_pivot preferred_username' });
      const claims = decodeJwt(await (await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).text());
      expect(claims).toMatchObject({ family_name: 'MARTIN', birthplace: '', birthcountry: '99352' });
      expect(claims).not.toHaveProperty('preferred_username');
      const withUsage = await codeFlow(issuer, client, 'avec_nom_dusage');
      const usage = decodeJwt(await (await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${withUsage.tokens.access_token}` } })).text());
      expect(usage).toMatchObject({ family_name: 'MERCIER', preferred_username: 'DUBOIS' });
    });

    it('shows the picker again with prompt=login, and needs no screen with prompt=consent', async () => {
      const client = await register(base);
      const { browser } = await codeFlow(issuer, client);
      const relogin = await browser.get(authorizeUrl(issuer, client, { extra: { prompt: 'login' } }).url);
      const picker = locationOf(relogin, issuer);
      expect(picker.pathname).toMatch(/^\/api\/v2\/interaction\//);
      expect(await (await browser.get(picker.href)).text()).toContain('data-testid="identity-test"');

      const { url, state } = authorizeUrl(issuer, client, { extra: { prompt: 'consent' } });
      const consent = locationOf(await browser.get(url), issuer);
      expect(consent.pathname).toMatch(/^\/api\/v2\/interaction\//);
      const granted = await browser.get(consent.href);
      expect(granted.status).toBe(303);
      const callback = locationOf(await browser.get(locationOf(granted, issuer).href), issuer);
      expect(callback.searchParams.get('state')).toBe(state);
      expect((await token(issuer, client, callback.searchParams.get('code') ?? '')).status).toBe(200);
    });

    it('revokes an access token on token/revocation (client_secret_post)', async () => {
      const client = await register(base);
      const { tokens } = await codeFlow(issuer, client);
      const revoked = await fetch(`${issuer}/token/revocation`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: tokens.access_token, client_id: client.client_id, client_secret: client.client_secret }).toString(),
      });
      expect(revoked.status).toBe(200);
      expect((await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
    });

    it('accepts an authorization request sent with POST', async () => {
      const client = await register(base);
      const { url, state } = authorizeUrl(issuer, client);
      const [endpoint, query] = url.split('?');
      const browser = new Browser();
      const response = await browser.post(endpoint ?? '', Object.fromEntries(new URLSearchParams(query)));
      expect(response.status).toBe(303);
      expect(locationOf(response, issuer).pathname).toMatch(/^\/api\/v2\/interaction\//);
      expect(state).toHaveLength(43);
    });
  });

  describe('refusals', () => {
    let client: Client;
    beforeAll(async () => {
      client = await register(base);
    });

    async function refused(options: AuthorizeOptions): Promise<URL> {
      const { url } = authorizeUrl(issuer, client, options);
      const response = await new Browser().get(url);
      expect(response.status).toBe(303);
      const callback = locationOf(response, issuer);
      expect(`${callback.origin}${callback.pathname}`).toBe(client.redirect_uri);
      expect(callback.searchParams.get('error')).toBe('invalid_request');
      expect(callback.searchParams.get('code')).toBeNull();
      return callback;
    }

    it('refuses PKCE parameters', async () => {
      const state = random();
      const callback = await refused({ state, extra: { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' } });
      expect(callback.searchParams.get('error_description')).toContain('code_challenge');
      expect(callback.searchParams.get('state')).toBe(state);
    });

    it('refuses any parameter FranceConnect does not accept', async () => {
      const extras: Array<Record<string, string>> = [{ login_hint: 'test' }, { response_mode: 'form_post' }, { max_age: '0' }, { foo: 'bar' }];
      for (const extra of extras) {
        const callback = await refused({ extra });
        expect(callback.searchParams.get('error_description')).toContain(Object.keys(extra)[0]);
      }
    });

    it('refuses a nonce or a state shorter than 22 characters, and missing ones', async () => {
      expect((await refused({ nonce: random(21) })).searchParams.get('error_description')).toContain('nonce');
      expect((await refused({ state: random(21) })).searchParams.get('error_description')).toContain('state');
      expect((await refused({ omit: ['nonce'] })).searchParams.get('error_description')).toContain('nonce');
      expect((await refused({ omit: ['acr_values'] })).searchParams.get('error_description')).toContain('acr_values');
      expect((await refused({ extra: { prompt: 'none' } })).searchParams.get('error_description')).toContain('prompt');
      // 22 characters are enough.
      const ok = await new Browser().get(authorizeUrl(issuer, client, { nonce: random(22), state: random(22) }).url);
      expect(locationOf(ok, issuer).pathname).toMatch(/^\/api\/v2\/interaction\//);
    });

    it('refuses response_type=token', async () => {
      const { url } = authorizeUrl(issuer, client, { extra: { response_type: 'token' } });
      const response = await new Browser().get(url);
      expect(response.status).toBe(303);
      const callback = locationOf(response, issuer);
      const answer = new URLSearchParams(callback.hash.slice(1) || callback.search.slice(1));
      expect(answer.get('error')).toBe('unsupported_response_type');
      expect(answer.get('access_token')).toBeNull();
    });

    it('shows an error page, without redirecting, for an unknown client or redirect_uri', async () => {
      const unknown = await new Browser().get(authorizeUrl(issuer, { ...client, client_id: 'inconnu' }).url);
      expect(unknown.status).toBe(400);
      expect(unknown.headers.get('location')).toBeNull();
      expect(await unknown.text()).toContain('data-testid="error-code"');
      const elsewhere = await new Browser().get(authorizeUrl(issuer, { ...client, redirect_uri: 'https://evil.example/cb' }).url);
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.headers.get('location')).toBeNull();
      const badParamElsewhere = await new Browser().get(authorizeUrl(issuer, { ...client, redirect_uri: 'https://evil.example/cb' }, { extra: { foo: 'bar' } }).url);
      expect(badParamElsewhere.status).toBe(400);
      expect(badParamElsewhere.headers.get('location')).toBeNull();
    });

    it('refuses client_secret_basic at the token endpoint', async () => {
      const browser = new Browser();
      const { callback } = await login(issuer, browser, client);
      const code = callback.searchParams.get('code') ?? '';
      const basic = await token(issuer, client, code, { basic: true });
      expect(basic.status).toBe(401);
      expect(await basic.json()).toMatchObject({ error: 'invalid_client' });
      // The code itself was not burnt by the refused call.
      expect((await token(issuer, client, code)).status).toBe(200);
    });

    it('refuses a wrong client secret', async () => {
      const { callback } = await login(issuer, new Browser(), client);
      const response = await token(issuer, { ...client, client_secret: 'f'.repeat(64) }, callback.searchParams.get('code') ?? '');
      expect(response.status).toBe(401);
    });

    it('refuses a code used twice, and revokes what the first use gave', async () => {
      const { callback } = await login(issuer, new Browser(), client);
      const code = callback.searchParams.get('code') ?? '';
      const first = await token(issuer, client, code);
      expect(first.status).toBe(200);
      const { access_token: accessToken } = (await first.json()) as TokenResponse;
      const second = await token(issuer, client, code);
      expect(second.status).toBe(400);
      expect(await second.json()).toMatchObject({ error: 'invalid_grant' });
      const userinfo = await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(userinfo.status).toBe(401);
    });
  });

  describe('checktoken', () => {
    it('answers a signed introspection with the scopes and the pivot identity', async () => {
      const client = await register(base);
      const scope = 'openid identite_pivot cnaf_quotient_familial cnaf_allocataires';
      const { tokens } = await codeFlow(issuer, client, 'sans_nom_dusage', { scope });
      const response = await checktoken(issuer, tokens.access_token);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/token-introspection+jwt');
      const { payload } = await jwtVerify(await response.text(), jwks, { issuer, audience: SANDBOX_API_PARTICULIER_DATA_PROVIDER.client_id, algorithms: ['ES256'] });
      const introspection = (payload as JWTPayload & { token_introspection: Record<string, unknown> }).token_introspection;
      expect(introspection).toMatchObject({
        active: true,
        aud: client.client_id,
        acr: 'eidas1',
        gender: 'male',
        family_name: 'DUPONT',
        given_name: 'Paul Louis',
        given_name_array: ['Paul', 'Louis'],
        birthdate: '1962-08-24',
        birthplace: '75107',
        birthcountry: '99100',
      });
      expect(String(introspection.scope).split(' ').sort()).toEqual(scope.split(' ').sort());
      expect((introspection.exp as number) - (introspection.iat as number)).toBe(60);
      // The data provider gets its own subject, not the service provider's.
      expect(introspection.sub).toMatch(/^[0-9a-f]{64}v1$/);
      expect(introspection.sub).not.toBe(decodeJwt(tokens.id_token).sub);
    });

    it('answers active:false for an unknown token, 401 for a wrong data provider, 400/405 for bad calls', async () => {
      const unknown = await checktoken(issuer, 'not-a-token');
      expect(unknown.status).toBe(200);
      const { payload } = await jwtVerify(await unknown.text(), jwks, { issuer });
      expect(payload).toMatchObject({ aud: SANDBOX_API_PARTICULIER_DATA_PROVIDER.client_id, token_introspection: { active: false } });

      const wrong = await checktoken(issuer, 'not-a-token', { ...SANDBOX_API_PARTICULIER_DATA_PROVIDER, client_secret: 'nope' });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });

      const json = await fetch(`${issuer}/checktoken`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: 'x', client_id: SANDBOX_API_PARTICULIER_DATA_PROVIDER.client_id, client_secret: SANDBOX_API_PARTICULIER_DATA_PROVIDER.client_secret }),
      });
      expect(json.status).toBe(200);
      const extra = await fetch(`${issuer}/checktoken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'x', other: 'y' }) });
      expect(extra.status).toBe(400);
      const get = await fetch(`${issuer}/checktoken`);
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      const broken = await fetch(`${issuer}/checktoken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
      expect(broken.status).toBe(400);
    });
  });

  describe('logout and cancel', () => {
    it('ends the session on session/end with a valid hint and goes back with the state', async () => {
      const client = await register(base);
      const { tokens, browser } = await codeFlow(issuer, client);

      // Within the session, a new authorization goes straight back (SSO): no picker.
      const sso = locationOf(await browser.get(authorizeUrl(issuer, client).url), issuer);
      expect(`${sso.origin}${sso.pathname}`).toBe(client.redirect_uri);
      expect(sso.searchParams.get('code')).not.toBeNull();
      expect(await checktokenActive(tokens.access_token)).toBe(true);

      const state = random();
      const logout = await browser.get(
        `${issuer}/session/end?${new URLSearchParams({ id_token_hint: tokens.id_token, state, post_logout_redirect_uri: client.post_logout_redirect_uri }).toString()}`,
      );
      expect(logout.status).toBe(303);
      const back = locationOf(logout, issuer);
      expect(`${back.origin}${back.pathname}`).toBe(client.post_logout_redirect_uri);
      expect(back.searchParams.get('state')).toBe(state);

      // The session is gone: the picker again, and the old access token is dead.
      const again = await browser.get(authorizeUrl(issuer, client).url);
      expect(locationOf(again, issuer).pathname).toMatch(/^\/api\/v2\/interaction\//);
      expect((await fetch(`${issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
      expect(await checktokenActive(tokens.access_token)).toBe(false);

      // Logging out again with the same hint still goes back to the client.
      const twice = await browser.get(
        `${issuer}/session/end?${new URLSearchParams({ id_token_hint: tokens.id_token, state, post_logout_redirect_uri: client.post_logout_redirect_uri }).toString()}`,
      );
      expect(twice.status).toBe(303);
      expect(locationOf(twice, issuer).searchParams.get('state')).toBe(state);
    });

    async function checktokenActive(accessToken: string): Promise<boolean> {
      const payload = decodeJwt(await (await checktoken(issuer, accessToken)).text()) as { token_introspection: { active: boolean } };
      return payload.token_introspection.active;
    }

    it('refuses an unregistered post_logout_redirect_uri', async () => {
      const client = await register(base);
      const { tokens, browser } = await codeFlow(issuer, client);
      const response = await browser.get(
        `${issuer}/session/end?${new URLSearchParams({ id_token_hint: tokens.id_token, state: random(), post_logout_redirect_uri: 'https://evil.example/out' }).toString()}`,
      );
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    });

    it('asks before logging out without a hint', async () => {
      const client = await register(base);
      const { browser } = await codeFlow(issuer, client);
      const response = await browser.get(`${issuer}/session/end?client_id=${client.client_id}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('data-testid="logout-confirm"');
    });

    it('returns access_denied with the state when the citizen cancels', async () => {
      const client = await register(base);
      const browser = new Browser();
      const { url, state } = authorizeUrl(issuer, client);
      const picker = locationOf(await browser.get(url), issuer);
      await browser.get(picker.href);
      const aborted = await browser.post(`${picker.href}/abort`, {});
      expect(aborted.status).toBe(303);
      const callback = locationOf(await browser.get(locationOf(aborted, issuer).href), issuer);
      expect(`${callback.origin}${callback.pathname}`).toBe(client.redirect_uri);
      expect(callback.searchParams.get('error')).toBe('access_denied');
      expect(callback.searchParams.get('state')).toBe(state);
      expect(callback.searchParams.get('code')).toBeNull();
    });

    it('shows a clear page for an expired or foreign interaction', async () => {
      const response = await new Browser().get(`${issuer}/interaction/unknownuid`);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Session expirée');
      const post = await new Browser().post(`${issuer}/interaction/unknownuid/login`, { login: 'test' });
      expect(post.status).toBe(400);
      expect((await new Browser().get(`${issuer}/interaction/unknownuid/login`)).status).toBe(405);
    });
  });

  describe('lifetimes', () => {
    it('uses FranceConnect’s lifetimes by default', () => {
      const service = franceConnectService({ clientsFile: null });
      expect(service.ttl).toEqual({ authorizationCode: 30, accessToken: 60, idToken: 60, interaction: 1800, session: 1800 });
      expect(FRANCECONNECT_TTLS).toEqual(service.ttl);
      expect(() => franceConnectService({ clientsFile: null, ttl: { accessToken: 0 } })).toThrow(/ttl.accessToken/);
    });

    it('expires a code and an access token after their lifetimes', async () => {
      const short = await serve({ ttl: { authorizationCode: 1, accessToken: 1 } });
      try {
        const client = await register(short.base);
        // Code: unused past its lifetime.
        const { callback } = await login(short.issuer, new Browser(), client);
        await sleep(2100);
        const late = await token(short.issuer, client, callback.searchParams.get('code') ?? '');
        expect(late.status).toBe(400);
        expect(await late.json()).toMatchObject({ error: 'invalid_grant' });

        // Access token: works at once, dead past its lifetime (userinfo and checktoken).
        const { tokens } = await codeFlow(short.issuer, client);
        expect(tokens.expires_in).toBe(1);
        expect((await fetch(`${short.issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(200);
        await sleep(2100);
        expect((await fetch(`${short.issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
        const introspection = decodeJwt(await (await checktoken(short.issuer, tokens.access_token)).text());
        expect(introspection).toMatchObject({ token_introspection: { active: false } });
      } finally {
        await short.close();
      }
    });
  });
});
