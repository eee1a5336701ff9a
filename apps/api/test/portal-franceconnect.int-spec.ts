/**
 * The portal's side of FranceConnect over real HTTP and PostgreSQL, without a provider: what a
 * verified FranceConnect identity opens (SR-09 tenant+issuer+sub, FC-10 sign-up, FC-11 automatic
 * or confirmed reconciliation, data retrieval for the logged-in account only), the 30-minute cap
 * of FranceConnect sessions (SR-11), and the fixed browser routes (redirects with French notices,
 * binding cookie, rate limits, precedence over the built portal). The protocol itself is covered
 * against the sandbox provider in portal-sandbox.int-spec.ts.
 */
import { randomBytes } from 'node:crypto';
import { csrfTokenOf } from '@fcplat/crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { PlatformConfig } from '@fcplat/config';
import type { TenantEntity } from '@fcplat/db';
import { openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import {
  LogCapture,
  linkCitizenToFranceConnect,
  makeBrowserBinding,
  makeCitizen,
  makeCitizenSession,
  makeTenant,
  migratedTestDataSource,
  samplePivotIdentity,
  testPlatformConfig,
} from '@fcplat/testing';
import { hashPassword } from '../src/accounts/passwords.js';
import { startApi, type ApiApp } from '../src/app.js';
import { startTestApi, stopTestApi } from './api-harness.js';
import { goodPassword, portalCall, uniqueEmail, type CallOptions, type PortalReply } from './portal-http.js';
import { builtFrontends } from '../src/http/frontends.js';
import { CitizenSessionsService } from '../src/portal/citizen-sessions.service.js';
import { FranceConnectFlowError, type FranceConnectAuthentication } from '../src/portal/franceconnect-flows.js';
import { PortalFranceConnectService } from '../src/portal/portal-franceconnect.service.js';
import type { PivotIdentity } from '../src/portal/pivot-identity.js';
import { PortalRateLimiter } from '../src/portal/rate-limits.js';


const ISSUER = 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2';

/** What the relying party hands over after a verified callback. */
function authentication(identity: PivotIdentity, overrides: Partial<FranceConnectAuthentication> & { email?: string | null } = {}): FranceConnectAuthentication {
  const { email, ...rest } = overrides;
  return {
    sub: `${randomBytes(32).toString('hex')}v1`,
    issuer: ISSUER,
    environment: 'sandbox',
    acr: 'eidas1',
    idToken: `eyJhbGciOiJFUzI1NiJ9.${randomBytes(24).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
    claims: {
      given_name: identity.givenNames,
      family_name: identity.familyName,
      birthdate: identity.birthdate,
      birthplace: identity.birthplace ?? '',
      birthcountry: identity.birthcountry,
      gender: identity.gender,
      ...(email ? { email } : {}),
    },
    accessToken: randomBytes(24).toString('base64url'),
    accessTokenExpiresAt: new Date(Date.now() + 60_000),
    purpose: 'login',
    scopes: ['openid', 'identite_pivot', 'email'],
    authenticatedAt: new Date(),
    ...rest,
  };
}

const DUPONT: PivotIdentity = { familyName: 'DUPONT', givenNames: 'Paul Louis', birthdate: '1962-08-24', birthplace: '75107', birthcountry: '99100', gender: 'male' };

describe('the portal side of FranceConnect', () => {
  let dataSource: DataSource;
  let config: PlatformConfig;
  let infrastructure: PlatformInfrastructure;
  let api: ApiApp;
  let franceConnect: PortalFranceConnectService;
  const context = (previousToken: string | null = null) => ({ ip: '203.0.113.9', userAgent: 'jest', requestId: null, previousToken });
  const token = (cookie: string | null): string => (cookie ?? '').replace(/^fcplat_citizen_[a-z0-9-]+=/, '');

  beforeAll(async () => {
    ({ dataSource, config, infrastructure, api } = await startTestApi({ heartbeat: false, logDestination: new LogCapture(), frontends: [] }, { TRUST_PROXY_HOPS: '1' }));
    franceConnect = api.app.get(PortalFranceConnectService);
  });

  afterAll(() => stopTestApi({ api, infrastructure, dataSource }));

  const call = (method: string, path: string, options: CallOptions = {}): Promise<PortalReply> => portalCall(api.url, method, path, { publicUrl: config.http.publicUrl, ...options });
  const me = (tenant: TenantEntity, ...cookies: (string | null)[]) => call('GET', `/api/portal/${tenant.slug}/me`, { cookies });

  async function sessionOf(tenant: TenantEntity, auth: FranceConnectAuthentication, binding = makeBrowserBinding().hash, current: string | null = null): Promise<string> {
    const currentSession = current ? await api.app.get(CitizenSessionsService).resolve(tenant.id, token(current)) : null;
    const outcome = await franceConnect.signIn(tenant, auth, binding, currentSession, context(current ? token(current) : null));
    if (outcome.kind !== 'session') throw new Error(`expected a new session, got ${outcome.kind}`);
    expect(outcome.path).toBe(`/t/${tenant.slug}/profil`);
    return `fcplat_citizen_${tenant.slug}=${outcome.token}`;
  }

  async function actions(citizenId: string): Promise<{ action: string; changes: Record<string, unknown> }[]> {
    return dataSource.query(`SELECT action, changes FROM audit_log WHERE target_type = 'citizen' AND target_id = $1 ORDER BY id`, [citizenId]);
  }

  describe('accounts from FranceConnect identities', () => {
    it('signs up with FranceConnect: an account from the identity (FC-10), linked, in a 30-minute session', async () => {
      const tenant = await makeTenant(dataSource);
      const email = uniqueEmail('fc-inscription');
      const auth = authentication(DUPONT, { email, purpose: 'signup', claims: { ...authentication(DUPONT).claims, email, preferred_username: 'DURAND' } });
      const cookie = await sessionOf(tenant, auth);
      const profile = await me(tenant, cookie);
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({ email, usageName: 'DURAND', identity: { source: 'franceconnect', ...DUPONT }, franceConnectLinked: true });
      const expiresAt = Date.parse(String(profile.body.franceConnectSessionExpiresAt));
      expect(Math.abs(expiresAt - (auth.authenticatedAt.getTime() + 30 * 60_000))).toBeLessThan(1000);
      const id = String(profile.body.id);
      const sessions = (await dataSource.query(`SELECT source, absolute_expires_at, fc_id_token_ciphertext, fc_access_token_ciphertext FROM citizen_session WHERE citizen_id = $1`, [id])) as {
        source: string;
        absolute_expires_at: Date;
        fc_id_token_ciphertext: string;
        fc_access_token_ciphertext: string;
      }[];
      expect(sessions).toHaveLength(1);
      expect(sessions[0]?.source).toBe('franceconnect');
      expect(sessions[0]?.absolute_expires_at.getTime()).toBeLessThanOrEqual(auth.authenticatedAt.getTime() + 30 * 60_000);
      // Tokens are kept encrypted only.
      expect(sessions[0]?.fc_id_token_ciphertext).toBeTruthy();
      expect(sessions[0]?.fc_id_token_ciphertext).not.toContain(auth.idToken);
      expect(sessions[0]?.fc_access_token_ciphertext).not.toContain(auth.accessToken);
      const rows = await actions(id);
      expect(rows.map((r) => r.action)).toEqual(['citizen.created', 'citizen.franceconnect_linked']);
      expect(rows[0]?.changes).toEqual({ method: 'franceconnect' });
      expect(rows[1]?.changes).toMatchObject({ reconciliation: 'signup' });
      const serialized = JSON.stringify(rows);
      for (const personal of [email, 'DUPONT', auth.sub, '1962-08-24']) expect(serialized).not.toContain(personal);
    });

    it('finds the same account by (tenant, issuer, sub) at the next login, with a new session id; another tenant gets its own account (SR-09)', async () => {
      const a = await makeTenant(dataSource);
      const b = await makeTenant(dataSource);
      const auth = authentication(DUPONT);
      const first = await sessionOf(a, auth);
      const second = await sessionOf(a, { ...auth, authenticatedAt: new Date() }, makeBrowserBinding().hash, first);
      expect(second).not.toBe(first);
      expect((await me(a, first)).status).toBe(401);
      const idA = (await me(a, second)).body.id;
      expect((await me(a, second)).body.id).toBe(idA);
      expect(Number(((await dataSource.query(`SELECT count(*) AS n FROM citizen WHERE tenant_id = $1`, [a.id])) as { n: string }[])[0]?.n)).toBe(1);
      const onB = await sessionOf(b, auth);
      const idB = (await me(b, onB)).body.id;
      expect(idB).not.toBe(idA);
      expect((await me(b, second)).status).toBe(401);
      expect((await me(a, onB)).status).toBe(401);
    });

    it('never lets a FranceConnect session outlive 30 minutes after the FranceConnect authentication (SR-11)', async () => {
      const tenant = await makeTenant(dataSource);
      const stale = await sessionOf(tenant, authentication(DUPONT, { authenticatedAt: new Date(Date.now() - 31 * 60_000) }));
      expect((await me(tenant, stale)).status).toBe(401);
      const late = await sessionOf(tenant, authentication(DUPONT, { authenticatedAt: new Date(Date.now() - 29 * 60_000) }));
      const profile = await me(tenant, late);
      expect(profile.status).toBe(200);
      const rows = (await dataSource.query(`SELECT absolute_expires_at FROM citizen_session WHERE citizen_id = $1`, [profile.body.id])) as { absolute_expires_at: Date }[];
      expect(rows[0]?.absolute_expires_at.getTime()).toBeLessThan(Date.now() + 61_000);
    });

    it('links automatically a local account with the same e-mail and the same pivot identity (FC-11)', async () => {
      const tenant = await makeTenant(dataSource);
      const email = uniqueEmail('auto');
      const citizen = await makeCitizen(dataSource, tenant.id, { email, passwordHash: await hashPassword('mot de passe local 123'), identity: { source: 'local', ...DUPONT, familyName: 'Dupont', givenNames: 'paul-louis' } });
      const cookie = await sessionOf(tenant, authentication(DUPONT, { email: email.toUpperCase() }));
      const profile = await me(tenant, cookie);
      expect(profile.body).toMatchObject({ id: citizen.id, franceConnectLinked: true, identity: { source: 'franceconnect', familyName: 'DUPONT', givenNames: 'Paul Louis' } });
      const rows = await actions(citizen.id);
      expect(rows.map((r) => r.action)).toEqual(['citizen.franceconnect_linked']);
      expect(rows[0]?.changes).toMatchObject({ reconciliation: 'automatic' });
    });

    it('asks the owner of a local account with the same e-mail but another pivot identity to log in and confirm, in the same browser', async () => {
      const tenant = await makeTenant(dataSource);
      const email = uniqueEmail('a-confirmer');
      const password = goodPassword();
      const citizen = await makeCitizen(dataSource, tenant.id, { email, passwordHash: await hashPassword(password) });
      const browser = makeBrowserBinding(tenant.slug);
      const auth = authentication(DUPONT, { email });
      const outcome = await franceConnect.signIn(tenant, auth, browser.hash, null, context());
      expect(outcome).toEqual({ kind: 'notice', code: 'reconciliation_requise' });
      expect(Number(((await dataSource.query(`SELECT count(*) AS n FROM citizen WHERE tenant_id = $1`, [tenant.id])) as { n: string }[])[0]?.n)).toBe(1);
      const login = await call('POST', `/api/portal/${tenant.slug}/login`, { body: { email, password }, cookies: [browser.cookie], headers: { 'x-forwarded-for': '203.0.113.50' } });
      expect(login.body).toMatchObject({ id: citizen.id, franceConnectLinked: false, pendingReconciliation: { identity: DUPONT } });
      const confirm = await call('POST', `/api/portal/${tenant.slug}/reconciliation/confirm`, { cookies: [login.session, browser.cookie] });
      expect(confirm.body).toMatchObject({ id: citizen.id, franceConnectLinked: true, identity: { source: 'franceconnect', ...DUPONT } });
      // The confirmed identity now opens this account directly.
      const next = await sessionOf(tenant, { ...auth, authenticatedAt: new Date() });
      expect((await me(tenant, next)).body.id).toBe(citizen.id);
    });

    it('gives a new account (without the e-mail) to another FranceConnect identity when the e-mail belongs to a FranceConnect account', async () => {
      const tenant = await makeTenant(dataSource);
      const email = uniqueEmail('foyer');
      const first = await sessionOf(tenant, authentication(DUPONT, { email }));
      const firstId = (await me(tenant, first)).body.id;
      const spouse = { ...DUPONT, givenNames: 'Marie', gender: 'female' as const };
      const second = await sessionOf(tenant, authentication(spouse, { email }));
      const profile = await me(tenant, second);
      expect(profile.body.id).not.toBe(firstId);
      expect(profile.body).toMatchObject({ email: null, identity: { givenNames: 'Marie' } });
    });

    it('adds FranceConnect to a password session: linked at once when the pivot identity matches', async () => {
      const tenant = await makeTenant(dataSource);
      const citizen = await makeCitizen(dataSource, tenant.id, { identity: { source: 'local', ...DUPONT } });
      const current = await makeCitizenSession(dataSource, citizen);
      const cookie = await sessionOf(tenant, authentication(DUPONT), makeBrowserBinding().hash, current);
      expect(cookie).not.toBe(current);
      expect((await me(tenant, current)).status).toBe(401);
      expect((await me(tenant, cookie)).body).toMatchObject({ id: citizen.id, franceConnectLinked: true });
    });

    it('adds FranceConnect to a password session: confirmation asked when the pivot identity differs, the session keeps the FranceConnect logout', async () => {
      const tenant = await makeTenant(dataSource, { dataRetrievalEnabled: true });
      const citizen = await makeCitizen(dataSource, tenant.id);
      const current = await makeCitizenSession(dataSource, citizen);
      const browser = makeBrowserBinding(tenant.slug);
      const session = await api.app.get(CitizenSessionsService).resolve(tenant.id, token(current));
      const outcome = await franceConnect.signIn(tenant, authentication(DUPONT), browser.hash, session, context(token(current)));
      expect(outcome).toEqual({ kind: 'continue', path: `/t/${tenant.slug}/profil` });
      const profile = await me(tenant, current, browser.cookie);
      expect(profile.body).toMatchObject({ franceConnectLinked: false, pendingReconciliation: { identity: DUPONT }, franceConnectSessionExpiresAt: expect.any(String) });
      expect(await api.app.get(CitizenSessionsService).idTokenOf(session ?? { id: '', tenantId: '' })).toMatch(/^eyJ/);
      // Not the account's identity yet: no data retrieval on its strength.
      expect((await call('POST', `/api/portal/${tenant.slug}/data-retrieval`, { cookies: [current] })).body.status).toBe('redirect');
    });
  });

  describe('data retrieval (FC-11: the data must belong to the logged-in account)', () => {
    it('keeps a data-retrieval authentication of the linked identity, then only asks for a confirmation', async () => {
      const tenant = await makeTenant(dataSource, { dataRetrievalEnabled: true });
      const citizen = await makeCitizen(dataSource, tenant.id, { identity: { source: 'franceconnect', ...DUPONT } });
      const link = await linkCitizenToFranceConnect(dataSource, citizen, { issuer: ISSUER });
      const cookie = await makeCitizenSession(dataSource, citizen);
      const session = await api.app.get(CitizenSessionsService).resolve(tenant.id, token(cookie));
      const auth = authentication(DUPONT, { sub: link.sub, purpose: 'data_retrieval', scopes: ['openid', 'identite_pivot', 'cnaf_quotient_familial'] });
      const outcome = await franceConnect.signIn(tenant, auth, makeBrowserBinding().hash, session, context(token(cookie)));
      expect(outcome).toEqual({ kind: 'continue', path: `/t/${tenant.slug}/profil?recuperation=confirmer` });
      expect((await call('POST', `/api/portal/${tenant.slug}/data-retrieval`, { cookies: [cookie] })).body.status).toBe('confirm_required');
      // Without an API Particulier habilitation there is nothing to call (the calls: portal-sandbox.int-spec.ts).
      expect((await call('POST', `/api/portal/${tenant.slug}/data-retrieval/confirm`, { cookies: [cookie] })).body).toMatchObject({
        detail: expect.stringMatching(/Aucune donnée n’est ouverte à la récupération/),
      });
      // The token served that one attempt: another retrieval goes through FranceConnect again.
      expect((await call('POST', `/api/portal/${tenant.slug}/data-retrieval`, { cookies: [cookie] })).body).toMatchObject({ status: 'redirect' });
      expect(await api.app.get(CitizenSessionsService).takeAccessToken(session ?? { id: '', tenantId: '' })).toBeNull();
    });

    it('accepts an unlinked account whose pivot identity is the FranceConnect one', async () => {
      const tenant = await makeTenant(dataSource, { dataRetrievalEnabled: true });
      const citizen = await makeCitizen(dataSource, tenant.id, { identity: { source: 'local', ...DUPONT } });
      const cookie = await makeCitizenSession(dataSource, citizen);
      const session = await api.app.get(CitizenSessionsService).resolve(tenant.id, token(cookie));
      const outcome = await franceConnect.signIn(tenant, authentication(DUPONT, { purpose: 'data_retrieval' }), makeBrowserBinding().hash, session, context());
      expect(outcome.kind).toBe('continue');
      expect((await call('POST', `/api/portal/${tenant.slug}/data-retrieval`, { cookies: [cookie] })).body.status).toBe('confirm_required');
    });

    it('refuses the data of another person, keeps nothing, and recommends a FranceConnect logout', async () => {
      const tenant = await makeTenant(dataSource, { dataRetrievalEnabled: true });
      const citizen = await makeCitizen(dataSource, tenant.id, { identity: { source: 'franceconnect', ...samplePivotIdentity() } });
      await linkCitizenToFranceConnect(dataSource, citizen, { issuer: ISSUER });
      const local = await makeCitizen(dataSource, tenant.id, { identity: { source: 'local', ...samplePivotIdentity() } });
      // Someone else's identity already linked to another account of the portal, even with the same pivot identity.
      const taken = await makeCitizen(dataSource, tenant.id);
      const takenLink = await linkCitizenToFranceConnect(dataSource, taken, { issuer: ISSUER });
      for (const [owner, auth] of [
        [citizen, authentication(DUPONT, { purpose: 'data_retrieval' })],
        [citizen, authentication(samplePivotIdentity(), { purpose: 'data_retrieval' })], // same person on paper, but not the linked sub
        [local, authentication(DUPONT, { purpose: 'data_retrieval' })],
        [local, authentication(samplePivotIdentity(), { purpose: 'data_retrieval', sub: takenLink.sub })],
      ] as const) {
        const cookie = await makeCitizenSession(dataSource, owner);
        const session = await api.app.get(CitizenSessionsService).resolve(tenant.id, token(cookie));
        const refusal = await franceConnect.signIn(tenant, auth, makeBrowserBinding().hash, session, context()).catch((error: unknown) => error);
        expect(refusal).toBeInstanceOf(FranceConnectFlowError);
        expect(refusal).toMatchObject({ code: 'identite_differente', logoutRecommended: true, idToken: auth.idToken, message: expect.stringMatching(/ne correspond pas au compte connecté/) });
        expect((await me(tenant, cookie)).body).not.toHaveProperty('franceConnectSessionExpiresAt');
        expect(await api.app.get(CitizenSessionsService).takeAccessToken(session ?? { id: '', tenantId: '' })).toBeNull();
      }
    });

    it('refuses a data-retrieval callback without a session', async () => {
      const tenant = await makeTenant(dataSource, { dataRetrievalEnabled: true });
      const refusal = await franceConnect.signIn(tenant, authentication(DUPONT, { purpose: 'data_retrieval' }), makeBrowserBinding().hash, null, context()).catch((e: unknown) => e);
      expect(refusal).toMatchObject({ code: 'connexion_requise' });
    });
  });

  describe('browser routes', () => {
    const location = (reply: PortalReply): URL => new URL(reply.headers.get('location') ?? '', 'http://portail.test');

    it('answers FranceConnect routes with redirects carrying a notice code only, and sets the portal’s own browser-binding cookie', async () => {
      const tenant = await makeTenant(dataSource);
      const reply = await call('GET', `/t/${tenant.slug}/auth/franceconnect/login`, { headers: { 'x-forwarded-for': '203.0.113.70' } });
      expect(reply.status).toBe(302);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      // The portal refuses framing (FC-13, SR-12), its API and FranceConnect routes included.
      const portalView = await call('GET', `/api/portal/${tenant.slug}`);
      for (const answer of [reply, portalView]) {
        expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(answer.headers.get('x-frame-options')).toBe('DENY');
      }
      const target = location(reply);
      expect(target.pathname).toBe(`/t/${tenant.slug}/`);
      expect(target.searchParams.get('erreur')).toMatch(/^[a-z_]+$/);
      // Codes only: the portal owns the sentences (issue 12, item 3).
      expect([...target.searchParams.keys()]).toEqual(['erreur']);
      const binding = reply.setCookies.find((c) => c.startsWith(`fcplat_binding_${tenant.slug}=`));
      expect(binding).toMatch(/; Path=\//);
      expect(binding).toMatch(/; HttpOnly/);
      expect(binding).toMatch(/; SameSite=Lax/);
      expect((await call('GET', `/t/commune-inconnue-zz/auth/franceconnect/login`)).status).toBe(404);
    });

    it('refuses what the portal does not offer, and odd requests, with their own notices', async () => {
      const closed = await makeTenant(dataSource, { connexionEnabled: false, dataRetrievalEnabled: false });
      const open = await makeTenant(dataSource, { dataRetrievalEnabled: true });
      const headers = { 'x-forwarded-for': '203.0.113.71' };
      const notice = async (path: string, cookies: (string | null)[] = []) => location(await call('GET', path, { headers, cookies })).searchParams.get('erreur');
      expect(await notice(`/t/${closed.slug}/auth/franceconnect/login?purpose=signup`)).toBe('connexion_desactivee');
      expect(await notice(`/t/${closed.slug}/auth/franceconnect/login?purpose=data_retrieval`)).toBe('recuperation_desactivee');
      expect(await notice(`/t/${open.slug}/auth/franceconnect/login?purpose=data_retrieval`)).toBe('connexion_requise');
      expect(await notice(`/t/${open.slug}/auth/franceconnect/login?purpose=autre`)).toBe('requete_invalide');
      expect(await notice(`/t/${open.slug}/auth/franceconnect/callback?code=abc&state=def`)).toBe('session_navigateur');
      expect(await notice(`/t/${open.slug}/auth/franceconnect/logout/callback?state=abc`)).toBe('deconnexion_invalide');
    });

    it('logs out through POST /logout only: a GET ends nothing; the POST (origin and token checked) ends the session, back to the portal when there is no FranceConnect session', async () => {
      const tenant = await makeTenant(dataSource);
      const cookie = await makeCitizenSession(dataSource, await makeCitizen(dataSource, tenant.id));
      const viaGet = await call('GET', `/t/${tenant.slug}/auth/franceconnect/logout`, { cookies: [cookie] });
      expect(viaGet.status).not.toBe(302);
      expect((await me(tenant, cookie)).status).toBe(200);
      const reply = await call('POST', `/t/${tenant.slug}/auth/franceconnect/logout`, { cookies: [cookie] });
      expect(reply.status).toBe(303);
      expect(reply.headers.get('location')).toBe(`/t/${tenant.slug}/`);
      expect(reply.setCookies.find((c) => c.startsWith(`fcplat_citizen_${tenant.slug}=`))).toMatch(new RegExp(`^fcplat_citizen_${tenant.slug}=;`));
      expect((await me(tenant, cookie)).status).toBe(401);
    });

    it('logs out with the portal’s plain HTML form (csrf_token field), and refuses that form without the token or from another origin', async () => {
      const tenant = await makeTenant(dataSource);
      const cookie = await makeCitizenSession(dataSource, await makeCitizen(dataSource, tenant.id));
      const form = (fields: Record<string, string>, origin = new URL(config.http.publicUrl).origin) =>
        fetch(`${api.url}/t/${tenant.slug}/auth/franceconnect/logout`, {
          method: 'POST',
          headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields).toString(),
          redirect: 'manual',
        });
      const csrf = csrfTokenOf(token(cookie));
      expect((await form({})).status).toBe(403);
      expect((await form({ csrf_token: 'faux' })).status).toBe(403);
      expect((await form({ csrf_token: csrf }, 'http://localhost:1')).status).toBe(403);
      expect((await me(tenant, cookie)).status).toBe(200);
      const done = await form({ csrf_token: csrf });
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe(`/t/${tenant.slug}/`);
      expect((await me(tenant, cookie)).status).toBe(401);
    });

    it('rate-limits the FranceConnect routes per IP and per tenant', async () => {
      const limiter = api.app.get(PortalRateLimiter);
      const tenant = await makeTenant(dataSource);
      const other = await makeTenant(dataSource);
      try {
        limiter.configure({ franceConnectPerIp: { max: 2, windowMs: 60_000 } });
        const headers = { 'x-forwarded-for': '203.0.113.80' };
        for (let i = 0; i < 2; i += 1) expect(location(await call('GET', `/t/${tenant.slug}/auth/franceconnect/login`, { headers })).searchParams.get('erreur')).not.toBe('trop_de_tentatives');
        expect(location(await call('GET', `/t/${other.slug}/auth/franceconnect/callback`, { headers })).searchParams.get('erreur')).toBe('trop_de_tentatives');
        limiter.configure({ franceConnectPerIp: { max: 100, windowMs: 60_000 }, franceConnectPerTenant: { max: 3, windowMs: 60_000 } });
        for (let i = 0; i < 3; i += 1) await call('GET', `/t/${other.slug}/auth/franceconnect/login`, { headers: { 'x-forwarded-for': `203.0.113.${90 + i}` } });
        const blocked = location(await call('GET', `/t/${other.slug}/auth/franceconnect/login`, { headers: { 'x-forwarded-for': '203.0.113.99' } }));
        expect(blocked.searchParams.get('erreur')).toBe('trop_de_tentatives');
        expect(blocked.searchParams.get('message')).toBeNull();
      } finally {
        limiter.configure({ franceConnectPerIp: { max: 120, windowMs: 5 * 60_000 }, franceConnectPerTenant: { max: 5_000, windowMs: 5 * 60_000 } });
      }
    });
  });
});

describe('FranceConnect routes next to a built portal', () => {
  it('reach the API even when the portal’s static files are served under /t/{slug}/', async () => {
    const appsDir = mkdtempSync(join(tmpdir(), 'fcplat-portal-'));
    mkdirSync(join(appsDir, 'portal', 'dist', 'assets'), { recursive: true });
    writeFileSync(join(appsDir, 'portal', 'dist', 'index.html'), '<!doctype html><head><base href="/" data-fcplat-base><title>portail</title></head><div id="app"></div>');
    const dataSource = await migratedTestDataSource();
    const config = await testPlatformConfig();
    const infrastructure = await openPlatformInfrastructure(config, 'api');
    const api = await startApi(config, infrastructure, { heartbeat: false, logDestination: new LogCapture(), frontends: builtFrontends(appsDir) });
    try {
      const tenant = await makeTenant(dataSource);
      for (const [method, path] of [['GET', 'login'], ['GET', 'callback'], ['POST', 'logout'], ['GET', 'logout/callback']] as const) {
        const reply = await portalCall(api.url, method, `/t/${tenant.slug}/auth/franceconnect/${path}`, { publicUrl: config.http.publicUrl });
        expect(`${path} → ${reply.status}`).toBe(`${path} → ${method === 'POST' ? 303 : 302}`);
      }
      // The portal's pages are still the static index.
      const page = await fetch(`${api.url}/t/${tenant.slug}/profil`);
      expect(await page.text()).toContain('<title>portail</title>');
    } finally {
      await api.close();
      await infrastructure.close();
      await dataSource.destroy();
      rmSync(appsDir, { recursive: true, force: true });
    }
  });
});
