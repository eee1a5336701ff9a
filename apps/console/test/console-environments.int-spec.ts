/// <reference lib="dom" />
/**
 * « Environments on purpose » in the console, in headless Chromium against the real API
 * (PostgreSQL, Redis) and the sandbox FranceConnect: the live FranceConnect and API Particulier
 * environments in the client header and in both tabs, chosen by staff (a refusal says the API's
 * French reason, production only from the right stage, a reason to leave it), never implied by
 * saving credentials; « Tester la configuration » against the sandbox FranceConnect, good and
 * broken; revocation of a non-live environment; the pipeline's environment column; a client
 * administrator's read-only view; axe on every page; screenshots for the docs.
 */
import type { Page } from 'playwright-core';
import type { TenantEntity } from '@fcplat/db';
import { callApi, fakeFranceConnectCredential, makeTenant, recordLiveEnvironment, setOnboardingStage } from '@fcplat/testing';
import {
  consoleSuite,
  logIn,
  openClientSection,
  openConsolePage,
  screenshotPath,
  seriousViolations,
  settled,
  SharedTab,
  waitForText,
  type ConsolePage,
  type ConsoleWorld,
  type TestAccount,
} from './console-harness.js';

const JOURNEY_TIMEOUT = 90_000;
const CHOSEN_BY_AGENT = /choisi par Dominique Agent le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/;

describe('console: live environments chosen on purpose (Chromium, API, sandbox FranceConnect)', () => {
  let world: ConsoleWorld;
  let agent: TestAccount;
  let tenant: TenantEntity;
  let broken: TenantEntity;
  const tab = new SharedTab(() => world, () => agent);
  let adminTab: ConsolePage | undefined;

  consoleSuite({ axe: 'environments', tabs: () => [tab, adminTab] }, async (started) => {
    world = started;
    agent = await world.makeAccount({ role: 'onboarding_agent', displayName: 'Dominique Agent' });
    tenant = await makeTenant(world.dataSource, { name: 'Commune d’Environville', slug: 'environville', connexionEnabled: true, dataRetrievalEnabled: true });
    broken = await makeTenant(world.dataSource, { name: 'Commune de Pannebourg', slug: 'pannebourg', connexionEnabled: true, dataRetrievalEnabled: false });
  });

  const page = (): Promise<Page> => tab.page();

  async function openSection(p: Page, tenantId: string, section: string): Promise<void> {
    await openClientSection(p, world, tenantId, section);
    await p.getByTestId('environment-summary').waitFor();
  }

  /** Chooses `environment` as the live one of the FranceConnect card and waits for the confirmation. */
  async function chooseFranceConnect(p: Page, environment: string, label: string): Promise<void> {
    await p.locator(`#env-franceconnect-option-${environment}`).check();
    await p.getByTestId('live-environment-franceconnect').getByRole('button', { name: 'Mettre en service' }).click();
    await p.locator('#env-franceconnect-statut').getByText(`FranceConnect : « ${label} » est maintenant l’environnement en service.`).waitFor();
  }

  const header = (p: Page, product: 'franceconnect' | 'api_particulier') => p.getByTestId(`header-environment-${product}`);

  it('shows « non choisi » in the header and both tabs, and saving credentials does not choose an environment', async () => {
    const p = await page();
    await openSection(p, tenant.id, 'franceconnect');
    await expect(header(p, 'franceconnect').innerText()).resolves.toBe('FranceConnect : non choisi');
    await expect(header(p, 'api_particulier').innerText()).resolves.toBe('API Particulier : non choisi');
    // The tenant uses both products: an alert for each, quoting the API.
    await expect(p.getByTestId('environment-alert-franceconnect').innerText()).resolves.toContain('Aucun environnement FranceConnect n’est choisi');
    await expect(p.getByTestId('environment-alert-api_particulier').innerText()).resolves.toContain('Aucun environnement API Particulier n’est choisi');
    const card = p.getByTestId('live-environment-franceconnect');
    await expect(card.getByTestId('live-environment').innerText()).resolves.toContain('Aucun environnement n’est en service.');
    // Every FranceConnect environment of the domain, integration included.
    await expect(card.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-environment')))).resolves.toEqual(['sandbox', 'integration', 'production', 'custom']);
    await p.getByTestId('fc-credentials-integration').waitFor();

    // The formats are explained, and a wrong one is refused next to the field with the API's words.
    await expect(p.locator('#fc-integration-clientId-aide').textContent()).resolves.toContain('64 caractères hexadécimaux');
    await p.locator('#fc-integration-clientId').fill('client-integration');
    await p.locator('#fc-integration-clientSecret').fill('pas-un-secret');
    await p.getByTestId('fc-credentials-integration').getByRole('button', { name: 'Enregistrer les identifiants' }).click();
    await p.locator('#fc-integration-clientId-erreur').waitFor();
    expect(await p.locator('#fc-integration-clientId-erreur').textContent()).toContain('64 caractères hexadécimaux attendus');
    expect(await p.locator('#fc-integration-clientSecret-erreur').textContent()).toContain('64 caractères hexadécimaux attendus');

    // Sandbox credentials stored: no environment chosen for all that, and the page says what to do.
    const sandbox = p.getByTestId('fc-credentials-sandbox');
    await sandbox.locator('#fc-sandbox-clientId').fill(fakeFranceConnectCredential());
    await sandbox.locator('#fc-sandbox-clientSecret').fill(fakeFranceConnectCredential());
    await sandbox.getByRole('button', { name: 'Enregistrer les identifiants' }).click();
    const saved = p.locator('#fc-sandbox-statut');
    await saved.getByText(/Identifiants « Bac à sable FranceConnect » enregistrés/).waitFor();
    expect(await saved.innerText()).toContain('Choisissez l’environnement en service ci-dessus');
    await waitForText(card.locator('tr[data-environment="sandbox"] [data-testid="environment-credentials"]'), /^présents$/);
    await expect(header(p, 'franceconnect').innerText()).resolves.toBe('FranceConnect : non choisi');

    // API Particulier tab: the same card, read from the same view.
    await openSection(p, tenant.id, 'api-particulier');
    await expect(p.getByTestId('live-environment-api_particulier').getByTestId('live-environment').innerText()).resolves.toContain('Aucun environnement n’est en service.');
    expect(await seriousViolations(p, 'api particulier (no live environment)')).toEqual([]);
  }, JOURNEY_TIMEOUT);

  it('refuses production before the stage allows it with the API’s French reason, then puts the sandbox in service', async () => {
    const p = await page();
    // Production credentials received (stored by the editor's team through the API).
    const stored = await callApi(world.api.url, 'PUT', `/api/tenants/${tenant.id}/credentials/franceconnect/production`, {
      auth: world.adminAuthorization,
      body: { clientId: fakeFranceConnectCredential(), clientSecret: fakeFranceConnectCredential() },
    });
    expect(stored.status).toBe(200);
    await openSection(p, tenant.id, 'franceconnect');
    // At « Client créé », production cannot be chosen: the option is off, with the API's reason.
    const production = p.locator('#env-franceconnect-option-production');
    await expect(production.isDisabled()).resolves.toBe(true);
    await expect(p.locator('#env-franceconnect-option-production-aide').textContent()).resolves.toContain('Passage en production impossible à l’étape « Client créé »');
    expect(await production.getAttribute('aria-describedby')).toBe('env-franceconnect-option-production-aide');

    // The stage changes while the page is open: the API's refusal is shown as it says it.
    await setOnboardingStage(world.dataSource, tenant.id, 'production_credentials_received');
    await p.reload();
    await p.getByTestId('live-environment-franceconnect').locator('form').waitFor();
    await expect(production.isDisabled()).resolves.toBe(false);
    await production.check();
    await setOnboardingStage(world.dataSource, tenant.id, 'created');
    await p.getByTestId('live-environment-franceconnect').getByRole('button', { name: 'Mettre en service' }).click();
    const refusal = p.locator('#env-franceconnect-probleme');
    await refusal.waitFor();
    expect(await refusal.getAttribute('role')).toBe('alert');
    expect(await refusal.innerText()).toContain('Passage en production impossible à l’étape « Client créé »');
    await expect(header(p, 'franceconnect').innerText()).resolves.toBe('FranceConnect : non choisi');
    expect(await seriousViolations(p, 'franceconnect (refused choice)')).toEqual([]);

    // A test environment with usable credentials: in service, the header follows.
    await chooseFranceConnect(p, 'sandbox', 'Bac à sable FranceConnect');
    await waitForText(header(p, 'franceconnect'), /^FranceConnect : Test : Bac à sable FranceConnect$/);
    expect(await header(p, 'franceconnect').locator('.badge').getAttribute('data-kind')).toBe('test');
    const card = p.getByTestId('live-environment-franceconnect');
    await waitForText(card.getByTestId('live-environment'), CHOSEN_BY_AGENT);
    expect(await card.locator('tr[data-environment="sandbox"]').getAttribute('data-live')).toBe('true');
    expect(await card.locator('tr[data-environment="sandbox"] td').last().innerText()).toBe('jamais');
    await expect(p.getByTestId('fc-credentials-sandbox').locator('h3').innerText()).resolves.toContain('en service');
    // The header's FranceConnect alert is gone (API Particulier still has none chosen).
    await expect(p.getByTestId('environment-alert-franceconnect').count()).resolves.toBe(0);
    // The live environment's credentials cannot be revoked: no button for them.
    await expect(p.locator('#revoquer-franceconnect-sandbox').count()).resolves.toBe(0);
  }, JOURNEY_TIMEOUT);

  it('shows the FranceConnect environment in the pipeline', async () => {
    const p = await page();
    await p.goto(world.consoleUrl('pipeline?recherche=Environville'));
    await p.locator('[data-testid="pipeline"][data-state="ready"]').waitFor();
    await p.locator('[data-testid="result-count"]', { hasText: /^1 dossier$/ }).waitFor();
    await expect(p.locator('.case-table thead').innerText()).resolves.toContain('Environnement');
    const cell = p.getByTestId('case-row').getByTestId('case-environment');
    await expect(cell.innerText()).resolves.toBe('Test : Bac à sable');
    expect(await cell.locator('.badge').getAttribute('data-kind')).toBe('test');
    // A client with no environment chosen: « — ».
    await p.goto(world.consoleUrl('pipeline?recherche=Pannebourg'));
    await p.locator('[data-testid="result-count"]', { hasText: /^1 dossier$/ }).waitFor();
    await expect(p.getByTestId('case-row').getByTestId('case-environment').locator('[aria-hidden="true"]').innerText()).resolves.toBe('—');
    await p.goto(world.consoleUrl('pipeline'));
    await p.locator('[data-testid="pipeline"][data-state="ready"]').waitFor();
    await waitForText(p.getByTestId('case-row').getByTestId('case-environment'), 'Test : Bac à sable');
    await settled(p);
    expect(await seriousViolations(p, 'pipeline (environment column)')).toEqual([]);
    await p.screenshot({ path: screenshotPath('pipeline-environment'), fullPage: true });
  }, JOURNEY_TIMEOUT);

  it('goes to production at the right stage, and asks for a reason to leave it; revokes a non-live environment', async () => {
    const p = await page();
    await setOnboardingStage(world.dataSource, tenant.id, 'production_credentials_received');
    await openSection(p, tenant.id, 'franceconnect');
    await chooseFranceConnect(p, 'production', 'Production');
    await waitForText(header(p, 'franceconnect'), /^FranceConnect : Production$/);
    expect(await header(p, 'franceconnect').locator('.badge').getAttribute('data-kind')).toBe('production');

    // Leaving production: a reason is asked before anything is sent.
    await p.locator('#env-franceconnect-option-sandbox').check();
    await p.locator('#env-franceconnect-reason').waitFor();
    await p.getByTestId('live-environment-franceconnect').getByRole('button', { name: 'Mettre en service' }).click();
    await expect(p.locator('#env-franceconnect-reason-erreur').textContent()).resolves.toContain('Indiquez le motif du retour de la production');
    await expect(header(p, 'franceconnect').innerText()).resolves.toBe('FranceConnect : Production');
    await p.locator('#env-franceconnect-reason').fill('Recette d’une nouvelle version du portail');
    await p.getByTestId('live-environment-franceconnect').getByRole('button', { name: 'Mettre en service' }).click();
    await p.locator('#env-franceconnect-statut').getByText('« Bac à sable FranceConnect » est maintenant l’environnement en service', { exact: false }).waitFor();
    await waitForText(header(p, 'franceconnect'), /^FranceConnect : Test : Bac à sable FranceConnect$/);
    await waitForText(p.getByTestId('live-reason'), 'Recette d’une nouvelle version du portail');

    // The production credentials are no longer live: they may be revoked, after a confirmation.
    await p.locator('#revoquer-franceconnect-production').click();
    await p.locator('#revoquer-franceconnect-production-confirmer').waitFor();
    expect((await p.evaluate(() => document.activeElement?.id)) ?? '').toBe('revoquer-franceconnect-production-confirmer');
    expect(await seriousViolations(p, 'franceconnect (revocation confirmation)')).toEqual([]);
    await p.getByRole('button', { name: 'Confirmer la révocation' }).click();
    await p.locator('#revoquer-franceconnect-production-statut').getByText('Identifiants FranceConnect « Production » révoqués.').waitFor();
    await waitForText(p.getByTestId('fc-credentials-production'), 'Aucun identifiant enregistré.');
    await waitForText(p.getByTestId('live-environment-franceconnect').locator('tr[data-environment="production"] [data-testid="environment-credentials"]'), /^absents/);
    expect(await seriousViolations(p, 'franceconnect (left production)')).toEqual([]);
  }, JOURNEY_TIMEOUT);

  it('tests the configuration against the sandbox FranceConnect: operational for a good client, a failure for a broken one', async () => {
    const p = await page();
    await openSection(p, tenant.id, 'franceconnect');
    await p.getByRole('button', { name: 'Créer un client de bac à sable' }).click();
    await p.locator('#fc-bac-a-sable-statut').getByText(/Client de bac à sable créé/).waitFor();
    await p.getByTestId('fc-credentials-custom').waitFor();
    await waitForText(p.getByTestId('live-environment-franceconnect').locator('tr[data-environment="custom"] [data-testid="environment-credentials"]'), /^présents$/);
    await chooseFranceConnect(p, 'custom', 'Fournisseur de test');
    await waitForText(header(p, 'franceconnect'), /^FranceConnect : Test : Fournisseur de test$/);

    await p.getByRole('button', { name: 'Tester la configuration' }).click();
    const result = p.getByTestId('fc-check-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.innerText()).toContain('Configuration FranceConnect opérationnelle');
    await expect(result.locator('li').evaluateAll((items) => items.map((i) => `${i.getAttribute('data-step')}:${i.getAttribute('data-status')}`))).resolves.toEqual([
      'credentials:ok',
      'discovery:ok',
      'jwks:ok',
      'client_id:ok',
      'client_secret:ok',
    ]);
    expect(await seriousViolations(p, 'franceconnect (configuration tested)')).toEqual([]);
    await p.getByTestId('live-environment-franceconnect').screenshot({ path: screenshotPath('environment-card') });

    // A client_id the sandbox does not know, at the same issuer, put in service by the platform.
    const unknown = await callApi(world.api.url, 'PUT', `/api/tenants/${broken.id}/credentials/franceconnect/custom`, {
      auth: world.adminAuthorization,
      body: { clientId: fakeFranceConnectCredential(), clientSecret: fakeFranceConnectCredential(), issuerUrl: `${world.sandbox.url('franceconnect').replace(/\/+$/, '')}/api/v2` },
    });
    expect(unknown.status).toBe(200);
    await recordLiveEnvironment(world.dataSource, broken.id, 'franceconnect', 'custom');
    await openSection(p, broken.id, 'franceconnect');
    await expect(header(p, 'franceconnect').innerText()).resolves.toBe('FranceConnect : Test : Fournisseur de test');
    await expect(p.getByTestId('live-chosen').innerText()).resolves.toMatch(/^choisi par la plateforme le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}$/);
    // Data retrieval is off for this client: no alert about API Particulier.
    await expect(p.getByTestId('environment-alert-api_particulier').count()).resolves.toBe(0);
    await p.getByRole('button', { name: 'Tester la configuration' }).click();
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('false');
    expect(await result.innerText()).toMatch(/Échec/);
    await expect(result.locator('li[data-status="failed"]').count()).resolves.toBeGreaterThan(0);
    expect(await result.locator('li[data-step="client_id"]').getAttribute('data-status')).toBe('failed');
    expect(await seriousViolations(p, 'franceconnect (configuration broken)')).toEqual([]);
    await p.screenshot({ path: screenshotPath('environment-check-failed'), fullPage: true });
  }, JOURNEY_TIMEOUT);

  it('puts the API Particulier sandbox in service from its tab; a token that is not a JWT is refused next to the field', async () => {
    const p = await page();
    await openSection(p, tenant.id, 'api-particulier');
    await expect(p.locator('#apip-staging-token-aide').textContent()).resolves.toContain('jeton JWT');
    await p.locator('#apip-staging-token').fill('pas-un-jeton');
    await p.getByTestId('apip-token-staging').getByRole('button', { name: 'Enregistrer le jeton' }).click();
    await p.locator('#apip-staging-token-erreur').waitFor();
    expect(await p.locator('#apip-staging-token-erreur').textContent()).toContain('jeton JWT attendu');

    await p.getByRole('button', { name: 'Créer un jeton de bac à sable' }).click();
    await p.locator('#apip-bac-a-sable-statut').getByText(/mettez « Bac à sable de la plateforme » en service ci-dessus/).waitFor();
    await expect(header(p, 'api_particulier').innerText()).resolves.toBe('API Particulier : non choisi');
    const card = p.getByTestId('live-environment-api_particulier');
    await waitForText(card.locator('tr[data-environment="sandbox"] [data-testid="environment-credentials"]'), /^présents$/);
    await p.locator('#env-api_particulier-option-sandbox').check();
    await card.getByRole('button', { name: 'Mettre en service' }).click();
    await p.locator('#env-api_particulier-statut').getByText('API Particulier : « Bac à sable de la plateforme » est maintenant l’environnement en service.').waitFor();
    await waitForText(header(p, 'api_particulier'), /^API Particulier : Test : Bac à sable de la plateforme$/);
    await waitForText(card.getByTestId('live-environment'), CHOSEN_BY_AGENT);
    // FranceConnect was not touched by that choice.
    await expect(header(p, 'franceconnect').innerText()).resolves.toBe('FranceConnect : Test : Fournisseur de test');
    await expect(card.getByText('Dernier appel réussi').count()).resolves.toBe(1);
    expect(await seriousViolations(p, 'api particulier (environment chosen)')).toEqual([]);
  }, JOURNEY_TIMEOUT);

  it('shows a client administrator the environments read-only: no chooser, no test, no revocation', async () => {
    const admin = await world.makeAccount({ tenantId: tenant.id, displayName: 'Camille Martin' });
    adminTab = await openConsolePage(world.browser);
    const p = adminTab.page;
    await logIn(p, world, admin);
    await openSection(p, tenant.id, 'franceconnect');
    await expect(header(p, 'franceconnect').innerText()).resolves.toBe('FranceConnect : Test : Fournisseur de test');
    await expect(header(p, 'api_particulier').innerText()).resolves.toBe('API Particulier : Test : Bac à sable de la plateforme');
    const card = p.getByTestId('live-environment-franceconnect');
    await waitForText(card.getByTestId('live-environment'), CHOSEN_BY_AGENT);
    await expect(card.innerText()).resolves.toContain('L’environnement en service est choisi par l’équipe de l’éditeur.');
    await expect(p.locator('input[type="radio"]').count()).resolves.toBe(0);
    await expect(p.getByRole('button', { name: 'Mettre en service' }).count()).resolves.toBe(0);
    await expect(p.getByRole('button', { name: 'Tester la configuration' }).count()).resolves.toBe(0);
    await expect(p.getByRole('button', { name: /^Révoquer/ }).count()).resolves.toBe(0);
    expect(await seriousViolations(p, 'client admin: franceconnect environments')).toEqual([]);

    await openSection(p, tenant.id, 'api-particulier');
    await waitForText(p.getByTestId('live-environment-api_particulier').getByTestId('live-environment'), 'Bac à sable de la plateforme');
    await expect(p.locator('input[type="radio"]').count()).resolves.toBe(0);
    expect(await seriousViolations(p, 'client admin: api particulier environments')).toEqual([]);
  }, JOURNEY_TIMEOUT);
});
