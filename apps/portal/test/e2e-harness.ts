/// <reference lib="dom" />
/**
 * End-to-end harness of the citizen portal: the real API in-process (PostgreSQL, Redis) serving a
 * fresh build of the portal under `/t/{slug}/`, the FranceConnect v2 sandbox provider on its own
 * port, one sandbox client per tenant stored in the credentials vault (environment `custom`), and
 * headless Chromium (playwright-core). Both sites are on 127.0.0.1 with different ports, so the
 * browser keeps their cookies apart, as it would for two domains.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { HabilitationEntity, TenantEntity } from '@fcplat/db';
import { openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import { startApiParticulierWorker } from '@fcplat/api-particulier-calls';
import { connectTenantToSandboxFranceConnect, freePort, launchChromium, MailInbox, LogCapture, makeStaff, makeTenant, scratchMigratedDatabase, testPlatformConfig } from '@fcplat/testing';
import { startApi, type ApiApp } from '../../api/src/app.js';
import { builtFrontends } from '../../api/src/http/frontends.js';
import { apiParticulierService } from '../../sandbox/src/services/api-particulier.js';
import { franceConnectService } from '../../sandbox/src/services/franceconnect.js';
import { startStandaloneMailSink } from '../../sandbox/src/mail-sink.js';
import { buildPortal } from './portal-harness.js';

/** Sandbox identities (FranceConnect's sandbox mock IdP, password `123`). */
export const ANGELA = {
  login: 'test',
  email: 'wossewodda-3728@yopmail.com',
  familyName: 'DUBOIS',
  givenNames: 'Angela Claire Louise',
} as const;
export const PAUL = { login: 'sans_nom_dusage', familyName: 'DUPONT' } as const;
export const PIERRE = { login: 'avec_nom_dusage', givenNames: 'Pierre', birthdate: '1969-03-17', birthplace: '95277', gender: 'male' } as const;

export interface E2eWorld {
  readonly dataSource: DataSource;
  readonly api: ApiApp;
  readonly browser: Browser;
  /** `http://127.0.0.1:<port>/api/v2` */
  readonly issuer: string;
  /** A new tenant with its own sandbox client (and an API Particulier habilitation when asked). */
  addTenant(options?: { dataRetrieval?: boolean; atLogin?: boolean }): Promise<TenantEntity>;
  /** The address browsers use: the API's, or the front proxy's when one was asked for (`startE2e({ frontProxy })`). */
  readonly publicUrl: string;
  /** The sandbox client_id of each tenant added. */
  clientIdOf(tenant: TenantEntity): string | undefined;
  /** `${publicUrl}/t/{slug}/{path}` */
  portalUrl(tenant: TenantEntity, path?: string): string;
  /** The activation link of the last sign-up e-mailed to `email` (the sandbox mail sink's inbox). */
  activationLink(email: string): Promise<string>;
  close(): Promise<void>;
}

export interface E2eOptions {
  /** A test-only proxy in front of the API (given the API's port); the API's PUBLIC_URL becomes its URL. */
  readonly frontProxy?: (apiPort: number) => Promise<{ readonly url: string; close(): Promise<void> }>;
}

export async function startE2e(options: E2eOptions = {}): Promise<E2eWorld> {
  // A build of our own: another suite may rebuild apps/portal/dist while this one runs.
  const appsDir = mkdtempSync(join(tmpdir(), 'fcplat-e2e-'));
  const distDir = join(appsDir, 'portal', 'dist');
  mkdirSync(distDir, { recursive: true });
  // A database of its own: the API Particulier dispatcher below serves every queued call of its database.
  const scratch = await scratchMigratedDatabase();
  const dataSource = scratch.dataSource;
  await buildPortal(distDir);

  const service = franceConnectService({ clientsFile: null });
  const sandbox: Server = createServer((req, res) => {
    Promise.resolve(service.handler(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => sandbox.listen(0, '127.0.0.1', resolve));
  const sandboxBase = `http://127.0.0.1:${(sandbox.address() as AddressInfo).port}`;
  const issuer = `${sandboxBase}/api/v2`;

  // API Particulier's stand-in (it resolves FranceConnect tokens with the sandbox above) and a worker.
  const standIn = apiParticulierService({ franceConnectIssuer: issuer });
  const apip: Server = createServer((req, res) => {
    Promise.resolve(standIn.handler(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => apip.listen(0, '127.0.0.1', resolve));

  const sink = await startStandaloneMailSink();
  const inbox = new MailInbox(sink.inboxUrl);
  const port = await freePort();
  const proxy = options.frontProxy ? await options.frontProxy(port) : null;
  const publicUrl = proxy?.url ?? `http://127.0.0.1:${port}`;
  const clientIds = new Map<string, string>();
  const config = await testPlatformConfig({
    PORT: String(port),
    PUBLIC_URL: publicUrl,
    DATABASE_URL: scratch.url,
    SMTP_URL: sink.smtpUrl,
    SANDBOX_API_PARTICULIER_URL: `http://127.0.0.1:${(apip.address() as AddressInfo).port}`,
  });
  const infrastructure: PlatformInfrastructure = await openPlatformInfrastructure(config, 'api');
  const workerInfrastructure = await openPlatformInfrastructure(config, 'worker');
  const worker = await startApiParticulierWorker(config, workerInfrastructure);
  const api = await startApi(config, infrastructure, { heartbeat: false, logDestination: new LogCapture(), frontends: builtFrontends(appsDir) });
  const staff = await makeStaff(dataSource, 'admin');
  const browser = await launchChromium();

  async function addTenant(options: { dataRetrieval?: boolean; atLogin?: boolean } = {}): Promise<TenantEntity> {
    const tenant = await makeTenant(dataSource, { dataRetrievalEnabled: options.dataRetrieval ?? false });
    if (options.dataRetrieval && options.atLogin) {
      await dataSource.getRepository(TenantEntity).update({ id: tenant.id }, { dataRetrievalAtLogin: true });
      tenant.dataRetrievalAtLogin = true;
    }
    if (options.dataRetrieval) {
      await dataSource.getRepository(HabilitationEntity).insert({
        tenantId: tenant.id,
        product: 'api_particulier',
        state: 'validated',
        scopes: ['cnaf_quotient_familial', 'cnaf_allocataires'],
        modalities: ['france_connect'],
        validatedAt: new Date(),
      });
    }
    const client = await connectTenantToSandboxFranceConnect({ apiUrl: api.url, sandboxBase, tenant, authorization: staff.authorization });
    clientIds.set(tenant.id, client.clientId);
    return tenant;
  }

  return {
    dataSource,
    api,
    browser,
    issuer,
    addTenant,
    publicUrl,
    clientIdOf: (tenant) => clientIds.get(tenant.id),
    portalUrl: (tenant, path = '') => `${publicUrl}/t/${tenant.slug}/${path}`,
    async activationLink(email) {
      const message = await inbox.waitFor(email, { subject: /^Activez votre compte/ });
      const link = /https?:\/\/\S+\/inscription\/confirmer\?jeton=[A-Za-z0-9_-]+/.exec(message.text)?.[0];
      if (!link) throw new Error('no activation link in the e-mail');
      return link;
    },
    async close() {
      await browser.close();
      await api.close();
      await proxy?.close();
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
      await sink.stop();
      rmSync(appsDir, { recursive: true, force: true });
    },
  };
}

/** Opens a page and waits until the portal has rendered its heading. */
export async function openPortal(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('main h1').first().waitFor();
}

/** Clicks a FranceConnect button of the portal (« S’identifier avec FranceConnect ») in a section. */
export async function clickFranceConnect(page: Page, section: '#connexion' | '#inscription' | '#donnees'): Promise<void> {
  await page.locator(`${section} a.fc-button`).click();
}

/** On the sandbox's identity picker: waits for it, then picks an identity (or cancels with `null`). */
export async function answerPicker(page: Page, issuer: string, login: string | null): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(`${issuer}/interaction/`));
  await page.getByTestId(login === null ? 'cancel' : `identity-${login}`).click();
}

/** Waits until the browser is on the portal page `/t/{slug}/{path}` (any query) and it has rendered. */
export async function backOn(page: Page, apiUrl: string, tenant: TenantEntity, path = ''): Promise<URL> {
  const origin = new URL(apiUrl).origin;
  await page.waitForURL((url) => url.origin === origin && url.pathname === `/t/${tenant.slug}/${path}`);
  await page.locator('main h1').first().waitFor();
  return new URL(page.url());
}

/** The portal's `/me` as the page's context sees it (same cookies). */
export async function meOf(page: Page, apiUrl: string, tenant: TenantEntity): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await page.context().request.get(`${apiUrl}/api/portal/${tenant.slug}/me`);
  const text = await response.text();
  return { status: response.status(), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
