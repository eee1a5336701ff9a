/**
 * The citizen portal's accounts over real HTTP and PostgreSQL: portal view, sign-up, login,
 * profile, logout, deletion, tenant isolation, session cookies (flags, rotation, expiry), pivot
 * identity read-only when it comes from FranceConnect, reconciliation answers, the data-retrieval
 * confirmation window, rate limits and audit rows (ids only).
 */
import type { DataSource } from 'typeorm';
import type { PlatformConfig } from '@fcplat/config';
import { TenantEntity } from '@fcplat/db';
import { openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import {
  LogCapture,
  linkCitizenToFranceConnect,
  makeBrowserBinding,
  makeCitizen,
  makeCitizenSession,
  makePendingReconciliation,
  makeStaff,
  makeTenant,
  MailInbox,
  migratedTestDataSource,
  samplePivotIdentity,
  testPlatformConfig,
} from '@fcplat/testing';
import { hashPassword } from '../src/accounts/passwords.js';
import { startApi, type ApiApp } from '../src/app.js';
import { startTestApi, stopTestApi } from './api-harness.js';
import { goodPassword, portalCall, uniqueEmail, type CallOptions, type PortalReply } from './portal-http.js';
import { PortalRateLimiter } from '../src/portal/rate-limits.js';
import { startStandaloneMailSink, type StandaloneMailSink } from '../../sandbox/src/mail-sink.js';


describe('citizen portal accounts', () => {
  let dataSource: DataSource;
  let config: PlatformConfig;
  let infrastructure: PlatformInfrastructure;
  let api: ApiApp;
  let sink: StandaloneMailSink;
  let inbox: MailInbox;
  let ipCounter = 0;
  /** A client IP of its own for each test (TRUST_PROXY_HOPS=1), so rate limits of one test never touch another. */
  const newIp = (): string => `198.51.100.${(ipCounter += 1) % 250}`;
  let ip = '';

  beforeAll(async () => {
    sink = await startStandaloneMailSink();
    inbox = new MailInbox(sink.inboxUrl);
    ({ dataSource, config, infrastructure, api } = await startTestApi({ heartbeat: false, logDestination: new LogCapture(), frontends: [] }, { TRUST_PROXY_HOPS: '1', SMTP_URL: sink.smtpUrl }));
  });

  afterAll(async () => {
    await stopTestApi({ api, infrastructure, dataSource });
    await sink.stop();
  });

  beforeEach(() => {
    ip = newIp();
  });

  const call = (method: string, path: string, options: CallOptions = {}): Promise<PortalReply> =>
    portalCall(api.url, method, path, { publicUrl: config.http.publicUrl, ...options, headers: { 'x-forwarded-for': ip, ...options.headers } });

  /** The token of the last activation link e-mailed to `email`. */
  async function activationToken(email: string, count = 1): Promise<string> {
    const message = await inbox.waitFor(email, { subject: /^Activez votre compte/, count });
    const link = /https?:\/\/\S+\/inscription\/confirmer\?jeton=([A-Za-z0-9_-]+)/.exec(message.text);
    if (!link?.[1]) throw new Error('no activation link in the e-mail');
    return link[1];
  }

  /** A sign-up through the e-mailed link, as a citizen does it: request, then activation (which logs in). */
  async function signup(slug: string, email = uniqueEmail('inscription'), password = goodPassword()): Promise<{ email: string; password: string; cookie: string; id: string }> {
    const reply = await call('POST', `/api/portal/${slug}/signup`, { body: { email, password } });
    expect(reply.status).toBe(202);
    const confirmed = await call('POST', `/api/portal/${slug}/signup/confirm`, { body: { token: await activationToken(email) } });
    expect(confirmed.status).toBe(201);
    expect(confirmed.session).not.toBeNull();
    return { email, password, cookie: confirmed.session ?? '', id: String(confirmed.body.id) };
  }

  async function auditRows(citizenId: string): Promise<{ action: string; actor_type: string; actor_id: string; tenant_id: string; changes: Record<string, unknown> }[]> {
    return dataSource.query(`SELECT action, actor_type, actor_id, tenant_id, changes FROM audit_log WHERE target_type = 'citizen' AND target_id = $1 ORDER BY id`, [citizenId]);
  }

  describe('portal view', () => {
    it('shows the name, branding and modes of an active tenant, and 404 for unknown, suspended or malformed slugs', async () => {
      const tenant = await makeTenant(dataSource, {
        branding: { portalName: 'Mes démarches', logoUrl: 'https://exemple.fr/logo.png', primaryColor: '#112233' },
        dataRetrievalEnabled: true,
      });
      const reply = await call('GET', `/api/portal/${tenant.slug}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        slug: tenant.slug,
        name: tenant.name,
        branding: { portalName: 'Mes démarches', logoUrl: 'https://exemple.fr/logo.png', primaryColor: '#112233' },
        connexionEnabled: true,
        dataRetrievalEnabled: true,
        dataRetrievalAtLogin: false,
        // No live FranceConnect environment chosen yet: a test portal, FranceConnect not offered.
        environment: { franceConnect: null, test: true, franceConnectAvailable: false },
      });
      expect(reply.headers.get('cache-control')).toBe('no-store');
      const suspended = await makeTenant(dataSource, { status: 'suspended' });
      for (const slug of ['commune-inexistante-xyz', suspended.slug, 'Pas_Un_Slug']) {
        const missing = await call('GET', `/api/portal/${slug}`);
        expect(missing.status).toBe(404);
        expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
    });
  });

  describe('sign-up, login, profile, logout', () => {
    it('signs up, sets a citizen session cookie with the right flags, and shows who is logged in', async () => {
      const tenant = await makeTenant(dataSource);
      const email = uniqueEmail('Camille');
      const requested = await call('POST', `/api/portal/${tenant.slug}/signup`, { body: { email: email.toUpperCase(), password: goodPassword(), usageName: 'Camille' } });
      expect(requested.status).toBe(202);
      expect(requested.body).toEqual({ status: 'check_inbox' });
      expect(requested.session).toBeNull();
      const reply = await call('POST', `/api/portal/${tenant.slug}/signup/confirm`, { body: { token: await activationToken(email.toLowerCase()) } });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ email: email.toLowerCase(), usageName: 'Camille', identity: null, franceConnectLinked: false });
      expect(reply.body).not.toHaveProperty('franceConnectSessionExpiresAt');
      // The portal's own cookie (issue 12, item 2): another portal's session is another cookie.
      const header = reply.setCookies.find((c) => c.startsWith(`fcplat_citizen_${tenant.slug}=`));
      expect(header).toMatch(/; Path=\//);
      expect(header).toMatch(/; HttpOnly/);
      expect(header).toMatch(/; SameSite=Lax/);
      expect(header).not.toMatch(/; Secure/); // http://localhost: local development
      expect(header).toMatch(/; Max-Age=43\d{3}/); // 12 hours
      const me = await call('GET', `/api/portal/${tenant.slug}/me`, { cookies: [reply.session] });
      expect(me.status).toBe(200);
      expect(me.body).toEqual(reply.body);
      expect(me.headers.get('cache-control')).toBe('no-store');
      const rows = await auditRows(String(reply.body.id));
      expect(rows).toEqual([{ action: 'citizen.created', actor_type: 'citizen', actor_id: reply.body.id, tenant_id: tenant.id, changes: { method: 'password', emailConfirmed: true } }]);
      // The link served once.
      const again = await call('POST', `/api/portal/${tenant.slug}/signup/confirm`, { body: { token: await activationToken(email.toLowerCase()) } });
      expect(again.status).toBe(404);
      expect(again.body.detail).toMatch(/n’est plus valable/);
    });

    it('answers a sign-up the same whether or not the address has an account; the address’s owner is told by e-mail', async () => {
      const tenant = await makeTenant(dataSource, { branding: { portalName: 'Mes démarches' } });
      const known = await signup(tenant.slug);
      const fresh = uniqueEmail('nouvelle');
      const forKnown = await call('POST', `/api/portal/${tenant.slug}/signup`, { body: { email: known.email, password: goodPassword() } });
      const forFresh = await call('POST', `/api/portal/${tenant.slug}/signup`, { body: { email: fresh, password: goodPassword() } });
      expect([forKnown.status, forFresh.status]).toEqual([202, 202]);
      expect(forKnown.body).toEqual(forFresh.body);
      expect(forKnown.setCookies.filter((c) => c.includes('fcplat_citizen'))).toEqual(forFresh.setCookies.filter((c) => c.includes('fcplat_citizen')));
      const told = await inbox.waitFor(known.email, { subject: /^Vous avez déjà un compte sur Mes démarches$/ });
      expect(told.text).toMatch(/Un compte existe déjà avec cette adresse/);
      expect(told.text).not.toMatch(/jeton=/);
      expect((await inbox.waitFor(fresh, { subject: /^Activez votre compte sur Mes démarches$/ })).text).toMatch(/expire le/);
      // Nothing exists before the link is used, and the known account is untouched.
      const rows = (await dataSource.query(`SELECT email FROM citizen WHERE tenant_id = $1 ORDER BY email`, [tenant.id])) as { email: string }[];
      expect(rows.map((r) => r.email)).toEqual([known.email]);
    });

    it('refuses an expired, unknown or other portal’s activation link, creating nothing', async () => {
      const tenant = await makeTenant(dataSource);
      const other = await makeTenant(dataSource);
      const email = uniqueEmail('expire');
      expect((await call('POST', `/api/portal/${tenant.slug}/signup`, { body: { email, password: goodPassword() } })).status).toBe(202);
      const token = await activationToken(email);
      expect((await call('POST', `/api/portal/${other.slug}/signup/confirm`, { body: { token } })).status).toBe(404);
      expect((await call('POST', `/api/portal/${tenant.slug}/signup/confirm`, { body: { token: 'x'.repeat(43) } })).status).toBe(404);
      expect((await call('POST', `/api/portal/${tenant.slug}/signup/confirm`, { body: { token: 'pas un jeton !' } })).status).toBe(400);
      await dataSource.query(`UPDATE citizen_signup_request SET expires_at = now() - interval '1 second' WHERE tenant_id = $1`, [tenant.id]);
      expect((await call('POST', `/api/portal/${tenant.slug}/signup/confirm`, { body: { token } })).status).toBe(404);
      const count = (await dataSource.query(`SELECT count(*)::int AS n FROM citizen WHERE tenant_id IN ($1, $2)`, [tenant.id, other.id])) as { n: number }[];
      expect(count[0]?.n).toBe(0);
    });

    it('refuses a weak password, an unknown field, and an e-mail already used on this portal, writing nothing', async () => {
      const tenant = await makeTenant(dataSource);
      const email = uniqueEmail('faible');
      const weak = await call('POST', `/api/portal/${tenant.slug}/signup`, { body: { email, password: 'court' } });
      expect(weak.status).toBe(400);
      expect(weak.body.violations).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'password' })]));
      const unknown = await call('POST', `/api/portal/${tenant.slug}/signup`, { body: { email, password: goodPassword(), familyName: 'DUBOIS' } });
      expect(unknown.status).toBe(400);
      const count = async () => Number(((await dataSource.query(`SELECT count(*) AS n FROM citizen WHERE tenant_id = $1`, [tenant.id])) as { n: string }[])[0]?.n);
      expect(await count()).toBe(0);
      await signup(tenant.slug, email);
      // A second request for the same address: the same answer as any (no enumeration), and no second account.
      const again = await call('POST', `/api/portal/${tenant.slug}/signup`, { body: { email, password: goodPassword() } });
      expect(again.status).toBe(202);
      expect(await count()).toBe(1);
    });

    it('answers 401 problem+json to /me without a session, or with a forged one', async () => {
      const tenant = await makeTenant(dataSource);
      for (const cookies of [[], [`fcplat_citizen_${tenant.slug}=nimportequoi`], ['fcplat_session=une-session-console']]) {
        const reply = await call('GET', `/api/portal/${tenant.slug}/me`, { cookies });
        expect(reply.status).toBe(401);
        expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(reply.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: expect.stringMatching(/connecté/) });
      }
    });

    it('logs in with a new session id each time; the previous cookie of the browser stops working', async () => {
      const tenant = await makeTenant(dataSource);
      const account = await signup(tenant.slug);
      const wrong = await call('POST', `/api/portal/${tenant.slug}/login`, { body: { email: account.email, password: 'mauvais mot de passe' } });
      expect(wrong.status).toBe(401);
      expect(wrong.body.detail).toBe('Adresse e-mail ou mot de passe incorrect.');
      expect(wrong.session).toBeNull();
      const unknown = await call('POST', `/api/portal/${tenant.slug}/login`, { body: { email: uniqueEmail('inconnu'), password: account.password } });
      expect(unknown.status).toBe(401);
      expect(unknown.body.detail).toBe(wrong.body.detail);

      const login = await call('POST', `/api/portal/${tenant.slug}/login`, { body: { email: account.email, password: account.password }, cookies: [account.cookie] });
      expect(login.status).toBe(200);
      expect(login.body).toMatchObject({ id: account.id, email: account.email });
      expect(login.session).not.toBeNull();
      expect(login.session).not.toBe(account.cookie);
      expect((await call('GET', `/api/portal/${tenant.slug}/me`, { cookies: [account.cookie] })).status).toBe(401);
      expect((await call('GET', `/api/portal/${tenant.slug}/me`, { cookies: [login.session] })).status).toBe(200);
      const stored = (await dataSource.query(`SELECT last_login_at FROM citizen WHERE id = $1`, [account.id])) as { last_login_at: Date | null }[];
      expect(stored[0]?.last_login_at).not.toBeNull();
    });

    it('logs out: the cookie is cleared, the session is gone, and there is no FranceConnect logout for a password session', async () => {
      const tenant = await makeTenant(dataSource);
      const account = await signup(tenant.slug);
      const logout = await call('POST', `/api/portal/${tenant.slug}/logout`, { cookies: [account.cookie] });
      expect(logout.status).toBe(200);
      expect(logout.body).toEqual({ redirect: null });
      const cleared = logout.setCookies.find((c) => c.startsWith(`fcplat_citizen_${tenant.slug}=`));
      expect(cleared).toMatch(new RegExp(`^fcplat_citizen_${tenant.slug}=;`));
      expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
      expect((await call('GET', `/api/portal/${tenant.slug}/me`, { cookies: [account.cookie] })).status).toBe(401);
      const rows = (await dataSource.query(`SELECT count(*) AS n FROM citizen_session WHERE citizen_id = $1`, [account.id])) as { n: string }[];
      expect(Number(rows[0]?.n)).toBe(0);
      // Logging out twice, or without a session, is harmless.
      expect((await call('POST', `/api/portal/${tenant.slug}/logout`, { cookies: [account.cookie] })).body).toEqual({ redirect: null });
      expect((await call('POST', `/api/portal/${tenant.slug}/logout`)).status).toBe(200);
    });

    it('edits the usage name and the e-mail, and a local pivot identity only when complete; audits field names only', async () => {
      const tenant = await makeTenant(dataSource);
      const account = await signup(tenant.slug);
      const other = await signup(tenant.slug);
      const newEmail = uniqueEmail('nouvelle');
      const edit = await call('PATCH', `/api/portal/${tenant.slug}/me`, { cookies: [account.cookie], body: { usageName: 'Martin', email: newEmail } });
      expect(edit.status).toBe(200);
      expect(edit.body).toMatchObject({ usageName: 'Martin', email: newEmail, identity: null });
      const taken = await call('PATCH', `/api/portal/${tenant.slug}/me`, { cookies: [account.cookie], body: { email: other.email } });
      expect(taken.status).toBe(409);
      const incomplete = await call('PATCH', `/api/portal/${tenant.slug}/me`, { cookies: [account.cookie], body: { familyName: 'DUPONT' } });
      expect(incomplete.status).toBe(400);
      expect((incomplete.body.violations as { path: string }[]).map((v) => v.path).sort()).toEqual(['birthcountry', 'birthdate', 'gender', 'givenNames']);
      const badDate = await call('PATCH', `/api/portal/${tenant.slug}/me`, { cookies: [account.cookie], body: { birthdate: '1962-02-30' } });
      expect(badDate.status).toBe(400);
      const identity = { familyName: 'DUPONT', givenNames: 'Paul Louis', birthdate: '1962-08-24', birthplace: '75107', birthcountry: '99100', gender: 'male' };
      const local = await call('PATCH', `/api/portal/${tenant.slug}/me`, { cookies: [account.cookie], body: identity });
      expect(local.status).toBe(200);
      expect(local.body.identity).toEqual({ source: 'local', ...identity });
      const again = await call('PATCH', `/api/portal/${tenant.slug}/me`, { cookies: [account.cookie], body: { givenNames: 'Paul' } });
      expect(again.status).toBe(200);
      expect((again.body.identity as { givenNames: string }).givenNames).toBe('Paul');
      const rows = await auditRows(account.id);
      expect(rows.map((r) => r.action)).toEqual(['citizen.created', 'citizen.profile_updated', 'citizen.profile_updated', 'citizen.profile_updated']);
      expect(rows[1]?.changes).toEqual({ fields: ['usageName', 'email'] });
      const serialized = JSON.stringify(rows);
      for (const personal of [newEmail, 'Martin', 'DUPONT', 'Paul', '1962-08-24']) expect(serialized).not.toContain(personal);
    });

    it('keeps a pivot identity from FranceConnect read-only (FC-15) while the usage name and e-mail stay editable (FC-16)', async () => {
      const tenant = await makeTenant(dataSource);
      const citizen = await makeCitizen(dataSource, tenant.id, { identity: { source: 'franceconnect', ...samplePivotIdentity() } });
      await linkCitizenToFranceConnect(dataSource, citizen);
      const cookie = await makeCitizenSession(dataSource, citizen);
      const me = await call('GET', `/api/portal/${tenant.slug}/me`, { cookies: [cookie] });
      expect(me.body).toMatchObject({ franceConnectLinked: true, identity: { source: 'franceconnect', familyName: 'DUBOIS', givenNames: 'Angela Claire Louise' } });
      for (const body of [{ familyName: 'MARTIN' }, { usageName: 'Angie', birthdate: '1970-01-01' }, { gender: 'male' }, { birthplace: '75101' }, { birthcountry: '99352' }, { givenNames: 'Angela' }]) {
        const refused = await call('PATCH', `/api/portal/${tenant.slug}/me`, { cookies: [cookie], body });
        expect(refused.status).toBe(400);
        expect(refused.body.detail).toMatch(/vient de FranceConnect/);
      }
      const after = await call('GET', `/api/portal/${tenant.slug}/me`, { cookies: [cookie] });
      expect(after.body).toEqual(me.body);
      const newEmail = uniqueEmail('fc');
      const allowed = await call('PATCH', `/api/portal/${tenant.slug}/me`, { cookies: [cookie], body: { usageName: 'Angie', email: newEmail } });
      expect(allowed.status).toBe(200);
      expect(allowed.body).toMatchObject({ usageName: 'Angie', email: newEmail, identity: { source: 'franceconnect', familyName: 'DUBOIS' } });
    });

    it('deletes the account: sessions, links and the account are gone, audited with ids only', async () => {
      const tenant = await makeTenant(dataSource);
      const account = await signup(tenant.slug);
      const second = (await call('POST', `/api/portal/${tenant.slug}/login`, { body: { email: account.email, password: account.password } })).session;
      await linkCitizenToFranceConnect(dataSource, { id: account.id, tenantId: tenant.id });
      const reply = await call('DELETE', `/api/portal/${tenant.slug}/me`, { cookies: [account.cookie] });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ redirect: null });
      expect(reply.setCookies.find((c) => c.startsWith(`fcplat_citizen_${tenant.slug}=`))).toMatch(new RegExp(`^fcplat_citizen_${tenant.slug}=;`));
      for (const cookie of [account.cookie, second]) expect((await call('GET', `/api/portal/${tenant.slug}/me`, { cookies: [cookie] })).status).toBe(401);
      for (const table of ['citizen', 'citizen_session', 'citizen_franceconnect_identity']) {
        const column = table === 'citizen' ? 'id' : 'citizen_id';
        const rows = (await dataSource.query(`SELECT count(*) AS n FROM ${table} WHERE ${column} = $1`, [account.id])) as { n: string }[];
        expect(Number(rows[0]?.n)).toBe(0);
      }
      const rows = await auditRows(account.id);
      expect(rows.map((r) => r.action)).toEqual(['citizen.created', 'citizen.deleted']);
      expect(rows[1]).toMatchObject({ actor_type: 'citizen', actor_id: account.id, changes: {} });
      expect((await call('POST', `/api/portal/${tenant.slug}/login`, { body: { email: account.email, password: account.password } })).status).toBe(401);
      // The address is free again.
      await signup(tenant.slug, account.email);
    });

    it('refuses writes coming from another site', async () => {
      const tenant = await makeTenant(dataSource);
      const account = await signup(tenant.slug);
      const reply = await call('DELETE', `/api/portal/${tenant.slug}/me`, { cookies: [account.cookie], headers: { 'sec-fetch-site': 'cross-site' } });
      expect(reply.status).toBe(403);
      expect(reply.body.code).toBe('CSRF_REJECTED');
      expect((await call('GET', `/api/portal/${tenant.slug}/me`, { cookies: [account.cookie] })).status).toBe(200);
    });
  });

  describe('tenant isolation', () => {
    it('makes a session of tenant A worthless on tenant B, and lets one e-mail exist on both', async () => {
      const a = await makeTenant(dataSource);
      const b = await makeTenant(dataSource);
      const email = uniqueEmail('deux-communes');
      const onA = await signup(a.slug, email);
      for (const [method, path] of [
        ['GET', 'me'],
        ['PATCH', 'me'],
        ['DELETE', 'me'],
        ['POST', 'reconciliation/confirm'],
        ['POST', 'data-retrieval'],
      ] as const) {
        const reply = await call(method, `/api/portal/${b.slug}/${path}`, { cookies: [onA.cookie], body: method === 'PATCH' ? { usageName: 'x' } : undefined });
        expect(`${method} ${path} ${reply.status}`).toBe(`${method} ${path} 401`);
      }
      // The password of A's account opens nothing on B.
      expect((await call('POST', `/api/portal/${b.slug}/login`, { body: { email, password: onA.password } })).status).toBe(401);
      const onB = await signup(b.slug, email);
      expect(onB.id).not.toBe(onA.id);
      expect((await call('GET', `/api/portal/${a.slug}/me`, { cookies: [onA.cookie] })).body).toMatchObject({ id: onA.id, email });
      expect((await call('GET', `/api/portal/${b.slug}/me`, { cookies: [onB.cookie] })).body).toMatchObject({ id: onB.id, email });
      // A's account survived the attempts above.
      expect((await call('GET', `/api/portal/${a.slug}/me`, { cookies: [onA.cookie] })).status).toBe(200);
    });

    it('closes the portal of a suspended tenant, sessions included', async () => {
      const tenant = await makeTenant(dataSource);
      const account = await signup(tenant.slug);
      // Suspended by staff through the API: its answer comes once this process's caches have heard
      // the change (ChangesCaughtUpInterceptor), so the very next portal request must see it. (A
      // change made in SQL behind the API's back is heard within a notification's delivery instead:
      // change-feed.int-spec.ts; this test once did that and met the cached portal under load.)
      const staff = await makeStaff(dataSource, 'admin');
      const suspended = await fetch(`${api.url}/api/tenants/${tenant.id}`, {
        method: 'PATCH',
        headers: { authorization: staff.authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ version: tenant.version, status: 'suspended' }),
      });
      expect(suspended.status).toBe(200);
      expect((await call('GET', `/api/portal/${tenant.slug}/me`, { cookies: [account.cookie] })).status).toBe(404);
      expect((await call('POST', `/api/portal/${tenant.slug}/login`, { body: { email: account.email, password: account.password } })).status).toBe(404);
    });
  });

  describe('session lifetime', () => {
    it('ends a session after 15 idle minutes, after 12 hours, and slides the idle deadline on use', async () => {
      const tenant = await makeTenant(dataSource);
      const citizen = await makeCitizen(dataSource, tenant.id);
      const idle = await makeCitizenSession(dataSource, citizen, { idleExpiresAt: new Date(Date.now() - 1000) });
      const old = await makeCitizenSession(dataSource, citizen, { absoluteExpiresAt: new Date(Date.now() - 1000) });
      for (const cookie of [idle, old]) expect((await call('GET', `/api/portal/${tenant.slug}/me`, { cookies: [cookie] })).status).toBe(401);
      const live = await makeCitizenSession(dataSource, citizen, { idleExpiresAt: new Date(Date.now() + 60_000) });
      await dataSource.query(`UPDATE citizen_session SET last_seen_at = now() - interval '5 minutes' WHERE citizen_id = $1`, [citizen.id]);
      expect((await call('GET', `/api/portal/${tenant.slug}/me`, { cookies: [live] })).status).toBe(200);
      const rows = (await dataSource.query(`SELECT idle_expires_at FROM citizen_session WHERE citizen_id = $1 AND idle_expires_at > now() ORDER BY idle_expires_at DESC`, [
        citizen.id,
      ])) as { idle_expires_at: Date }[];
      expect(rows[0]?.idle_expires_at.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    });
  });

  describe('reconciliation answers (FC-11)', () => {
    it('shows a pending FranceConnect identity only in the browser that proved it, and links it when confirmed there', async () => {
      const tenant = await makeTenant(dataSource);
      const password = goodPassword();
      const citizen = await makeCitizen(dataSource, tenant.id, { passwordHash: await hashPassword(password) });
      const browser = makeBrowserBinding(tenant.slug);
      const elsewhere = makeBrowserBinding(tenant.slug);
      const fcIdentity = samplePivotIdentity();
      const { issuer, sub } = await makePendingReconciliation(dataSource, citizen, { bindingHash: browser.hash, identity: fcIdentity });

      // The owner of the account logs in with its password, in another browser: nothing to confirm there.
      const otherLogin = await call('POST', `/api/portal/${tenant.slug}/login`, { body: { email: citizen.email, password }, cookies: [elsewhere.cookie] });
      expect(otherLogin.body).not.toHaveProperty('pendingReconciliation');
      const otherConfirm = await call('POST', `/api/portal/${tenant.slug}/reconciliation/confirm`, { cookies: [otherLogin.session, elsewhere.cookie] });
      expect(otherConfirm.status).toBe(404);

      const login = await call('POST', `/api/portal/${tenant.slug}/login`, { body: { email: citizen.email, password }, cookies: [browser.cookie] });
      expect(login.status).toBe(200);
      expect(login.body).toMatchObject({ franceConnectLinked: false, identity: null, pendingReconciliation: { identity: fcIdentity, expiresAt: expect.any(String) } });
      const confirm = await call('POST', `/api/portal/${tenant.slug}/reconciliation/confirm`, { cookies: [login.session, browser.cookie] });
      expect(confirm.status).toBe(200);
      expect(confirm.body).toMatchObject({ franceConnectLinked: true, identity: { source: 'franceconnect', ...fcIdentity } });
      expect(confirm.body).not.toHaveProperty('pendingReconciliation');
      expect(confirm.body.franceConnectSessionExpiresAt).toEqual(expect.any(String));
      const links = (await dataSource.query(`SELECT issuer, sub FROM citizen_franceconnect_identity WHERE citizen_id = $1`, [citizen.id])) as { issuer: string; sub: string }[];
      expect(links).toEqual([{ issuer, sub }]);
      expect((await call('POST', `/api/portal/${tenant.slug}/reconciliation/confirm`, { cookies: [login.session, browser.cookie] })).status).toBe(404);
      const rows = await auditRows(citizen.id);
      expect(rows.map((r) => r.action)).toEqual(['citizen.franceconnect_linked']);
      expect(Object.keys(rows[0]?.changes ?? {}).sort()).toEqual(['linkId', 'reconciliation']);
      expect(rows[0]?.changes.reconciliation).toBe('confirmed');
      expect(JSON.stringify(rows)).not.toContain(sub);
      // Now read-only (FC-15).
      expect((await call('PATCH', `/api/portal/${tenant.slug}/me`, { cookies: [login.session], body: { familyName: 'AUTRE' } })).status).toBe(400);
    });

    it('forgets the pending identity when the citizen rejects it', async () => {
      const tenant = await makeTenant(dataSource);
      const citizen = await makeCitizen(dataSource, tenant.id);
      const browser = makeBrowserBinding(tenant.slug);
      await makePendingReconciliation(dataSource, citizen, { bindingHash: browser.hash });
      const cookie = await makeCitizenSession(dataSource, citizen);
      const reject = await call('POST', `/api/portal/${tenant.slug}/reconciliation/reject`, { cookies: [cookie, browser.cookie] });
      expect(reject.status).toBe(200);
      expect(reject.body).toMatchObject({ franceConnectLinked: false, identity: null });
      expect(reject.body).not.toHaveProperty('pendingReconciliation');
      const pending = (await dataSource.query(`SELECT count(*) AS n FROM citizen_reconciliation WHERE citizen_id = $1`, [citizen.id])) as { n: string }[];
      expect(Number(pending[0]?.n)).toBe(0);
      expect((await auditRows(citizen.id)).map((r) => r.action)).toEqual(['citizen.reconciliation_rejected']);
      expect((await call('POST', `/api/portal/${tenant.slug}/reconciliation/confirm`, { cookies: [cookie, browser.cookie] })).status).toBe(404);
    });

    it('ignores an expired pending identity', async () => {
      const tenant = await makeTenant(dataSource);
      const citizen = await makeCitizen(dataSource, tenant.id);
      const browser = makeBrowserBinding(tenant.slug);
      await makePendingReconciliation(dataSource, citizen, { bindingHash: browser.hash, fcAuthenticatedAt: new Date(Date.now() - 40 * 60_000) });
      const cookie = await makeCitizenSession(dataSource, citizen);
      expect((await call('GET', `/api/portal/${tenant.slug}/me`, { cookies: [cookie, browser.cookie] })).body).not.toHaveProperty('pendingReconciliation');
      expect((await call('POST', `/api/portal/${tenant.slug}/reconciliation/confirm`, { cookies: [cookie, browser.cookie] })).status).toBe(404);
    });
  });

  describe('data retrieval window (30-minute FranceConnect session)', () => {
    async function linkedCitizenSession(
      tenant: TenantEntity,
      authenticatedMinutesAgo: number,
      options: { purpose?: 'login' | 'data_retrieval'; linked?: boolean; accessTokenFor?: number; scopes?: string[] } = {},
    ) {
      const citizen = await makeCitizen(dataSource, tenant.id, { identity: { source: 'franceconnect', ...samplePivotIdentity() } });
      const link = options.linked === false ? { issuer: 'https://fc.exemple/api/v2', sub: 'autre-sub' } : await linkCitizenToFranceConnect(dataSource, citizen);
      const authenticatedAt = new Date(Date.now() - authenticatedMinutesAgo * 60_000);
      const cookie = await makeCitizenSession(dataSource, citizen, {
        source: 'password',
        franceConnect: {
          ...link,
          authenticatedAt,
          purpose: options.purpose ?? 'login',
          // A login asks for no data scope, unless the tenant retrieves the data at login.
          scopes: options.scopes ?? (options.purpose === 'data_retrieval' ? ['openid', 'identite_pivot', 'cnaf_quotient_familial'] : ['openid', 'identite_pivot', 'email']),
          ...(options.accessTokenFor === undefined ? {} : { accessToken: 'jeton-franceconnect-de-test', accessTokenExpiresAt: new Date(Date.now() + options.accessTokenFor) }),
        },
      });
      return { citizen, cookie, authenticatedAt };
    }

    it('asks only for a confirmation while the FranceConnect access token of this account lives, within the 30-minute session', async () => {
      const tenant = await makeTenant(dataSource, { dataRetrievalEnabled: true });
      const { cookie, authenticatedAt } = await linkedCitizenSession(tenant, 10, { accessTokenFor: 50_000, purpose: 'data_retrieval' });
      const start = await call('POST', `/api/portal/${tenant.slug}/data-retrieval`, { cookies: [cookie] });
      expect(start.status).toBe(200);
      expect(start.body).toEqual({ status: 'confirm_required', expiresAt: new Date(authenticatedAt.getTime() + 30 * 60_000).toISOString() });
      const me = await call('GET', `/api/portal/${tenant.slug}/me`, { cookies: [cookie] });
      expect(me.body.franceConnectSessionExpiresAt).toBe(start.body.expiresAt);
      // No API Particulier habilitation here: nothing to retrieve, said plainly (the calls themselves: portal-sandbox).
      const confirm = await call('POST', `/api/portal/${tenant.slug}/data-retrieval/confirm`, { cookies: [cookie] });
      expect(confirm.status).toBe(403);
      expect(confirm.body.detail).toMatch(/Aucune donnée n’est ouverte à la récupération/);
      // The same for a login whose token was granted data scopes (retrieval at login).
      const atLogin = await linkedCitizenSession(tenant, 10, { accessTokenFor: 50_000, purpose: 'login', scopes: ['openid', 'identite_pivot', 'cnaf_quotient_familial'] });
      expect((await call('POST', `/api/portal/${tenant.slug}/data-retrieval`, { cookies: [atLogin.cookie] })).body).toMatchObject({ status: 'confirm_required' });
    });

    it('sends the citizen back to FranceConnect once the access token’s minute is over, or when it came from a login (no data scope)', async () => {
      const tenant = await makeTenant(dataSource, { dataRetrievalEnabled: true });
      const redirect = `/t/${tenant.slug}/auth/franceconnect/login?purpose=data_retrieval`;
      const sessions = [
        await linkedCitizenSession(tenant, 10, { purpose: 'data_retrieval' }),
        await linkedCitizenSession(tenant, 1, { accessTokenFor: 1_000, purpose: 'data_retrieval' }),
        await linkedCitizenSession(tenant, 0, { accessTokenFor: 50_000, purpose: 'login' }),
      ];
      for (const session of sessions) {
        expect((await call('POST', `/api/portal/${tenant.slug}/data-retrieval`, { cookies: [session.cookie] })).body).toEqual({ status: 'redirect', redirect });
        const confirm = await call('POST', `/api/portal/${tenant.slug}/data-retrieval/confirm`, { cookies: [session.cookie] });
        expect(confirm.status).toBe(403);
        expect(confirm.body).toMatchObject({ detail: expect.stringMatching(/n’est valable qu’une minute/), redirect });
      }
    });

    it('sends the citizen to FranceConnect when the authentication is older than 30 minutes, absent, or not of this account', async () => {
      const tenant = await makeTenant(dataSource, { dataRetrievalEnabled: true });
      const redirect = { status: 'redirect', redirect: `/t/${tenant.slug}/auth/franceconnect/login?purpose=data_retrieval` };
      const stale = await linkedCitizenSession(tenant, 31);
      const foreign = await linkedCitizenSession(tenant, 5, { linked: false });
      const passwordOnly = await makeCitizenSession(dataSource, await makeCitizen(dataSource, tenant.id));
      for (const cookie of [stale.cookie, foreign.cookie, passwordOnly]) {
        const start = await call('POST', `/api/portal/${tenant.slug}/data-retrieval`, { cookies: [cookie] });
        expect(start.status).toBe(200);
        expect(start.body).toEqual(redirect);
        const confirm = await call('POST', `/api/portal/${tenant.slug}/data-retrieval/confirm`, { cookies: [cookie] });
        expect(confirm.status).toBe(403);
        expect(confirm.body).toMatchObject({ detail: expect.stringMatching(/FranceConnect/), redirect: redirect.redirect });
      }
      expect((await call('GET', `/api/portal/${tenant.slug}/me`, { cookies: [stale.cookie] })).body).not.toHaveProperty('franceConnectSessionExpiresAt');
    });

    it('accepts an unlinked identity checked at the data-retrieval callback, within its 30 minutes', async () => {
      const tenant = await makeTenant(dataSource, { dataRetrievalEnabled: true });
      const { cookie } = await linkedCitizenSession(tenant, 5, { linked: false, purpose: 'data_retrieval', accessTokenFor: 50_000 });
      expect((await call('POST', `/api/portal/${tenant.slug}/data-retrieval`, { cookies: [cookie] })).body.status).toBe('confirm_required');
    });

    it('refuses data retrieval on a portal that does not offer it', async () => {
      const tenant = await makeTenant(dataSource, { dataRetrievalEnabled: false });
      const { cookie } = await linkedCitizenSession(tenant, 5);
      for (const path of ['data-retrieval', 'data-retrieval/confirm']) {
        const reply = await call('POST', `/api/portal/${tenant.slug}/${path}`, { cookies: [cookie] });
        expect(reply.status).toBe(403);
        expect(reply.body.detail).toMatch(/n’est pas proposée/);
      }
    });
  });

  describe('rate limits (SR-12)', () => {
    it('stops password guesses for one e-mail from one IP, even with the right password, but not from another IP', async () => {
      const tenant = await makeTenant(dataSource);
      const account = await signup(tenant.slug);
      for (let i = 0; i < 10; i += 1) {
        expect((await call('POST', `/api/portal/${tenant.slug}/login`, { body: { email: account.email, password: `mauvais ${i}` } })).status).toBe(401);
      }
      const blocked = await call('POST', `/api/portal/${tenant.slug}/login`, { body: { email: account.email, password: account.password } });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(blocked.body.detail).toMatch(/Réessayez/);
      ip = newIp();
      expect((await call('POST', `/api/portal/${tenant.slug}/login`, { body: { email: account.email, password: account.password } })).status).toBe(200);
    });

    it('limits login attempts per IP across e-mails, and failures per tenant across IPs', async () => {
      const limiter = api.app.get(PortalRateLimiter);
      const tenant = await makeTenant(dataSource);
      const other = await makeTenant(dataSource);
      const account = await signup(tenant.slug);
      try {
        limiter.configure({ loginPerIp: { max: 3, windowMs: 60_000 } });
        for (let i = 0; i < 3; i += 1) await call('POST', `/api/portal/${tenant.slug}/login`, { body: { email: uniqueEmail('spray'), password: 'x' } });
        expect((await call('POST', `/api/portal/${other.slug}/login`, { body: { email: account.email, password: account.password } })).status).toBe(429);

        limiter.configure({ loginPerIp: { max: 100, windowMs: 60_000 }, loginFailuresPerTenant: { max: 4, windowMs: 60_000 } });
        const target = await makeTenant(dataSource);
        ip = newIp();
        const victim = await signup(target.slug);
        for (let i = 0; i < 4; i += 1) {
          ip = newIp();
          expect((await call('POST', `/api/portal/${target.slug}/login`, { body: { email: uniqueEmail('distribue'), password: 'x' } })).status).toBe(401);
        }
        ip = newIp();
        const blocked = await call('POST', `/api/portal/${target.slug}/login`, { body: { email: victim.email, password: victim.password } });
        expect(blocked.status).toBe(429);
        expect(blocked.body.detail).toMatch(/portail/);
        // Another tenant is not affected.
        expect((await call('POST', `/api/portal/${other.slug}/login`, { body: { email: uniqueEmail('ailleurs'), password: 'x' } })).status).toBe(401);
      } finally {
        limiter.configure({ loginPerIp: { max: 100, windowMs: 15 * 60_000 }, loginFailuresPerTenant: { max: 1_000, windowMs: 15 * 60_000 } });
      }
    });

    it('limits sign-ups per IP and per tenant', async () => {
      const limiter = api.app.get(PortalRateLimiter);
      const tenant = await makeTenant(dataSource);
      try {
        limiter.configure({ signupPerIp: { max: 2, windowMs: 60_000 } });
        await signup(tenant.slug);
        await signup(tenant.slug);
        const blocked = await call('POST', `/api/portal/${tenant.slug}/signup`, { body: { email: uniqueEmail('trop'), password: goodPassword() } });
        expect(blocked.status).toBe(429);
        limiter.configure({ signupPerIp: { max: 20, windowMs: 60_000 }, signupPerTenant: { max: 3, windowMs: 60_000 } });
        ip = newIp();
        await signup(tenant.slug);
        ip = newIp();
        expect((await call('POST', `/api/portal/${tenant.slug}/signup`, { body: { email: uniqueEmail('trop'), password: goodPassword() } })).status).toBe(429);
      } finally {
        limiter.configure({ signupPerIp: { max: 20, windowMs: 60 * 60_000 }, signupPerTenant: { max: 1_000, windowMs: 60 * 60_000 } });
      }
    });
  });
});

describe('citizen session cookie on an https platform', () => {
  it('is Secure and __Host- prefixed when the public URL is https', async () => {
    const sink = await startStandaloneMailSink();
    const dataSource = await migratedTestDataSource();
    const config = await testPlatformConfig({ PUBLIC_URL: 'https://services.exemple-editeur.fr', SMTP_URL: sink.smtpUrl });
    const infrastructure = await openPlatformInfrastructure(config, 'api');
    const api = await startApi(config, infrastructure, { heartbeat: false, logDestination: new LogCapture(), frontends: [] });
    try {
      const tenant = await makeTenant(dataSource);
      const email = uniqueEmail('https');
      const requested = await portalCall(api.url, 'POST', `/api/portal/${tenant.slug}/signup`, { publicUrl: config.http.publicUrl, body: { email, password: goodPassword() } });
      expect(requested.status).toBe(202);
      const message = await new MailInbox(sink.inboxUrl).waitFor(email, { subject: /^Activez votre compte/ });
      // The link is the platform's public https address.
      const token = /https:\/\/services\.exemple-editeur\.fr\/t\/[a-z0-9-]+\/inscription\/confirmer\?jeton=([A-Za-z0-9_-]+)/.exec(message.text)?.[1] ?? '';
      const reply = await portalCall(api.url, 'POST', `/api/portal/${tenant.slug}/signup/confirm`, { publicUrl: config.http.publicUrl, body: { token } });
      expect(reply.status).toBe(201);
      const header = reply.setCookies.find((c) => c.startsWith(`__Host-fcplat_citizen_${tenant.slug}=`));
      expect(header).toMatch(/; Path=\/;/);
      expect(header).not.toMatch(/; Domain=/i);
      expect(header).toMatch(/; Secure/);
      expect(header).toMatch(/; HttpOnly/);
      expect(header).toMatch(/; SameSite=Lax/);
    } finally {
      await api.close();
      await infrastructure.close();
      await dataSource.destroy();
      await sink.stop();
    }
  });
});
