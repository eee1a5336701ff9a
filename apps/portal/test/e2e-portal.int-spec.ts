/// <reference lib="dom" />
/**
 * The citizen portal end to end in headless Chromium: the built portal served by the real API,
 * the FranceConnect v2 sandbox provider, several tenants with their own sandbox clients. Journeys:
 * FranceConnect sign-up (pivot identity read-only), usage name, logout ending the FranceConnect
 * session (FC-09), login again, cancel at FranceConnect (access_denied), local sign-up and login,
 * a session of one tenant worthless on another (SR-11), reconciliation (FC-11), data retrieval
 * within the 30-minute FranceConnect session (FC-08 D), account deletion (FC-12).
 */
import type { Page } from 'playwright-core';
import type { TenantEntity } from '@fcplat/db';
import { makeCitizen } from '@fcplat/testing';
import { hashPassword } from '../../api/src/accounts/passwords.js';
import { ANGELA, PAUL, PIERRE, answerPicker, backOn, clickFranceConnect, meOf, openPortal, startE2e, type E2eWorld } from './e2e-harness.js';
import { screenshotPath } from './portal-harness.js';

/** One journey: several browser round trips through FranceConnect. */
const JOURNEY_TIMEOUT = 120_000;

const PASSWORD = 'Un mot de passe local assez long';

describe('citizen portal end to end (Chromium, API, FranceConnect sandbox)', () => {
  let world: E2eWorld;
  let a: TenantEntity;
  let b: TenantEntity;
  const pages: Page[] = [];

  beforeAll(async () => {
    world = await startE2e();
    a = await world.addTenant({ dataRetrieval: true });
    b = await world.addTenant();
  }, 180_000);

  afterAll(async () => {
    await world.close();
  });

  afterEach(async () => {
    for (const page of pages.splice(0)) await page.context().close();
  });

  /** A fresh browser context (no portal nor FranceConnect cookies). */
  async function newPage(): Promise<Page> {
    const context = await world.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', colorScheme: 'light' });
    const page = await context.newPage();
    pages.push(page);
    return page;
  }

  /** From the portal's home, FranceConnect with the picker, back on the profile. */
  async function franceConnectFromHome(page: Page, tenant: TenantEntity, login: string, section: '#connexion' | '#inscription' = '#connexion'): Promise<void> {
    await openPortal(page, world.portalUrl(tenant));
    await clickFranceConnect(page, section);
    await answerPicker(page, world.issuer, login);
    await backOn(page, world.api.url, tenant, 'profil');
  }

  it('signs up with FranceConnect on tenant A: pivot identity read-only, usage name editable', async () => {
    const page = await newPage();
    await openPortal(page, world.portalUrl(a));
    await clickFranceConnect(page, '#inscription');
    await answerPicker(page, world.issuer, ANGELA.login);
    // The picker names tenant A's client, then the callback lands on A's profile.
    await backOn(page, world.api.url, a, 'profil');
    await expect(page.locator('#profil-titre').textContent()).resolves.toBe('Mon profil');
    const identity = page.locator('#identite');
    await expect(identity.locator('.badge').textContent()).resolves.toBe('Identité transmise par FranceConnect');
    await expect(identity.locator('[data-field="familyName"]').textContent()).resolves.toBe(ANGELA.familyName);
    await expect(identity.locator('[data-field="givenNames"]').textContent()).resolves.toBe(ANGELA.givenNames);
    // Read-only: no form, no field, no edit button for the pivot identity.
    await expect(identity.locator('input, form, #modifier-identite').count()).resolves.toBe(0);
    await expect(page.locator('#profil-email').inputValue()).resolves.toBe(ANGELA.email);
    const me = await meOf(page, world.api.url, a);
    expect(me.body).toMatchObject({ franceConnectLinked: true, identity: { source: 'franceconnect', familyName: ANGELA.familyName } });

    await page.locator('#profil-nom-usage').fill('Dubois-Lefèvre');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.getByText('Vos modifications ont été enregistrées.').waitFor();
    await expect(page.getByTestId('connected-name').textContent()).resolves.toContain('Dubois-Lefèvre');
    expect((await meOf(page, world.api.url, a)).body).toMatchObject({ usageName: 'Dubois-Lefèvre' });
    // Still there after a reload (it was saved by the API, not only shown).
    await openPortal(page, world.portalUrl(a, 'profil'));
    await expect(page.locator('#profil-nom-usage').inputValue()).resolves.toBe('Dubois-Lefèvre');
    await page.screenshot({ path: screenshotPath('e2e-profile.png'), fullPage: true });
  }, JOURNEY_TIMEOUT);

  it('logs out (ending the FranceConnect session: the picker shows again), then logs in again to the same account', async () => {
    const page = await newPage();
    await franceConnectFromHome(page, a, ANGELA.login);
    const first = await meOf(page, world.api.url, a);
    expect(first.status).toBe(200);

    let sawEndSession = false;
    page.on('request', (request) => {
      if (request.url().startsWith(`${world.issuer}/session/end`)) sawEndSession = true;
    });
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await backOn(page, world.api.url, a, '');
    expect(sawEndSession).toBe(true);
    await expect(page.locator('main h1').textContent()).resolves.toBe('Connexion et inscription');
    expect((await meOf(page, world.api.url, a)).status).toBe(401);

    // FranceConnect's session is over: its identity picker shows again (no silent SSO).
    await clickFranceConnect(page, '#connexion');
    await answerPicker(page, world.issuer, ANGELA.login);
    await backOn(page, world.api.url, a, 'profil');
    const again = await meOf(page, world.api.url, a);
    expect(again.body.id).toBe(first.body.id);
    await expect(page.locator('#identite [data-field="familyName"]').textContent()).resolves.toBe(ANGELA.familyName);
  }, JOURNEY_TIMEOUT);

  it('shows a French error on the portal when the citizen cancels at FranceConnect (access_denied)', async () => {
    const page = await newPage();
    await openPortal(page, world.portalUrl(a));
    await clickFranceConnect(page, '#connexion');
    await answerPicker(page, world.issuer, null);
    const home = await backOn(page, world.api.url, a, '');
    expect(home.searchParams.get('erreur')).toBe('access_denied');
    const alert = page.locator('#erreur-franceconnect');
    await expect(alert.getAttribute('role')).resolves.toBe('alert');
    await expect(alert.textContent()).resolves.toContain('La connexion avec FranceConnect a été annulée.');
    await expect(page.title()).resolves.toMatch(/^Erreur – /);
    expect((await meOf(page, world.api.url, a)).status).toBe(401);
  }, JOURNEY_TIMEOUT);

  it('keeps tenants apart in one browser: a session of A does not open B; local sign-up, logout and login on B', async () => {
    const page = await newPage();
    await franceConnectFromHome(page, a, ANGELA.login);

    // Tenant A's session is worthless on tenant B, in the page and on the API.
    await page.goto(world.portalUrl(b, 'profil'));
    await backOn(page, world.api.url, b, '');
    await expect(page.locator('main h1').textContent()).resolves.toBe('Connexion et inscription');
    await page.getByText('Connectez-vous pour accéder à votre profil.').waitFor();
    await expect(page.getByTestId('connected-name').count()).resolves.toBe(0);
    expect((await meOf(page, world.api.url, b)).status).toBe(401);
    // ... and still valid on A.
    await openPortal(page, world.portalUrl(a, 'profil'));
    await expect(page.locator('#profil-titre').textContent()).resolves.toBe('Mon profil');

    // Local sign-up on B, in the same browser.
    const email = `e2e-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.fr`;
    await openPortal(page, world.portalUrl(b));
    await page.locator('#inscription-email').fill(email);
    await page.locator('#inscription-mot-de-passe').fill(PASSWORD);
    await page.locator('#inscription-nom-usage').fill('Martin');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.locator('#inscription-envoyee').waitFor();
    // The link e-mailed to the address activates the account, in the same browser.
    await openPortal(page, await world.activationLink(email));
    await page.getByRole('button', { name: 'Activer mon compte' }).click();
    await page.getByTestId('connected-name').waitFor();
    await expect(page.getByTestId('connected-name').textContent()).resolves.toContain('Martin');
    const onB = await meOf(page, world.api.url, b);
    expect(onB.body).toMatchObject({ email, usageName: 'Martin', franceConnectLinked: false, identity: null });
    // Each portal has its own session cookie (issue 12, item 2): signing up on B left A's session alone.
    expect((await meOf(page, world.api.url, a)).status).toBe(200);

    // Logout of a local account: no FranceConnect round trip.
    await openPortal(page, world.portalUrl(b, 'profil'));
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByText('Vous êtes déconnecté(e).').waitFor();
    expect(new URL(page.url()).origin).toBe(new URL(world.api.url).origin);
    expect((await meOf(page, world.api.url, b)).status).toBe(401);
    // Logging out of B (a POST carrying B's CSRF token, sent by the portal's client) left A signed in.
    expect((await meOf(page, world.api.url, a)).status).toBe(200);

    // Login with the password.
    await page.locator('#connexion-email').fill(email);
    await page.locator('#connexion-mot-de-passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByTestId('connected-name').waitFor();
    expect((await meOf(page, world.api.url, b)).body.id).toBe(onB.body.id);
  }, JOURNEY_TIMEOUT);

  it('reconciles a local account with the FranceConnect identity of the same e-mail, after a password login and a confirmation (FC-11)', async () => {
    const tenant = await world.addTenant();
    const page = await newPage();
    // A local account with Angela's e-mail, created through the portal.
    await openPortal(page, world.portalUrl(tenant));
    await page.locator('#inscription-email').fill(ANGELA.email);
    await page.locator('#inscription-mot-de-passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.locator('#inscription-envoyee').waitFor();
    await openPortal(page, await world.activationLink(ANGELA.email));
    await page.getByRole('button', { name: 'Activer mon compte' }).click();
    await page.getByTestId('connected-name').waitFor();
    const local = await meOf(page, world.api.url, tenant);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByText('Vous êtes déconnecté(e).').waitFor();

    // FranceConnect with Angela: the portal asks for the password of the existing account first.
    await clickFranceConnect(page, '#connexion');
    await answerPicker(page, world.issuer, ANGELA.login);
    const home = await backOn(page, world.api.url, tenant, '');
    expect(home.searchParams.get('erreur')).toBe('reconciliation_requise');
    await expect(page.locator('#erreur-franceconnect').isVisible()).resolves.toBe(true);
    expect((await meOf(page, world.api.url, tenant)).status).toBe(401);

    await page.locator('#connexion-email').fill(ANGELA.email);
    await page.locator('#connexion-mot-de-passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByTestId('connected-name').waitFor();
    await openPortal(page, world.portalUrl(tenant, 'profil'));
    const banner = page.locator('#reconciliation');
    await expect(banner.textContent()).resolves.toContain(ANGELA.familyName);
    await banner.getByRole('button', { name: 'Lier cette identité à mon compte' }).click();
    await page.getByText('Votre identité FranceConnect est désormais liée à votre compte.').waitFor();
    await expect(page.locator('#reconciliation').count()).resolves.toBe(0);
    await expect(page.locator('#identite .badge').textContent()).resolves.toBe('Identité transmise par FranceConnect');
    expect((await meOf(page, world.api.url, tenant)).body).toMatchObject({ id: local.body.id, franceConnectLinked: true, identity: { source: 'franceconnect' } });
  }, JOURNEY_TIMEOUT);

  it('links automatically an account of the same e-mail whose typed pivot identity matches (FC-11)', async () => {
    const tenant = await world.addTenant();
    const local = await makeCitizen(world.dataSource, tenant.id, {
      email: ANGELA.email,
      passwordHash: await hashPassword(PASSWORD),
      identity: { source: 'local', familyName: 'Dubois', givenNames: 'angela claire louise', birthdate: '1962-08-24', birthplace: '75107', birthcountry: '99100', gender: 'female' },
    });
    const page = await newPage();
    await franceConnectFromHome(page, tenant, ANGELA.login);
    await expect(page.locator('#reconciliation').count()).resolves.toBe(0);
    await expect(page.locator('#identite .badge').textContent()).resolves.toBe('Identité transmise par FranceConnect');
    expect((await meOf(page, world.api.url, tenant)).body).toMatchObject({ id: local.id, franceConnectLinked: true, identity: { source: 'franceconnect', familyName: ANGELA.familyName } });
  }, JOURNEY_TIMEOUT);

  it('retrieves data through FranceConnect right after a FranceConnect login, then shows it with its use (FC-08 D)', async () => {
    const page = await newPage();
    await franceConnectFromHome(page, a, ANGELA.login);
    const donnees = page.locator('#donnees');
    const authorize = page.waitForRequest((request) => request.url().startsWith(`${world.issuer}/authorize`));
    await clickFranceConnect(page, '#donnees');
    // A login's token carries no data scope: FranceConnect again, with the data scopes (SSO: no picker).
    expect(new URL((await authorize).url()).searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['cnaf_quotient_familial']));
    await backOn(page, world.api.url, a, 'profil');
    await page.locator('#donnees-confirmation-titre').waitFor();
    await expect(donnees.textContent()).resolves.toContain('Vous êtes déjà identifié(e) avec FranceConnect');
    await donnees.getByRole('button', { name: 'Confirmer la récupération' }).click();
    const result = page.getByRole('region', { name: 'Vos données récupérées' });
    await result.waitFor();
    const qf = result.locator('[data-api="quotient_familial"]');
    await expect(qf.innerText()).resolves.toMatch(/Utilisation : Calculer vos tarifs/);
    await expect(qf.innerText()).resolves.toMatch(/Quotient familial \d+ \(CNAF/);
  }, JOURNEY_TIMEOUT);

  it('retrieves data for a password account through FranceConnect, then shows the quotient familial (FC-08 D)', async () => {
    const local = await makeCitizen(world.dataSource, a.id, {
      passwordHash: await hashPassword(PASSWORD),
      identity: { source: 'local', familyName: 'Mercier', givenNames: PIERRE.givenNames, birthdate: PIERRE.birthdate, birthplace: PIERRE.birthplace, birthcountry: '99100', gender: PIERRE.gender },
    });
    const page = await newPage();
    await openPortal(page, world.portalUrl(a));
    await page.locator('#connexion-email').fill(local.email ?? '');
    await page.locator('#connexion-mot-de-passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByTestId('connected-name').waitFor();
    await openPortal(page, world.portalUrl(a, 'profil'));
    // No FranceConnect session yet: the button goes to FranceConnect with the data scopes.
    const authorize = page.waitForRequest((request) => request.url().startsWith(`${world.issuer}/authorize`));
    await clickFranceConnect(page, '#donnees');
    const scopes = new URL((await authorize).url()).searchParams.get('scope')?.split(' ');
    expect(scopes).toEqual(expect.arrayContaining(['identite_pivot', 'cnaf_quotient_familial']));
    await answerPicker(page, world.issuer, PIERRE.login);
    const back = await backOn(page, world.api.url, a, 'profil');
    expect(back.searchParams.get('recuperation')).toBe('confirmer');
    // Back from FranceConnect, within its 30 minutes: the confirmation step shows by itself.
    const donnees = page.locator('#donnees');
    await page.locator('#donnees-confirmation-titre').waitFor();
    await donnees.getByRole('button', { name: 'Confirmer la récupération' }).click();
    const result = page.getByRole('region', { name: 'Vos données récupérées' });
    await result.waitFor();
    // The quotient familial, fetched with Pierre's FranceConnect token through API Particulier's stand-in.
    await expect(result.locator('[data-api="quotient_familial"]').innerText()).resolves.toMatch(/Quotient familial \d+ \(CNAF/);
    await expect(result.locator('[data-scope="cnaf_quotient_familial"]').count()).resolves.toBe(1);
    // A data retrieval is not a login: the account stays a password account, not linked.
    expect((await meOf(page, world.api.url, a)).body).toMatchObject({ id: local.id, franceConnectLinked: false });
  }, JOURNEY_TIMEOUT);

  it('on a tenant that retrieves the data at login, says so before the button, then shows the data after the FranceConnect login with no other step', async () => {
    const c = await world.addTenant({ dataRetrieval: true, atLogin: true });
    const page = await newPage();
    await openPortal(page, world.portalUrl(c));
    await expect(page.getByTestId('data-at-login').innerText()).resolves.toMatch(/vous pouvez autoriser .+ à obtenir directement auprès des administrations/);
    const authorize = page.waitForRequest((request) => request.url().startsWith(`${world.issuer}/authorize`));
    await clickFranceConnect(page, '#inscription');
    expect(new URL((await authorize).url()).searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['identite_pivot', 'cnaf_quotient_familial']));
    await answerPicker(page, world.issuer, PAUL.login);
    const back = await backOn(page, world.api.url, c, 'profil');
    expect(back.searchParams.get('recuperation')).toBe('connexion');
    const result = page.getByRole('region', { name: 'Vos données récupérées' });
    await result.waitFor();
    await expect(result.locator('[data-api="quotient_familial"]').innerText()).resolves.toMatch(/Quotient familial \d+ \(CNAF/);
    await expect(page.getByRole('button', { name: 'Confirmer la récupération' }).count()).resolves.toBe(0);
    await page.screenshot({ path: screenshotPath('e2e-data-at-login.png'), fullPage: true });
  }, JOURNEY_TIMEOUT);

  it('deletes the account and ends the FranceConnect session (FC-12)', async () => {
    const page = await newPage();
    await franceConnectFromHome(page, b, PAUL.login, '#inscription');
    const me = await meOf(page, world.api.url, b);
    expect(me.body).toMatchObject({ franceConnectLinked: true, identity: { familyName: PAUL.familyName } });
    let sawEndSession = false;
    page.on('request', (request) => {
      if (request.url().startsWith(`${world.issuer}/session/end`)) sawEndSession = true;
    });
    await page.getByRole('button', { name: 'Supprimer mon compte' }).click();
    await page.locator('#confirmer-suppression').click();
    await backOn(page, world.api.url, b, '');
    expect(sawEndSession).toBe(true);
    expect((await meOf(page, world.api.url, b)).status).toBe(401);
    const rows = (await world.dataSource.query(`SELECT count(*) AS n FROM citizen WHERE id = $1`, [me.body.id])) as { n: string }[];
    expect(Number(rows[0]?.n)).toBe(0);
    // FranceConnect's session ended with it: the picker shows again, and the identity gets a new account.
    await clickFranceConnect(page, '#connexion');
    await answerPicker(page, world.issuer, PAUL.login);
    await backOn(page, world.api.url, b, 'profil');
    expect((await meOf(page, world.api.url, b)).body.id).not.toBe(me.body.id);
  }, JOURNEY_TIMEOUT);
});
