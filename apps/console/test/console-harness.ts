/// <reference lib="dom" />
/**
 * End-to-end harness of the console: the real API in-process on a database of its own
 * (PostgreSQL, migrated) and this run's Redis, serving fresh builds of the console (`/console/`)
 * and of the citizen portal (`/t/{slug}/`); the sandbox stand-ins over real HTTP (company
 * directory for SIRET pre-fill, FranceConnect for sandbox clients, mail sink for invitations and
 * password resets); headless Chromium (playwright-core) with console and page errors collected.
 *
 * The database is a scratch one (created here, dropped at the end) so that the 10,000 tenants of
 * the scale test and the real SIRETs of the sandbox directory never meet other suites' data.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'otplib';
import { type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { parseKeyring, SecretBox } from '@fcplat/crypto';
import { UserEntity, type StaffRole } from '@fcplat/db';
import { openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import { startApiParticulierWorker } from '@fcplat/api-particulier-calls';
import { collectPageErrors, freePort, launchChromium, LogCapture, MailInbox, makeStaff, scratchMigratedDatabase, TEST_SECRETS_KEYS, testPlatformConfig, viteBuild } from '@fcplat/testing';
import { hashPassword } from '../../api/src/accounts/passwords.js';
import { newTotpSecret } from '../../api/src/accounts/totp.js';
import { startApi, type ApiApp } from '../../api/src/app.js';
import { builtFrontends } from '../../api/src/http/frontends.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/sandbox.js';

export const CONSOLE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_ROOT = resolve(CONSOLE_DIR, '..', '..');
const PORTAL_DIR = join(REPO_ROOT, 'apps', 'portal');
export const SCREENSHOTS_DIR = join(REPO_ROOT, 'docs', 'screenshots');
export const MEASUREMENTS_FILE = join(REPO_ROOT, 'artifacts', 'console-measurements.txt');

/** Keeps a measurement (timings, sizes, axe summaries) in artifacts/console-measurements.txt. */
export function recordMeasurement(text: string): void {
  mkdirSync(join(REPO_ROOT, 'artifacts'), { recursive: true });
  appendFileSync(MEASUREMENTS_FILE, `${new Date().toISOString()} ${text}\n`);
}

export function screenshotPath(page: string): string {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  return join(SCREENSHOTS_DIR, `console-${page}.png`);
}

// --- accounts with a password and an authenticator ------------------------------------------------

export interface TestAccount {
  readonly user: UserEntity;
  readonly email: string;
  readonly password: string;
  /** Base32 TOTP secret (null: the first login sets one up). */
  secret: string | null;
}

const TOTP_PERIOD = 30;
/** The last TOTP step used per account: the API never accepts a step twice. */
const lastSteps = new Map<string, number>();

const nowStep = (): number => Math.floor(Date.now() / 1000 / TOTP_PERIOD);

/** A TOTP code the API will accept for `account` now (a step after the last one used). */
export async function nextTotpCode(account: { user: { id: string }; secret: string | null }): Promise<string> {
  if (!account.secret) throw new Error('this account has no authenticator yet');
  const step = Math.max(nowStep(), (lastSteps.get(account.user.id) ?? -1) + 1);
  // The API accepts one step of drift each way: wait when the next free step is further ahead.
  while (step > nowStep() + 1) await new Promise((done) => setTimeout(done, 1000));
  lastSteps.set(account.user.id, step);
  return generate({ secret: account.secret, epoch: step * TOTP_PERIOD });
}

// --- the world ----------------------------------------------------------------------------------

export interface ConsoleWorld {
  readonly dataSource: DataSource;
  readonly api: ApiApp;
  readonly browser: Browser;
  readonly sandbox: RunningSandbox;
  readonly inbox: MailInbox;
  /** A staff administrator's API token (`Authorization` value) for set-up calls. */
  readonly adminAuthorization: string;
  /** The console build the API serves (its `index.html` and `assets/`). */
  readonly consoleDist: string;
  /** `${api}/console/${path}` */
  consoleUrl(path?: string): string;
  /** An active account with a password and (unless `totp: false`) an authenticator. */
  makeAccount(options: { role?: StaffRole; tenantId?: string; displayName?: string; totp?: boolean }): Promise<TestAccount>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Build and serve the citizen portal too (for journeys that open `/t/{slug}/`). */
  readonly portal?: boolean;
}

export async function startConsoleWorld(options: WorldOptions = {}): Promise<ConsoleWorld> {
  const appsDir = mkdtempSync(join(tmpdir(), 'fcplat-console-'));
  const scratch = await scratchMigratedDatabase('fcplat-console-test');
  const cleanups: (() => Promise<void>)[] = [async () => rmSync(appsDir, { recursive: true, force: true }), scratch.drop];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
  };
  try {
    const builds = [viteBuild(CONSOLE_DIR, join(appsDir, 'console', 'dist'))];
    if (options.portal) builds.push(viteBuild(PORTAL_DIR, join(appsDir, 'portal', 'dist')));
    const dataSource = scratch.dataSource;
    const sandbox = await startSandbox();
    cleanups.push(() => sandbox.stop());
    await Promise.all(builds);

    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const config = await testPlatformConfig({
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      DATABASE_URL: scratch.url,
      COMPANY_DIRECTORY_URL: sandbox.url('recherche-entreprises'),
      SANDBOX_FRANCECONNECT_URL: sandbox.url('franceconnect'),
      SMTP_URL: sandbox.smtpUrl,
      SANDBOX_API_PARTICULIER_URL: sandbox.url('api-particulier'),
    });
    const infrastructure: PlatformInfrastructure = await openPlatformInfrastructure(config, 'api');
    cleanups.push(() => infrastructure.close());
    // A worker for API Particulier calls (batches), on this world's own database and queue prefix.
    const workerInfrastructure = await openPlatformInfrastructure(config, 'worker');
    cleanups.push(() => workerInfrastructure.close());
    const worker = await startApiParticulierWorker(config, workerInfrastructure);
    cleanups.push(() => worker.stop());
    const api = await startApi(config, infrastructure, { heartbeat: false, logDestination: new LogCapture(), frontends: builtFrontends(appsDir) });
    cleanups.push(() => api.close());
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const admin = await makeStaff(dataSource, 'admin', { displayName: 'Équipe administrateur' });
    const box = new SecretBox(parseKeyring(TEST_SECRETS_KEYS, 'test1'));
    let accountCounter = 0;

    return {
      dataSource,
      api,
      browser,
      sandbox,
      inbox: new MailInbox(sandbox.url('mail')),
      adminAuthorization: admin.authorization,
      consoleDist: join(appsDir, 'console', 'dist'),
      consoleUrl: (path = '') => `${api.url}/console/${path}`,
      async makeAccount(account) {
        accountCounter += 1;
        const email = `${account.tenantId ? 'admin' : 'agent'}-${process.pid}-${accountCounter}@${account.tenantId ? 'mairie' : 'editeur'}.test`;
        const password = `Une phrase de passe assez longue ${accountCounter}`;
        const user = await dataSource.getRepository(UserEntity).save({
          email,
          displayName: account.displayName ?? (account.tenantId ? 'Camille Martin' : 'Dominique Agent'),
          kind: account.tenantId ? 'client_admin' : 'staff',
          staffRole: account.tenantId ? null : (account.role ?? 'onboarding_agent'),
          tenantId: account.tenantId ?? null,
          status: 'active',
          passwordHash: await hashPassword(password),
        });
        let secret: string | null = null;
        if (account.totp !== false) {
          secret = newTotpSecret();
          await dataSource
            .getRepository(UserEntity)
            .update({ id: user.id }, { totpSecretCiphertext: box.encrypt(secret, { tenantId: user.id, field: 'totp_secret' }), totpEnabledAt: new Date() });
        }
        return { user, email, password, secret };
      },
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** A page whose console and page errors a journey file checks after each test (a SharedTab, a ConsolePage). */
export interface CheckedTab {
  readonly errors: string[];
  close(): Promise<void>;
}

export interface ConsoleSuiteOptions extends WorldOptions {
  /** The file's label in the axe summaries written after all (see {@link flushAxeLog}). */
  readonly axe: string;
  /** The file's tabs (those opened so far; `undefined` for one not opened): checked after each test, closed after all. */
  readonly tabs?: () => readonly (CheckedTab | undefined)[];
  /** Stops what the file started besides the world (a worker...), before the world closes. */
  readonly tearDown?: () => Promise<void>;
  /** Jest's limit for the world's start and `setUp` together (ms). */
  readonly timeout?: number;
}

/**
 * Registers the hooks every console journey file shares: before all, a world started and the
 * file's `setUp` run on it (accounts, tenants, rows); after each test, no console or page error in
 * any of the file's tabs; after all, the axe summaries written, the tabs closed, the file's own
 * `tearDown` run, then the world closed.
 */
export function consoleSuite(options: ConsoleSuiteOptions, setUp: (world: ConsoleWorld) => Promise<void>): void {
  let world: ConsoleWorld | undefined;
  const tabs = (): CheckedTab[] => (options.tabs?.() ?? []).filter((tab): tab is CheckedTab => tab !== undefined);
  beforeAll(async () => {
    world = await startConsoleWorld(options);
    await setUp(world);
  }, options.timeout ?? 120_000);
  afterAll(async () => {
    flushAxeLog(options.axe);
    for (const tab of tabs()) await tab.close();
    await options.tearDown?.();
    await world?.close();
  });
  afterEach(() => {
    for (const tab of tabs()) expect(tab.errors).toEqual([]);
  });
}

// --- the browser --------------------------------------------------------------------------------

export interface ConsolePage {
  readonly page: Page;
  /** Console errors and uncaught page errors (CSP violations show up here). */
  readonly errors: string[];
  close(): Promise<void>;
}

/** A fresh browser context (its own cookies, clipboard allowed) with errors collected. */
export async function openConsolePage(browser: Browser, options: BrowserContextOptions = {}): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', colorScheme: 'light', ...options });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  return { page, errors: collectPageErrors(page), close: () => context.close() };
}

/** Waits until the page has its heading and fonts (before measuring or taking a screenshot). */
export async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  await page.evaluate(async () => {
    await document.fonts.ready;
  });
}

/**
 * One console page for a whole test file, like a working day: opened on first use (and logged in
 * as `account`'s user when one is given), its errors checked after each test, closed after all.
 */
export class SharedTab {
  private tab: ConsolePage | undefined;

  constructor(
    private readonly world: () => ConsoleWorld,
    private readonly account?: () => TestAccount,
  ) {}

  async page(): Promise<Page> {
    if (!this.tab) {
      this.tab = await openConsolePage(this.world().browser);
      if (this.account) await logIn(this.tab.page, this.world(), this.account());
    }
    return this.tab.page;
  }

  /** Console errors and uncaught page errors so far (none before the page is opened). */
  get errors(): string[] {
    return this.tab?.errors ?? [];
  }

  async close(): Promise<void> {
    await this.tab?.close();
  }
}

/** Opens a section of a client's page (`clients/{tenantId}/{section}`) and waits until it is settled. */
export async function openClientSection(page: Page, world: ConsoleWorld, tenantId: string, section: string): Promise<void> {
  await page.goto(world.consoleUrl(`clients/${tenantId}/${section}`));
  await page.locator('#section-titre').waitFor();
  await settled(page);
}

/** Logs in through the login page: e-mail and password, then the authenticator's code. */
export async function logIn(page: Page, world: ConsoleWorld, account: TestAccount, path = ''): Promise<void> {
  await page.goto(world.consoleUrl(path));
  await page.locator('#email').waitFor();
  await page.locator('#email').fill(account.email);
  await page.locator('#password').fill(account.password);
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.locator('#code').waitFor();
  await page.locator('#code').fill(await nextTotpCode(account));
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/console/connexion'));
  await settled(page);
}

const axeLog: string[] = [];

/** Runs axe (WCAG 2.0/2.1 A and AA, best practices) and returns the serious and critical violations. */
export async function seriousViolations(page: Page, label: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  axeLog.push(`${label} — ${results.passes.length} rules passed, ${results.violations.length} violations (${results.violations.map((v) => `${v.id}:${v.impact}`).join(', ') || 'none'})`);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Writes the axe summaries of this file to the measurements (call in afterAll). */
export function flushAxeLog(suite: string): void {
  if (axeLog.length > 0) recordMeasurement(`axe (${suite}):\n${axeLog.splice(0).join('\n')}`);
}

/** The element that has the focus, described for assertions: `button "Continuer"`, `a "Nouveau client"`. */
export async function focused(page: Page): Promise<{ tag: string; name: string; id: string; outline: string; boxShadow: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return { tag: '', name: '', id: '', outline: '', boxShadow: '' };
    const style = getComputedStyle(el);
    const label = el.getAttribute('aria-label') ?? el.getAttribute('aria-labelledby')?.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
    return {
      tag: el.tagName.toLowerCase(),
      name: (label || el.textContent || (el as HTMLInputElement).labels?.[0]?.textContent || '').trim(),
      id: el.id,
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
      boxShadow: style.boxShadow,
    };
  });
}

/** Tabs forward until `predicate` holds for the focused element; returns the names met on the way. */
export async function tabUntil(page: Page, predicate: (el: Awaited<ReturnType<typeof focused>>) => boolean, maxTabs = 60): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < maxTabs; i += 1) {
    await page.keyboard.press('Tab');
    const el = await focused(page);
    seen.push(`${el.tag}${el.id ? `#${el.id}` : ''} "${el.name.slice(0, 60)}"`);
    if (predicate(el)) return seen;
  }
  throw new Error(`focus never reached the target; met: ${seen.join(' → ')}`);
}

/** Picks an option of a PrimeVue Select (a combobox): opens it, then clicks the option. */
export async function chooseOption(page: Page, selectId: string, label: string): Promise<void> {
  await page.locator(`#${selectId}`).click();
  await page.getByRole('option', { name: label, exact: true }).click();
  await page.getByRole('listbox').waitFor({ state: 'detached' });
}

/**
 * Waits until the element shows `text` (a substring, or a RegExp on its whole text): for content
 * that the page updates after a call it made in the background (a reloaded list, a new state).
 */
export async function waitForText(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor();
}
