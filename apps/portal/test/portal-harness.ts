/// <reference lib="dom" />
/**
 * Browser tests of the citizen portal, front-end only: the built portal is served by a small
 * node:http server on 127.0.0.1 that also fakes the portal's JSON API (`/api/portal/{slug}/...`)
 * exactly as the back-end contract describes it, and headless Chromium (playwright-core) drives it.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { collectPageErrors, launchChromium, viteBuild } from '@fcplat/testing';

export const PORTAL_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_ROOT = resolve(PORTAL_DIR, '..', '..');
export const SCREENSHOTS_DIR = join(REPO_ROOT, 'artifacts', 'screenshots');

/** Keeps a measurement (button sizes, axe results) in artifacts/portal-measurements.txt, for reports. */
export function recordMeasurement(text: string): void {
  mkdirSync(join(REPO_ROOT, 'artifacts'), { recursive: true });
  appendFileSync(join(REPO_ROOT, 'artifacts', 'portal-measurements.txt'), `${new Date().toISOString()} ${text}\n`);
}

/** What the API writes into index.html (apps/api/src/http/frontends.ts). */
const PORTAL_BASE_TAG = '<base href="/" data-fcplat-base>';

/** The helmet policy of the API (apps/api/src/app.ts), so a CSP mistake shows up here too. */
const CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "font-src 'self' https: data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' https: 'unsafe-inline'",
].join(';');

/** Builds the portal into `outDir` (a production build in a child process: see viteBuild). */
export async function buildPortal(outDir: string): Promise<void> {
  await viteBuild(PORTAL_DIR, outDir);
}

// --- the fake API's data ----------------------------------------------------------------------

export interface TenantJson {
  slug: string;
  name: string;
  branding: { portalName?: string; logoUrl?: string; primaryColor?: string; secondaryColor?: string };
  connexionEnabled: boolean;
  dataRetrievalEnabled: boolean;
  environment: { franceConnect: string | null; test: boolean; franceConnectAvailable: boolean };
}

export interface IdentityJson {
  source: 'franceconnect' | 'local';
  familyName: string;
  givenNames: string;
  birthdate: string;
  birthplace: string;
  birthcountry: string;
  gender: string;
}

export interface MeJson {
  id: string;
  email: string | null;
  usageName: string | null;
  identity: IdentityJson | null;
  franceConnectLinked: boolean;
  franceConnectSessionExpiresAt?: string;
  pendingReconciliation?: { identity: Omit<IdentityJson, 'source'> } | null;
}

export const SLUG = 'ville-de-test';

/** A small logo (data: URL, allowed by the policy's img-src). */
const LOGO = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48"><circle cx="24" cy="24" r="20" fill="#ffb300"/></svg>')}`;

export function defaultTenant(): TenantJson {
  return {
    slug: SLUG,
    name: 'Commune de Test',
    branding: { portalName: 'Ville de Test', logoUrl: LOGO, primaryColor: '#6a1b9a', secondaryColor: '#ffb300' },
    connexionEnabled: true,
    dataRetrievalEnabled: true,
    environment: { franceConnect: 'production', test: false, franceConnectAvailable: true },
  };
}

/** Angela Claire Louise DUBOIS, the sandbox's demo identity (apps/sandbox/src/services/franceconnect/data/). */
export function franceConnectCitizen(): MeJson {
  return {
    id: '0b7c9a4e-5f0e-4a53-9a51-2f5a1c0d9e01',
    email: 'angela.dubois@example.fr',
    usageName: null,
    identity: {
      source: 'franceconnect',
      familyName: 'DUBOIS',
      givenNames: 'Angela Claire Louise',
      birthdate: '1962-08-24',
      birthplace: '75107',
      birthcountry: '99100',
      gender: 'female',
    },
    franceConnectLinked: true,
    franceConnectSessionExpiresAt: new Date(Date.now() + 25 * 60_000).toISOString(),
  };
}

export function localCitizen(): MeJson {
  return {
    id: '5d2f7c1a-0c4b-4e0e-8f3e-9b1a2c3d4e5f',
    email: 'marie.martin@example.fr',
    usageName: 'Martin',
    identity: null,
    franceConnectLinked: false,
  };
}

export const LOCAL_PASSWORD = 'un-mot-de-passe-solide';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

export interface FakeState {
  tenants: Map<string, TenantJson>;
  me: MeJson | null;
  /** Local accounts for /login: e-mail → password and profile. */
  accounts: Map<string, { password: string; me: MeJson }>;
  /** Sign-ups waiting for their e-mailed link: token → account to create. */
  signups: Map<string, { password: string; me: MeJson }>;
  logoutRedirect: string | null;
  deleteRedirect: string | null;
  dataRetrieval: { redirect: string } | { status: 'confirm_required'; expiresAt: string };
  dataRetrievalScopes: string[];
  /** What the API answers for the retrieved data (confirm, and GET /data-retrieval/results). */
  dataRetrievalResults: Record<string, unknown>[];
  requests: RecordedRequest[];
}

function freshState(): FakeState {
  const local = localCitizen();
  return {
    tenants: new Map([[SLUG, defaultTenant()]]),
    me: null,
    accounts: new Map([[local.email ?? '', { password: LOCAL_PASSWORD, me: local }]]),
    signups: new Map(),
    logoutRedirect: null,
    deleteRedirect: null,
    dataRetrieval: { redirect: `/t/${SLUG}/auth/franceconnect/login?purpose=data_retrieval` },
    dataRetrievalScopes: ['openid', 'given_name', 'family_name', 'birthdate', 'cnaf_quotient_familial', 'cnaf_enfants'],
    dataRetrievalResults: [],
    requests: [],
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.html': 'text/html; charset=utf-8',
};

function problem(res: ServerResponse, status: number, code: string, detail: string, violations?: { path: string; message: string }[]): void {
  res.writeHead(status, { 'Content-Type': 'application/problem+json; charset=utf-8' });
  res.end(JSON.stringify({ type: `urn:fcplat:error:${code}`, title: code, status, code, detail, ...(violations ? { violations } : {}) }));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function html(res: ServerResponse, title: string): void {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CSP });
  res.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1></body></html>`);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : undefined;
}

function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** The built portal and its fake API on 127.0.0.1. */
export class FakePortal {
  state: FakeState = freshState();
  private readonly indexHtml: string;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly distDir: string,
  ) {
    this.indexHtml = readFileSync(join(distDir, 'index.html'), 'utf8');
  }

  static async start(distDir: string): Promise<FakePortal> {
    const holder: { portal?: FakePortal } = {};
    const server = createServer((req, res) => {
      holder.portal?.handle(req, res).catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    holder.portal = new FakePortal(server, `http://127.0.0.1:${port}`, distDir);
    return holder.portal;
  }

  reset(): void {
    this.state = freshState();
  }

  /** Changes the test tenant's settings. */
  updateTenant(patch: Partial<TenantJson>): void {
    const tenant = this.state.tenants.get(SLUG) ?? defaultTenant();
    this.state.tenants.set(SLUG, { ...tenant, ...patch });
  }

  /** The portal URL of a route, e.g. `portalUrl('profil')`. */
  portalUrl(path = '', slug = SLUG): string {
    return `${this.url}/t/${slug}/${path}`;
  }

  requestsTo(method: string, suffix: string): RecordedRequest[] {
    return this.state.requests.filter((r) => r.method === method && r.path === `/api/portal/${SLUG}${suffix}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const api = /^\/api\/portal\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (api) {
      const body = method === 'GET' || method === 'HEAD' ? undefined : await readJson(req);
      this.state.requests.push({ method, path: url.pathname, body });
      return this.handleApi(method, decodeURIComponent(api[1] ?? ''), api[2] ?? '', body, res);
    }
    if (url.pathname === '/fake-franceconnect/logout') return html(res, 'Déconnexion de FranceConnect (simulée)');
    const portal = /^\/t\/([a-z0-9]+(?:-[a-z0-9]+)*)\/(.*)$/.exec(url.pathname);
    if (!portal || method !== 'GET') {
      res.writeHead(404);
      res.end();
      return;
    }
    const rest = portal[2] ?? '';
    if (rest === 'auth/franceconnect/login') {
      this.state.requests.push({ method, path: `${url.pathname}${url.search}`, body: undefined });
      return html(res, 'FranceConnect (simulé)');
    }
    if (rest.startsWith('assets/')) {
      const file = normalize(join(this.distDir, rest));
      if (!file.startsWith(join(this.distDir, 'assets'))) {
        res.writeHead(404);
        res.end();
        return;
      }
      try {
        const content = readFileSync(file);
        res.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(content);
      } catch {
        res.writeHead(404);
        res.end();
      }
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': CSP,
      'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-cache',
    });
    res.end(this.indexHtml.replace(PORTAL_BASE_TAG, `<base href="/t/${portal[1]}/" data-fcplat-base>`));
  }

  private handleApi(method: string, slug: string, path: string, body: unknown, res: ServerResponse): void {
    const s = this.state;
    if (slug === 'en-panne') return problem(res, 503, 'DEPENDENCY_UNAVAILABLE', 'Service momentanément indisponible.');
    const tenant = s.tenants.get(slug);
    if (!tenant) return problem(res, 404, 'NOT_FOUND', 'Portail introuvable.');
    const route = `${method} ${path}`;
    if (route === 'GET ') return json(res, 200, tenant);
    if (route === 'POST /login') {
      const email = field(body, 'email') ?? '';
      if (!email.includes('@')) return problem(res, 400, 'VALIDATION_FAILED', 'email : adresse e-mail invalide', [{ path: 'email', message: 'adresse e-mail invalide' }]);
      const account = s.accounts.get(email.toLowerCase());
      if (!account || account.password !== field(body, 'password')) return problem(res, 401, 'UNAUTHENTICATED', 'Adresse e-mail ou mot de passe incorrect.');
      s.me = account.me;
      return json(res, 200, s.me);
    }
    if (route === 'POST /signup') {
      const email = (field(body, 'email') ?? '').toLowerCase();
      const password = field(body, 'password') ?? '';
      if (password.toLowerCase().includes('motdepasse')) {
        return problem(res, 400, 'VALIDATION_FAILED', 'password : ce mot de passe est trop courant, choisissez-en un autre', [
          { path: 'password', message: 'ce mot de passe est trop courant, choisissez-en un autre' },
        ]);
      }
      // As the API: the same answer whether or not the address has an account; an activation link goes to new ones.
      if (!s.accounts.has(email)) {
        const me: MeJson = { id: 'a3d8a1f2-1111-4c4c-9d9d-000000000001', email, usageName: field(body, 'usageName') ?? null, identity: null, franceConnectLinked: false };
        s.signups.set(`jeton-${s.signups.size + 1}-${'x'.repeat(24)}`, { password, me });
      }
      return json(res, 202, { status: 'check_inbox' });
    }
    if (route === 'POST /signup/confirm') {
      const token = field(body, 'token') ?? '';
      const pending = s.signups.get(token);
      if (!pending) return problem(res, 404, 'NOT_FOUND', 'Ce lien d’activation n’est plus valable (déjà utilisé, ou plus de 24 heures) : inscrivez-vous à nouveau.');
      s.signups.delete(token);
      s.accounts.set(pending.me.email ?? '', pending);
      s.me = pending.me;
      return json(res, 201, pending.me);
    }
    if (!s.me) return problem(res, 401, 'UNAUTHENTICATED', 'Vous n’êtes pas connecté.');
    switch (route) {
      case 'GET /me':
        return json(res, 200, s.me);
      case 'PATCH /me': {
        const pivot = ['familyName', 'givenNames', 'birthdate', 'birthplace', 'birthcountry', 'gender'].filter((name) => (body as Record<string, unknown>)[name] !== undefined);
        if (pivot.length > 0) {
          if (s.me.identity?.source === 'franceconnect') {
            return problem(res, 400, 'VALIDATION_FAILED', 'Votre identité vient de FranceConnect : elle ne peut pas être modifiée.', pivot.map((path) => ({ path, message: 'non modifiable' })));
          }
          const declared = body as Omit<IdentityJson, 'source'>;
          if (declared.birthcountry === '99999') return problem(res, 400, 'VALIDATION_FAILED', 'birthcountry : pays inconnu', [{ path: 'birthcountry', message: 'pays inconnu' }]);
          s.me = { ...s.me, identity: { source: 'local', ...declared, birthplace: declared.birthplace ?? '' } };
          return json(res, 200, s.me);
        }
        const email = field(body, 'email');
        if (email !== undefined && !email.includes('@')) return problem(res, 400, 'VALIDATION_FAILED', 'email : adresse e-mail invalide', [{ path: 'email', message: 'adresse e-mail invalide' }]);
        const changes = body as { usageName?: string | null; email?: string };
        s.me = { ...s.me, ...(changes.usageName !== undefined ? { usageName: changes.usageName } : {}), ...(email ? { email } : {}) };
        return json(res, 200, s.me);
      }
      case 'DELETE /me':
        s.me = null;
        return json(res, 200, { redirect: s.deleteRedirect });
      case 'POST /logout':
        s.me = null;
        return json(res, 200, { redirect: s.logoutRedirect });
      case 'POST /reconciliation/confirm':
      case 'POST /reconciliation/reject': {
        const pending = s.me.pendingReconciliation;
        if (!pending) return problem(res, 404, 'NOT_FOUND', 'Aucune liaison en attente.');
        s.me =
          route === 'POST /reconciliation/confirm'
            ? { ...s.me, pendingReconciliation: null, franceConnectLinked: true, identity: { source: 'franceconnect', ...pending.identity } }
            : { ...s.me, pendingReconciliation: null };
        return json(res, 200, s.me);
      }
      case 'POST /data-retrieval':
        return json(res, 200, s.dataRetrieval);
      case 'POST /data-retrieval/confirm':
        return json(res, 200, { status: 'ok', scopes: s.dataRetrievalScopes, results: s.dataRetrievalResults });
      case 'GET /data-retrieval/results':
        return json(res, 200, { results: s.dataRetrievalResults });
      default:
        return problem(res, 404, 'NOT_FOUND', 'Route inconnue.');
    }
  }
}

// --- the browser -------------------------------------------------------------------------------

export interface PortalPage {
  readonly page: Page;
  /** Console errors and uncaught page errors (CSP violations show up here). */
  readonly errors: string[];
  /** Calls to window.open (FC-13: there must be none). */
  windowOpenCalls(): Promise<number>;
  close(): Promise<void>;
}

/** A fresh browser context (its own storage) with window.open instrumented and errors collected. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<PortalPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', colorScheme: 'light', ...options });
  await context.addInitScript(() => {
    const w = window as unknown as { __windowOpenCalls: number };
    w.__windowOpenCalls = 0;
    window.open = () => {
      w.__windowOpenCalls += 1;
      return null;
    };
  });
  const page = await context.newPage();
  return {
    page,
    errors: collectPageErrors(page),
    windowOpenCalls: () => page.evaluate(() => (window as unknown as { __windowOpenCalls: number }).__windowOpenCalls),
    close: () => context.close(),
  };
}

/** Navigates and waits until the app has rendered its page heading and fonts are ready. */
export async function gotoPortal(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('main h1').first().waitFor();
  await page.evaluate(async () => {
    await document.fonts.ready;
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  return join(SCREENSHOTS_DIR, name);
}

/** A temporary build of the portal for one test file. */
export async function builtPortal(): Promise<{ distDir: string; dispose: () => void }> {
  const distDir = mkdtempSync(join(tmpdir(), 'fcplat-portal-'));
  await buildPortal(distDir);
  return { distDir, dispose: () => rmSync(distDir, { recursive: true, force: true }) };
}

/** What the portal's page suites test against: a fresh build served by a fake portal API, and Chromium. */
export interface PortalBench {
  /** The build's folder (its `index.html` and `assets/`). */
  readonly distDir: string;
  readonly portal: FakePortal;
  readonly browser: Browser;
  /** Closes Chromium and the fake API, and removes the build. */
  close(): Promise<void>;
}

/**
 * Registers the bench's hooks on the calling `describe`: started before all (`started` receives
 * it), the fake API's state reset before each test, closed after all (after `finish`, if any).
 */
export function usePortalBench(started: (bench: PortalBench) => void, finish?: () => void): void {
  let bench: PortalBench | undefined;
  beforeAll(async () => {
    bench = await startPortalBench();
    started(bench);
  }, 120_000);
  beforeEach(() => bench?.portal.reset());
  afterAll(async () => {
    finish?.();
    await bench?.close();
  });
}

export async function startPortalBench(): Promise<PortalBench> {
  const build = await builtPortal();
  let portal: FakePortal | undefined;
  try {
    portal = await FakePortal.start(build.distDir);
    const browser = await launchChromium();
    const started = portal;
    return {
      distDir: build.distDir,
      portal: started,
      browser,
      close: async () => {
        await browser.close();
        await started.close();
        build.dispose();
      },
    };
  } catch (error) {
    await portal?.close();
    build.dispose();
    throw error;
  }
}

/** `rgb(0, 0, 145)` → `#000091` */
export function hexOf(cssColor: string): string {
  const match = /^rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)$/.exec(cssColor.trim());
  if (!match) return cssColor;
  return `#${[match[1], match[2], match[3]].map((v) => Number(v).toString(16).padStart(2, '0')).join('')}`;
}

/** The rendered box of an element (fails when it is not rendered). */
export async function boxOf(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element not rendered');
  return box;
}
