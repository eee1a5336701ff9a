/**
 * The citizen portal end to end against the FranceConnect v2 sandbox provider, over real HTTP
 * (API, provider) and PostgreSQL, for two tenants with their own clients stored in the
 * credentials vault (environment `custom`): sign-up and login with FranceConnect, the same person
 * getting unrelated accounts on two tenants (pairwise `sub`, SR-09), logout and account deletion
 * ending the FranceConnect session (FC-09, FC-12, SR-10), cancel at FranceConnect, tampered and
 * replayed states (FC-20, SR-03), reconciliation, and data retrieval for the logged-in account
 * only (FC-11). The "browser" is fetch with manual redirects and a cookie jar per origin.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { franceConnectService } from '../../sandbox/src/services/franceconnect.js';
import { HabilitationEntity, TenantEntity } from '@fcplat/db';
import { openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import { LogCapture, connectTenantToSandboxFranceConnect, freePort, makeCitizen, makeStaff, makeTenant, scratchMigratedDatabase, testPlatformConfig, type ScratchDatabase } from '@fcplat/testing';
import { startApiParticulierWorker, type RunningApiParticulierWorker } from '@fcplat/api-particulier-calls';
import { apiParticulierService } from '../../sandbox/src/services/api-particulier.js';
import { hashPassword } from '../src/accounts/passwords.js';
import { startApi, type ApiApp } from '../src/app.js';

/** The sandbox identity `test` (FranceConnect's sandbox citizen). */
const ANGELA = { login: 'test', email: 'wossewodda-3728@yopmail.com', familyName: 'DUBOIS', givenNames: 'Angela Claire Louise', birthdate: '1962-08-24' };
/** Other people of the sandbox. */
const PAUL = { login: 'sans_nom_dusage', familyName: 'DUPONT' };
const PIERRE = { login: 'avec_nom_dusage', familyName: 'MERCIER', givenNames: 'Pierre', birthdate: '1969-03-17', birthplace: '95277', gender: 'male' as const };

/**
 * A browser with the portal's front-end in it: cookies kept per origin (host:port), manual
 * redirects; its writes carry `Origin` (the page's own origin) and, like the portal's script,
 * the CSRF token read from the portal's CSRF cookie.
 */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  private jar(url: URL): Map<string, string> {
    let jar = this.jars.get(url.host);
    if (!jar) this.jars.set(url.host, (jar = new Map()));
    return jar;
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jar(new URL(origin)).get(name);
  }

  async request(method: string, href: string, body?: { json?: unknown; form?: Record<string, string> }): Promise<Response> {
    const url = new URL(href);
    const jar = this.jar(url);
    const headers: Record<string, string> = { accept: 'text/html,application/json' };
    if (jar.size > 0) headers.cookie = [...jar].map(([n, v]) => `${n}=${v}`).join('; ');
    if (method !== 'GET') {
      headers.origin = url.origin;
      const slug = /^\/(?:api\/portal|t)\/([a-z0-9-]+)/.exec(url.pathname)?.[1];
      const csrf = slug ? jar.get(`fcplat_csrf_${slug}`) : undefined;
      if (csrf) headers['x-csrf-token'] = csrf;
    }
    let payload: string | undefined;
    if (body?.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body?.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(body.form).toString();
    }
    const response = await fetch(url, { method, headers, body: payload, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === '' || attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a))) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }

  get(href: string): Promise<Response> {
    return this.request('GET', href);
  }

  async json(method: string, href: string, json?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await this.request(method, href, json === undefined ? undefined : { json });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }
}

const locationOf = (response: Response, base: string): URL => {
  const value = response.headers.get('location');
  if (!value) throw new Error(`no Location (status ${response.status})`);
  return new URL(value, base);
};

describe('citizen portal against the FranceConnect sandbox', () => {
  let dataSource: DataSource;
  let scratch: ScratchDatabase;
  let apip: Server;
  let workerInfrastructure: PlatformInfrastructure;
  let worker: RunningApiParticulierWorker;
  let infrastructure: PlatformInfrastructure;
  let api: ApiApp;
  let sandbox: Server;
  let issuer: string;
  let sandboxBase: string;
  let a: TenantEntity;
  let b: TenantEntity;
  const clients = new Map<string, string>();

  async function configureFranceConnect(tenant: TenantEntity, staffAuthorization: string): Promise<void> {
    const client = await connectTenantToSandboxFranceConnect({ apiUrl: api.url, sandboxBase, tenant, authorization: staffAuthorization });
    clients.set(tenant.id, client.clientId);
  }

  beforeAll(async () => {
    // A database of its own: this suite runs the API Particulier dispatcher, which serves every queued call of its database.
    scratch = await scratchMigratedDatabase();
    dataSource = scratch.dataSource;
    const service = franceConnectService({ clientsFile: null });
    sandbox = createServer((req, res) => {
      Promise.resolve(service.handler(req, res)).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => sandbox.listen(0, '127.0.0.1', resolve));
    sandboxBase = `http://127.0.0.1:${(sandbox.address() as AddressInfo).port}`;
    issuer = `${sandboxBase}/api/v2`;
    const port = await freePort();
    const standIn = apiParticulierService({ franceConnectIssuer: issuer });
    apip = createServer((req, res) => {
      Promise.resolve(standIn.handler(req, res)).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => apip.listen(0, '127.0.0.1', resolve));
    const config = await testPlatformConfig({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: scratch.url,
      SANDBOX_API_PARTICULIER_URL: `http://127.0.0.1:${(apip.address() as AddressInfo).port}`,
    });
    infrastructure = await openPlatformInfrastructure(config, 'api');
    workerInfrastructure = await openPlatformInfrastructure(config, 'worker');
    worker = await startApiParticulierWorker(config, workerInfrastructure);
    api = await startApi(config, infrastructure, { heartbeat: false, logDestination: new LogCapture(), frontends: [] });
    const staff = await makeStaff(dataSource, 'admin');
    a = await makeTenant(dataSource, { dataRetrievalEnabled: true });
    b = await makeTenant(dataSource);
    await dataSource.getRepository(HabilitationEntity).insert({
      tenantId: a.id,
      product: 'api_particulier',
      state: 'validated',
      scopes: ['cnaf_quotient_familial', 'cnaf_allocataires'],
      modalities: ['france_connect'],
      validatedAt: new Date(),
    });
    for (const tenant of [a, b]) await configureFranceConnect(tenant, staff.authorization);
  });

  afterAll(async () => {
    await api.close();
    await worker.stop();
    await workerInfrastructure.close();
    await infrastructure.close();
    for (const server of [sandbox, apip]) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    await scratch.drop();
  });

  const portal = (tenant: TenantEntity, path: string): string => `${api.url}/t/${tenant.slug}/auth/franceconnect/${path}`;
  const apiPath = (tenant: TenantEntity, path: string): string => `${api.url}/api/portal/${tenant.slug}${path}`;

  /** From the portal's login route to the callback URL FranceConnect sends the browser back to. */
  async function toFranceConnect(browser: Browser, start: string, login: string | null): Promise<{ authorize: URL; callback: URL; picker: boolean }> {
    const begin = await browser.get(start);
    expect(begin.status).toBe(302);
    const authorize = locationOf(begin, api.url);
    expect(authorize.href.startsWith(`${issuer}/authorize`)).toBe(true);
    const first = await browser.get(authorize.href);
    expect(first.status).toBe(303);
    let next = locationOf(first, issuer);
    const picker = next.pathname.startsWith('/api/v2/interaction/');
    if (picker) {
      const page = await browser.get(next.href);
      expect(page.status).toBe(200);
      await page.text();
      const submitted = login === null ? await browser.request('POST', `${next.href}/abort`, { form: {} }) : await browser.request('POST', `${next.href}/login`, { form: { login, password: '123' } });
      expect(submitted.status).toBe(303);
      const resume = await browser.get(locationOf(submitted, issuer).href);
      expect(resume.status).toBe(303);
      next = locationOf(resume, issuer);
    }
    return { authorize, callback: next, picker };
  }

  /** A complete FranceConnect login through the portal; returns where the callback sent the browser. */
  async function logInWithFranceConnect(browser: Browser, tenant: TenantEntity, login: string, purpose = 'login'): Promise<{ landing: URL; authorize: URL; picker: boolean }> {
    const { authorize, callback, picker } = await toFranceConnect(browser, `${portal(tenant, 'login')}?purpose=${purpose}`, login);
    expect(callback.href.startsWith(portal(tenant, 'callback'))).toBe(true);
    const back = await browser.get(callback.href);
    expect(back.status).toBe(302);
    return { landing: locationOf(back, api.url), authorize, picker };
  }

  /** Follows a FranceConnect logout URL back to the portal; returns the final portal location. */
  async function throughLogout(browser: Browser, logoutUrl: string, tenant: TenantEntity): Promise<URL> {
    const end = new URL(logoutUrl);
    expect(end.href.startsWith(`${issuer}/session/end`)).toBe(true);
    expect(end.searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${api.url}/t/${tenant.slug}/auth/franceconnect/logout/callback`);
    expect(end.searchParams.get('state')).toMatch(/^[0-9A-Za-z]{32,}$/);
    const atProvider = await browser.get(end.href);
    expect(atProvider.status).toBe(303);
    const back = locationOf(atProvider, issuer);
    expect(back.href.startsWith(portal(tenant, 'logout/callback'))).toBe(true);
    expect(back.searchParams.get('state')).toBe(end.searchParams.get('state'));
    const home = await browser.get(back.href);
    expect(home.status).toBe(302);
    return locationOf(home, api.url);
  }

  /**
   * A flow stopped before any verified ID token goes through FranceConnect's logout with the
   * tenant's client_id (FC-20): FranceConnect asks the citizen, who confirms; back on the portal.
   */
  async function throughConfirmedLogout(browser: Browser, logoutUrl: URL, tenant: TenantEntity): Promise<URL> {
    expect(logoutUrl.href.startsWith(`${issuer}/session/end`)).toBe(true);
    expect(logoutUrl.searchParams.get('id_token_hint')).toBeNull();
    expect(logoutUrl.searchParams.get('client_id')).toBe(clients.get(tenant.id));
    expect(logoutUrl.searchParams.get('post_logout_redirect_uri')).toBe(`${api.url}/t/${tenant.slug}/auth/franceconnect/logout/callback`);
    const page = await browser.get(logoutUrl.href);
    expect(page.status).toBe(200);
    const html = await page.text();
    // The confirmation form (or, without a FranceConnect session in this browser, the form the provider submits by itself).
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    expect(action).toBeDefined();
    const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
    const confirmed = await browser.request('POST', new URL(action ?? '', issuer).href, { form: { ...fields, logout: 'yes' } });
    expect([302, 303]).toContain(confirmed.status);
    const back = locationOf(confirmed, issuer);
    expect(back.href.startsWith(portal(tenant, 'logout/callback'))).toBe(true);
    expect(back.searchParams.get('state')).toBe(logoutUrl.searchParams.get('state'));
    const home = await browser.get(back.href);
    expect(home.status).toBe(302);
    return locationOf(home, api.url);
  }

  it('signs up with FranceConnect on tenant A with A’s client, then shows who is logged in', async () => {
    const browser = new Browser();
    const { landing, authorize } = await logInWithFranceConnect(browser, a, ANGELA.login, 'signup');
    expect(authorize.searchParams.get('client_id')).toBe(clients.get(a.id));
    expect(authorize.searchParams.get('acr_values')).toBe('eidas1');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${api.url}/t/${a.slug}/auth/franceconnect/callback`);
    expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'identite_pivot']));
    for (const name of ['state', 'nonce']) expect(authorize.searchParams.get(name)).toMatch(/^[0-9A-Za-z]{32,}$/);
    expect(landing.pathname).toBe(`/t/${a.slug}/profil`);
    const me = await browser.json('GET', apiPath(a, '/me'));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      email: ANGELA.email,
      franceConnectLinked: true,
      identity: { source: 'franceconnect', familyName: ANGELA.familyName, givenNames: ANGELA.givenNames, birthdate: ANGELA.birthdate, birthplace: '75107', birthcountry: '99100', gender: 'female' },
      franceConnectSessionExpiresAt: expect.any(String),
    });
    // A login's token carries no data scope: data retrieval goes through FranceConnect again (SSO within its session).
    expect((await browser.json('POST', apiPath(a, '/data-retrieval'))).body).toEqual({ status: 'redirect', redirect: `/t/${a.slug}/auth/franceconnect/login?purpose=data_retrieval` });
  });

  it('gives the same person an unrelated account on tenant B (pairwise sub), and a session of A is worthless on B', async () => {
    const browser = new Browser();
    await logInWithFranceConnect(browser, a, ANGELA.login);
    const onA = await browser.json('GET', apiPath(a, '/me'));
    await logInWithFranceConnect(browser, b, ANGELA.login);
    const onB = await browser.json('GET', apiPath(b, '/me'));
    expect(onB.status).toBe(200);
    expect(onB.body.id).not.toBe(onA.body.id);
    expect(onB.body).toMatchObject({ email: ANGELA.email, identity: { familyName: ANGELA.familyName } });
    // One session cookie per portal: the login on B left the session of A alone (issue 12, item 2).
    expect((await browser.json('GET', apiPath(a, '/me'))).status).toBe(200);
    const subs = (await dataSource.query(`SELECT tenant_id, sub FROM citizen_franceconnect_identity WHERE citizen_id IN ($1, $2)`, [onA.body.id, onB.body.id])) as {
      tenant_id: string;
      sub: string;
    }[];
    expect(subs).toHaveLength(2);
    expect(subs[0]?.sub).not.toBe(subs[1]?.sub);
  });

  it('finds the same account at the next login, and logout ends the FranceConnect session too (FC-09, SR-10)', async () => {
    const browser = new Browser();
    await logInWithFranceConnect(browser, a, ANGELA.login);
    const first = await browser.json('GET', apiPath(a, '/me'));
    const logout = await browser.json('POST', apiPath(a, '/logout'));
    expect(logout.status).toBe(200);
    expect((await browser.json('GET', apiPath(a, '/me'))).status).toBe(401);
    const home = await throughLogout(browser, String(logout.body.redirect), a);
    expect(home.pathname).toBe(`/t/${a.slug}/`);
    expect(home.search).toBe('');
    // FranceConnect's session is over: the next login goes through the identity picker again.
    const again = await logInWithFranceConnect(browser, a, ANGELA.login);
    expect(again.picker).toBe(true);
    expect((await browser.json('GET', apiPath(a, '/me'))).body.id).toBe(first.body.id);
    // Within FranceConnect's session, a new login needs no picker (SSO).
    const sso = await logInWithFranceConnect(browser, a, ANGELA.login);
    expect(sso.picker).toBe(false);
  });

  it('logs out through the fixed /logout route as well, a POST (a GET ends nothing)', async () => {
    const browser = new Browser();
    await logInWithFranceConnect(browser, b, ANGELA.login);
    expect((await browser.get(portal(b, 'logout'))).status).not.toBe(302);
    expect((await browser.json('GET', apiPath(b, '/me'))).status).toBe(200);
    const response = await browser.request('POST', portal(b, 'logout'), { json: {} });
    expect(response.status).toBe(303);
    const home = await throughLogout(browser, locationOf(response, api.url).href, b);
    expect(home.pathname).toBe(`/t/${b.slug}/`);
    expect((await browser.json('GET', apiPath(b, '/me'))).status).toBe(401);
  });

  it('deletes the account and ends the FranceConnect session (FC-12)', async () => {
    const browser = new Browser();
    await logInWithFranceConnect(browser, b, PAUL.login);
    const me = await browser.json('GET', apiPath(b, '/me'));
    const removal = await browser.json('DELETE', apiPath(b, '/me'));
    expect(removal.status).toBe(200);
    const home = await throughLogout(browser, String(removal.body.redirect), b);
    expect(home.pathname).toBe(`/t/${b.slug}/`);
    const rows = (await dataSource.query(`SELECT count(*) AS n FROM citizen WHERE id = $1`, [me.body.id])) as { n: string }[];
    expect(Number(rows[0]?.n)).toBe(0);
    // The same identity comes back as a new account.
    await logInWithFranceConnect(browser, b, PAUL.login);
    expect((await browser.json('GET', apiPath(b, '/me'))).body.id).not.toBe(me.body.id);
  });

  it('comes back with a clear French message when the citizen cancels at FranceConnect', async () => {
    const browser = new Browser();
    const { callback } = await toFranceConnect(browser, portal(a, 'login'), null);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    const back = await browser.get(callback.href);
    expect(back.status).toBe(302);
    const home = locationOf(back, api.url);
    expect(home.pathname).toBe(`/t/${a.slug}/`);
    expect(home.searchParams.get('erreur')).toBe('access_denied');
    expect(home.searchParams.get('message')).toBeNull();
    expect(browser.cookie(api.url, `fcplat_citizen_${a.slug}`)).toBeUndefined();
  });

  it('stops a tampered, replayed, foreign-browser or foreign-tenant callback without a session (FC-20, SR-03)', async () => {
    const browser = new Browser();
    const { callback } = await toFranceConnect(browser, portal(a, 'login'), ANGELA.login);
    const tampered = new URL(callback.href);
    tampered.searchParams.set('state', `${callback.searchParams.get('state') ?? ''}x`);
    // Home through FranceConnect's logout (FC-20), with the reason kept for the way back.
    const refused = await throughConfirmedLogout(browser, locationOf(await browser.get(tampered.href), api.url), a);
    expect(refused.pathname).toBe(`/t/${a.slug}/`);
    expect(refused.searchParams.get('erreur')).toBe('state_invalid');
    expect(refused.searchParams.get('message')).toBeNull();
    expect(browser.cookie(api.url, `fcplat_citizen_${a.slug}`)).toBeUndefined();
    // FranceConnect's session is over: the genuine callback of that flow is worthless now.
    expect(browser.cookie(api.url, `fcplat_citizen_${a.slug}`)).toBeUndefined();
    // A genuine callback works once, never twice.
    const genuine = await toFranceConnect(browser, portal(a, 'login'), ANGELA.login);
    expect(locationOf(await browser.get(genuine.callback.href), api.url).pathname).toBe(`/t/${a.slug}/profil`);
    const replay = await throughConfirmedLogout(browser, locationOf(await browser.get(genuine.callback.href), api.url), a);
    expect(replay.pathname).toBe(`/t/${a.slug}/`);
    expect(replay.searchParams.get('erreur')).toBeTruthy();

    // Another browser (with a binding cookie of its own) cannot use someone else's callback.
    const second = await toFranceConnect(browser, portal(a, 'login'), ANGELA.login);
    const thief = new Browser();
    await thief.get(portal(a, 'login'));
    const stolen = await throughConfirmedLogout(thief, locationOf(await thief.get(second.callback.href), api.url), a);
    expect(stolen.searchParams.get('erreur')).toBe('state_invalid');
    expect(thief.cookie(api.url, `fcplat_citizen_${a.slug}`)).toBeUndefined();

    // Tenant B cannot complete a flow of tenant A (this browser never started one on B: straight home).
    const third = await toFranceConnect(browser, portal(a, 'login'), ANGELA.login);
    const crossed = locationOf(await browser.get(third.callback.href.replace(`/t/${a.slug}/`, `/t/${b.slug}/`)), api.url);
    expect(crossed.pathname).toBe(`/t/${b.slug}/`);
    expect(crossed.searchParams.get('erreur')).toBeTruthy();
  });

  it('reconciles a local account with the same e-mail: log in with its password, then confirm (FC-11)', async () => {
    const tenant = await makeTenant(dataSource);
    const staff = await makeStaff(dataSource, 'admin');
    await configureFranceConnect(tenant, staff.authorization);
    const password = 'Un mot de passe local assez long';
    const local = await makeCitizen(dataSource, tenant.id, { email: ANGELA.email, passwordHash: await hashPassword(password) });
    const browser = new Browser();
    const { landing } = await logInWithFranceConnect(browser, tenant, ANGELA.login);
    expect(landing.pathname).toBe(`/t/${tenant.slug}/`);
    expect(landing.searchParams.get('erreur')).toBe('reconciliation_requise');
    expect((await browser.json('GET', apiPath(tenant, '/me'))).status).toBe(401);
    const login = await browser.json('POST', apiPath(tenant, '/login'), { email: ANGELA.email, password });
    expect(login.body).toMatchObject({ id: local.id, franceConnectLinked: false, pendingReconciliation: { identity: { familyName: ANGELA.familyName } } });
    const confirm = await browser.json('POST', apiPath(tenant, '/reconciliation/confirm'));
    expect(confirm.body).toMatchObject({ id: local.id, franceConnectLinked: true, identity: { source: 'franceconnect', familyName: ANGELA.familyName } });
    // FranceConnect now opens this account directly (a fresh browser goes through the picker).
    const later = new Browser();
    await logInWithFranceConnect(later, tenant, ANGELA.login);
    expect((await later.json('GET', apiPath(tenant, '/me'))).body.id).toBe(local.id);
  });

  it('retrieves data with FranceConnect: redirect with the data scopes, then only a confirmation within 30 minutes (FC-08 D)', async () => {
    const local = await makeCitizen(dataSource, a.id, {
      passwordHash: await hashPassword('Un mot de passe local assez long'),
      identity: { source: 'local', familyName: 'Mercier', givenNames: PIERRE.givenNames, birthdate: PIERRE.birthdate, birthplace: PIERRE.birthplace, birthcountry: '99100', gender: PIERRE.gender },
    });
    const browser = new Browser();
    expect((await browser.json('POST', apiPath(a, '/login'), { email: local.email, password: 'Un mot de passe local assez long' })).status).toBe(200);
    const start = await browser.json('POST', apiPath(a, '/data-retrieval'));
    expect(start.body).toEqual({ status: 'redirect', redirect: `/t/${a.slug}/auth/franceconnect/login?purpose=data_retrieval` });
    const { landing, authorize } = await logInWithFranceConnect(browser, a, PIERRE.login, 'data_retrieval');
    expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(['openid', 'identite_pivot', 'cnaf_quotient_familial', 'cnaf_allocataires']);
    expect(landing.pathname).toBe(`/t/${a.slug}/profil`);
    expect(landing.searchParams.get('recuperation')).toBe('confirmer');
    const again = await browser.json('POST', apiPath(a, '/data-retrieval'));
    expect(again.body).toEqual({ status: 'confirm_required', expiresAt: expect.any(String) });
    const confirm = await browser.json('POST', apiPath(a, '/data-retrieval/confirm'));
    expect(confirm.status).toBe(200);
    // The call was made right away with Pierre's FranceConnect token; the data comes back with what it is for.
    expect(confirm.body).toEqual({
      status: 'ok',
      scopes: expect.arrayContaining(['identite_pivot', 'cnaf_quotient_familial']),
      results: [
        expect.objectContaining({
          api: 'quotient_familial',
          status: 'succeeded',
          usage: expect.stringMatching(/Calculer vos tarifs/),
          description: expect.stringMatching(/^Quotient familial \d+/),
        }),
      ],
    });
    // The access token served that one retrieval: the session no longer holds it (the scopes granted stay known)…
    const kept = (await dataSource.query(`SELECT fc_access_token_ciphertext, fc_access_token_expires_at, fc_scopes FROM citizen_session WHERE citizen_id = $1`, [local.id])) as {
      fc_access_token_ciphertext: string | null;
      fc_access_token_expires_at: Date | null;
      fc_scopes: string[];
    }[];
    expect(kept[0]).toMatchObject({ fc_access_token_ciphertext: null, fc_access_token_expires_at: null });
    expect(kept[0]?.fc_scopes).toEqual(expect.arrayContaining(['cnaf_quotient_familial']));
    // …so confirming again within the minute calls nothing: FranceConnect again.
    const twice = await browser.json('POST', apiPath(a, '/data-retrieval/confirm'));
    expect(twice.status).toBe(403);
    // Told why (the session read after the token was taken): used, not expired.
    expect(twice.body).toMatchObject({ redirect: `/t/${a.slug}/auth/franceconnect/login?purpose=data_retrieval`, detail: expect.stringMatching(/a déjà servi/) });
    const made = (await dataSource.query(`SELECT count(*)::int AS n FROM api_particulier_call WHERE triggered_by = $1`, [`citizen:${local.id}`])) as { n: number }[];
    expect(made[0]?.n).toBe(1);
    // Still the same account (data retrieval is not a login), not linked by it.
    expect((await browser.json('GET', apiPath(a, '/me'))).body).toMatchObject({ id: local.id, franceConnectLinked: false });
  });


  it('retrieves the quotient familial with the citizen’s FranceConnect token, through the queue, and shows it with its purpose', async () => {
    const local = await makeCitizen(dataSource, a.id, {
      passwordHash: await hashPassword('Un mot de passe local assez long'),
      identity: { source: 'local', familyName: 'DUPONT', givenNames: 'Paul Louis', birthdate: '1962-08-24', birthplace: '75107', birthcountry: '99100', gender: 'male' },
    });
    const browser = new Browser();
    expect((await browser.json('POST', apiPath(a, '/login'), { email: local.email, password: 'Un mot de passe local assez long' })).status).toBe(200);
    const { landing } = await logInWithFranceConnect(browser, a, PAUL.login, 'data_retrieval');
    expect(landing.searchParams.get('recuperation')).toBe('confirmer');
    // Two confirmations at once (a double click, two tabs): one retrieval, the other sent to FranceConnect.
    const both = await Promise.all([browser.json('POST', apiPath(a, '/data-retrieval/confirm')), browser.json('POST', apiPath(a, '/data-retrieval/confirm'))]);
    expect(both.map((answer) => answer.status).sort()).toEqual([200, 403]);
    expect(both.find((answer) => answer.status === 403)?.body).toMatchObject({ detail: expect.stringMatching(/a déjà servi/) });
    const confirm = both.find((answer) => answer.status === 200) ?? both[0];
    expect(confirm.status).toBe(200);
    expect(confirm.body['results']).toEqual([
      expect.objectContaining({
        api: 'quotient_familial',
        label: 'Quotient familial CAF & MSA',
        status: 'succeeded',
        description: expect.stringMatching(/^Quotient familial \d+ \(CNAF, /),
        summary: expect.objectContaining({ api: 'quotient_familial', nombreEnfants: 3, quotientFamilial: expect.objectContaining({ fournisseur: 'CNAF' }) }),
      }),
    ]);
    // Shown again on the profile afterwards, and recorded in the call log with the tenant's SIRET, once.
    expect((await browser.json('GET', apiPath(a, '/data-retrieval/results'))).body['results']).toEqual(confirm.body['results']);
    const calls = (await dataSource.query(`SELECT recipient, modality, origin, status, triggered_by, input_ciphertext FROM api_particulier_call WHERE triggered_by = $1`, [`citizen:${local.id}`])) as Record<string, unknown>[];
    expect(calls).toEqual([{ recipient: a.siret, modality: 'france_connect', origin: 'citizen', status: 'succeeded', triggered_by: `citizen:${local.id}`, input_ciphertext: null }]);
  });

  it('retrieves the data at login when the tenant chose it: one /authorize with the data scopes, the calls right after the token exchange', async () => {
    const staff = await makeStaff(dataSource, 'admin');
    const c = await makeTenant(dataSource, { dataRetrievalEnabled: true });
    await dataSource.getRepository(HabilitationEntity).insert({
      tenantId: c.id,
      product: 'api_particulier',
      state: 'validated',
      scopes: ['cnaf_quotient_familial', 'cnaf_allocataires'],
      modalities: ['france_connect'],
      validatedAt: new Date(),
    });
    await configureFranceConnect(c, staff.authorization);
    const patch = (tenant: TenantEntity, body: Record<string, unknown>) =>
      fetch(`${api.url}/api/tenants/${tenant.id}`, { method: 'PATCH', headers: { authorization: staff.authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const versionOf = async (tenant: TenantEntity): Promise<number> => (await dataSource.getRepository(TenantEntity).findOneByOrFail({ id: tenant.id })).version;

    // Not without data retrieval: a clear refusal, nothing changed.
    const refused = await patch(b, { version: await versionOf(b), dataRetrievalAtLogin: true });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ path: 'dataRetrievalAtLogin' }] });
    expect((await dataSource.getRepository(TenantEntity).findOneByOrFail({ id: b.id })).dataRetrievalAtLogin).toBe(false);
    const chosen = await patch(c, { version: await versionOf(c), dataRetrievalAtLogin: true });
    expect(chosen.status).toBe(200);
    expect(await chosen.json()).toMatchObject({ dataRetrievalEnabled: true, dataRetrievalAtLogin: true });
    expect((await (await fetch(apiPath(c, ''))).json()) as Record<string, unknown>).toMatchObject({ dataRetrievalAtLogin: true });

    // Sign-up with FranceConnect: identity and data scopes in one authorization…
    const browser = new Browser();
    const { landing, authorize } = await logInWithFranceConnect(browser, c, PAUL.login, 'signup');
    expect(authorize.searchParams.get('client_id')).toBe(clients.get(c.id));
    expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'identite_pivot', 'cnaf_quotient_familial', 'cnaf_allocataires']));
    // …then the profile, where the data arrives without any other step.
    expect(landing.pathname).toBe(`/t/${c.slug}/profil`);
    expect(landing.searchParams.get('recuperation')).toBe('connexion');
    // The login's token served that retrieval: « Récupérer mes données » now goes through FranceConnect again.
    expect((await browser.json('POST', apiPath(c, '/data-retrieval'))).body).toMatchObject({ status: 'redirect' });
    const results = await browser.json('GET', apiPath(c, '/data-retrieval/results?wait=true'));
    expect(results.status).toBe(200);
    expect(results.body['results']).toEqual([
      expect.objectContaining({ api: 'quotient_familial', status: 'succeeded', description: expect.stringMatching(/^Quotient familial \d+ \(CNAF, /), usage: expect.stringMatching(/Calculer vos tarifs/) }),
    ]);
    const me = (await browser.json('GET', apiPath(c, '/me'))).body as { id: string };
    const calls = (await dataSource.query(`SELECT recipient, modality, origin, status FROM api_particulier_call WHERE triggered_by = $1`, [`citizen:${me.id}`])) as Record<string, unknown>[];
    expect(calls).toEqual([{ recipient: c.siret, modality: 'france_connect', origin: 'citizen', status: 'succeeded' }]);

    // A tenant that did not choose it: a login asks for no data scope and calls nothing.
    const other = new Browser();
    const plain = await logInWithFranceConnect(other, a, PAUL.login, 'login');
    expect(plain.authorize.searchParams.get('scope')?.split(' ').filter((scope) => scope.startsWith('cnaf_'))).toEqual([]);
    expect(plain.landing.searchParams.get('recuperation')).toBeNull();

    // Switching data retrieval off switches retrieval at login off with it; the next login asks for no data.
    const off = await patch(c, { version: await versionOf(c), dataRetrievalEnabled: false });
    expect(await off.json()).toMatchObject({ dataRetrievalEnabled: false, dataRetrievalAtLogin: false });
    const later = await logInWithFranceConnect(new Browser(), c, PAUL.login, 'login');
    expect(later.authorize.searchParams.get('scope')?.split(' ').filter((scope) => scope.startsWith('cnaf_'))).toEqual([]);
    expect(later.landing.searchParams.get('recuperation')).toBeNull();
  });

  it('refuses the data of another person and goes through FranceConnect’s logout before saying why (FC-11, FC-20)', async () => {
    const local = await makeCitizen(dataSource, a.id, {
      passwordHash: await hashPassword('Un mot de passe local assez long'),
      identity: { source: 'local', familyName: 'DUBOIS', givenNames: 'Angela Claire Louise', birthdate: '1962-08-24', birthplace: '75107', birthcountry: '99100', gender: 'female' },
    });
    const browser = new Browser();
    await browser.json('POST', apiPath(a, '/login'), { email: local.email, password: 'Un mot de passe local assez long' });
    const { callback } = await toFranceConnect(browser, portal(a, 'login?purpose=data_retrieval'), PAUL.login);
    const back = await browser.get(callback.href);
    expect(back.status).toBe(302);
    const home = await throughLogout(browser, locationOf(back, api.url).href, a);
    expect(home.pathname).toBe(`/t/${a.slug}/`);
    expect(home.searchParams.get('erreur')).toBe('identite_differente');
    expect(home.searchParams.get('message')).toBeNull();
    const after = await browser.json('POST', apiPath(a, '/data-retrieval'));
    expect(after.body.status).toBe('redirect');
  });

  it('refuses FranceConnect on a tenant without a FranceConnect client, with a French message', async () => {
    const tenant = await makeTenant(dataSource);
    const browser = new Browser();
    const response = await browser.get(portal(tenant, 'login'));
    const home = locationOf(response, api.url);
    expect(home.pathname).toBe(`/t/${tenant.slug}/`);
    expect(home.searchParams.get('erreur')).toBe('client_unavailable');
    expect(home.searchParams.get('message')).toBeNull();
  });
});
