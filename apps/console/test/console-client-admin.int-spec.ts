/// <reference lib="dom" />
/**
 * A client administrator's journeys in headless Chromium against the real API, the sandbox mail
 * sink and the built citizen portal: the invitation e-mail, the first login with the TOTP set-up
 * (QR code), their own file only (another tenant's is « introuvable »), onboarding progress in
 * plain words, the portal branding edited then seen on the portal, production credentials, a
 * password reset by e-mail, logout.
 */
import type { Page } from 'playwright-core';
import type { TenantEntity } from '@fcplat/db';
import { callApi, fakeFranceConnectCredential, linkIn, makeHabilitation, makeTenant, recordLiveEnvironment } from '@fcplat/testing';
import {
  consoleSuite,
  logIn,
  nextTotpCode,
  screenshotPath,
  seriousViolations,
  settled,
  SharedTab,
  waitForText,
  type ConsoleWorld,
  type TestAccount,
} from './console-harness.js';

const JOURNEY_TIMEOUT = 90_000;
const PASSWORD = 'Une longue phrase pour la mairie';
const NEW_PASSWORD = 'Un tout autre mot de passe solide';

describe('console: a client administrator’s journeys (Chromium, API, mail sink, portal)', () => {
  let world: ConsoleWorld;
  let own: TenantEntity;
  let other: TenantEntity;
  const tab = new SharedTab(() => world);
  /** Filled once the invitation is accepted and the authenticator set up. */
  const admin: { email: string; password: string; account: TestAccount | null } = { email: '', password: PASSWORD, account: null };

  consoleSuite({ axe: 'client admin', portal: true, tabs: () => [tab] }, async (started) => {
    world = started;
    own = await makeTenant(world.dataSource, { name: 'Commune de Portailville', slug: 'portailville' });
    other = await makeTenant(world.dataSource, { name: 'Commune Voisine', slug: 'voisine' });
    admin.email = `camille.martin-${process.pid}@portailville.test`;
  });

  const page = (): Promise<Page> => tab.page();

  it('accepts the invitation from the e-mail, then sets up TOTP with the QR code at the first login', async () => {
    const invited = await callApi<{ invitation: { sent: boolean } }>(world.api.url, 'POST', `/api/tenants/${own.id}/admins`, {
      auth: world.adminAuthorization,
      body: { email: admin.email, displayName: 'Camille Martin' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body.invitation.sent).toBe(true);
    const mail = await world.inbox.waitFor(admin.email, { subject: /Invitation/ });
    const link = linkIn(mail.text, '/console/invitation');
    expect(link.origin).toBe(world.api.url);

    const p = await page();
    await p.goto(link.href);
    await settled(p);
    expect(await p.title()).toBe('Activer mon compte – Console fcplat');
    // Checked in the browser first, then by the API's policy (shown next to the field).
    await p.locator('#password').fill('trop court');
    await p.locator('#confirmation').fill('trop court');
    await p.getByRole('button', { name: 'Activer mon compte' }).click();
    await expect(p.locator('#password-erreur').textContent()).resolves.toContain('Au moins 12 caractères');
    await p.locator('#password').fill(`${admin.email}`);
    await p.locator('#confirmation').fill(`${admin.email}`);
    await p.getByRole('button', { name: 'Activer mon compte' }).click();
    await p.locator('#invitation-probleme').waitFor();
    expect((await p.locator('#password-erreur').textContent()) ?? '').not.toBe('');
    expect(await seriousViolations(p, 'invitation')).toEqual([]);
    await p.locator('#password').fill(PASSWORD);
    await p.locator('#confirmation').fill(PASSWORD);
    await p.getByRole('button', { name: 'Activer mon compte' }).click();
    await p.waitForURL(/\/console\/connexion$/);
    await p.getByText(`Votre compte ${admin.email} est activé.`, { exact: false }).waitFor();

    // First login: password, then the set-up of the authenticator.
    await p.locator('#email').fill(admin.email);
    await p.locator('#password').fill(PASSWORD);
    await p.getByRole('button', { name: 'Continuer' }).click();
    await p.getByRole('heading', { name: 'Étape 2 sur 2 : configurer votre application d’authentification' }).waitFor();
    const qr = p.getByRole('img', { name: 'QR code de configuration de l’application d’authentification' });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const secret = ((await p.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(await seriousViolations(p, 'TOTP set-up')).toEqual([]);
    await p.screenshot({ path: screenshotPath('totp-setup'), fullPage: true });

    const user = await world.dataSource.query(`SELECT id FROM app_user WHERE email = $1`, [admin.email]);
    admin.account = { user: { id: (user as { id: string }[])[0]?.id ?? '' } as TestAccount['user'], email: admin.email, password: PASSWORD, secret };
    await p.locator('#code').fill('000000');
    await p.getByRole('button', { name: 'Activer et me connecter' }).click();
    await p.locator('#connexion-probleme').waitFor();
    expect(await p.locator('#connexion-probleme').innerText()).toContain('Code incorrect');
    await p.locator('#code').fill(await nextTotpCode(admin.account));
    await p.getByRole('button', { name: 'Activer et me connecter' }).click();
    await p.waitForURL(`${world.consoleUrl(`clients/${own.id}/suivi`)}`);
    await settled(p);
  }, JOURNEY_TIMEOUT);

  it('sees their own file first, with the onboarding progress in plain words and a role-aware menu', async () => {
    const p = await page();
    await p.getByTestId('progress-summary').waitFor();
    expect(await p.getByTestId('client-name').textContent()).toBe('Commune de Portailville');
    const nextActions = await p.getByTestId('next-actions').innerText();
    expect(nextActions).toMatch(/Votre organisme :/);
    await expect(p.getByTestId('waiting-on').textContent()).resolves.toBe('Votre organisme');
    const nav = p.getByRole('navigation', { name: 'Navigation principale' });
    await expect(nav.getByRole('link').allTextContents()).resolves.toEqual(['Mon dossier', 'Mon équipe', 'Mon portail', 'Notifications']);
    expect(await nav.getByRole('link', { name: 'Mon portail' }).getAttribute('href')).toBe('/t/portailville/');
    // No staff-only move, and the stage buttons of the staff are absent.
    await expect(p.locator('#avancer').count()).resolves.toBe(0);
    expect(await seriousViolations(p, 'client admin: own file')).toEqual([]);
    await p.screenshot({ path: screenshotPath('client-admin-home'), fullPage: true });

    // Staff pages send them back to their own file.
    await p.goto(world.consoleUrl('pipeline'));
    await p.waitForURL(world.consoleUrl(`clients/${own.id}/suivi`));
  }, JOURNEY_TIMEOUT);

  it('reads the team’s messages but never its internal notes, and writes to the team', async () => {
    const post = (body: Record<string, unknown>) => callApi(world.api.url, 'POST', `/api/tenants/${own.id}/onboarding/comments`, { auth: world.adminAuthorization, body });
    expect((await post({ body: 'Note de l’équipe : client à relancer par téléphone.', visibility: 'internal' })).status).toBe(201);
    expect((await post({ body: 'Bonjour, pouvez-vous confirmer le contact technique ?', visibility: 'client' })).status).toBe(201);
    const p = await page();
    await p.goto(world.consoleUrl(`clients/${own.id}/suivi`));
    const comments = p.locator('section[aria-labelledby="commentaires"]');
    await comments.getByText('pouvez-vous confirmer le contact technique').waitFor();
    expect(await comments.innerText()).not.toContain('client à relancer');
    // No choice to make: a client administrator writes to the team.
    await expect(comments.locator('input[type="radio"]').count()).resolves.toBe(0);
    await comments.getByLabel('Nouveau message à l’équipe de l’éditeur').fill('Oui, c’est Alex Durand.');
    await comments.getByRole('button', { name: 'Envoyer le message' }).click();
    await comments.getByText('Oui, c’est Alex Durand.').waitFor();
    expect(await seriousViolations(p, 'client admin: comments')).toEqual([]);
  }, JOURNEY_TIMEOUT);

  it('cannot see another tenant: a direct URL says « introuvable »', async () => {
    const p = await page();
    for (const path of [`clients/${other.id}/suivi`, `clients/${other.id}/franceconnect`, 'clients/00000000-0000-4000-8000-000000000000/identite']) {
      await p.goto(world.consoleUrl(path));
      await waitForText(p.locator('main h1'), /^Organisme introuvable$/);
      await settled(p);
      expect(await p.locator('main').innerText()).toContain('introuvable');
      expect(await p.locator('main').innerText()).not.toContain('Commune Voisine');
    }
    expect(await p.title()).toBe('Organisme introuvable – Console fcplat');
    expect(await seriousViolations(p, 'client admin: another tenant')).toEqual([]);
    await p.screenshot({ path: screenshotPath('not-found'), fullPage: true });
  }, JOURNEY_TIMEOUT);

  it('edits the portal branding and sees it on the citizen portal', async () => {
    const p = await page();
    await p.goto(world.consoleUrl(`clients/${own.id}/identite`));
    await p.locator('#section-titre').waitFor();
    // What only the editor may change is not offered.
    await expect(p.locator('#name').count()).resolves.toBe(0);
    await expect(p.locator('#connexionEnabled').isDisabled()).resolves.toBe(true);

    await p.locator('#branding-portalName').fill('Ville de Portailville');
    await p.locator('#branding-primaryColor').fill('violet');
    await p.getByRole('button', { name: 'Enregistrer l’apparence du portail' }).click();
    await expect(p.locator('#branding-primaryColor-erreur').textContent()).resolves.toContain('#rrggbb');
    expect((await callApi<{ branding: Record<string, string> }>(world.api.url, 'GET', `/api/tenants/${own.id}`, { auth: world.adminAuthorization })).body.branding).toEqual({});

    await p.locator('#branding-primaryColor').fill('#6a1b9a');
    await p.locator('#branding-secondaryColor').fill('#ffb300');
    await p.getByRole('button', { name: 'Enregistrer l’apparence du portail' }).click();
    await p.locator('#portail-statut').getByText('L’apparence du portail est enregistrée', { exact: false }).waitFor();
    await expect(p.getByTestId('branding-preview').textContent()).resolves.toBe('Ville de Portailville');
    // The contacts form saves too, on top of the branding change (no false conflict).
    await p.locator('#technicalContact-name').fill('Service informatique');
    await p.locator('#technicalContact-email').fill('informatique@portailville.test');
    // Retrieval at login needs data retrieval: offered once data retrieval is ticked.
    await expect(p.locator('#dataRetrievalAtLogin').isDisabled()).resolves.toBe(true);
    await p.locator('#dataRetrievalEnabled').check();
    await p.locator('#dataRetrievalAtLogin').check();
    await p.getByRole('button', { name: 'Enregistrer la fiche' }).click();
    await p.locator('#fiche-statut').getByText('La fiche est enregistrée.').waitFor();
    expect((await callApi<Record<string, unknown>>(world.api.url, 'GET', `/api/tenants/${own.id}`, { auth: world.adminAuthorization })).body).toMatchObject({
      dataRetrievalEnabled: true,
      dataRetrievalAtLogin: true,
    });
    expect(await seriousViolations(p, 'client admin: identity and branding')).toEqual([]);
    await p.screenshot({ path: screenshotPath('branding'), fullPage: true });

    await p.getByTestId('portal-address').click();
    await p.waitForURL(`${world.api.url}/t/portailville/`);
    const header = p.locator('header.site-header');
    await header.waitFor();
    await expect(header.locator('.brand').innerText()).resolves.toBe('Ville de Portailville');
    expect(await header.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(106, 27, 154)');
    await p.screenshot({ path: screenshotPath('branding-on-portal'), fullPage: false });
  }, JOURNEY_TIMEOUT);

  it('stores the production credentials they received, and sees them masked only', async () => {
    const p = await page();
    await p.goto(world.consoleUrl(`clients/${own.id}/franceconnect`));
    await p.locator('#section-titre').waitFor();
    // Production only: the integration (sandbox) credentials are the editor's.
    await expect(p.locator('#fc-sandbox-clientId').count()).resolves.toBe(0);
    await expect(p.getByRole('button', { name: 'Créer un client de bac à sable' }).count()).resolves.toBe(0);
    // The live environment is shown, read-only: staff choose it.
    const live = p.getByTestId('live-environment-franceconnect');
    await waitForText(live.getByTestId('live-environment'), 'Aucun environnement n’est en service.');
    await expect(live.locator('input[type="radio"]').count()).resolves.toBe(0);
    await expect(p.getByRole('button', { name: 'Tester la configuration' }).count()).resolves.toBe(0);
    // FranceConnect's format: 64 lowercase hexadecimal characters.
    const secret = `${fakeFranceConnectCredential().slice(0, 60)}beef`;
    await p.locator('#fc-production-clientId').fill(fakeFranceConnectCredential());
    await p.locator('#fc-production-clientSecret').fill(secret);
    await p.getByRole('button', { name: 'Enregistrer les identifiants' }).click();
    await p.locator('#fc-production-statut').getByText(/Identifiants « Production » enregistrés/).waitFor();
    // Saving does not put production in service: the editor's team chooses.
    await p.locator('#fc-production-statut').getByText(/L’équipe de l’éditeur choisira l’environnement en service/).waitFor();
    await expect(p.getByTestId('header-environment-franceconnect').innerText()).resolves.toBe('FranceConnect : non choisi');
    await waitForText(p.getByTestId('fc-credentials-production').getByTestId('masked-secret'), /^•+beef$/);
    expect(await p.content()).not.toContain(secret);
    expect(await seriousViolations(p, 'client admin: franceconnect')).toEqual([]);
  }, JOURNEY_TIMEOUT);

  it('sends a batch of dossiers to API Particulier, sees the bad lines, follows the progress, gets the results and the call log', async () => {
    await makeHabilitation(world.dataSource, own.id, 'api_particulier', {
      state: 'validated',
      validatedAt: new Date(),
      scopes: ['cnaf_quotient_familial'],
      modalities: ['pivot_identity', 'france_connect'],
    });
    // The editor's team gives the client a sandbox token (the stand-in mints it).
    const minted = await callApi(world.api.url, 'POST', `/api/tenants/${own.id}/api-particulier/sandbox-token`, { auth: world.adminAuthorization });
    expect(minted.status).toBe(200);
    // Storing a token chooses nothing: the editor's team puts the sandbox in service.
    await recordLiveEnvironment(world.dataSource, own.id, 'api_particulier', 'sandbox');
    const p = await page();
    await p.goto(world.consoleUrl(`clients/${own.id}/api-particulier`));
    await p.locator('#section-titre').waitFor();
    const csv = [
      'reference;nom_naissance;nom_usage;prenoms;sexe;date_naissance;code_pays_naissance;code_commune_naissance;nom_commune_naissance;code_departement_naissance',
      'CANTINE-1;LEFEBVRE;;ALEXIS;F;27/12/1982;99100;08480;;',
      'CANTINE-2;MARTIN;;Pierre;X;01/01/1980;99100;75107;;',
      'CANTINE-3;PERSONNE;;Inconnue;F;01/01/1970;99100;75107;;',
    ].join('\n');
    await p.locator('#apip-lot-file').setInputFiles({ name: 'cantine.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await p.getByRole('button', { name: 'Envoyer le lot' }).click();
    await p.locator('#apip-lot-statut').getByText(/2 dossier\(s\) en cours de traitement, 1 ligne\(s\) rejetée\(s\)/).waitFor();
    await waitForText(p.getByTestId('apip-rejections'), /Ligne 3 \(CANTINE-2\) : Sexe « X » invalide/);
    await waitForText(p.getByTestId('batch-progress'), /^Terminé : 1 réussi\(s\), 1 en échec ; 1 ligne\(s\) rejetée\(s\) sur 3$/);
    // The notice of the upload follows: it no longer says the dossiers are being processed.
    await p.locator('#apip-lot-statut').getByText('Lot terminé : 1 dossier(s) traité(s), 1 en échec, 1 ligne(s) rejetée(s).', { exact: false }).waitFor();
    expect(await p.locator('#apip-lot-statut').innerText()).not.toContain('en cours de traitement');
    const results = p.getByTestId('apip-batches').getByRole('link', { name: 'Résultats' });
    const href = await results.getAttribute('href');
    const download = await p.context().request.get(new URL(href ?? '', world.api.url).href);
    expect(download.status()).toBe(200);
    expect(await download.text()).toMatch(/2;CANTINE-1;ok;Quotient familial 2550/);
    // The call log: who, which dossier, the outcome — never the data.
    await p.getByTestId('apip-calls').waitFor();
    const log = await p.getByTestId('apip-calls').innerText();
    expect(log).toContain('dossier CANTINE-1');
    expect(log).toContain('Aucun dossier trouvé pour cette personne.');
    expect(log).not.toContain('2550');
    // Each call and each batch says which API Particulier environment it used.
    await expect(p.getByTestId('apip-calls').locator('thead').innerText()).resolves.toContain('Environnement');
    const environments = await p.getByTestId('call-environment').allInnerTexts();
    expect(environments.length).toBeGreaterThan(0);
    expect(new Set(environments)).toEqual(new Set(['Test : Bac à sable de la plateforme']));
    await expect(p.getByTestId('batch-environment').first().innerText()).resolves.toBe('Test : Bac à sable de la plateforme');
    await expect(p.getByTestId('header-environment-api_particulier').innerText()).resolves.toBe('API Particulier : Test : Bac à sable de la plateforme');
    await p.screenshot({ path: screenshotPath('api-particulier-activity'), fullPage: true });
    expect(await seriousViolations(p, 'client admin: api particulier')).toEqual([]);
  }, JOURNEY_TIMEOUT);

  it('resets a forgotten password by e-mail, then logs in with the new one; logs out', async () => {
    const p = await page();
    await p.getByRole('button', { name: 'Se déconnecter' }).click();
    await p.waitForURL(/\/console\/connexion/);
    await p.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    // The login page has an #email field too: wait for the other page before typing.
    await p.waitForURL(/\/console\/mot-de-passe-oublie$/);
    await p.getByRole('button', { name: 'Recevoir un lien' }).waitFor();
    await p.locator('#email').fill(admin.email);
    await p.getByRole('button', { name: 'Recevoir un lien' }).click();
    await p.getByText('un e-mail contenant un lien de réinitialisation vient de lui être envoyé', { exact: false }).waitFor();
    expect(await seriousViolations(p, 'forgotten password')).toEqual([]);
    const mail = await world.inbox.waitFor(admin.email, { subject: /Réinitialisation/ });
    await p.goto(linkIn(mail.text, '/console/password-reset').href);
    await settled(p);
    await p.locator('#password').fill(NEW_PASSWORD);
    await p.locator('#confirmation').fill(`${NEW_PASSWORD} !`);
    await p.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await expect(p.locator('#confirmation-erreur').textContent()).resolves.toContain('pas identiques');
    await p.locator('#confirmation').fill(NEW_PASSWORD);
    await p.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await p.waitForURL(/\/console\/connexion$/);
    await p.getByText('Votre mot de passe a été changé', { exact: false }).waitFor();
    expect(await seriousViolations(p, 'login after reset')).toEqual([]);

    if (!admin.account) throw new Error('the first journey did not set up the account');
    await logIn(p, world, { ...admin.account, password: NEW_PASSWORD });
    expect(new URL(p.url()).pathname).toBe(`/console/clients/${own.id}/suivi`);
    await p.getByRole('button', { name: 'Se déconnecter' }).click();
    await p.getByText('Vous êtes déconnecté(e).').waitFor();
    const me = await p.context().request.get(`${world.api.url}/api/auth/me`);
    expect(me.status()).toBe(401);
  }, JOURNEY_TIMEOUT);
});
