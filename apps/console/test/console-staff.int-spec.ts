/// <reference lib="dom" />
/**
 * The onboarding team's day in the console, in headless Chromium against the real API
 * (PostgreSQL, Redis) and the sandbox (company directory, FranceConnect): log in with TOTP, the
 * pipeline board, a new client from its SIRET (checked as typed, pre-filled from the directory,
 * warnings shown), the case moved through the stages (a refusal shows why), habilitations,
 * credentials stored then only ever shown masked, the qualification checklist, an overdue case
 * found with the filters, keyboard access and axe on every page, screenshots for the docs.
 */
import type { Page } from 'playwright-core';
import { ONBOARDING_STAGES } from '@fcplat/domain';
import { fakeFranceConnectCredential, makeTenant, setOnboardingStage } from '@fcplat/testing';
import {
  chooseOption,
  consoleSuite,
  focused,
  openClientSection,
  screenshotPath,
  seriousViolations,
  settled,
  SharedTab,
  tabUntil,
  waitForText,
  type ConsoleWorld,
  type TestAccount,
} from './console-harness.js';

/** Commune de Clamart, in the sandbox company directory (a real public body). */
const CLAMART = '21920023500014';
/** A closed establishment of the same commune: created with a warning. */
const CLAMART_CLOSED = '21920023500022';
/** A journey: several pages and API round trips. */
const JOURNEY_TIMEOUT = 90_000;

describe('console: the onboarding team’s journeys (Chromium, API, sandbox)', () => {
  let world: ConsoleWorld;
  let agent: TestAccount;
  const tab = new SharedTab(() => world, () => agent);
  let clientId = '';

  // No console error, no page error on any page of any journey (checked after each test).
  consoleSuite({ axe: 'staff', tabs: () => [tab] }, async (started) => {
    world = started;
    agent = await world.makeAccount({ role: 'onboarding_agent', displayName: 'Dominique Agent' });
  });

  /** One logged-in page for the whole file, like a working day. */
  const page = (): Promise<Page> => tab.page();
  const openSection = (p: Page, section: string): Promise<void> => openClientSection(p, world, clientId, section);

  it('logs in with password then TOTP and lands on the pipeline board, accessible and keyboard-reachable', async () => {
    const p = await page();
    expect(new URL(p.url()).pathname).toBe('/console/pipeline');
    await p.locator('[data-testid="pipeline"][data-state="ready"]').waitFor();
    expect(await p.title()).toBe('Suivi des intégrations – Console fcplat');
    await expect(p.getByTestId('connected-user').textContent()).resolves.toBe('Dominique Agent');
    // Every stage is on the board, with its count.
    await expect(p.locator('.stage-board .stage-card').count()).resolves.toBe(ONBOARDING_STAGES.length + 1);
    expect(await seriousViolations(p, 'pipeline')).toEqual([]);

    // Keyboard, from a fresh load: the skip link comes first and moves to <main>; the main
    // actions are reachable, with a visible focus.
    await p.reload();
    await p.locator('[data-testid="pipeline"][data-state="ready"]').waitFor();
    await p.keyboard.press('Tab');
    expect((await focused(p)).name).toBe('Aller au contenu');
    await p.keyboard.press('Enter');
    expect((await focused(p)).id).toBe('contenu');
    const path = await tabUntil(p, (el) => el.name === 'Nouveau client' && el.tag === 'a');
    const link = await focused(p);
    expect(link.outline).toMatch(/^solid [23]px$/);
    const onward = await tabUntil(p, (el) => el.id === 'recherche');
    expect([...path, ...onward].join(' → ')).toContain('Tous les dossiers');
    await p.screenshot({ path: screenshotPath('pipeline'), fullPage: true });

    // Served by the API under its strict policy (no inline script), and PrimeVue's styled mode
    // works under it: the theme's variables and the components' styles are applied.
    const served = await p.context().request.get(world.consoleUrl('pipeline'));
    const policy = served.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self' https: 'unsafe-inline'");
    const button = p.getByRole('button', { name: 'Actualiser' });
    expect(await button.evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe('solid');
    // The console's theme (apps/console/src/theme.ts) is in effect: outlined secondary buttons are slate 700.
    expect(await button.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(51, 65, 85)');
  }, JOURNEY_TIMEOUT);

  it('creates a client from a SIRET checked as typed, pre-filled from the company directory', async () => {
    const p = await page();
    await p.getByRole('link', { name: 'Nouveau client' }).first().click();
    await p.locator('#siret').waitFor();
    await settled(p);
    expect(await p.title()).toBe('Nouveau client – Console fcplat');

    // Checked as typed with the domain's pure check: a count while short, the reason once wrong.
    await p.locator('#siret').pressSequentially('2192002');
    await expect(p.locator('#siret-verification').textContent()).resolves.toBe('7 chiffres sur 14.');
    await p.locator('#siret').pressSequentially('3500015');
    await p.locator('#siret-erreur').waitFor();
    expect(await p.locator('#siret-erreur').textContent()).toContain('la clé de contrôle est incorrecte');
    expect(await p.locator('#siret').getAttribute('aria-invalid')).toBe('true');
    // Spaces are not removed silently: the cleaned value is offered.
    await p.locator('#siret').fill('219 200 235 00014');
    expect(await p.locator('#siret-erreur').textContent()).toContain('sans espace');
    await p.getByRole('button', { name: `Utiliser ${CLAMART}` }).click();
    await expect(p.locator('#siret').inputValue()).resolves.toBe(CLAMART);
    await expect(p.locator('#siret-verification').textContent()).resolves.toContain('SIRET valide');
    // Before anything is created: what the directory says of it.
    await waitForText(p.getByTestId('directory-preview'), /COMMUNE DE CLAMART/);
    expect(await p.getByTestId('directory-preview').innerText()).toContain('92140 CLAMART');
    await expect(p.locator('#name-aide').textContent()).resolves.toContain('« COMMUNE DE CLAMART »');
    expect(await seriousViolations(p, 'new client')).toEqual([]);
    await p.screenshot({ path: screenshotPath('new-client'), fullPage: true });

    await p.getByRole('button', { name: 'Créer le client' }).click();
    const created = p.getByTestId('created-client');
    await created.waitFor();
    expect(await created.locator('h2').textContent()).toBe('Client créé : COMMUNE DE CLAMART');
    const details = await created.locator('dl').innerText();
    expect(details).toContain('repris de l’annuaire des entreprises');
    expect(details).toContain('92140 CLAMART');
    expect(details).toContain('7210');
    expect(await created.getByTestId('directory-warnings').count()).toBe(0);
    await created.getByRole('link', { name: 'Ouvrir le dossier du client' }).click();
    await p.waitForURL(/\/console\/clients\/[0-9a-f-]{36}\/identite$/);
    clientId = /clients\/([0-9a-f-]{36})\//.exec(p.url())?.[1] ?? '';
    await p.locator('#section-titre').waitFor();
    expect(await p.getByTestId('client-name').textContent()).toBe('COMMUNE DE CLAMART');

    // The same SIRET again: refused next to the field.
    await p.goto(world.consoleUrl('clients/nouveau'));
    await p.locator('#siret').fill(CLAMART);
    // Announced before the attempt: the SIRET is already a client's, with a link to its file.
    await waitForText(p.getByTestId('directory-preview'), /déjà celui d’un client/);
    await p.getByRole('button', { name: 'Créer le client' }).click();
    await p.locator('#nouveau-client-probleme').waitFor();
    expect(await p.locator('#nouveau-client-probleme').innerText()).toContain('existe déjà');
    expect(await p.locator('#siret-erreur').textContent()).toContain('SIRET déjà enregistré');

    // A closed establishment: created, with the directory's warning shown.
    await p.locator('#siret').fill(CLAMART_CLOSED);
    await waitForText(p.getByTestId('directory-preview'), /est fermé/);
    await p.getByRole('button', { name: 'Créer le client' }).click();
    await p.getByTestId('directory-warnings').waitFor();
    expect(await p.getByTestId('directory-warnings').innerText()).toContain('est fermé');
    await p.screenshot({ path: screenshotPath('new-client-warnings'), fullPage: true });
  }, JOURNEY_TIMEOUT);

  it('moves the case through the stages; a refused move says why', async () => {
    const p = await page();
    await openSection(p, 'suivi');
    await expect(p.getByTestId('case-stage').innerText()).resolves.toContain('Client créé');
    await expect(p.getByTestId('next-actions').innerText()).resolves.toContain('DataPass');

    // Refused: the FranceConnect habilitation is not filed on DataPass.
    await p.getByRole('button', { name: 'Passer à l’étape « Habilitations demandées »' }).click();
    const refusal = p.locator('#transition-probleme');
    await refusal.waitFor();
    expect(await refusal.getAttribute('role')).toBe('alert');
    expect(await refusal.innerText()).toContain('La demande d’habilitation FranceConnect n’a pas été soumise sur DataPass');
    await expect(p.getByTestId('case-stage').innerText()).resolves.toContain('Client créé');
    expect(await seriousViolations(p, 'client journey (refused move)')).toEqual([]);
    await p.screenshot({ path: screenshotPath('client-journey-refused'), fullPage: true });

    // Record the habilitation as submitted, then the move goes through.
    await recordHabilitation(p, 'franceconnect', 'Soumise, en cours d’instruction', '12345');
    await openSection(p, 'suivi');
    await p.getByRole('button', { name: 'Passer à l’étape « Habilitations demandées »' }).click();
    await p.locator('#transition-statut').getByText('Le dossier est passé à l’étape « Habilitations demandées ».').waitFor();
    await expect(p.getByTestId('case-stage').innerText()).resolves.toContain('Habilitations demandées');

    // Validated on DataPass: the next stage.
    await recordHabilitation(p, 'franceconnect', 'Validée');
    await openSection(p, 'suivi');
    await p.getByRole('button', { name: 'Passer à l’étape « Habilitations validées »' }).click();
    await p.locator('#transition-statut').getByText('Le dossier est passé à l’étape « Habilitations validées ».').waitFor();

    // A rollback needs a reason: refused without, accepted with, and in the history.
    await p.getByText('Autre changement d’étape').click();
    await chooseOption(p, 'etape-visee', 'Client créé');
    await p.getByRole('button', { name: 'Changer d’étape' }).click();
    await p.locator('#motif-erreur').waitFor();
    expect(await p.locator('#motif-erreur').textContent()).toContain('Indiquez le motif');
    await p.locator('#motif').fill('Contact administratif à confirmer');
    await p.getByRole('button', { name: 'Changer d’étape' }).click();
    await p.locator('#transition-statut').getByText('Le dossier est passé à l’étape « Client créé ».').waitFor();
    await waitForText(p.getByTestId('stage-history'), 'Motif : Contact administratif à confirmer');
    await p.getByText('Autre changement d’étape').click();
    await chooseOption(p, 'etape-visee', 'Habilitations validées');
    await p.getByRole('button', { name: 'Changer d’étape' }).click();
    await p.locator('#transition-statut').getByText('Le dossier est passé à l’étape « Habilitations validées ».').waitFor();
    await p.screenshot({ path: screenshotPath('client-journey'), fullPage: true });
  }, JOURNEY_TIMEOUT);

  it('shows the URLs to declare with copy buttons, stores credentials and then only shows them masked', async () => {
    const p = await page();
    await openSection(p, 'franceconnect');
    const redirect = await p.getByTestId('redirect-uri').textContent();
    expect(redirect).toBe(`${world.api.url}/t/commune-de-clamart/auth/franceconnect/callback`);
    await p.locator('#copier-uri-redirection').click();
    await p.getByText('Copié dans le presse-papiers.').first().waitFor();
    expect(await p.evaluate(() => navigator.clipboard.readText())).toBe(redirect);

    // FranceConnect's format: 64 lowercase hexadecimal characters.
    const secret = '0123456789abcdef'.repeat(4);
    const sandbox = p.getByTestId('fc-credentials-sandbox');
    await sandbox.locator('#fc-sandbox-clientId').fill(fakeFranceConnectCredential());
    await sandbox.locator('#fc-sandbox-clientSecret').fill(secret);
    await sandbox.getByRole('button', { name: 'Enregistrer les identifiants' }).click();
    await p.locator('#fc-sandbox-statut').getByText(/Identifiants « Bac à sable FranceConnect » enregistrés/).waitFor();
    // Saving never puts an environment in service: the page says to choose one.
    await p.locator('#fc-sandbox-statut').getByText(/Choisissez l’environnement en service ci-dessus/).waitFor();
    await expect(p.getByTestId('header-environment-franceconnect').innerText()).resolves.toBe('FranceConnect : non choisi');
    await waitForText(sandbox.getByTestId('masked-secret'), /^•+cdef$/);
    // Write-only: the secret is nowhere in the page any more, not even in the field.
    await expect(sandbox.locator('#fc-sandbox-clientSecret').inputValue()).resolves.toBe('');
    expect(await p.content()).not.toContain(secret);
    // And after a reload, still masked only.
    await p.reload();
    await p.getByTestId('fc-credentials-sandbox').getByTestId('masked-secret').waitFor();
    expect(await p.content()).not.toContain(secret);

    // A try-out client at the sandbox FranceConnect, in one action.
    await p.getByRole('button', { name: 'Créer un client de bac à sable' }).click();
    await p.locator('#fc-bac-a-sable-statut').getByText(/Client de bac à sable créé/).waitFor();
    await p.getByTestId('fc-credentials-custom').waitFor();
    expect(await seriousViolations(p, 'franceconnect')).toEqual([]);
    await p.screenshot({ path: screenshotPath('franceconnect'), fullPage: true });

    // The case can now move on (sandbox credentials stored).
    await openSection(p, 'suivi');
    await p.getByRole('button', { name: 'Passer à l’étape « Identifiants d’intégration reçus »' }).click();
    await p.locator('#transition-statut').getByText(/Identifiants d’intégration reçus/).waitFor();
  }, JOURNEY_TIMEOUT);

  it('fills the qualification checklist with evidence, who and when', async () => {
    const p = await page();
    await openSection(p, 'recette');
    await expect(p.getByTestId('checklist-summary').innerText()).resolves.toMatch(/^0 conforme\(s\)/);
    const item = p.getByTestId('item-FC-01');
    await item.getByRole('button', { name: 'Enregistrer une vérification pour FC-01' }).click();
    await chooseOption(p, 'item-FC-01-status', 'Conforme');
    await p.locator('#item-FC-01-evidenceText').fill('Bouton FranceConnect conforme sur la page de connexion.');
    await p.locator('#item-FC-01-evidenceUrl').fill('pas une adresse');
    await p.getByRole('button', { name: 'Enregistrer la vérification' }).click();
    await expect(p.locator('#item-FC-01-evidenceUrl-erreur').textContent()).resolves.toContain('https://');
    await p.locator('#item-FC-01-evidenceUrl').fill('https://recette.example.fr/fc-01.png');
    await p.getByRole('button', { name: 'Enregistrer la vérification' }).click();
    await p.locator('#recette-statut').getByText('FC-01 : « Conforme » enregistré.').waitFor();
    await expect(item.getByTestId('item-status').textContent()).resolves.toBe('Conforme');
    const text = await item.innerText();
    expect(text).toContain('Bouton FranceConnect conforme');
    expect(text).toContain('par Dominique Agent');
    await expect(p.getByTestId('checklist-summary').innerText()).resolves.toMatch(/^1 conforme\(s\)/);
    // Focus returns to the item's button after saving.
    expect((await focused(p)).id).toBe('modifier-FC-01');

    await item.getByRole('button', { name: 'Enregistrer une vérification pour FC-01' }).click();
    await chooseOption(p, 'item-FC-01-status', 'Non conforme');
    await p.getByRole('button', { name: 'Enregistrer la vérification' }).click();
    await p.locator('#recette-statut').getByText('FC-01 : « Non conforme » enregistré.').waitFor();
    expect(await seriousViolations(p, 'checklist')).toEqual([]);
    await p.screenshot({ path: screenshotPath('checklist'), fullPage: false });
  }, JOURNEY_TIMEOUT);

  it('writes an internal note and a message to the client, choosing each time who reads it', async () => {
    const p = await page();
    await openSection(p, 'suivi');
    const comments = p.locator('section[aria-labelledby="commentaires"]');
    await comments.locator('#commentaire').fill('Le DPO du client est absent jusqu’au 15 : relancer après.');
    await comments.getByRole('button', { name: 'Publier le commentaire' }).click();
    // No default: the choice is asked for, next to the field.
    await expect(comments.locator('#visibilite-erreur').textContent()).resolves.toContain('note interne ou message au client');
    await comments.getByLabel('Note interne').check();
    await comments.getByRole('button', { name: 'Publier le commentaire' }).click();
    await comments.locator('li[data-visibility="internal"]').getByText('Le DPO du client est absent').waitFor();
    await comments.locator('#commentaire').fill('Merci de nous envoyer le numéro de la demande DataPass.');
    await comments.getByLabel('Message au client').check();
    await comments.getByRole('button', { name: 'Publier le commentaire' }).click();
    const message = comments.locator('li[data-visibility="client"]').filter({ hasText: 'numéro de la demande DataPass' });
    await message.waitFor();
    await expect(message.locator('.badge').textContent()).resolves.toBe('Message au client');
    await expect(comments.locator('li[data-visibility="internal"] .badge').first().textContent()).resolves.toBe('Note interne');
    expect(await seriousViolations(p, 'comments')).toEqual([]);
    await p.screenshot({ path: screenshotPath('comments-visibility'), fullPage: false });
  }, JOURNEY_TIMEOUT);

  it('finds an overdue case with the filters and the board', async () => {
    const p = await page();
    const late = await makeTenant(world.dataSource, { name: 'Commune de Retardville' });
    const fresh = await makeTenant(world.dataSource, { name: 'Commune de Retardville-le-Neuf' });
    await setOnboardingStage(world.dataSource, late.id, 'habilitations_requested', { enteredAt: new Date(Date.now() - 90 * 86_400_000) });
    await setOnboardingStage(world.dataSource, fresh.id, 'habilitations_requested', { enteredAt: new Date() });

    await p.goto(world.consoleUrl('pipeline'));
    await p.locator('[data-testid="pipeline"][data-state="ready"]').waitFor();
    await p.locator('#recherche').fill('Retardville');
    await p.waitForURL(/recherche=Retardville/);
    await p.locator('[data-testid="result-count"]', { hasText: /^2 dossiers$/ }).waitFor();
    await p.getByText('En retard uniquement').click();
    await p.waitForURL(/retard=oui/);
    await p.locator('[data-testid="result-count"]', { hasText: /^1 dossier$/ }).waitFor();
    const row = p.getByTestId('case-row');
    await expect(row.count()).resolves.toBe(1);
    const text = await row.innerText();
    expect(text).toContain('Commune de Retardville');
    expect(text).toContain('En retard');
    expect(text).toContain('Habilitations demandées');
    // Who has to act, as the pipeline's subtitle promises (an application for habilitations waits on DataPass).
    await expect(row.getByTestId('case-waiting-on').textContent()).resolves.toBe('DataPass');

    // The board filters by stage too; the filters live in the URL (shareable, back button).
    await p.locator('.stage-card[data-stage="habilitations_requested"]').click();
    await p.waitForURL(/etape=habilitations_requested/);
    await expect(p.locator('.stage-card[data-stage="habilitations_requested"]').getAttribute('aria-pressed')).resolves.toBe('true');
    await p.locator('[data-testid="result-count"]', { hasText: /^1 dossier$/ }).waitFor();
    await p.goBack();
    await p.waitForURL((url) => !url.search.includes('etape='));
    await p.reload();
    await p.locator('[data-testid="pipeline"][data-state="ready"]').waitFor();
    await expect(p.locator('#recherche').inputValue()).resolves.toBe('Retardville');
    await p.locator('[data-testid="result-count"]', { hasText: /^1 dossier$/ }).waitFor();
    expect(await seriousViolations(p, 'pipeline (filtered)')).toEqual([]);
    await p.screenshot({ path: screenshotPath('pipeline-overdue'), fullPage: true });

    // From the row to the client's file.
    await row.getByRole('link', { name: 'Commune de Retardville' }).click();
    await p.locator('#section-titre').waitFor();
    await expect(p.getByTestId('case-stage').innerText()).resolves.toContain('En retard de');
  }, JOURNEY_TIMEOUT);

  it('is operable with the keyboard alone on a client’s file: sections, forms, focus moves', async () => {
    const p = await page();
    await openSection(p, 'suivi');
    await p.reload();
    await p.locator('#section-titre').waitFor();
    await p.keyboard.press('Tab');
    await p.keyboard.press('Enter');
    await tabUntil(p, (el) => el.tag === 'a' && el.name === 'FranceConnect');
    expect((await focused(p)).outline).toMatch(/^solid [23]px$/);
    await p.keyboard.press('Enter');
    await p.waitForURL(/\/franceconnect$/);
    // The focus moves to the new section's heading, so the next Tab continues from there.
    await p.locator('#section-titre', { hasText: 'FranceConnect' }).waitFor();
    await p.waitForFunction(() => document.activeElement?.id === 'section-titre');
    await tabUntil(p, (el) => el.id === 'copier-uri-redirection');
    await p.keyboard.press('Enter');
    await p.getByText('Copié dans le presse-papiers.').first().waitFor();
    // A form is filled and sent with the keyboard: Enter in a field submits it.
    await tabUntil(p, (el) => el.id === 'fc-production-clientId');
    await p.keyboard.type(fakeFranceConnectCredential());
    await p.keyboard.press('Tab');
    await p.keyboard.type(fakeFranceConnectCredential());
    await p.keyboard.press('Enter');
    await p.locator('#fc-production-statut').getByText(/Identifiants « Production » enregistrés/).waitFor();
  }, JOURNEY_TIMEOUT);

  it('shows the habilitations, identity and journal sections without accessibility problems', async () => {
    const p = await page();
    for (const [section, shot] of [
      ['habilitations', 'habilitations'],
      ['identite', 'identity'],
      ['api-particulier', 'api-particulier'],
      ['journal', 'journal'],
    ] as const) {
      await openSection(p, section);
      if (section === 'journal') await p.getByTestId('journal').waitFor();
      if (section === 'habilitations') await p.getByTestId('habilitation-franceconnect').waitFor();
      expect(await seriousViolations(p, `client ${section}`)).toEqual([]);
      await p.screenshot({ path: screenshotPath(shot), fullPage: true });
    }
    const journal = await p.getByTestId('journal').innerText();
    expect(journal).toContain('Changement d’étape');
    expect(journal).toContain('Identifiants FranceConnect enregistrés');
    expect(journal).toContain('Client créé');
    // Secrets never reach the journal.
    expect(journal).not.toContain('0123456789abcdef'.repeat(4));
    // What changed, in French with the values people know; never a raw field name.
    expect(journal).toMatch(/Étape : [^\n]+ → [^\n]+/);
    expect(journal).not.toMatch(/\b(bodyLength|tokenReplaced|clientSecretReplaced|dsFileNumber|passedThrough|environment|visibility)\b/);
    // Filtered by type of action.
    await chooseOption(p, 'journal-type', 'Suivi du dossier et commentaires');
    await waitForText(p.getByTestId('journal'), 'Commentaire ajouté');
    expect(await p.getByTestId('journal').innerText()).not.toContain('Identifiants FranceConnect enregistrés');
    expect(await seriousViolations(p, 'journal filtered')).toEqual([]);
  }, JOURNEY_TIMEOUT);

  it('records the identity data a FranceConnect habilitation grants, shown in French', async () => {
    const p = await page();
    // A client with no FranceConnect habilitation recorded yet (every state may be recorded).
    const fresh = await makeTenant(world.dataSource, { name: 'Commune de Scopeville' });
    await openClientSection(p, world, fresh.id, 'habilitations');
    const card = p.getByTestId('habilitation-franceconnect');
    await chooseOption(p, 'hab-franceconnect-state', 'Validée');
    for (const label of ['Prénoms', 'Nom de naissance', 'Adresse électronique']) await card.getByLabel(label, { exact: true }).check();
    await card.getByRole('button', { name: 'Enregistrer l’état' }).click();
    await p.locator('#hab-franceconnect-statut').getByText(/état « Validée » enregistré/).waitFor();
    await waitForText(card.getByTestId('habilitation-franceconnect-scopes'), 'Prénoms, Nom de naissance, Adresse électronique');
    expect(await seriousViolations(p, 'franceconnect habilitation scopes')).toEqual([]);
  }, JOURNEY_TIMEOUT);

  it('after a new release, loads a page whose chunk is gone from the server again, and says so when a part stays missing', async () => {
    const p = await page();
    await p.goto(world.consoleUrl('pipeline'));
    await settled(p);
    await p.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    // The previous release's chunk of the new-client page is gone (404) the first time…
    let refused = 0;
    const newClientChunk = /\/console\/assets\/NewClientPage-[^/]+\.js$/;
    await p.route(newClientChunk, (route) => (refused++ === 0 ? route.fulfill({ status: 404, body: '' }) : route.continue()));
    await p.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Nouveau client' }).click();
    // …so the console loads that page from the server: a new document, the page shown.
    await p.waitForURL(/\/console\/clients\/nouveau$/);
    await p.getByRole('heading', { level: 1, name: 'Nouveau client' }).waitFor();
    expect(await p.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBeUndefined();
    expect(refused).toBe(2);
    await p.unroute(newClientChunk);

    // A section's chunk that stays missing: one reload, then a notice instead of a loop.
    const journalChunk = /\/console\/assets\/JournalSection-[^/]+\.js$/;
    let journalRequests = 0;
    await p.route(journalChunk, (route) => {
      journalRequests++;
      return route.fulfill({ status: 404, body: '' });
    });
    await openSection(p, 'suivi');
    await p.getByRole('link', { name: 'Journal' }).click();
    const notice = p.getByTestId('new-release');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('La console a été mise à jour');
    expect(journalRequests).toBe(2);
    await p.unroute(journalChunk);
    await notice.getByRole('button', { name: 'Recharger la page' }).click();
    await p.getByTestId('journal').waitFor();
    expect(await p.getByTestId('new-release').count()).toBe(0);
  }, JOURNEY_TIMEOUT);

  it('logs out: the session is gone and the pages ask to log in again', async () => {
    const p = await page();
    await p.getByRole('button', { name: 'Se déconnecter' }).click();
    await p.waitForURL(/\/console\/connexion/);
    await p.getByText('Vous êtes déconnecté(e).').waitFor();
    await p.goto(world.consoleUrl('pipeline'));
    await p.waitForURL((url) => url.pathname === '/console/connexion' && url.searchParams.get('retour') === '/pipeline');
    expect(await seriousViolations(p, 'login')).toEqual([]);
    await p.screenshot({ path: screenshotPath('login'), fullPage: true });
  }, JOURNEY_TIMEOUT);

  /** Records a DataPass state of a product from the habilitations section. */
  async function recordHabilitation(p: Page, product: 'franceconnect' | 'api_particulier', stateLabel: string, dataPassId?: string): Promise<void> {
    await openSection(p, 'habilitations');
    const card = p.getByTestId(`habilitation-${product}`);
    await chooseOption(p, `hab-${product}-state`, stateLabel);
    if (dataPassId) await card.locator(`#hab-${product}-datapass`).fill(dataPassId);
    await card.getByRole('button', { name: 'Enregistrer l’état' }).click();
    await p.locator(`#hab-${product}-statut`).getByText(/état « .+ » enregistré/).waitFor();
    await waitForText(card.getByTestId('habilitation-state'), new RegExp(`^${stateLabel}$`));
  }
});
