import type { DataSource } from 'typeorm';
import type { PlatformConfig } from '@fcplat/config';
import { csrfTokenOf } from '@fcplat/crypto';
import type { TenantEntity } from '@fcplat/db';
import { makeCitizen, makeTenant, migratedTestDataSource } from '@fcplat/testing';
import { hashPassword } from '../src/accounts/passwords.js';
import type { ApiApp } from '../src/app.js';
import { useApiProcess } from './api-harness.js';
import { goodPassword, uniqueEmail } from './portal-http.js';

/**
 * One browser, two portals (issue 12, item 2): each portal has its own session cookie and its own
 * browser-binding cookie, so signing in or out on one portal never touches the other; over https
 * every one of them is `__Host-` prefixed (Secure, Path=/, no Domain), so a sibling subdomain
 * cannot plant a binding or a session of its choosing.
 */
class Browser {
  readonly jar = new Map<string, string>();

  constructor(
    private readonly base: string,
    private readonly origin: string,
  ) {}

  cookieHeader(): string {
    return [...this.jar].map(([n, v]) => `${n}=${v}`).join('; ');
  }

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown>; setCookies: string[]; location: string | null }> {
    const headers: Record<string, string> = { cookie: this.cookieHeader() };
    if (method !== 'GET') {
      // What the portal's script does: its page's origin, and the token read from its CSRF cookie.
      headers.origin = this.origin;
      const slug = /^\/(?:api\/portal|t)\/([a-z0-9-]+)/.exec(path)?.[1] ?? '';
      const csrf = this.jar.get(`fcplat_csrf_${slug}`) ?? this.jar.get(`__Host-fcplat_csrf_${slug}`);
      if (csrf) headers['x-csrf-token'] = csrf;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text) as Record<string, unknown>;
    return { status: response.status, body: parsed, setCookies, location: response.headers.get('location') };
  }
}

async function citizenWithPassword(dataSource: DataSource, tenant: TenantEntity): Promise<{ email: string; password: string }> {
  const email = uniqueEmail('deux-portails');
  const password = goodPassword();
  await makeCitizen(dataSource, tenant.id, { email, passwordHash: await hashPassword(password) });
  return { email, password };
}

describe('citizen cookies, one set per portal', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await migratedTestDataSource();
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  describe('over http (local development)', () => {
    let config: PlatformConfig;
    let api: ApiApp;
    useApiProcess({}, (started) => ({ config, api } = started));

    it('keeps the session of portal A when the citizen signs in on B, signs in again on B, and logs out of B', async () => {
      const a = await makeTenant(dataSource);
      const b = await makeTenant(dataSource);
      const onA = await citizenWithPassword(dataSource, a);
      const onB = await citizenWithPassword(dataSource, b);
      const browser = new Browser(api.url, new URL(config.http.publicUrl).origin);

      expect((await browser.call('POST', `/api/portal/${a.slug}/login`, onA)).status).toBe(200);
      expect(browser.jar.has(`fcplat_citizen_${a.slug}`)).toBe(true);
      expect(browser.jar.get(`fcplat_csrf_${a.slug}`)).toBe(csrfTokenOf(browser.jar.get(`fcplat_citizen_${a.slug}`) ?? ''));
      const sessionOfA = browser.jar.get(`fcplat_citizen_${a.slug}`);

      // Signing in on B sets B's cookie and leaves A's session alone.
      const loginB = await browser.call('POST', `/api/portal/${b.slug}/login`, onB);
      expect(loginB.status).toBe(200);
      expect(loginB.setCookies.every((c) => !c.startsWith(`fcplat_citizen_${a.slug}=`))).toBe(true);
      expect((await browser.call('GET', `/api/portal/${a.slug}/me`)).status).toBe(200);
      expect((await browser.call('GET', `/api/portal/${b.slug}/me`)).status).toBe(200);
      // …and so does signing in on B again (it replaces B's session only).
      expect((await browser.call('POST', `/api/portal/${b.slug}/login`, onB)).status).toBe(200);
      expect(browser.jar.get(`fcplat_citizen_${a.slug}`)).toBe(sessionOfA);
      expect((await browser.call('GET', `/api/portal/${a.slug}/me`)).body).toMatchObject({ email: onA.email });

      // Logging out of B ends B's session only.
      const logoutB = await browser.call('POST', `/api/portal/${b.slug}/logout`);
      expect(logoutB.status).toBe(200);
      expect(logoutB.setCookies.every((c) => !c.includes(`_${a.slug}=`))).toBe(true);
      expect((await browser.call('GET', `/api/portal/${b.slug}/me`)).status).toBe(401);
      expect((await browser.call('GET', `/api/portal/${a.slug}/me`)).body).toMatchObject({ email: onA.email });
      // The FranceConnect logout route of B (a POST) leaves A alone too.
      expect((await browser.call('POST', `/t/${b.slug}/auth/franceconnect/logout`)).status).toBe(303);
      expect((await browser.call('GET', `/api/portal/${a.slug}/me`)).status).toBe(200);
    });

    it('has no GET that ends a session: a link or an image on any website logs nobody out', async () => {
      const a = await makeTenant(dataSource);
      const browser = new Browser(api.url, new URL(config.http.publicUrl).origin);
      expect((await browser.call('POST', `/api/portal/${a.slug}/login`, await citizenWithPassword(dataSource, a))).status).toBe(200);
      for (const path of [`/t/${a.slug}/auth/franceconnect/logout`, `/api/portal/${a.slug}/logout`, '/api/auth/logout']) {
        await browser.call('GET', path);
      }
      expect((await browser.call('GET', `/api/portal/${a.slug}/me`)).status).toBe(200);
    });

    it('gives each portal its own browser-binding cookie (HttpOnly, SameSite=Lax, Path=/)', async () => {
      const a = await makeTenant(dataSource);
      const b = await makeTenant(dataSource);
      const browser = new Browser(api.url, new URL(config.http.publicUrl).origin);
      const startA = await browser.call('GET', `/t/${a.slug}/auth/franceconnect/login`);
      const binding = startA.setCookies.find((c) => c.startsWith(`fcplat_binding_${a.slug}=`));
      expect(binding).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/);
      expect(startA.setCookies.some((c) => c.startsWith('fcplat_citizen_binding='))).toBe(false);
      const startB = await browser.call('GET', `/t/${b.slug}/auth/franceconnect/login`);
      expect(startB.setCookies.some((c) => c.startsWith(`fcplat_binding_${b.slug}=`))).toBe(true);
      expect(browser.jar.get(`fcplat_binding_${a.slug}`)).not.toBe(browser.jar.get(`fcplat_binding_${b.slug}`));
    });
  });

  describe('over https', () => {
    let api: ApiApp;
    useApiProcess({ PUBLIC_URL: 'https://services.exemple-editeur.fr' }, (started) => ({ api } = started));

    it('names every portal cookie with the __Host- prefix (Secure, Path=/, no Domain) and ignores unprefixed ones a sibling could plant', async () => {
      const a = await makeTenant(dataSource);
      const browser = new Browser(api.url, 'https://services.exemple-editeur.fr');
      const login = await browser.call('POST', `/api/portal/${a.slug}/login`, await citizenWithPassword(dataSource, a));
      expect(login.status).toBe(200);
      const session = login.setCookies.find((c) => c.startsWith(`__Host-fcplat_citizen_${a.slug}=`));
      const csrf = login.setCookies.find((c) => c.startsWith(`__Host-fcplat_csrf_${a.slug}=`));
      expect(session).toMatch(/; Path=\/; .*HttpOnly; Secure; SameSite=Lax$/);
      expect(csrf).toMatch(/; Path=\/; .*Secure; SameSite=Strict$/);
      expect(csrf).not.toMatch(/HttpOnly/);
      for (const line of [session, csrf]) expect(line).not.toMatch(/Domain=/i);

      const start = await browser.call('GET', `/t/${a.slug}/auth/franceconnect/login`);
      const binding = start.setCookies.find((c) => c.startsWith(`__Host-fcplat_binding_${a.slug}=`));
      expect(binding).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Lax$/);

      // A binding or a session planted without the prefix (e.g. `Domain=.exemple-editeur.fr` from a sibling) is not read.
      const planted = new Browser(api.url, 'https://services.exemple-editeur.fr');
      planted.jar.set(`fcplat_binding_${a.slug}`, 'A'.repeat(43));
      planted.jar.set(`fcplat_citizen_${a.slug}`, browser.jar.get(`__Host-fcplat_citizen_${a.slug}`) ?? '');
      expect((await planted.call('GET', `/api/portal/${a.slug}/me`)).status).toBe(401);
      const callback = await planted.call('GET', `/t/${a.slug}/auth/franceconnect/callback?code=x&state=y`);
      expect(new URL(callback.location ?? '', 'https://x').searchParams.get('erreur')).toBe('session_navigateur');
    });
  });
});
