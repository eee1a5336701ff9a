/**
 * The relying party against the FranceConnect v2 sandbox (oidc-provider, ES256, JWT userinfo,
 * pairwise subjects, FranceConnect's authorize checks), over real HTTP on 127.0.0.1, with the
 * state store in the real PostgreSQL: complete logins for two tenants with their own clients at
 * once, several pending logins, cancel, logout with the session ended at the provider.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { franceConnectService, SANDBOX_API_PARTICULIER_DATA_PROVIDER } from '../../../apps/sandbox/src/services/franceconnect.js';
import { FranceConnectStateEntity } from '@fcplat/db';
import { makeTenant, migratedTestDataSource } from '@fcplat/testing';
import {
  AccessDeniedError,
  FRANCECONNECT_MESSAGES,
  FranceConnectRelyingParty,
  StateInvalidError,
  type FranceConnectLogin,
  type RelyingPartyClient,
} from '../src/index.js';
import { Browser, locationOf, MapClientSource, newBinding, rejectionOf } from './support.js';

interface SandboxClient {
  client_id: string;
  client_secret: string;
}

describe('FranceConnect relying party against the sandbox provider', () => {
  let ds: DataSource;
  let server: Server;
  let base: string;
  let issuer: string;
  let rp: FranceConnectRelyingParty;
  const source = new MapClientSource();
  const tenants: { id: string; slug: string; client: RelyingPartyClient }[] = [];

  async function registerClient(host: string): Promise<{ client: SandboxClient; redirectUri: string; postLogoutRedirectUri: string }> {
    const redirectUri = `https://${host}/t/demo/auth/franceconnect/callback`;
    const postLogoutRedirectUri = `https://${host}/t/demo/auth/franceconnect/logout/callback`;
    const response = await fetch(`${base}/admin/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: `Mairie ${host}`, redirect_uris: [redirectUri], post_logout_redirect_uris: [postLogoutRedirectUri], id_token_signed_response_alg: 'ES256' }),
    });
    expect(response.status).toBe(201);
    return { client: (await response.json()) as SandboxClient, redirectUri, postLogoutRedirectUri };
  }

  /** The citizen's trip: authorize → picker → identity → back at the portal's callback URL. */
  async function pickIdentity(browser: Browser, authorizationUrl: string, login = 'test'): Promise<URL> {
    const authorize = await browser.get(authorizationUrl);
    expect(authorize.status).toBe(303);
    let next = locationOf(authorize, issuer);
    if (next.pathname.startsWith('/api/v2/interaction/')) {
      const page = await browser.get(next.href);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(`data-testid="identity-${login}"`);
      const submitted = await browser.post(`${next.href}/login`, { login, password: '123' });
      expect(submitted.status).toBe(303);
      const resume = await browser.get(locationOf(submitted, issuer).href);
      expect(resume.status).toBe(303);
      next = locationOf(resume, issuer);
    }
    return next;
  }

  beforeAll(async () => {
    ds = await migratedTestDataSource('fc-rp-sandbox');
    const service = franceConnectService({ clientsFile: null });
    server = createServer((req, res) => {
      Promise.resolve(service.handler(req, res)).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    issuer = `${base}/api/v2`;
    for (const host of ['mairie-a.example.fr', 'mairie-b.example.fr']) {
      const tenant = await makeTenant(ds);
      const registered = await registerClient(host);
      const client: RelyingPartyClient = {
        tenantId: tenant.id,
        environment: 'custom',
        issuer,
        clientId: registered.client.client_id,
        clientSecret: registered.client.client_secret,
        signingAlgorithm: 'ES256',
        redirectUri: registered.redirectUri,
        postLogoutRedirectUri: registered.postLogoutRedirectUri,
        scopes: ['identite_pivot', 'email', 'cnaf_quotient_familial'],
      };
      // The portal resolves tenants by slug: the adapter is asked with whatever key the caller uses.
      source.set(tenant.slug, client);
      tenants.push({ id: tenant.id, slug: tenant.slug, client });
    }
    rp = new FranceConnectRelyingParty({ clients: source, database: ds, allowCustomIssuers: true });
  });

  afterAll(async () => {
    rp.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await ds.destroy();
  });

  const tenantA = () => tenants[0] as (typeof tenants)[number];
  const tenantB = () => tenants[1] as (typeof tenants)[number];

  it('reuses one connection for the token and userinfo calls, and across logins (keep-alive)', async () => {
    const sockets: { path: string; socket: unknown }[] = [];
    const record = (req: { url?: string; socket: unknown }): void => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (path.endsWith('/token') || path.endsWith('/userinfo')) sockets.push({ path, socket: req.socket });
    };
    server.prependListener('request', record);
    try {
      for (let i = 0; i < 2; i += 1) {
        const binding = newBinding();
        const { url } = await rp.beginLogin(tenantA().slug, binding, 'login');
        const callback = await pickIdentity(new Browser(), url, 'test');
        await rp.completeLogin(tenantA().slug, binding, callback.searchParams);
      }
    } finally {
      server.removeListener('request', record);
    }
    expect(sockets.map((s) => s.path.split('/').pop())).toEqual(['token', 'userinfo', 'token', 'userinfo']);
    // One TLS handshake (here one TCP connection) for two logins, instead of four.
    expect(new Set(sockets.map((s) => s.socket)).size).toBe(1);
  });

  it('logs a citizen in: authorize, picker, callback, verified ID token and userinfo, a usable access token', async () => {
    const binding = newBinding();
    const startedAt = Date.now();
    const { url, expiresAt } = await rp.beginLogin(tenantA().slug, binding, 'signup');
    expect(expiresAt.getTime()).toBeGreaterThan(startedAt + 9 * 60_000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(startedAt + 10 * 60_000 + 5_000);
    const authorize = new URL(url);
    expect(authorize.origin + authorize.pathname).toBe(`${issuer}/authorize`);
    expect([...authorize.searchParams.keys()].sort()).toEqual(['acr_values', 'client_id', 'nonce', 'redirect_uri', 'response_type', 'scope', 'state']);
    expect(authorize.searchParams.get('client_id')).toBe(tenantA().client.clientId);
    expect(authorize.searchParams.get('scope')).toBe('openid identite_pivot email cnaf_quotient_familial');

    const callback = await pickIdentity(new Browser(), url, 'test');
    expect(callback.origin + callback.pathname).toBe(tenantA().client.redirectUri);
    expect(callback.searchParams.get('iss')).toBe(issuer);

    const login: FranceConnectLogin = await rp.completeLogin(tenantA().slug, binding, callback.searchParams);
    expect(login).toMatchObject({
      tenantId: tenantA().id,
      environment: 'custom',
      clientId: tenantA().client.clientId,
      issuer,
      acr: 'eidas1',
      purpose: 'signup',
    });
    expect(login.sub).toMatch(/^[0-9a-f]{64}v1$/);
    expect(login.idToken.split('.')).toHaveLength(3);
    expect(login.claims).toMatchObject({ sub: login.sub, family_name: 'DUBOIS', given_name: 'Angela Claire Louise', birthdate: '1962-08-24', gender: 'female', birthplace: '75107', birthcountry: '99100' });
    expect(login.claims).not.toHaveProperty('iss');
    expect(login.scopes).toEqual(expect.arrayContaining(['openid', 'identite_pivot', 'cnaf_quotient_familial']));
    const ttl = login.accessTokenExpiresAt.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(Math.abs(login.authenticatedAt.getTime() - Date.now())).toBeLessThan(10_000);

    // The access token works at once for API Particulier (which introspects it at FranceConnect).
    const introspection = await fetch(`${issuer}/checktoken`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: login.accessToken, client_id: SANDBOX_API_PARTICULIER_DATA_PROVIDER.client_id, client_secret: SANDBOX_API_PARTICULIER_DATA_PROVIDER.client_secret }).toString(),
    });
    expect(introspection.status).toBe(200);
    const payload = JSON.parse(Buffer.from((await introspection.text()).split('.')[1] ?? '', 'base64url').toString()) as { token_introspection: { active: boolean; scope: string } };
    expect(payload.token_introspection.active).toBe(true);
    expect(payload.token_introspection.scope).toContain('cnaf_quotient_familial');

    // The stored state is single-use: the same callback again stops without a token call.
    const replay = await rejectionOf(rp.completeLogin(tenantA().slug, binding, callback.searchParams));
    expect(replay).toBeInstanceOf(StateInvalidError);
    expect((replay as StateInvalidError).failure).toBe('used');

    // Only digests are stored, never the state or the binding.
    const rows = await ds.getRepository(FranceConnectStateEntity).findBy({ tenantId: tenantA().id });
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(callback.searchParams.get('state') ?? '---');
    expect(stored).not.toContain(binding);
  });

  it('serves two tenants with their own clients at once: pending states never cross, subjects are pairwise', async () => {
    const binding = newBinding();
    const [beginA, beginB] = await Promise.all([rp.beginLogin(tenantA().slug, binding, 'login'), rp.beginLogin(tenantB().slug, binding, 'login')]);
    expect(new URL(beginA.url).searchParams.get('client_id')).toBe(tenantA().client.clientId);
    expect(new URL(beginB.url).searchParams.get('client_id')).toBe(tenantB().client.clientId);
    const browser = new Browser();
    const callbackA = await pickIdentity(browser, beginA.url, 'test');
    const callbackB = await pickIdentity(browser, beginB.url, 'test');

    // Tenant A's callback presented to tenant B (and the reverse): refused, nothing consumed.
    const crossedB = await rejectionOf(rp.completeLogin(tenantB().slug, binding, callbackA.searchParams));
    expect(crossedB).toMatchObject({ code: 'STATE_INVALID', failure: 'foreign_tenant', logoutRecommended: true, message: FRANCECONNECT_MESSAGES.notVerified });
    const crossedA = await rejectionOf(rp.completeLogin(tenantA().slug, binding, callbackB.searchParams));
    expect(crossedA).toMatchObject({ code: 'STATE_INVALID', failure: 'foreign_tenant' });

    const [loginA, loginB] = await Promise.all([
      rp.completeLogin(tenantA().slug, binding, callbackA.searchParams),
      rp.completeLogin(tenantB().slug, binding, callbackB.searchParams),
    ]);
    expect(loginA.tenantId).toBe(tenantA().id);
    expect(loginB.tenantId).toBe(tenantB().id);
    expect(loginA.clientId).not.toBe(loginB.clientId);
    // Same citizen, two clients: two subjects (SR-09).
    expect(loginA.claims.family_name).toBe(loginB.claims.family_name);
    expect(loginA.sub).not.toBe(loginB.sub);
    expect(rp.stats().strategies).toBe(2);
    expect(rp.stats().issuers).toBe(1);
  });

  it('keeps several pending logins of one browser (two tabs) and completes them in any order', async () => {
    const binding = newBinding();
    const browser = new Browser();
    const first = await rp.beginLogin(tenantA().slug, binding, 'login');
    const second = await rp.beginLogin(tenantA().slug, binding, 'data_retrieval', { scopes: ['identite_pivot', 'cnaf_quotient_familial'] });
    const callbackFirst = await pickIdentity(browser, first.url, 'test');
    const callbackSecond = await pickIdentity(browser, second.url, 'test');
    const loginSecond = await rp.completeLogin(tenantA().slug, binding, callbackSecond.searchParams);
    const loginFirst = await rp.completeLogin(tenantA().slug, binding, callbackFirst.searchParams);
    expect(loginSecond.purpose).toBe('data_retrieval');
    expect(loginFirst.purpose).toBe('login');
    expect(loginFirst.sub).toBe(loginSecond.sub);
    // A browser with another binding cannot complete someone else's pending login.
    const third = await rp.beginLogin(tenantA().slug, binding, 'login');
    const callbackThird = await pickIdentity(browser, third.url, 'test');
    const stolen = await rejectionOf(rp.completeLogin(tenantA().slug, newBinding(), callbackThird.searchParams));
    expect(stolen).toMatchObject({ code: 'STATE_INVALID', failure: 'foreign_binding' });
    await expect(rp.completeLogin(tenantA().slug, binding, callbackThird.searchParams)).resolves.toMatchObject({ sub: loginFirst.sub });
  });

  it('reports a cancel at FranceConnect as ACCESS_DENIED with a French message, and burns the state', async () => {
    const binding = newBinding();
    const browser = new Browser();
    const { url } = await rp.beginLogin(tenantB().slug, binding, 'login', { prompt: 'login' });
    expect(new URL(url).searchParams.get('prompt')).toBe('login');
    const authorize = await browser.get(url);
    const picker = locationOf(authorize, issuer);
    expect(picker.pathname).toMatch(/^\/api\/v2\/interaction\//);
    const aborted = await browser.post(`${picker.href}/abort`, {});
    expect(aborted.status).toBe(303);
    const resume = await browser.get(locationOf(aborted, issuer).href);
    const callback = locationOf(resume, issuer);
    expect(callback.searchParams.get('error')).toBe('access_denied');

    const error = await rejectionOf(rp.completeLogin(tenantB().slug, binding, callback.searchParams));
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error).toMatchObject({ code: 'ACCESS_DENIED', message: 'La connexion avec FranceConnect a été annulée.', logoutRecommended: false });
    // The state that came back with the error can no longer be used.
    const reuse = await rejectionOf(
      rp.completeLogin(tenantB().slug, binding, { code: 'forged-code', state: callback.searchParams.get('state') ?? '' }),
    );
    expect(reuse).toMatchObject({ code: 'STATE_INVALID', failure: 'used' });
  });

  it('logs out at FranceConnect: end_session with id_token_hint, fresh state, registered URI; the returning state is checked once', async () => {
    const binding = newBinding();
    const browser = new Browser();
    const { url } = await rp.beginLogin(tenantA().slug, binding, 'login');
    const login = await rp.completeLogin(tenantA().slug, binding, (await pickIdentity(browser, url, 'test')).searchParams);

    const logout = await rp.logoutUrl(tenantA().slug, binding, login.idToken);
    const endSession = new URL(logout.url);
    expect(endSession.origin + endSession.pathname).toBe(`${issuer}/session/end`);
    expect([...endSession.searchParams.keys()].sort()).toEqual(['id_token_hint', 'post_logout_redirect_uri', 'state']);
    expect(endSession.searchParams.get('id_token_hint')).toBe(login.idToken);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(tenantA().client.postLogoutRedirectUri);
    const state = endSession.searchParams.get('state') ?? '';
    expect(state).toMatch(/^[0-9A-Za-z]{43}$/);

    const ended = await browser.get(logout.url);
    expect(ended.status).toBe(303);
    const back = locationOf(ended, issuer);
    expect(back.origin + back.pathname).toBe(tenantA().client.postLogoutRedirectUri);
    expect(back.searchParams.get('state')).toBe(state);

    // A logout state is not a login state, and belongs to its tenant and browser.
    await expect(rp.completeLogout(tenantB().slug, binding, state)).rejects.toMatchObject({ code: 'STATE_INVALID', failure: 'foreign_tenant', flow: 'logout' });
    await expect(rp.completeLogin(tenantA().slug, binding, { code: 'x', state })).rejects.toMatchObject({ code: 'STATE_INVALID', failure: 'unknown' });
    await expect(rp.completeLogout(tenantA().slug, binding, back.searchParams.get('state') ?? undefined)).resolves.toEqual({ tenantId: tenantA().id });
    const replay = await rejectionOf(rp.completeLogout(tenantA().slug, binding, state));
    expect(replay).toMatchObject({ code: 'STATE_INVALID', failure: 'used', flow: 'logout', logoutRecommended: false, message: FRANCECONNECT_MESSAGES.logoutNotVerified });

    // The FranceConnect session is over: its access token is inactive and a new login asks again.
    const introspection = await fetch(`${issuer}/checktoken`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: login.accessToken, client_id: SANDBOX_API_PARTICULIER_DATA_PROVIDER.client_id, client_secret: SANDBOX_API_PARTICULIER_DATA_PROVIDER.client_secret }).toString(),
    });
    const payload = JSON.parse(Buffer.from((await introspection.text()).split('.')[1] ?? '', 'base64url').toString()) as { token_introspection: { active: boolean } };
    expect(payload.token_introspection.active).toBe(false);
    const again = await rp.beginLogin(tenantA().slug, binding, 'login');
    const authorize = await browser.get(again.url);
    expect(locationOf(authorize, issuer).pathname).toMatch(/^\/api\/v2\/interaction\//);
  });

  it('builds a logout URL without a hint (FranceConnect then asks the citizen) with client_id instead', async () => {
    const binding = newBinding();
    const browser = new Browser();
    const begin = await rp.beginLogin(tenantB().slug, binding, 'login');
    await rp.completeLogin(tenantB().slug, binding, (await pickIdentity(browser, begin.url, 'test')).searchParams);
    const { url } = await rp.logoutUrl(tenantB().slug, binding, null);
    const endSession = new URL(url);
    expect([...endSession.searchParams.keys()].sort()).toEqual(['client_id', 'post_logout_redirect_uri', 'state']);
    const page = await browser.get(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="logout-confirm"');

    // Tenant B's ID token is no hint for tenant A's client: client_id is sent instead.
    const other = await rp.beginLogin(tenantB().slug, binding, 'login');
    const loginB = await rp.completeLogin(tenantB().slug, binding, (await pickIdentity(new Browser(), other.url, 'test')).searchParams);
    const foreign = new URL((await rp.logoutUrl(tenantA().slug, binding, loginB.idToken)).url);
    expect(foreign.searchParams.has('id_token_hint')).toBe(false);
    expect(foreign.searchParams.get('client_id')).toBe(tenantA().client.clientId);
    await expect(rp.logoutUrl(tenantA().slug, binding, 'not a token')).rejects.toBeInstanceOf(TypeError);
    expect(new URL((await rp.logoutUrl(tenantA().slug, binding, '')).url).searchParams.has('client_id')).toBe(true);
  });

  it('refuses a tenant without a client, and a custom issuer unless allowed', async () => {
    await expect(rp.beginLogin('unknown-tenant', newBinding(), 'login')).rejects.toMatchObject({ code: 'CLIENT_UNAVAILABLE', reason: 'no_client' });
    const strict = new FranceConnectRelyingParty({ clients: source, database: ds });
    try {
      await expect(strict.beginLogin(tenantA().slug, newBinding(), 'login')).rejects.toMatchObject({
        code: 'CLIENT_UNAVAILABLE',
        reason: 'custom_issuer_not_allowed',
        message: 'La connexion avec FranceConnect n’est pas disponible pour ce service pour le moment.',
      });
    } finally {
      strict.close();
    }
  });
});
