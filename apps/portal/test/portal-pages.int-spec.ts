/// <reference lib="dom" />
/**
 * The citizen portal's pages in headless Chromium against a fake portal API: FranceConnect errors,
 * local login and sign-up errors, the profile (FC-14 to FC-16), reconciliation (FC-11), logout and
 * deletion (FC-09, FC-12), data retrieval (FC-08 D), 404 pages, and axe on every page.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { recordMeasurement, boxOf, usePortalBench, defaultTenant, FakePortal, franceConnectCitizen, gotoPortal, hexOf, LOCAL_PASSWORD, localCitizen, openPage, screenshotPath, SLUG, type PortalPage } from './portal-harness.js';

/** Runs axe (WCAG 2.0/2.1 A and AA rules) and returns the serious and critical violations. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const summary = `${results.passes.length} rules passed, ${results.violations.length} violations (${results.violations.map((v) => `${v.id}:${v.impact}`).join(', ') || 'none'})`;
  axeLog.push(`${await page.title()} — ${summary}`);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

const axeLog: string[] = [];

describe('portal: pages, forms and accessibility', () => {
  let portal: FakePortal;
  let browser: Browser;
  let tab: PortalPage | undefined;
  usePortalBench(
    (bench) => ({ portal, browser } = bench),
    () => recordMeasurement(`axe results:\n${axeLog.join('\n')}`),
  );

  afterEach(async () => {
    if (tab) {
      expect(tab.errors).toEqual([]);
      expect(await tab.windowOpenCalls().catch(() => 0)).toBe(0);
    }
    await tab?.close();
    tab = undefined;
  });

  function current(): PortalPage {
    if (!tab) throw new Error('no page open');
    return tab;
  }

  async function open(path = '', options: Parameters<typeof openPage>[1] = {}): Promise<Page> {
    tab = await openPage(browser, options);
    await gotoPortal(tab.page, portal.portalUrl(path));
    return tab.page;
  }

  describe('home', () => {
    it('shows only its own sentence for the error code sent back by FranceConnect routes, never a text taken from the address', async () => {
      // Issue 12, item 3: anyone can send a link to the portal with any `message`.
      const forged = 'Votre compte est suspendu. Appelez le 08 99 00 00 00 pour le réactiver.';
      const page = await open(`?erreur=state_invalid&message=${encodeURIComponent(forged)}`);
      const alert = page.getByRole('alert');
      await expect(alert.count()).resolves.toBe(1);
      const text = await alert.innerText();
      expect(text).not.toContain('08 99');
      expect(text).not.toContain('suspendu');
      expect(text).toContain('La connexion avec FranceConnect n’a pas pu être vérifiée. Veuillez réessayer.');
      expect(await page.title()).toBe('Erreur – Connexion et inscription – Ville de Test');
      // The alert is above both sections.
      expect((await boxOf(alert)).y).toBeLessThan((await boxOf(page.locator('section#connexion'))).y);
      expect(await seriousViolations(page)).toEqual([]);
    });

    it('shows a generic sentence for an error code it does not know, whatever the address says', async () => {
      const page = await open(`?erreur=${encodeURIComponent('<b>code inventé</b>')}&message=${encodeURIComponent('<b>Texte de l’attaquant</b>')}`);
      const text = await page.getByRole('alert').innerText();
      expect(text).toContain('La demande n’a pas abouti. Veuillez réessayer depuis le portail.');
      expect(text).not.toContain('attaquant');
      expect(text).not.toContain('inventé');
      await expect(page.getByRole('alert').locator('b').count()).resolves.toBe(0);
    });

    it('explains a cancelled FranceConnect login (code access_denied)', async () => {
      const page = await open('?erreur=access_denied');
      expect(await page.getByRole('alert').innerText()).toContain('La connexion avec FranceConnect a été annulée.');
    });

    it('has a title, landmarks, the tenant branding on the header only, and passes axe in both themes', async () => {
      const page = await open();
      expect(await page.title()).toBe('Connexion et inscription – Ville de Test');
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      await expect(page.locator('header.site-header').count()).resolves.toBe(1);
      await expect(page.locator('main#contenu').count()).resolves.toBe(1);
      await expect(page.locator('footer').count()).resolves.toBe(1);
      const header = page.locator('header.site-header');
      expect(hexOf(await header.evaluate((el) => getComputedStyle(el).backgroundColor))).toBe('#6a1b9a');
      expect(hexOf(await header.evaluate((el) => getComputedStyle(el).color))).toBe('#ffffff');
      expect(hexOf(await header.evaluate((el) => getComputedStyle(el).borderBottomColor))).toBe('#ffb300');
      expect(await header.locator('.brand').innerText()).toBe('Ville de Test');
      expect(await header.locator('.brand img').getAttribute('alt')).toBe('');
      // The tenant's colours never reach the FranceConnect button.
      expect(hexOf(await page.locator('.fc-button').first().evaluate((el) => getComputedStyle(el).backgroundColor))).toBe('#000091');
      expect(await seriousViolations(page)).toEqual([]);
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await seriousViolations(page)).toEqual([]);
    });

    it('hides a tenant logo that cannot be loaded instead of showing a broken image', async () => {
      portal.updateTenant({ branding: { ...defaultTenant().branding, logoUrl: 'https://logo.invalid/logo.png' } });
      const page = await open();
      await page.locator('header .brand img').waitFor({ state: 'detached' });
      expect(await page.locator('header .brand').innerText()).toBe('Ville de Test');
      current().errors.length = 0; // the refused image itself is logged by Chromium
    });

    it('shows a discreet « environnement de test » banner outside production only, accessible in both themes', async () => {
      let page = await open();
      await expect(page.getByTestId('test-environment-banner').count()).resolves.toBe(0);
      await current().close();
      portal.updateTenant({ environment: { franceConnect: 'custom', test: true, franceConnectAvailable: true } });
      page = await open();
      const banner = page.getByTestId('test-environment-banner');
      expect(await banner.innerText()).toMatch(/^Environnement de test : ce portail n’est pas encore en service/);
      expect(await banner.getAttribute('role')).toBe('note');
      // Above the header, discreet (one line of small text), never in the tenant's colours.
      const box = await boxOf(banner);
      expect(box.y).toBeLessThan((await boxOf(page.locator('header.site-header'))).y);
      expect(box.height).toBeLessThanOrEqual(48);
      expect(hexOf(await banner.evaluate((el) => getComputedStyle(el).backgroundColor))).not.toBe('#6a1b9a');
      // The FranceConnect button is still offered (a test environment works).
      await expect(page.locator('section#connexion a.fc-button').count()).resolves.toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath('portal-test-environment.png') });
    });

    it('says FranceConnect is not available yet instead of offering a button that would fail', async () => {
      portal.updateTenant({ environment: { franceConnect: null, test: true, franceConnectAvailable: false } });
      const page = await open();
      await expect(page.locator('a.fc-button').count()).resolves.toBe(0);
      await expect(page.locator('p.separator').count()).resolves.toBe(0);
      expect(await page.locator('#franceconnect-indisponible').innerText()).toMatch(/La connexion avec FranceConnect n’est pas encore disponible sur ce portail/);
      // The local login and sign-up stay.
      await expect(page.locator('section#connexion form').count()).resolves.toBe(1);
      await expect(page.locator('section#inscription form').count()).resolves.toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await current().close();
      // Nor on the profile: no « Récupérer mes données », no linking.
      portal.state.me = localCitizen();
      const profile = await open('profil');
      await expect(profile.locator('a.fc-button').count()).resolves.toBe(0);
    });

    it('reflows on a 320 px wide screen without horizontal scrolling (WCAG 1.4.10)', async () => {
      portal.state.me = null;
      let page = await open('', { viewport: { width: 320, height: 640 } });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      const button = await boxOf(page.locator('section#connexion a.fc-button'));
      expect(Math.abs(button.width - 209)).toBeLessThanOrEqual(1);
      expect(Math.abs(button.height - 56)).toBeLessThanOrEqual(1);
      await current().close();
      portal.state.me = franceConnectCitizen();
      page = await open('profil', { viewport: { width: 320, height: 640 } });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      await page.screenshot({ path: screenshotPath('portal-profile-mobile.png'), fullPage: true });
    });

    it('the skip link moves the focus to the main content without leaving the page', async () => {
      const page = await open('?erreur=x&message=y');
      const before = page.url();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('contenu');
      expect(page.url()).toBe(before);
    });
  });

  describe('local login and sign-up', () => {
    it('checks the login form before calling the API, with accessible field errors', async () => {
      const page = await open();
      await page.locator('section#connexion').getByRole('button', { name: 'Se connecter' }).click();
      const alert = page.locator('#connexion-erreur');
      expect(await alert.getAttribute('role')).toBe('alert');
      expect(await alert.innerText()).toContain('Le formulaire contient des erreurs');
      const email = page.locator('#connexion-email');
      expect(await email.getAttribute('aria-invalid')).toBe('true');
      expect(await email.getAttribute('aria-describedby')).toContain('connexion-email-erreur');
      expect(await page.locator('#connexion-email-erreur').innerText()).toContain('Saisissez votre adresse e-mail.');
      expect(await page.locator('#connexion-mot-de-passe').getAttribute('aria-invalid')).toBe('true');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('connexion-email');
      expect(portal.requestsTo('POST', '/login')).toHaveLength(0);
      expect(await seriousViolations(page)).toEqual([]);
    });

    it('shows the API refusal of a login (401 detail) and clears the password', async () => {
      const page = await open();
      await page.getByRole('textbox', { name: 'Adresse e-mail', exact: true }).first().fill('marie.martin@example.fr');
      await page.locator('#connexion-mot-de-passe').fill('pas-le-bon-mot-de-passe');
      await page.locator('#connexion-mot-de-passe').press('Enter');
      const alert = page.locator('#connexion-erreur');
      await alert.waitFor();
      expect(await alert.innerText()).toContain('Adresse e-mail ou mot de passe incorrect.');
      expect(await page.locator('#connexion-mot-de-passe').inputValue()).toBe('');
      expect(portal.requestsTo('POST', '/login').map((r) => r.body)).toEqual([{ email: 'marie.martin@example.fr', password: 'pas-le-bon-mot-de-passe' }]);
      expect(page.url()).toBe(portal.portalUrl());
    });

    it('logs in with a local account, then shows who is logged in and the profile (FC-14)', async () => {
      const page = await open();
      await page.locator('#connexion-email').fill('marie.martin@example.fr');
      await page.locator('#connexion-mot-de-passe').fill(LOCAL_PASSWORD);
      await page.locator('section#connexion').getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(portal.portalUrl('profil'));
      await page.locator('h1', { hasText: 'Mon profil' }).waitFor();
      expect(await page.title()).toBe('Mon profil – Ville de Test');
      expect(await page.locator('header .who').innerText()).toBe('Connecté(e) en tant que Martin');
      await expect(page.getByRole('button', { name: 'Se déconnecter' }).count()).resolves.toBe(1);
      expect(await page.getByRole('link', { name: 'Mon profil' }).getAttribute('aria-current')).toBe('page');
      expect(await page.getByRole('status').innerText()).toContain('Vous êtes connecté(e).');
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    });

    it('shows the API violations of a sign-up on the right field, then signs up', async () => {
      const page = await open();
      await page.locator('#inscription-email').fill('nouvel.usager@example.fr');
      await page.locator('#inscription-mot-de-passe').fill('court');
      await page.locator('section#inscription').getByRole('button', { name: 'Créer mon compte' }).click();
      expect(await page.locator('#inscription-mot-de-passe-erreur').innerText()).toContain('au moins 12 caractères');
      expect(portal.requestsTo('POST', '/signup')).toHaveLength(0);

      await page.locator('#inscription-mot-de-passe').fill('monmotdepasse-2024');
      await page.locator('section#inscription').getByRole('button', { name: 'Créer mon compte' }).click();
      await page.locator('#inscription-erreur').waitFor();
      expect(await page.locator('#inscription-mot-de-passe-erreur').innerText()).toContain('ce mot de passe est trop courant');
      expect(await page.locator('#inscription-mot-de-passe').getAttribute('aria-invalid')).toBe('true');

      await page.locator('#inscription-mot-de-passe').fill('cheval-agrafe-correct-2024');
      await page.locator('#inscription-nom-usage').fill('Usager');
      await page.locator('section#inscription').getByRole('button', { name: 'Créer mon compte' }).click();
      // Not logged in yet: the link sent to the address activates the account.
      const sent = page.locator('#inscription-envoyee');
      await sent.waitFor();
      expect(await sent.innerText()).toMatch(/Vérifiez votre messagerie[\s\S]*nouvel\.usager@example\.fr[\s\S]*24 heures/);
      expect(await page.locator('#inscription-mot-de-passe').inputValue()).toBe('');
      expect(portal.requestsTo('POST', '/signup').at(-1)?.body).toEqual({ email: 'nouvel.usager@example.fr', password: 'cheval-agrafe-correct-2024', usageName: 'Usager' });
      await expect(page.locator('header .who').count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      // The same answer for an address that already has an account (the e-mail says so, not the page).
      await page.locator('#inscription-email').fill(localCitizen().email ?? '');
      await page.locator('#inscription-mot-de-passe').fill('cheval-agrafe-correct-2025');
      await page.locator('section#inscription').getByRole('button', { name: 'Créer mon compte' }).click();
      await page.locator('#inscription-envoyee', { hasText: localCitizen().email ?? '' }).waitFor();
      await expect(page.locator('#inscription-erreur').count()).resolves.toBe(0);
      await current().close();

      // The e-mailed link: a page with a button (mail scanners open links), then the profile.
      const [token] = [...portal.state.signups.keys()];
      const activation = await open(`inscription/confirmer?jeton=${token ?? ''}`);
      expect(await activation.title()).toBe('Activer mon compte – Ville de Test');
      expect(await seriousViolations(activation)).toEqual([]);
      await activation.getByRole('button', { name: 'Activer mon compte' }).click();
      await activation.waitForURL(portal.portalUrl('profil'));
      expect(await activation.locator('header .who').innerText()).toBe('Connecté(e) en tant que Usager');
      expect(portal.requestsTo('POST', '/signup/confirm').at(-1)?.body).toEqual({ token });
    });

    it('says plainly when an activation link no longer works', async () => {
      const page = await open('inscription/confirmer?jeton=perime-perime-perime-perime');
      await page.getByRole('button', { name: 'Activer mon compte' }).click();
      expect(await page.locator('#activation-erreur').innerText()).toMatch(/n’est plus valable/);
      await expect(page.locator('header .who').count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
    });
  });

  describe('profile', () => {
    it('sends a visitor who is not logged in back to the home page', async () => {
      const page = await open('profil');
      expect(page.url()).toBe(portal.portalUrl());
      expect(await page.getByRole('status').innerText()).toContain('Connectez-vous pour accéder à votre profil.');
    });

    it('shows the FranceConnect pivot identity read-only, usage name and e-mail editable (FC-15, FC-16)', async () => {
      portal.state.me = franceConnectCitizen();
      const page = await open('profil');
      expect(await page.locator('header .who').innerText()).toBe('Connecté(e) en tant que Angela DUBOIS');
      const identity = page.locator('section#identite');
      const text = await identity.innerText();
      for (const expected of ['DUBOIS', 'Angela Claire Louise', '24 août 1962', '75107', 'France', 'Féminin', 'ne peuvent pas être modifiées']) {
        expect(text).toContain(expected);
      }
      // Nothing in the identity can be edited.
      await expect(identity.locator('input, select, textarea, [contenteditable], button').count()).resolves.toBe(0);
      expect(await page.locator('body').evaluate(() => [...document.querySelectorAll('input')].map((i) => i.id))).toEqual(['profil-nom-usage', 'profil-email']);

      const usageName = page.getByRole('textbox', { name: "Nom d'usage (facultatif)", exact: true });
      const email = page.getByRole('textbox', { name: 'Adresse e-mail', exact: true });
      for (const input of [usageName, email]) {
        expect(await input.isEditable()).toBe(true);
        expect(await input.getAttribute('readonly')).toBeNull();
      }
      expect(await email.inputValue()).toBe('angela.dubois@example.fr');
      await usageName.fill('Durand');
      await email.fill('angela.durand@example.fr');
      await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      await page.getByRole('status').getByText('Vos modifications ont été enregistrées.').waitFor();
      expect(portal.requestsTo('PATCH', '/me').map((r) => r.body)).toEqual([{ usageName: 'Durand', email: 'angela.durand@example.fr' }]);
      expect(await page.locator('header .who').innerText()).toBe('Connecté(e) en tant que Angela Durand');
      expect(await usageName.inputValue()).toBe('Durand');
      // The pivot identity is unchanged, and there is nothing to link.
      expect(await identity.locator('[data-field="familyName"]').innerText()).toBe('DUBOIS');
      await expect(page.locator('section#associer-franceconnect').count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: screenshotPath('portal-profile.png'), fullPage: true });
    });

    it('refuses an invalid e-mail on the page and sends a cleared usage name as null', async () => {
      portal.state.me = { ...franceConnectCitizen(), usageName: 'Durand' };
      const page = await open('profil');
      await page.getByRole('textbox', { name: 'Adresse e-mail', exact: true }).fill('pas-une-adresse');
      await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      expect(await page.locator('#profil-email-erreur').innerText()).toContain('Saisissez une adresse e-mail valide');
      expect(await page.locator('#profil-email').getAttribute('aria-invalid')).toBe('true');
      expect(portal.requestsTo('PATCH', '/me')).toHaveLength(0);
      await page.getByRole('textbox', { name: 'Adresse e-mail', exact: true }).fill('angela.dubois@example.fr');
      await page.getByRole('textbox', { name: "Nom d'usage (facultatif)", exact: true }).fill('');
      await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      await page.getByRole('status').getByText('Vos modifications ont été enregistrées.').waitFor();
      expect(portal.requestsTo('PATCH', '/me').map((r) => r.body)).toEqual([{ usageName: null }]);
    });

    it('lets an account without FranceConnect identity complete its identity, checked on the page first', async () => {
      portal.state.me = localCitizen();
      const page = await open('profil');
      const section = page.locator('section#identite');
      await section.getByRole('button', { name: 'Compléter mon identité' }).click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('identite-formulaire-titre');
      await section.getByRole('button', { name: 'Enregistrer mon identité' }).click();
      expect(await page.locator('#identite-erreur').getAttribute('role')).toBe('alert');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('identite-nom');
      expect(await page.locator('#identite-sexe-female').getAttribute('aria-invalid')).toBe('true');
      expect(portal.requestsTo('PATCH', '/me')).toHaveLength(0);
      expect(await seriousViolations(page)).toEqual([]);

      await section.getByRole('textbox', { name: 'Nom de naissance' }).fill('Martin');
      await section.getByRole('textbox', { name: 'Prénoms' }).fill('Marie  Louise');
      await section.getByLabel('Date de naissance').fill('1980-03-02');
      await section.getByRole('group', { name: 'Sexe' }).getByLabel('Féminin').check();
      await section.getByRole('group', { name: 'Lieu de naissance' }).getByLabel('À l’étranger').check();
      await section.getByRole('textbox', { name: 'Code INSEE du pays de naissance' }).fill('99999');
      await section.getByRole('button', { name: 'Enregistrer mon identité' }).click();
      await page.locator('#identite-pays-erreur').getByText('pays inconnu').waitFor();
      expect(await page.locator('#identite-pays').getAttribute('aria-invalid')).toBe('true');

      await section.getByRole('group', { name: 'Lieu de naissance' }).getByLabel('En France').check();
      await section.getByRole('textbox', { name: 'Code INSEE de la commune de naissance' }).fill('69123');
      await section.getByRole('button', { name: 'Enregistrer mon identité' }).click();
      await page.getByRole('status').getByText('Votre identité a été enregistrée.').waitFor();
      expect(portal.requestsTo('PATCH', '/me').map((r) => r.body)).toEqual([
        { familyName: 'Martin', givenNames: 'Marie Louise', birthdate: '1980-03-02', gender: 'female', birthcountry: '99999', birthplace: null },
        { familyName: 'Martin', givenNames: 'Marie Louise', birthdate: '1980-03-02', gender: 'female', birthcountry: '99100', birthplace: '69123' },
      ]);
      expect(await section.innerText()).toContain('Informations déclarées sur ce portail.');
      expect(await section.locator('[data-field="birthdate"]').innerText()).toBe('2 mars 1980');
      expect(await section.locator('[data-field="birthcountry"]').innerText()).toBe('France');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('modifier-identite');
      // A logged-in account without FranceConnect can link it (FC-11), with the button as specified.
      const link = page.locator('section#associer-franceconnect a.fc-button');
      expect(await link.getAttribute('href')).toBe('auth/franceconnect/login?purpose=login');
      expect((await boxOf(link)).height).toBe(56);
    });

    it('offers to link a pending FranceConnect identity, and links it on confirmation (FC-11)', async () => {
      portal.state.me = {
        ...localCitizen(),
        pendingReconciliation: { identity: { familyName: 'MARTIN', givenNames: 'Marie Louise', birthdate: '1980-03-02', birthplace: '69123', birthcountry: '99100', gender: 'female' } },
      };
      const page = await open('profil');
      const banner = page.locator('section#reconciliation');
      expect(await banner.innerText()).toContain('Marie Louise MARTIN');
      expect(await banner.innerText()).toContain('2 mars 1980');
      expect(await page.locator('section#identite').innerText()).toContain('Aucune identité');
      expect(await seriousViolations(page)).toEqual([]);
      await banner.getByRole('button', { name: 'Lier cette identité à mon compte' }).click();
      await page.getByRole('status').getByText('Votre identité FranceConnect est désormais liée à votre compte.').waitFor();
      await expect(page.locator('section#reconciliation').count()).resolves.toBe(0);
      expect(portal.requestsTo('POST', '/reconciliation/confirm')).toHaveLength(1);
      expect(await page.locator('section#identite').innerText()).toContain('Identité transmise par FranceConnect');
      expect(await page.locator('section#identite [data-field="givenNames"]').innerText()).toBe('Marie Louise');
    });

    it('an account without e-mail (FranceConnect only) can add one, or save its usage name alone', async () => {
      portal.state.me = { ...franceConnectCitizen(), email: null };
      const page = await open('profil');
      const email = page.getByRole('textbox', { name: 'Adresse e-mail (facultatif)', exact: true });
      expect(await email.inputValue()).toBe('');
      await page.getByRole('textbox', { name: "Nom d'usage (facultatif)", exact: true }).fill('Durand');
      await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      await page.getByRole('status').getByText('Vos modifications ont été enregistrées.').waitFor();
      await email.fill('angela@example.fr');
      await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      await page.getByRole('status').getByText('Vos modifications ont été enregistrées.').waitFor();
      await page.waitForFunction(() => document.querySelector('header .who')?.textContent?.includes('Durand'));
      expect(portal.requestsTo('PATCH', '/me').map((r) => r.body)).toEqual([{ usageName: 'Durand' }, { email: 'angela@example.fr' }]);
    });

    it('lets the citizen refuse the link', async () => {
      portal.state.me = { ...localCitizen(), pendingReconciliation: { identity: { familyName: 'MARTIN', givenNames: 'Paul', birthdate: '1975-01-01', birthplace: '', birthcountry: '99134', gender: 'male' } } };
      const page = await open('profil');
      await page.getByRole('button', { name: 'Ne pas lier' }).click();
      await page.getByRole('status').getByText('L’identité FranceConnect n’a pas été liée à votre compte.').waitFor();
      expect(portal.requestsTo('POST', '/reconciliation/reject')).toHaveLength(1);
      expect(portal.requestsTo('POST', '/reconciliation/confirm')).toHaveLength(0);
    });

    it('deletes the account after an on-page confirmation, then follows the FranceConnect logout (FC-12)', async () => {
      portal.state.me = franceConnectCitizen();
      portal.state.deleteRedirect = '/fake-franceconnect/logout';
      const page = await open('profil');
      await page.getByRole('button', { name: 'Supprimer mon compte' }).click();
      const step = page.getByRole('group', { name: 'Confirmez-vous la suppression de votre compte ?' });
      await step.waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('suppression-confirmation-titre');
      expect(portal.requestsTo('DELETE', '/me')).toHaveLength(0);
      expect(await seriousViolations(page)).toEqual([]);
      await step.getByRole('button', { name: 'Annuler' }).click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('supprimer-compte');
      await page.getByRole('button', { name: 'Supprimer mon compte' }).click();
      await page.getByRole('button', { name: 'Oui, supprimer définitivement mon compte' }).click();
      await page.waitForURL(`${portal.url}/fake-franceconnect/logout`);
      expect(portal.requestsTo('DELETE', '/me')).toHaveLength(1);
    });

    it('without a FranceConnect session to end, deletion comes back home with a message', async () => {
      portal.state.me = localCitizen();
      const page = await open('profil');
      await page.getByRole('button', { name: 'Supprimer mon compte' }).click();
      await page.getByRole('button', { name: 'Oui, supprimer définitivement mon compte' }).click();
      await page.waitForURL(portal.portalUrl());
      expect(await page.getByRole('status').innerText()).toContain('Votre compte a été supprimé.');
      await expect(page.locator('header .who').count()).resolves.toBe(0);
    });

    it('logs out through FranceConnect when the API says so (FC-09), or back home', async () => {
      portal.state.me = franceConnectCitizen();
      portal.state.logoutRedirect = '/fake-franceconnect/logout';
      let page = await open('profil');
      await page.getByRole('button', { name: 'Se déconnecter' }).click();
      await page.waitForURL(`${portal.url}/fake-franceconnect/logout`);
      expect(portal.requestsTo('POST', '/logout')).toHaveLength(1);
      await current().close();

      portal.state.me = localCitizen();
      portal.state.logoutRedirect = null;
      page = await open('profil');
      await page.getByRole('button', { name: 'Se déconnecter' }).click();
      await page.waitForURL(portal.portalUrl());
      expect(await page.getByRole('status').innerText()).toContain('Vous êtes déconnecté(e).');
      await expect(page.getByRole('button', { name: 'Se déconnecter' }).count()).resolves.toBe(0);
      await expect(page.locator('section#connexion').count()).resolves.toBe(1);
    });
  });

  describe('data retrieval (FC-08, mode D)', () => {
    it('shows « Récupérer ses données avec FranceConnect » as specified and goes to FranceConnect', async () => {
      portal.state.me = localCitizen();
      const page = await open('profil');
      const section = page.locator('section#donnees');
      const button = section.locator('a.fc-button');
      expect((await button.innerText()).replace(/\s+/g, ' ').trim()).toBe('Récupérer ses données avec FranceConnect');
      expect(await section.locator('.fc-intro').innerText()).toContain("FranceConnect est la solution proposée par l'État");
      const b = await boxOf(button);
      const l = await boxOf(section.locator('.fc-info a'));
      recordMeasurement(`data retrieval button: ${b.width}x${b.height}, link gap ${l.y - (b.y + b.height)}`);
      expect(Math.abs(b.height - 56)).toBeLessThanOrEqual(1);
      expect(b.width).toBeGreaterThanOrEqual(209);
      expect(Math.abs(l.y - (b.y + b.height) - 8)).toBeLessThanOrEqual(1);
      expect(hexOf(await button.evaluate((el) => getComputedStyle(el).backgroundColor))).toBe('#000091');
      await button.hover();
      expect(hexOf(await button.evaluate((el) => getComputedStyle(el).backgroundColor))).toBe('#1212ff');
      await button.click();
      await page.waitForURL(`${portal.url}/t/${SLUG}/auth/franceconnect/login?purpose=data_retrieval`);
      expect(portal.requestsTo('POST', '/data-retrieval')).toHaveLength(1);
    });

    it('while FranceConnect’s authorisation lives, asks only for a confirmation, then shows the data with its use', async () => {
      portal.state.me = franceConnectCitizen();
      portal.state.dataRetrieval = { status: 'confirm_required', expiresAt: new Date(Date.now() + 20 * 60_000).toISOString() };
      const page = await open('profil');
      await page.locator('section#donnees a.fc-button').click();
      const step = page.getByRole('group', { name: 'Confirmer la récupération de vos données' });
      await step.waitFor();
      expect(await step.innerText()).toContain('session valable jusqu’à');
      expect(page.url()).toBe(portal.portalUrl('profil'));
      expect(await seriousViolations(page)).toEqual([]);
      portal.state.dataRetrievalResults = [
        {
          api: 'quotient_familial',
          label: 'Quotient familial CAF & MSA',
          provider: 'CNAF & MSA',
          usage: 'Calculer vos tarifs (restauration scolaire, accueil périscolaire, activités) sans attestation CAF ou MSA à fournir.',
          status: 'succeeded',
          description: 'Quotient familial 2550 (CNAF, juin 2023)',
          summary: { api: 'quotient_familial', quotientFamilial: { valeur: 2550, annee: 2023, mois: 6, fournisseur: 'CNAF' }, nombreEnfants: 0 },
          message: null,
          retrievedAt: new Date().toISOString(),
        },
        {
          api: 'complementaire_sante_solidaire',
          label: 'Complémentaire santé solidaire (C2S)',
          provider: 'DSS',
          usage: 'Vérifier vos droits à la complémentaire santé solidaire pour appliquer les tarifs sociaux.',
          status: 'pending',
          description: null,
          summary: null,
          message: 'La réponse n’est pas encore arrivée : elle s’affichera ici dès qu’elle sera disponible. Vous pouvez actualiser dans quelques instants.',
          retrievedAt: null,
        },
      ];
      await step.getByRole('button', { name: 'Confirmer la récupération' }).click();
      const result = page.getByRole('region', { name: 'Vos données récupérées' });
      await result.waitFor();
      const qf = result.locator('[data-api="quotient_familial"]');
      expect(await qf.innerText()).toContain('Quotient familial 2550 (CNAF, juin 2023)');
      expect(await qf.innerText()).toContain('Utilisation : Calculer vos tarifs');
      expect(await result.locator('[data-api="complementaire_sante_solidaire"]').innerText()).toContain('pas encore arrivée');
      // The late answer arrives: « Actualiser » shows it.
      portal.state.dataRetrievalResults = [
        portal.state.dataRetrievalResults[0] as Record<string, unknown>,
        { ...(portal.state.dataRetrievalResults[1] as Record<string, unknown>), status: 'succeeded', description: 'Bénéficiaire de la C2S sans participation financière', message: null, retrievedAt: new Date().toISOString() },
      ];
      await result.getByRole('button', { name: 'Actualiser' }).click();
      await result.getByText('Bénéficiaire de la C2S sans participation financière').waitFor();
      await expect(result.getByRole('button', { name: 'Actualiser' }).count()).resolves.toBe(0);
      await result.getByText('Autorisations données avec FranceConnect').click();
      const items = await result.locator('ul.scopes li').allInnerTexts();
      expect(items).toEqual(['Identifiant FranceConnect', 'Prénoms', 'Nom de naissance', 'Date de naissance', 'Quotient familial CAF & MSA', 'Identités enfants (Quotient familial CAF & MSA)']);
      expect(portal.requestsTo('POST', '/data-retrieval/confirm')).toHaveLength(1);
      expect(await seriousViolations(page)).toEqual([]);
    });

    it('is absent when the tenant does not enable it', async () => {
      portal.updateTenant({ dataRetrievalEnabled: false });
      portal.state.me = franceConnectCitizen();
      const page = await open('profil');
      await expect(page.locator('section#donnees').count()).resolves.toBe(0);
      await expect(page.getByText('Récupérer ses données avec').count()).resolves.toBe(0);
    });
  });

  describe('not found', () => {
    it('« Portail introuvable » for an unknown tenant', async () => {
      const page = await open('', {});
      await gotoPortal(page, portal.portalUrl('', 'commune-inconnue'));
      expect(await page.locator('h1').innerText()).toBe('Portail introuvable');
      expect(await page.title()).toBe('Portail introuvable');
      await expect(page.locator('.fc-button, form').count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
    });

    it('« Service momentanément indisponible » when the API fails', async () => {
      const page = await open('', {});
      await gotoPortal(page, portal.portalUrl('', 'en-panne'));
      expect(await page.locator('h1').innerText()).toBe('Service momentanément indisponible');
      expect(await page.title()).toBe('Service momentanément indisponible');
      current().errors.length = 0; // Chromium logs the 503 itself
    });

    it('« Page introuvable » for an unknown route of a known portal', async () => {
      const page = await open('nulle-part');
      expect(await page.locator('h1').innerText()).toBe('Page introuvable');
      expect(await page.title()).toBe('Page introuvable – Ville de Test');
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Retour à l’accueil du portail' }).click();
      await page.waitForURL(portal.portalUrl());
      expect(await page.title()).toBe('Connexion et inscription – Ville de Test');
    });
  });
});
