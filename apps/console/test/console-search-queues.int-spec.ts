/// <reference lib="dom" />
/**
 * Issue 16 in the console, in headless Chromium against the real API (PostgreSQL, Redis) and the
 * sandbox: the pipeline's search forgives a typo (« Clamrt » finds « Mairie de Clamart »), the
 * new-client page finds an organisation in the company directory by name and picks its SIRET,
 * and the « Files d'attente » page shows every queue's jobs per state and the rate-limit pauses in
 * French (the former /api/admin/queues page leads to it), and a portal logo is uploaded from the
 * client's identity section (an SVG with a script: shown without it). Axe on every page,
 * screenshots for the docs.
 */
import type { Page } from 'playwright-core';
import { makeTenant } from '@fcplat/testing';
import { LOGO_MAX_BYTES } from '@fcplat/domain';
import { consoleSuite, openClientSection, screenshotPath, seriousViolations, settled, SharedTab, waitForText, type ConsoleWorld, type TestAccount } from './console-harness.js';

const CLAMART = '21920023500014';
const JOURNEY_TIMEOUT = 90_000;

describe('console: forgiving search, company directory by name, queues (Chromium, API, sandbox)', () => {
  let world: ConsoleWorld;
  let agent: TestAccount;
  const tab = new SharedTab(() => world, () => agent);

  consoleSuite({ axe: 'search-queues', tabs: () => [tab] }, async (started) => {
    world = started;
    agent = await world.makeAccount({ role: 'onboarding_agent', displayName: 'Dominique Agent' });
    for (const [name, siret] of [
      ['Mairie de Clamart', '21920023500030'],
      ['Ville de Clamecy', '21580079700017'],
      ['Ville de Saint-Étienne', '21420218600013'],
      ['CCAS de Béziers', '26340032100018'],
    ] as const) {
      await makeTenant(world.dataSource, { name, siret });
    }
  });

  const page = (): Promise<Page> => tab.page();

  /** Types `term` into the pipeline's search, waits for the count it should give, and returns the names listed. */
  async function searchPipeline(p: Page, term: string, count: string): Promise<string[]> {
    await p.locator('#recherche').fill(term);
    await p.waitForURL((url) => url.searchParams.get('recherche') === term);
    await waitForText(p.getByTestId('result-count'), count);
    await p.locator('[data-testid="pipeline"][data-state="ready"]').waitFor();
    return count.startsWith('Aucun') ? [] : p.locator('.case-table tbody tr a').allTextContents();
  }

  it('finds « Mairie de Clamart » from « Clamrt » in the pipeline, and « CCAS de Béziers » from « ccas bezier »', async () => {
    const p = await page();
    await p.locator('[data-testid="pipeline"][data-state="ready"]').waitFor();
    expect(await searchPipeline(p, 'Clamrt', '1 dossier')).toEqual(['Mairie de Clamart']);
    expect(await seriousViolations(p, 'pipeline search')).toEqual([]);
    await settled(p);
    await p.screenshot({ path: screenshotPath('search-typo'), fullPage: true });
    expect(await searchPipeline(p, 'ccas bezier', '1 dossier')).toEqual(['CCAS de Béziers']);
    expect(await searchPipeline(p, 'saint-etienne', '1 dossier')).toEqual(['Ville de Saint-Étienne']);
    await searchPipeline(p, 'Zanzibar', 'Aucun dossier ne correspond à ces filtres.');
  }, JOURNEY_TIMEOUT);

  it('finds an organisation in the company directory by name and picks its SIRET for the new client', async () => {
    const p = await page();
    await p.goto(world.consoleUrl('clients/nouveau'));
    await p.locator('#recherche-annuaire').waitFor();
    await settled(p);
    // Fewer than 3 characters: said next to the field, nothing sent.
    await p.locator('#recherche-annuaire').fill('cl');
    await p.getByRole('button', { name: 'Chercher dans l’annuaire' }).click();
    await waitForText(p.locator('#recherche-annuaire-erreur'), /au moins 3 caractères/);
    await p.locator('#recherche-annuaire').fill('mairie de clamart');
    await p.getByRole('button', { name: 'Chercher dans l’annuaire' }).click();
    await waitForText(p.locator('#recherche-annuaire-etat'), /organisme(s)? trouvé/);
    const results = p.getByRole('list', { name: 'Organismes trouvés dans l’annuaire' });
    expect(await results.innerText()).toContain('COMMUNE DE CLAMART');
    expect(await seriousViolations(p, 'new client, directory search')).toEqual([]);
    await p.getByRole('button', { name: /^Choisir COMMUNE DE CLAMART, SIRET 219 200 235 00014$/ }).click();
    await expect(p.locator('#siret').inputValue()).resolves.toBe(CLAMART);
    expect(await p.evaluate(() => document.activeElement?.id)).toBe('siret');
    await waitForText(p.getByTestId('directory-preview'), /COMMUNE DE CLAMART/);
    await expect(p.locator('#name-aide').textContent()).resolves.toContain('« COMMUNE DE CLAMART »');
    // A name the directory does not know: said in words.
    await p.locator('#recherche-annuaire').fill('zanzibar plage');
    await p.getByRole('button', { name: 'Chercher dans l’annuaire' }).click();
    await waitForText(p.locator('#recherche-annuaire-etat'), /Aucun organisme trouvé/);
  }, JOURNEY_TIMEOUT);

  it('shows the queues in French with the rate-limit pauses in force, from the menu and from the former page', async () => {
    const p = await page();
    await world.dataSource.query(
      `INSERT INTO rate_limit_bucket (key, paused_until, pause_reason) VALUES ('apip:token:console-test', now() + interval '10 minutes', 'Réponse 429 d’API Particulier')
       ON CONFLICT (key) DO UPDATE SET paused_until = EXCLUDED.paused_until, pause_reason = EXCLUDED.pause_reason`,
    );
    await p.goto(world.consoleUrl('pipeline'));
    await p.locator('[data-testid="pipeline"][data-state="ready"]').waitFor();
    await p.getByRole('navigation').getByRole('link', { name: 'Files d’attente' }).click();
    await p.locator('[data-testid="queues"][data-state="ready"]').waitFor();
    await settled(p);
    expect(await p.title()).toBe('Files d’attente – Console fcplat');
    const apip = p.locator('#file-api-particulier');
    expect(await apip.locator('caption').textContent()).toBe('Appels API Particulier');
    expect(await apip.locator('tbody th').allTextContents()).toEqual(['En attente', 'En attente (prioritaires)', 'Différés', 'En cours', 'Terminés', 'En échec', 'En pause']);
    expect(await p.locator('table[id^="file-"] caption').allTextContents()).toEqual(['Tâches système', 'Appels API Particulier', 'Robot de qualification', 'Notifications (courriels)']);
    const pauses = p.getByTestId('pauses');
    expect(await pauses.innerText()).toContain('Un jeton API Particulier');
    expect(await pauses.innerText()).toContain('Réponse 429 d’API Particulier');
    expect(await p.locator('#appels-etats').innerText()).toContain('Réussis');
    expect(await seriousViolations(p, 'queues')).toEqual([]);
    await p.screenshot({ path: screenshotPath('queues'), fullPage: true });

    // The pause over: the page says so.
    await world.dataSource.query(`DELETE FROM rate_limit_bucket WHERE key = 'apip:token:console-test'`);
    await p.getByRole('button', { name: 'Actualiser' }).click();
    await p.getByTestId('no-pause').waitFor();

    // The former page's bookmarks open this page.
    await p.goto(`${world.api.url}/api/admin/queues`);
    await p.waitForURL((url) => url.pathname === '/console/files-d-attente');
    await p.locator('[data-testid="queues"][data-state="ready"]').waitFor();
  }, JOURNEY_TIMEOUT);

  it('uploads the portal’s logo from the client’s identity section, refuses a big file before sending it, and removes it', async () => {
    const p = await page();
    const tenant = await makeTenant(world.dataSource, { name: 'Commune de Logoville', siret: '21920023500048' });
    await openClientSection(p, world, tenant.id, 'identite');
    const upload = p.getByTestId('logo-upload');
    await upload.scrollIntoViewIfNeeded();
    // Too big: said next to the field, nothing sent.
    await p.locator('#logo').setInputFiles({ name: 'enorme.png', mimeType: 'image/png', buffer: Buffer.alloc(LOGO_MAX_BYTES + 1) });
    await p.getByRole('button', { name: 'Déposer le logo' }).click();
    await waitForText(p.locator('#logo-erreur'), /dépasse 200 Ko/);
    expect(await world.dataSource.query(`SELECT 1 FROM tenant_logo WHERE tenant_id = $1`, [tenant.id])).toEqual([]);
    // An SVG that carries a script: published without it.
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" onload="alert(1)"><script>alert(2)</script><rect width="120" height="40" rx="6" fill="#000091"/><text x="60" y="26" font-size="16" text-anchor="middle" fill="#ffffff">Logoville</text></svg>';
    await p.locator('#logo').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(svg) });
    await p.getByRole('button', { name: 'Déposer le logo' }).click();
    await waitForText(p.locator('#logo-statut'), /Le logo est déposé/);
    const image = p.getByTestId('logo-current');
    await image.waitFor();
    await p.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="logo-current"]');
      return Boolean(img?.complete && img.naturalWidth > 0);
    });
    const stored = (await world.dataSource.query(`SELECT content_type, convert_from(content, 'UTF8') AS svg FROM tenant_logo WHERE tenant_id = $1`, [tenant.id])) as { content_type: string; svg: string }[];
    expect(stored[0]?.content_type).toBe('image/svg+xml');
    expect(stored[0]?.svg).not.toMatch(/script|onload/);
    expect(await seriousViolations(p, 'logo upload')).toEqual([]);
    await settled(p);
    await upload.screenshot({ path: screenshotPath('logo-upload') });
    await p.getByRole('button', { name: 'Retirer le logo déposé' }).click();
    await waitForText(p.locator('#logo-statut'), /retiré/);
    expect(await world.dataSource.query(`SELECT 1 FROM tenant_logo WHERE tenant_id = $1`, [tenant.id])).toEqual([]);
  }, JOURNEY_TIMEOUT);
});
