/// <reference lib="dom" />
/**
 * The run: observation phases in headless Chromium (one browser context per phase, no fixed
 * sleep), then the pure checks. Phases: the portal's pages (4 views), the live portal's
 * /authorize without logging in (3 attempts, tampered state, framing), TLS, the login journey
 * with the test identity (sign-up, profile, logout, login, data retrieval, deletion), and a
 * tampered nonce. Evidence keeps digests of state/nonce/tokens, never their values.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page, Request as PwRequest } from 'playwright-core';
import type { FranceConnectEnvironment, QualificationItemId } from '@fcplat/domain';
import { evaluate } from './checks.js';
import type { AuthorizeOrigin, CapturedAuthorize, ColourPair, EndSessionFacts, FlowOutcome, FramingFacts, LoginFacts, ProfileFacts, RobotFacts, SectionFacts, SectionKey, TamperFacts, Theme, TlsFacts, ViewFacts } from './facts.js';
import { countEmbeddedFrames, measureSection, trackWindowOpen, windowOpenCount, type SectionMeasure } from './measure.js';
import { digest, unverifiedClaims } from './redact.js';
import { observeTls } from './tls.js';
import type { RobotOptions, RobotReport, RobotScreenshot, RobotTarget } from './types.js';

const DEFAULT_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 15_000;
const VIEWPORT = { width: 1280, height: 900 };
const HEADINGS: Record<SectionKey, string> = { connexion: 'Connexion', inscription: 'Inscription' };
const FC_CONTROL = /^(?!\s*qu['’]est-ce).*franceconnect/i;
const LOGOUT = /se d[ée]connecter|d[ée]connexion/i;

class Timeout extends Error {}

/** Abort and timeout of one run: closing the run's contexts makes every pending Playwright call fail at once. */
class RunControl {
  private readonly contexts = new Set<BrowserContext>();
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  constructor(
    private readonly external: AbortSignal | undefined,
    timeoutMs: number,
    private readonly portal: { readonly origin: string; readonly cookies: Readonly<Record<string, string>> },
  ) {
    this.timer = setTimeout(() => this.stop(new Timeout('timeout')), timeoutMs);
    external?.addEventListener('abort', () => this.stop(external.reason), { once: true });
    if (external?.aborted) this.stop(external.reason);
  }
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  check(): void {
    if (this.controller.signal.aborted) throw this.controller.signal.reason;
  }
  /** A context of the run; `cookies` (of the portal's origin) replace the run's ones of the same name. */
  async context(browser: Browser, cookies: Readonly<Record<string, string>> = {}, colorScheme: Theme = 'light'): Promise<BrowserContext> {
    this.check();
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'fr-FR', colorScheme, serviceWorkers: 'block' });
    // Stopped while the context was being created: nobody else will close it.
    if (this.controller.signal.aborted) {
      await context.close().catch(() => undefined);
      this.check();
    }
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    this.contexts.add(context);
    // The robot's pass: cookies of the portal's origin, so never sent to FranceConnect.
    const all = Object.entries({ ...this.portal.cookies, ...cookies });
    if (all.length > 0) {
      const secure = this.portal.origin.startsWith('https:');
      await context.addCookies(all.map(([name, value]) => ({ name, value, url: `${this.portal.origin}/`, httpOnly: true, secure, sameSite: 'Lax' as const })));
    }
    await context.addInitScript(trackWindowOpen);
    return context;
  }
  async release(context: BrowserContext): Promise<void> {
    this.contexts.delete(context);
    await context.close().catch(() => undefined);
  }
  private stop(reason: unknown): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(reason);
    for (const context of this.contexts) void context.close().catch(() => undefined);
  }
  /** Ends the run: the timer, and any context a phase lent to the next one. */
  async finish(): Promise<void> {
    clearTimeout(this.timer);
    await Promise.all([...this.contexts].map((context) => this.release(context)));
  }
  externallyAborted(): boolean {
    return !!this.external?.aborted;
  }
}

/** A short French reason from an error, without any URL query (state, code…). */
function reasonOf(error: unknown): string {
  if (error instanceof Timeout) return 'délai de la vérification dépassé';
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').replace(/\?[^\s"'`]*/g, '?…').slice(0, 200);
}

const randomAlphanumeric = (n: number): string => randomBytes(n * 2).toString('base64').replace(/[^0-9A-Za-z]/g, '').slice(0, n);

function tamper(value: string): string {
  if (!value) return 'x'.repeat(43);
  const first = value[0] === 'A' ? 'B' : 'A';
  return first + value.slice(1);
}

interface Shots {
  readonly list: RobotScreenshot[];
  readonly byItem: Partial<Record<QualificationItemId, string[]>>;
}

async function shoot(shots: Shots, target: Page | Locator, name: string, label: string, items: QualificationItemId[]): Promise<void> {
  const png = await target.screenshot({ type: 'png', animations: 'disabled', timeout: 5_000 }).catch(() => null);
  if (!png) return;
  shots.list.push({ name, label, png });
  for (const id of items) (shots.byItem[id] ??= []).push(name);
}

function sectionOf(page: Page, key: SectionKey): Locator {
  return page
    .locator('section, article, [role="region"], fieldset')
    .filter({ has: page.getByRole('heading', { name: HEADINGS[key], exact: true }) })
    .last();
}

function fcControl(scope: Locator | Page, name: RegExp = FC_CONTROL): Locator {
  return scope.getByRole('link', { name }).or(scope.getByRole('button', { name })).first();
}

async function waitRendered(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1 }).first().waitFor({ state: 'visible' });
}

/** Loads `url` unless the page already shows it (each load costs Chromium the portal's scripts again). */
async function openUnlessThere(page: Page, url: string): Promise<void> {
  if (!sameUrl(page.url(), url)) await page.goto(url);
  await waitRendered(page);
}

async function isLoggedIn(page: Page): Promise<boolean> {
  const control = page.getByRole('button', { name: LOGOUT }).or(page.getByRole('link', { name: LOGOUT })).first();
  return control.isVisible().catch(() => false);
}

// ---------------------------------------------------------------------------------------------
// Phase 1: the home page, 4 views.

async function measureView(page: Page, theme: Theme, rootFontPx: number): Promise<ViewFacts> {
  await page.emulateMedia({ colorScheme: theme });
  await page.evaluate((size) => {
    document.documentElement.style.fontSize = size === 16 ? '' : `${size}px`;
  }, rootFontPx);
  const sections = {} as Record<SectionKey, SectionFacts>;
  for (const key of ['connexion', 'inscription'] as const) {
    await page.mouse.move(0, 0);
    const measured = (await page.evaluate(measureSection, { key, heading: HEADINGS[key], coloursOnly: false, scroll: true })) as SectionMeasure;
    let hover: ColourPair | null = null;
    let active: ColourPair | null = null;
    if (measured.button) {
      const { x, y } = measured.button.centre;
      await page.mouse.move(x, y);
      hover = (await page.evaluate(measureSection, { key, heading: HEADINGS[key], coloursOnly: true, scroll: false })) as ColourPair | null;
      await page.mouse.down();
      active = (await page.evaluate(measureSection, { key, heading: HEADINGS[key], coloursOnly: true, scroll: false })) as ColourPair | null;
      // Release elsewhere: no navigation.
      await page.mouse.move(1, 1);
      await page.mouse.up();
    }
    const { centre: _centre, ...button } = measured.button ?? { centre: null };
    sections[key] = { ...measured, button: measured.button ? { ...(button as Omit<typeof measured.button, 'centre'>), hover, active } : null };
  }
  await page.mouse.move(0, 0);
  return { theme, rootFontPx, sections };
}

/**
 * A context and its page handed from one phase to the next, so the next one does not pay for a new
 * context and a first page load (each costs Chromium a renderer and the portal's scripts). The
 * phase that takes it owns it; the run closes whatever is left at its end.
 */
interface Handover {
  readonly context: BrowserContext;
  readonly page: Page;
}

async function observePages(browser: Browser, run: RunControl, target: RobotTarget, shots: Shots): Promise<{ views: ViewFacts[]; framing: FramingFacts; handover: Handover | null }> {
  const context = await run.context(browser);
  let handover: Handover | null = null;
  try {
    let popups = 0;
    const page = await context.newPage();
    page.on('popup', () => (popups += 1));
    const response = await page.goto(target.portalUrl);
    const headers = response?.headers() ?? {};
    await page.getByRole('heading', { name: HEADINGS.connexion, exact: true }).first().waitFor({ state: 'visible' }).catch(() => undefined);
    const views: ViewFacts[] = [];
    const sectionShot = async (key: SectionKey, items: QualificationItemId[]) => {
      const section = sectionOf(page, key);
      if ((await section.count()) > 0) await shoot(shots, section, `section-${key}`, `Section « ${HEADINGS[key]} » (thème clair)`, items);
    };
    for (const [theme, size] of [['light', 16], ['light', 20], ['dark', 20], ['dark', 16]] as const) {
      run.check();
      views.push(await measureView(page, theme, size));
      await page.evaluate(() => window.scrollTo(0, 0));
      if (theme === 'light' && size === 16) {
        await shoot(shots, page, 'home-light', 'Accueil du portail, thème clair', ['FC-01', 'FC-05', 'FC-06', 'FC-07', 'FC-13']);
        const button = fcControl(sectionOf(page, 'connexion'));
        if ((await button.count()) > 0) {
          await button.hover();
          await shoot(shots, page, 'button-hover', 'Bouton FranceConnect survolé (thème clair)', ['FC-01']);
          await page.mouse.move(0, 0);
        }
        await sectionShot('connexion', ['FC-01', 'FC-02', 'FC-05', 'FC-06', 'FC-07']);
        await sectionShot('inscription', ['FC-03', 'FC-04', 'FC-05', 'FC-06', 'FC-07']);
        await page.evaluate(() => window.scrollTo(0, 0));
      } else if (theme === 'light' && size === 20) {
        await shoot(shots, page, 'home-20px', 'Accueil du portail, texte agrandi (20 px)', ['FC-01', 'FC-02']);
      } else if (theme === 'dark' && size === 16) {
        await shoot(shots, page, 'home-dark', 'Accueil du portail, thème sombre', ['FC-01', 'FC-02']);
      }
    }
    const embeddedFrames = await page.evaluate(countEmbeddedFrames);
    const windowOpenCalls = await page.evaluate(windowOpenCount);

    // A real framing attempt from another origin (an about:blank page of the robot).
    const framer = await context.newPage();
    await framer.setContent(`<!doctype html><iframe src="${target.portalUrl.replace(/"/g, '%22')}" width="800" height="600"></iframe>`, { waitUntil: 'load' });
    const portalOrigin = new URL(target.portalUrl).origin;
    const child = framer.frames().find((f) => f !== framer.mainFrame());
    let framingAttempt: FramingFacts['framingAttempt'] = 'unknown';
    if (child) {
      const url = child.url();
      if (url.startsWith('chrome-error:')) framingAttempt = 'blocked';
      else if (url.startsWith(portalOrigin)) {
        // A refused frame shows Chromium's error page (above); here the portal's own document loaded in the frame.
        const shown = await child.evaluate(() => document.body !== null && document.body.children.length > 0).catch(() => false);
        framingAttempt = shown ? 'displayed' : 'blocked';
      }
    }
    await framer.close();
    // The live phase goes on from this home page, in the theme and size a citizen would have.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => (document.documentElement.style.fontSize = ''));
    handover = { context, page };
    return {
      views,
      framing: {
        embeddedFrames,
        windowOpenCalls,
        popups,
        contentSecurityPolicy: headers['content-security-policy'] ?? null,
        xFrameOptions: headers['x-frame-options'] ?? null,
        framingAttempt,
      },
      handover,
    };
  } finally {
    if (!handover) await run.release(context);
  }
}

// ---------------------------------------------------------------------------------------------
// Phase 2: the live portal's /authorize without logging in, and a tampered state.

function sameUrl(a: string, b: string): boolean {
  return new URL(a).href === new URL(b).href;
}

function paramsOf(url: URL): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) params[key] = value;
  return params;
}

function isAuthorizeUrl(url: URL): boolean {
  return url.searchParams.has('client_id') && url.searchParams.has('response_type') && url.searchParams.has('redirect_uri');
}

function isEndSession(url: URL, endSessionEndpoint: string | null): boolean {
  if (endSessionEndpoint) return url.href.startsWith(endSessionEndpoint);
  return url.searchParams.has('id_token_hint') || /\/session\/end|\/logout/.test(url.pathname);
}

async function observeLive(browser: Browser, run: RunControl, target: RobotTarget, authorizes: CapturedAuthorize[], handover: Handover | null): Promise<{ attempts: number; stateTamper: TamperFacts }> {
  const context = handover?.context ?? (await run.context(browser));
  const portal = new URL(target.portalUrl);
  try {
    // Playwright does not route the redirect to /authorize: it is recorded from the requests, and the
    // browser stops on FranceConnect's identity page (nobody logs in).
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin !== portal.origin && request.isNavigationRequest() && isAuthorizeUrl(url)) {
        authorizes.push({ origin: 'live', environment: target.liveEnvironment, endpoint: `${url.origin}${url.pathname}`, params: paramsOf(url) });
      }
    });
    const page = handover?.page ?? (await context.newPage());
    // Already on the portal's home page when handed over by the pages phase.
    let onHome = !!handover && sameUrl(page.url(), target.portalUrl);
    let attempts = 0;
    let last: CapturedAuthorize | null = null;
    // The first attempt as a citizen would (a click); the next ones follow the same link without
    // loading the page again (only the parameters of each /authorize matter for FC-20's uniqueness).
    let href: string | null = null;
    for (let i = 0; i < 3; i += 1) {
      run.check();
      const before = authorizes.length;
      if (i === 0 || href === null) {
        if (!onHome) await page.goto(target.portalUrl);
        onHome = false;
        const button = fcControl(sectionOf(page, 'connexion'));
        await button.waitFor({ state: 'visible' });
        const link = await button.getAttribute('href');
        href = link ? new URL(link, page.url()).href : null;
        await button.click();
        await page.waitForURL((url) => url.origin !== portal.origin || url.searchParams.has('erreur'), { waitUntil: 'commit' });
      } else {
        const response = await context.request.get(href, { maxRedirects: 0 });
        const location = response.headers()['location'];
        const url = location ? new URL(location, href) : null;
        if (url && url.origin !== portal.origin && isAuthorizeUrl(url)) {
          authorizes.push({ origin: 'live', environment: target.liveEnvironment, endpoint: `${url.origin}${url.pathname}`, params: paramsOf(url) });
        }
      }
      if (authorizes.length > before) {
        attempts += 1;
        last = authorizes[authorizes.length - 1] ?? null;
      }
    }
    // Tampered state: back to the portal's redirect_uri with a modified state (and a code of our own).
    let stateTamper: TamperFacts = { environment: target.liveEnvironment, attempted: false, backOnHome: false, errorCode: null, loggedIn: false, endSessionReached: false, failure: 'aucun appel à /authorize observé' };
    const redirectUri = last?.params['redirect_uri'];
    if (last && redirectUri && new URL(redirectUri).origin === portal.origin) {
      // A page of its own (same context, same cookies): the first page may still be following the
      // redirects of its last attempt (a portal whose /authorize FranceConnect refuses comes back
      // through the callback and FranceConnect's logout), which would interrupt this navigation.
      const tamperPage = await context.newPage();
      let endSession = false;
      tamperPage.on('request', (request) => {
        if (isEndSession(new URL(request.url()), null)) endSession = true;
      });
      const callback = new URL(redirectUri);
      callback.searchParams.set('code', randomAlphanumeric(43));
      callback.searchParams.set('state', tamper(last.params['state'] ?? ''));
      await tamperPage.goto(callback.href);
      await tamperPage.waitForURL((url) => url.origin === portal.origin && url.pathname === portal.pathname);
      await waitRendered(tamperPage);
      const landed = new URL(tamperPage.url());
      stateTamper = { environment: target.liveEnvironment, attempted: true, backOnHome: true, errorCode: landed.searchParams.get('erreur'), loggedIn: await isLoggedIn(tamperPage), endSessionReached: endSession, failure: null };
    } else if (last) {
      stateTamper = { ...stateTamper, failure: 'redirect_uri hors du portail' };
    }
    return { attempts, stateTamper };
  } finally {
    await run.release(context);
  }
}

// ---------------------------------------------------------------------------------------------
// Phases 4 and 5: with the test identity.

interface Provider {
  readonly issuer: string;
  readonly origin: string;
  readonly authorizationEndpoint: string;
  readonly endSessionEndpoint: string | null;
}

async function discover(context: BrowserContext, issuer: string): Promise<Provider> {
  const response = await context.request.get(`${issuer}/.well-known/openid-configuration`, { timeout: STEP_TIMEOUT_MS });
  if (!response.ok()) throw new Error(`découverte OpenID Connect de ${issuer} : HTTP ${response.status()}`);
  const doc = (await response.json()) as Record<string, unknown>;
  const authorizationEndpoint = typeof doc['authorization_endpoint'] === 'string' ? doc['authorization_endpoint'] : `${issuer}/authorize`;
  return {
    issuer,
    origin: new URL(authorizationEndpoint).origin,
    authorizationEndpoint,
    endSessionEndpoint: typeof doc['end_session_endpoint'] === 'string' ? doc['end_session_endpoint'] : null,
  };
}

interface LoginSession {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly provider: Provider;
  readonly portal: URL;
  /** The origin of the next /authorize seen. */
  origin: AuthorizeOrigin;
  /** Where the /authorize requests seen are recorded (the tampered nonce's go to a scratch list). */
  sink: CapturedAuthorize[];
  endSessions: EndSessionFacts['hint'][];
  endSessionCount: number;
}

/** Appends `loginQuery` to the portal's FranceConnect login links and records /authorize and end_session traffic. */
async function loginContext(browser: Browser, run: RunControl, target: RobotTarget, provider: Provider | null, authorizes: CapturedAuthorize[]): Promise<LoginSession> {
  const login = target.login;
  if (!login) throw new Error('no login');
  const context = await run.context(browser, login.cookies);
  const p = provider ?? (await discover(context, login.issuer));
  const portal = new URL(target.portalUrl);
  const loginPath = /\/auth\/franceconnect\/login$/;
  const session: LoginSession = { page: await context.newPage(), context, provider: p, portal, origin: 'login', sink: authorizes, endSessions: [], endSessionCount: 0 };
  if (Object.keys(login.loginQuery).length > 0) {
    await context.route(
      (url) => url.origin === portal.origin && url.pathname.startsWith(portal.pathname) && loginPath.test(url.pathname),
      async (route) => {
        const url = new URL(route.request().url());
        for (const [key, value] of Object.entries(login.loginQuery)) url.searchParams.set(key, value);
        await route.continue({ url: url.href });
      },
    );
  }
  context.on('request', (request: PwRequest) => {
    const url = new URL(request.url());
    if (url.href.startsWith(p.authorizationEndpoint) && isAuthorizeUrl(url)) {
      session.sink.push({ origin: session.origin, environment: login.environment, endpoint: p.authorizationEndpoint, params: paramsOf(url) });
    } else if (isEndSession(url, p.endSessionEndpoint)) {
      session.endSessionCount += 1;
      const hint = url.searchParams.get('id_token_hint');
      const claims = hint ? unverifiedClaims(hint) : null;
      session.endSessions.push(hint ? { ...digest(hint), aud: claims?.aud ?? [], iss: claims?.iss ?? null } : null);
    }
  });
  return session;
}

/** Answers FranceConnect's identity step with the test identity: the sandbox's picker, or a login form. */
async function answerIdentity(page: Page, target: RobotTarget): Promise<void> {
  const identity = target.login?.identity;
  if (!identity) throw new Error('no identity');
  const picker = page.getByTestId(`identity-${identity.login}`);
  if ((await picker.count()) > 0) {
    await picker.click();
    return;
  }
  const loginField = page.getByLabel(/identifiant|login|utilisateur/i).first();
  if ((await loginField.count()) > 0) {
    await loginField.fill(identity.login);
    if (identity.password !== undefined) await page.getByLabel(/mot de passe|password/i).first().fill(identity.password);
    await page.getByRole('button', { name: /valider|connexion|se connecter|continuer/i }).first().click();
    return;
  }
  // FranceConnect's logout confirmation (a logout sent with the client_id instead of an ID token,
  // e.g. after a tampered state or nonce): the citizen confirms.
  const logout = page.getByRole('button', { name: /se déconnecter|déconnexion/i }).first();
  if ((await logout.count()) > 0) {
    await logout.click();
    return;
  }
  const proceed = page.getByRole('button', { name: /continuer|accepter|autoriser|valider/i }).first();
  if ((await proceed.count()) > 0) {
    await proceed.click();
    return;
  }
  throw new Error('étape d’identification de FranceConnect non reconnue');
}

/** From a click on a FranceConnect control to the return on the portal (through the identity step when asked). */
async function throughFranceConnect(s: LoginSession, target: RobotTarget, origin: AuthorizeOrigin, authorizes: CapturedAuthorize[], click: () => Promise<void>): Promise<FlowOutcome> {
  s.origin = origin;
  const before = authorizes.length;
  let identityAsked = false;
  const onPortal = (url: URL): boolean => url.origin === s.portal.origin && url.pathname.startsWith(s.portal.pathname) && !url.pathname.includes('/auth/');
  try {
    const start = s.page.url();
    await click();
    // The click may first ask the API (a data retrieval does), then navigate: wait until the page
    // has left where it was (or /authorize was requested) before reading where it is.
    for (const deadline = Date.now() + 15_000; s.page.url() === start && authorizes.length === before; ) {
      if (Date.now() > deadline) throw new Error('le bouton n’a mené nulle part');
      await s.page.waitForTimeout(50);
    }
    for (let step = 0; step < 5; step += 1) {
      await s.page.waitForURL((url) => onPortal(url) || url.origin === s.provider.origin);
      const current = s.page.url();
      if (onPortal(new URL(current))) break;
      identityAsked = true;
      await answerIdentity(s.page, target);
      await s.page.waitForURL((url) => url.href !== current);
    }
    await waitRendered(s.page);
    const landed = new URL(s.page.url());
    const loggedIn = await isLoggedIn(s.page);
    return { authorizeReached: authorizes.length > before, identityAsked, backOnPortal: true, landedPath: landed.pathname, errorCode: landed.searchParams.get('erreur'), loggedIn, failure: null };
  } catch (error) {
    if (s.page.isClosed()) throw error;
    let landed: URL | null;
    try {
      landed = new URL(s.page.url());
    } catch {
      landed = null;
    }
    return { authorizeReached: authorizes.length > before, identityAsked, backOnPortal: !!landed && onPortal(landed), landedPath: landed?.pathname ?? null, errorCode: landed?.searchParams.get('erreur') ?? null, loggedIn: false, failure: reasonOf(error) };
  }
}

const PIVOT_LABELS = [/nom de naissance/i, /pr[ée]noms?/i, /date de naissance/i, /lieu de naissance|commune de naissance|ville de naissance/i, /pays de naissance/i, /\bsexe\b|\bgenre\b/i];

async function observeProfile(s: LoginSession, target: RobotTarget, landing: string | null, shots: Shots): Promise<ProfileFacts> {
  const page = s.page;
  const connectedIndicator = (await page.getByText(/connecté/i).first().isVisible().catch(() => false)) || (await isLoggedIn(page));
  // The profile, reached as a person would: a visible link from the home page.
  await openUnlessThere(page, target.portalUrl);
  const profileLinks = page.getByRole('link', { name: /profil|mon compte/i });
  let profileLink = false;
  for (const link of await profileLinks.all()) {
    if (await link.isVisible()) {
      profileLink = true;
      await link.click();
      break;
    }
  }
  let profileReached = false;
  if (profileLink) {
    profileReached = await page.getByRole('heading', { level: 1, name: /profil|mon compte/i }).first().waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
  }
  let profileShown = profileReached;
  if (!profileReached && landing) {
    await page.goto(new URL(landing, target.portalUrl).href);
    await waitRendered(page);
    profileShown = await page.getByRole('heading', { level: 1, name: /profil|mon compte/i }).first().waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
  }
  await shoot(shots, page, 'profile', 'Profil après la connexion avec FranceConnect', ['FC-08', 'FC-10', 'FC-14', 'FC-15', 'FC-16']);
  const identity = await page.evaluate((labels) => {
    const res = labels.map((l) => new RegExp(l, 'i'));
    const norm = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const st = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none';
    };
    const heading = [...document.querySelectorAll('h1,h2,h3,[role="heading"]')].find((h) => /identit[ée]/i.test(norm(h.textContent)) && !/franceconnect/i.test(norm(h.textContent)) && visible(h));
    const section = heading ? (heading.closest('section,article,[role="region"]') ?? heading.parentElement) : null;
    const editable: string[] = [];
    let shown = 0;
    if (section) {
      const text = norm((section as HTMLElement).innerText);
      shown = res.filter((re) => re.test(text)).length;
      for (const el of section.querySelectorAll('input:not([type="hidden"]),select,textarea,[contenteditable="true"]')) {
        if (visible(el) && !(el as HTMLInputElement).readOnly && !(el as HTMLInputElement).disabled) editable.push(norm((el as HTMLInputElement).labels?.[0]?.textContent) || el.getAttribute('name') || el.tagName.toLowerCase());
      }
      for (const el of section.querySelectorAll('button,a[href],[role="button"]')) {
        if (visible(el) && /modifier|compl[ée]ter|[ée]diter|corriger/i.test(norm(el.textContent))) editable.push(`bouton « ${norm(el.textContent)} »`);
      }
    }
    // Anywhere on the page: a field labelled with a pivot identity attribute.
    for (const el of document.querySelectorAll('input:not([type="hidden"]),select,textarea')) {
      const label = norm((el as HTMLInputElement).labels?.[0]?.textContent);
      if (label && visible(el) && !(el as HTMLInputElement).readOnly && !(el as HTMLInputElement).disabled && res.some((re) => re.test(label)) && !/usage/i.test(label)) editable.push(`champ « ${label} »`);
    }
    return { identitySection: !!section, shown, editable: [...new Set(editable)] };
  }, PIVOT_LABELS.map((re) => re.source));
  const editableField = async (label: RegExp): Promise<boolean | null> => {
    const field = page.getByRole('textbox', { name: label }).first();
    if ((await field.count()) === 0) return null;
    return (await field.isVisible()) && (await field.isEditable());
  };
  return {
    connectedIndicator,
    profileLink,
    profileReached,
    profileShown,
    identitySection: identity.identitySection,
    pivotEditable: identity.editable,
    pivotFieldsShown: identity.shown,
    usageNameEditable: await editableField(/nom d['’]usage/i),
    emailEditable: await editableField(/adresse (e-mail|électronique|de courriel)|^courriel|^e-mail/i),
  };
}

async function endSessionStep(s: LoginSession, activate: () => Promise<boolean>): Promise<EndSessionFacts> {
  const count = s.endSessionCount;
  const hints = s.endSessions.length;
  const activated = await activate();
  if (!activated) return { activated: false, endSessionReached: false, endpoint: s.provider.endSessionEndpoint, hint: null, backOnPortal: false, landedPath: null };
  let backOnPortal = true;
  await s.page
    .waitForURL((url) => url.origin === s.portal.origin && url.pathname === s.portal.pathname && s.endSessionCount >= count)
    .catch(() => (backOnPortal = false));
  // The portal may also go home by itself (no end_session): wait for the page to settle.
  await waitRendered(s.page).catch(() => (backOnPortal = false));
  const landed = new URL(s.page.url());
  return {
    activated: true,
    endSessionReached: s.endSessionCount > count,
    endpoint: s.provider.endSessionEndpoint,
    hint: s.endSessions.slice(hints).find((h) => h) ?? null,
    backOnPortal: backOnPortal && landed.origin === s.portal.origin,
    landedPath: landed.pathname,
  };
}

async function clickVisible(locator: Locator): Promise<boolean> {
  for (const candidate of await locator.all()) {
    if (await candidate.isVisible()) {
      await candidate.click();
      return true;
    }
  }
  return false;
}

/**
 * The journey with the test identity. Hands its session over to the tampered nonce when it ends
 * cleanly (account deleted, back on the portal, logged out): that attempt then needs no new context.
 */
async function observeLogin(
  browser: Browser,
  run: RunControl,
  target: RobotTarget,
  authorizes: CapturedAuthorize[],
  shots: Shots,
  onStep: (label: string) => void,
): Promise<{ facts: LoginFacts; handover: LoginSession | null }> {
  const login = target.login;
  if (!login) throw new Error('no login');
  const s = await loginContext(browser, run, target, null, authorizes);
  const page = s.page;
  const facts: { -readonly [K in keyof LoginFacts]: LoginFacts[K] } = { environment: login.environment, issuer: s.provider.issuer, signup: null, login: null, profile: null, logout: null, deletion: null, dataRetrieval: null };
  let handover: LoginSession | null = null;
  try {
    await journey();
    if (facts.deletion?.activated && facts.deletion.backOnPortal && !(await isLoggedIn(page))) handover = s;
    return { facts, handover };
  } finally {
    if (!handover) await run.release(s.context);
  }

  async function journey(): Promise<void> {
    // Sign-up from the « Inscription » section (FC-10).
    await page.goto(target.portalUrl);
    const signupButton = fcControl(sectionOf(page, 'inscription'));
    await signupButton.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
    if ((await signupButton.count()) > 0) facts.signup = await throughFranceConnect(s, target, 'signup', authorizes, () => signupButton.click());
    run.check();
    // Not logged in after the sign-up: log in from « Connexion » to check the rest.
    let landing = facts.signup?.loggedIn ? page.url() : null;
    if (!facts.signup?.loggedIn) {
      await page.goto(target.portalUrl);
      const button = fcControl(sectionOf(page, 'connexion'));
      const outcome = await throughFranceConnect(s, target, 'login', authorizes, () => button.click());
      if (outcome.loggedIn) landing = page.url();
      facts.login = outcome;
    }
    if (!landing) return;
    onStep('Profil');
    facts.profile = await observeProfile(s, target, landing, shots);
    run.check();
    onStep('Déconnexion');
    facts.logout = await endSessionStep(s, () => clickVisible(page.getByRole('button', { name: LOGOUT }).or(page.getByRole('link', { name: LOGOUT }))));
    run.check();
    // Log in again from « Connexion » (FC-08 C): from the home page the logout brought us back to.
    await openUnlessThere(page, target.portalUrl);
    const button = fcControl(sectionOf(page, 'connexion'));
    facts.login = await throughFranceConnect(s, target, 'login', authorizes, () => button.click());
    if (!facts.login.loggedIn) return;
    landing = page.url();
    run.check();
    if (target.modes.dataRetrieval) {
      onStep('Récupération des données');
      await openUnlessThere(page, landing);
      const dataButton = fcControl(page, /r[ée]cup[ée]rer ses donn[ée]es avec\s*franceconnect/i);
      const buttonFound = await dataButton.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
      if (buttonFound) {
        const before = authorizes.length;
        const outcome = await throughFranceConnect(s, target, 'data_retrieval', authorizes, () => dataButton.click());
        const captured = authorizes.slice(before).find((a) => a.origin === 'data_retrieval');
        facts.dataRetrieval = { ...outcome, buttonFound, scopes: (captured?.params['scope'] ?? '').split(/\s+/).filter(Boolean) };
      } else {
        facts.dataRetrieval = { authorizeReached: false, identityAsked: false, backOnPortal: true, landedPath: null, errorCode: null, loggedIn: true, failure: null, buttonFound, scopes: [] };
      }
    }
    run.check();
    onStep('Suppression du compte');
    await openUnlessThere(page, landing);
    facts.deletion = await endSessionStep(s, async () => {
      if (!(await clickVisible(page.getByRole('button', { name: /supprimer (mon|le) compte/i })))) return false;
      const confirm = page.getByRole('button', { name: /confirmer|supprimer d[ée]finitivement|oui/i });
      await confirm.first().waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
      return clickVisible(confirm);
    });
  }
}

/**
 * A login whose /authorize carries a modified nonce: the portal must refuse the ID token, stop, and
 * bring the citizen home through FranceConnect's logout. The portal's login link is fetched (as the
 * button would follow it) to read the /authorize it redirects to; the browser then goes to that
 * /authorize with the nonce changed. Runs in the journey's session when it was handed over (logged
 * out, back home), else in a new context.
 */
async function observeNonceTamper(browser: Browser, run: RunControl, target: RobotTarget, authorizes: CapturedAuthorize[], handover: LoginSession | null): Promise<TamperFacts> {
  const login = target.login;
  if (!login) throw new Error('no login');
  const scratch: CapturedAuthorize[] = [];
  const s = handover ?? (await loginContext(browser, run, target, null, scratch));
  s.sink = scratch;
  try {
    const endSessionsBefore = s.endSessionCount;
    if (!sameUrl(s.page.url(), target.portalUrl)) await s.page.goto(target.portalUrl);
    const button = fcControl(sectionOf(s.page, 'connexion'));
    await button.waitFor({ state: 'visible' });
    const link = await button.getAttribute('href');
    if (!link) throw new Error('le bouton FranceConnect de la section « Connexion » n’est pas un lien');
    const loginUrl = new URL(link, s.page.url());
    for (const [key, value] of Object.entries(login.loginQuery)) loginUrl.searchParams.set(key, value);
    // Same cookie jar as the page: the portal's state cookie set here goes with the browser.
    const response = await s.context.request.get(loginUrl.href, { maxRedirects: 0 });
    const location = response.headers()['location'];
    const authorize = location ? new URL(location, loginUrl) : null;
    if (!authorize || !isAuthorizeUrl(authorize)) {
      return { environment: login.environment, attempted: false, backOnHome: false, errorCode: null, loggedIn: false, endSessionReached: false, failure: 'le lien de connexion ne mène pas à /authorize' };
    }
    authorizes.push({ origin: 'nonce_tamper', environment: login.environment, endpoint: `${authorize.origin}${authorize.pathname}`, params: paramsOf(authorize) });
    authorize.searchParams.set('nonce', tamper(authorize.searchParams.get('nonce') ?? ''));
    const outcome = await throughFranceConnect(s, target, 'nonce_tamper', scratch, async () => {
      await s.page.goto(authorize.href, { waitUntil: 'commit' });
    });
    const home = outcome.landedPath === s.portal.pathname;
    return { environment: login.environment, attempted: true, backOnHome: outcome.backOnPortal && home, errorCode: outcome.errorCode, loggedIn: outcome.loggedIn, endSessionReached: s.endSessionCount > endSessionsBefore, failure: outcome.failure };
  } finally {
    await run.release(s.context);
  }
}

// ---------------------------------------------------------------------------------------------

/** Runs the robot against one tenant's portal. Rejects only when `signal` aborts; any other trouble becomes `not_verifiable`. */
export async function runQualificationRobot(target: RobotTarget, options: RobotOptions): Promise<RobotReport> {
  const signal = options.signal;
  if (!signal) return robotRun(target, options);
  signal.throwIfAborted();
  // Rejects as soon as the caller aborts, whatever Playwright call is pending: the run's contexts
  // are closed by then, so the work left behind ends by itself (its outcome is ignored).
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const work = robotRun(target, options);
  work.catch(() => undefined);
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

async function robotRun(target: RobotTarget, options: RobotOptions): Promise<RobotReport> {
  const startedAt = new Date();
  const run = new RunControl(options.signal, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, { origin: new URL(target.portalUrl).origin, cookies: target.portalCookies ?? {} });
  const shots: Shots = { list: [], byItem: {} };
  const authorizes: CapturedAuthorize[] = [];
  const missing: Record<string, string> = {};
  let views: ViewFacts[] | null = null;
  let framing: FramingFacts | null = null;
  let tls: TlsFacts | null = null;
  let liveAttempts = 0;
  let stateTamper: TamperFacts | null = null;
  let nonceTamper: TamperFacts | null = null;
  let login: LoginFacts | null = null;
  // Contexts lent from a phase to the next (closed by run.finish() if the next one does not run).
  let pagesHandover: Handover | null = null;
  let loginHandover: LoginSession | null = null;
  const noLogin = 'Pas de client FranceConnect hors production ni d’identité de test pour ce portail : la vérification demande une connexion et n’a pas été faite.';
  if (!target.login) missing['login'] = noLogin;

  const phases: [string, string, () => Promise<void>][] = [
    ['page', 'Pages du portail (thèmes clair et sombre, texte agrandi)', async () => {
      ({ views, framing, handover: pagesHandover } = await observePages(options.browser, run, target, shots));
    }],
    ['live', 'Appels à /authorize du portail en service', async () => {
      const handover = pagesHandover;
      pagesHandover = null;
      ({ attempts: liveAttempts, stateTamper } = await observeLive(options.browser, run, target, authorizes, handover));
    }],
    ['tls', 'Versions de TLS', async () => void (tls = await observeTls(target.portalUrl))],
  ];
  if (target.login) {
    phases.push(['login', 'Parcours avec l’identité de test', async () => {
      ({ facts: login, handover: loginHandover } = await observeLogin(options.browser, run, target, authorizes, shots, (label) => options.onProgress?.(done, phases.length, label)));
    }]);
    phases.push(['nonce', 'Nonce modifié', async () => {
      const session = loginHandover;
      loginHandover = null;
      nonceTamper = await observeNonceTamper(options.browser, run, target, authorizes, session);
    }]);
  }
  let done = 0;
  try {
    for (const [key, label, phase] of phases) {
      options.onProgress?.(done, phases.length, label);
      if (run.signal.aborted) {
        if (run.externallyAborted()) throw run.signal.reason;
        missing[key] ??= `Non vérifié : ${reasonOf(run.signal.reason)}.`;
        done += 1;
        continue;
      }
      try {
        await phase();
      } catch (error) {
        if (run.externallyAborted()) throw options.signal?.reason ?? error;
        const reason = run.signal.aborted ? reasonOf(run.signal.reason) : reasonOf(error);
        missing[key] = `Vérification interrompue (« ${label} ») : ${reason}.`;
        if (key === 'nonce') nonceTamper = { environment: target.login?.environment ?? null, attempted: false, backOnHome: false, errorCode: null, loggedIn: false, endSessionReached: false, failure: reason };
      }
      done += 1;
    }
    options.onProgress?.(done, phases.length, 'Terminé');
  } finally {
    await run.finish();
  }
  const facts: RobotFacts = { views, framing, tls, authorizes, liveAttempts, stateTamper, nonceTamper, login, missing };
  const items = evaluate(facts, {
    modes: target.modes,
    liveEnvironment: target.liveEnvironment,
    clientIds: target.clientIds,
    loginIssuer: target.login?.issuer ?? null,
    screenshots: shots.byItem,
  });
  return { portalUrl: target.portalUrl, startedAt, finishedAt: new Date(), items, screenshots: shots.list };
}

export type { FranceConnectEnvironment };
