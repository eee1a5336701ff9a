/// <reference lib="dom" />
/**
 * Working in bulk and taking data out, in headless Chromium against the real API (PostgreSQL,
 * Redis): cases ticked in the pipeline (with the keyboard), assigned and moved at once with a
 * result per case (a refused one says why), the pipeline's CSV export with the filters on screen,
 * the call log filtered by days and dossier reference and its CSV export, and a batch's lines on
 * screen in file order, page by page. axe on every view; screenshots for the docs.
 */
import type { Page } from 'playwright-core';
import { ONBOARDING_STAGE_LABELS } from '@fcplat/domain';
import { makeTenant, recordHabilitationState } from '@fcplat/testing';
import {
  chooseOption,
  consoleSuite,
  focused,
  logIn,
  openClientSection,
  openConsolePage,
  screenshotPath,
  seriousViolations,
  SharedTab,
  tabUntil,
  waitForText,
  type ConsoleWorld,
  type TestAccount,
} from './console-harness.js';

const JOURNEY_TIMEOUT = 90_000;

/** A CSV we produce, fetched with the page's cookie: its lines (BOM checked and removed). */
async function downloadCsv(p: Page, world: ConsoleWorld, href: string | null): Promise<string[]> {
  const reply = await p.context().request.get(new URL(href ?? '', world.api.url).href);
  expect(reply.status()).toBe(200);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await reply.body());
  expect(text.startsWith('\uFEFF')).toBe(true);
  return text.slice(1).split('\r\n').filter((line) => line !== '');
}

describe('console: bulk actions and exports (Chromium, API)', () => {
  let world: ConsoleWorld;
  let agent: TestAccount;
  let colleague: TestAccount;
  const tab = new SharedTab(() => world, () => agent);

  consoleSuite({ axe: 'bulk-exports', tabs: () => [tab] }, async (started) => {
    world = started;
    agent = await world.makeAccount({ role: 'onboarding_agent', displayName: 'Camille Agent' });
    colleague = await world.makeAccount({ role: 'admin', displayName: 'Sacha Suivi', totp: false });
  });

  const page = (): Promise<Page> => tab.page();

  it('ticks cases with the keyboard, assigns them, moves them (each checked on its own: the refused one says why), and exports what is on screen', async () => {
    const names = ['Mairie Groupée Alpha', 'Mairie Groupée Bravo', 'Mairie Groupée Charlie', 'Mairie Groupée Delta'];
    const tenants = [];
    for (const name of names) tenants.push(await makeTenant(world.dataSource, { name }));
    // Three have filed their FranceConnect request; Delta has not: the rules refuse its move.
    for (const t of tenants.slice(0, 3)) await recordHabilitationState(world.dataSource, t.id, 'franceconnect', 'submitted');

    const p = await page();
    await p.goto(world.consoleUrl('pipeline?recherche=Group%C3%A9e&tri=name'));
    await p.locator('[data-testid="pipeline"][data-state="ready"]').waitFor();
    await expect(p.getByTestId('case-row').count()).resolves.toBe(4);
    await expect(p.getByTestId('bulk-selected').innerText()).resolves.toContain('Cochez des dossiers');

    // Keyboard only: « select all on this page » is reached with Tab and ticked with Space.
    await p.locator('#recherche').focus();
    await tabUntil(p, (el) => el.id === 'selection-page');
    await p.keyboard.press('Space');
    await waitForText(p.getByTestId('bulk-selected'), '4 dossiers sélectionnés.');
    // One row's own box, from the keyboard too (past the sortable headers): untick Alpha, tick it again.
    await tabUntil(p, (el) => el.name === 'Sélectionner Mairie Groupée Alpha', 10);
    await p.keyboard.press('Space');
    await waitForText(p.getByTestId('bulk-selected'), '3 dossiers sélectionnés.');
    await p.keyboard.press('Space');
    await waitForText(p.getByTestId('bulk-selected'), '4 dossiers sélectionnés.');

    // Assign all four to a colleague.
    await chooseOption(p, 'groupe-assignee', 'Sacha Suivi');
    await p.getByTestId('bulk-assign').click();
    await waitForText(p.getByTestId('bulk-summary'), '4 dossiers traités, 0 refusé.');
    for (const name of names) await waitForText(p.getByTestId('case-row').filter({ hasText: name }), 'Sacha Suivi');
    const assigned = (await world.dataSource.query(`SELECT count(*)::int AS n FROM onboarding_case WHERE tenant_id = ANY($1::uuid[]) AND assignee_id = $2`, [
      tenants.map((t) => t.id),
      colleague.user.id,
    ])) as [{ n: number }];
    expect(assigned[0].n).toBe(4);

    // Move all four: three go, Delta is refused with the rules' reason in French, and stays ticked.
    await p.getByTestId('select-page').check();
    await waitForText(p.getByTestId('bulk-selected'), '4 dossiers sélectionnés.');
    await chooseOption(p, 'groupe-stage', ONBOARDING_STAGE_LABELS.habilitations_requested);
    await p.getByTestId('bulk-move').click();
    await waitForText(p.getByTestId('bulk-summary'), '3 dossiers traités, 1 refusé.');
    const refused = p.locator('[data-testid="bulk-result"][data-ok="false"]');
    await expect(refused.count()).resolves.toBe(1);
    await expect(refused.innerText()).resolves.toMatch(/Mairie Groupée Delta\s+Refusé[\s\S]*DataPass/);
    await expect(refused.getAttribute('data-code')).resolves.toBe('CONFLICT');
    await expect(p.locator('[data-testid="bulk-result"][data-ok="true"]').count()).resolves.toBe(3);
    // The results take the focus (announced), and the refused case is still selected to act on it.
    expect((await focused(p)).id).toBe('groupe-resultats');
    await waitForText(p.getByTestId('bulk-selected'), '1 dossier sélectionné.');
    await expect(p.getByRole('checkbox', { name: 'Sélectionner Mairie Groupée Delta' }).isChecked()).resolves.toBe(true);
    for (const name of names.slice(0, 3)) await waitForText(p.getByTestId('case-row').filter({ hasText: name }), ONBOARDING_STAGE_LABELS.habilitations_requested);
    const audits = (await world.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'onboarding.stage_changed' AND tenant_id = ANY($1::uuid[])`, [
      tenants.map((t) => t.id),
    ])) as [{ n: number }];
    expect(audits[0].n).toBe(3);

    expect(await seriousViolations(p, 'pipeline: bulk results')).toEqual([]);
    await p.screenshot({ path: screenshotPath('pipeline-bulk'), fullPage: true });

    // The export takes the filters on screen: the four cases, by name, French headers and dates.
    const lines = await downloadCsv(p, world, await p.getByTestId('pipeline-export').getAttribute('href'));
    expect(lines[0]).toContain('Client;SIRET;Étape;Dans l’étape depuis le;Attente (jours ouvrés);Qui doit agir;Échéance;En retard;Responsable');
    expect(lines.slice(1).map((l) => l.split(';')[0])).toEqual(names);
    expect(lines[1]).toMatch(/;Habilitations demandées;\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2};0;[^;]+;\d{2}\/\d{2}\/\d{4};non;Sacha Suivi;/);
    // Another filter on screen, another export.
    await p.goto(world.consoleUrl('pipeline?recherche=Group%C3%A9e&etape=created'));
    await p.locator('[data-testid="pipeline"][data-state="ready"]').waitFor();
    const created = await downloadCsv(p, world, await p.getByTestId('pipeline-export').getAttribute('href'));
    expect(created.slice(1).map((l) => l.split(';')[0])).toEqual(['Mairie Groupée Delta']);
  }, JOURNEY_TIMEOUT);

  // The four « Groupée » cases of the first test.
  it('offers read-only staff the export but no selection nor bulk action', async () => {
    const reader = await world.makeAccount({ role: 'read_only', displayName: 'Lou Lecture' });
    const other = await openConsolePage(world.browser);
    try {
      await logIn(other.page, world, reader, 'pipeline?recherche=Group%C3%A9e');
      await other.page.locator('[data-testid="pipeline"][data-state="ready"]').waitFor();
      await expect(other.page.getByTestId('case-row').count()).resolves.toBe(4);
      await expect(other.page.getByTestId('select-case').count()).resolves.toBe(0);
      await expect(other.page.getByTestId('select-page').count()).resolves.toBe(0);
      await expect(other.page.getByTestId('bulk-actions').count()).resolves.toBe(0);
      const lines = await downloadCsv(other.page, world, await other.page.getByTestId('pipeline-export').getAttribute('href'));
      expect(lines).toHaveLength(5);
      expect(await seriousViolations(other.page, 'pipeline: read-only staff')).toEqual([]);
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
    }
  }, JOURNEY_TIMEOUT);

  describe('API Particulier activity of a client', () => {
    let tenantId = '';
    let batchFile = '';

    const insertCall = async (values: { reference: string | null; queuedAt: string; status?: string; batchId?: string; line?: number; errorCode?: string | null }): Promise<void> => {
      const status = values.status ?? 'succeeded';
      await world.dataSource.query(
        `INSERT INTO api_particulier_call (tenant_id, recipient, environment, api, modality, origin, triggered_by, batch_id, batch_line, dossier_reference, status, error_code, latency_ms, attempts, queued_at, finished_at)
         VALUES ($1, '21750001600019', 'sandbox', 'quotient_familial', 'pivot_identity', $2, 'citizen:00000000-0000-4000-8000-000000000001', $3, $4, $5, $6, $7, 90, 1, $8, $9)`,
        [
          tenantId,
          values.batchId ? 'batch' : 'citizen',
          values.batchId ?? null,
          values.line ?? null,
          values.reference,
          status,
          values.errorCode ?? null,
          values.queuedAt,
          status === 'succeeded' || status === 'failed' ? values.queuedAt : null,
        ],
      );
    };

    beforeAll(async () => {
      tenantId = (await makeTenant(world.dataSource, { name: 'Ville de Journal' })).id;
      await insertCall({ reference: 'CANTINE-7', queuedAt: '2026-03-02T09:00:00Z' });
      await insertCall({ reference: 'CANTINE-8', queuedAt: '2026-03-20T22:30:00Z', status: 'failed', errorCode: 'APIP_NOT_FOUND' });
      await insertCall({ reference: 'CANTINE-7', queuedAt: '2026-04-15T09:00:00Z' });
      await insertCall({ reference: '@SOMME(A1)', queuedAt: '2026-02-10T09:00:00Z' });
      // A batch of 55 lines: 52 accepted (one failed), 3 rejected (lines 2, 30, 56).
      batchFile = 'rentree.csv';
      const rejections = [2, 30, 56].map((line) => ({ line, reference: `R-${line}`, reasons: ['La date de naissance est obligatoire.'] }));
      const [{ id }] = (await world.dataSource.query(
        `INSERT INTO api_particulier_batch (tenant_id, api, modality, file_name, total_lines, accepted_lines, rejected_lines, rejections, environment, created_at)
         VALUES ($1, 'quotient_familial', 'pivot_identity', $2, 55, 52, 3, $3::jsonb, 'sandbox', '2026-05-04T08:00:00Z') RETURNING id`,
        [tenantId, batchFile, JSON.stringify(rejections)],
      )) as [{ id: string }];
      let line = 2;
      for (let n = 1; n <= 52; n += 1) {
        line += 1;
        while ([2, 30, 56].includes(line)) line += 1;
        await insertCall({ reference: `L-${line}`, queuedAt: '2026-05-04T08:00:00Z', batchId: id, line, ...(line === 31 ? { status: 'failed', errorCode: 'APIP_NOT_FOUND' } : {}) });
      }
    });

    it('filters the call log by days (du / au, in France) and by dossier reference, and exports the same as CSV', async () => {
      const p = await page();
      await openClientSection(p, world, tenantId, 'api-particulier');
      const calls = p.getByTestId('apip-calls');
      await calls.waitFor();
      // Every call of the client (the batch's too) before any filter.
      await waitForText(p.getByRole('navigation', { name: 'Pages du journal des appels' }), 'Page 1 sur 3');

      // « au » before « du »: refused in French, nothing applied.
      await p.locator('#apip-journal-du').fill('2026-03-31');
      await p.locator('#apip-journal-au').fill('2026-03-01');
      await p.getByTestId('apip-call-filter').click();
      await p.locator('#apip-journal-au-erreur').getByText('La date de fin précède la date de début.').waitFor();
      expect((await focused(p)).id).toBe('apip-journal-au');
      expect(await seriousViolations(p, 'call log: date error')).toEqual([]);

      // March, whole days in France: 20 March 22:30 UTC is 20 March 23:30 in Paris (kept), 2 March kept.
      await p.locator('#apip-journal-du').fill('2026-03-01');
      await p.locator('#apip-journal-au').fill('2026-03-20');
      await p.getByTestId('apip-call-filter').click();
      await p.locator('#apip-journal-au-erreur').waitFor({ state: 'detached' });
      await p.waitForFunction(() => document.querySelectorAll('[data-testid="apip-call"]').length === 2);
      const march = await calls.innerText();
      expect(march).toContain('dossier CANTINE-7');
      expect(march).toContain('dossier CANTINE-8');
      expect(march).not.toContain('L-3');

      // And one dossier.
      await p.locator('#apip-journal-du').fill('');
      await p.locator('#apip-journal-au').fill('');
      await p.locator('#apip-journal-reference').fill('CANTINE-7');
      await p.getByTestId('apip-call-filter').click();
      await p.waitForFunction(() => document.querySelectorAll('[data-testid="apip-call"]').length === 2 && !document.body.innerText.includes('CANTINE-8'));
      expect(await seriousViolations(p, 'call log: filtered')).toEqual([]);

      // The export takes the filters on screen.
      const byReference = await downloadCsv(p, world, await p.getByTestId('apip-calls-export').getAttribute('href'));
      expect(byReference[0]).toBe('Demandé le;Environnement;Donnée;Identification;Origine;Déclenché par;Référence du dossier;Ligne du lot;Résultat;Code d’erreur;Erreur;Durée (ms);Essais;Terminé le');
      expect(byReference.slice(1).map((l) => l.split(';')[0])).toEqual(['15/04/2026 11:00:00', '02/03/2026 10:00:00']);
      expect(byReference.join('\n')).not.toContain('citizen:');

      // Cleared: every call again; a formula-looking reference is defused in the file.
      await p.getByRole('button', { name: 'Effacer les filtres' }).click();
      await waitForText(p.getByRole('navigation', { name: 'Pages du journal des appels' }), 'Page 1 sur 3');
      const all = await downloadCsv(p, world, await p.getByTestId('apip-calls-export').getAttribute('href'));
      expect(all).toHaveLength(57);
      expect(all.some((l) => l.includes(`;'@SOMME(A1);`))).toBe(true);
    }, JOURNEY_TIMEOUT);

    it('shows a batch’s lines on screen, in file order with their status and French reason, page by page', async () => {
      const p = await page();
      await openClientSection(p, world, tenantId, 'api-particulier');
      const details = p.getByTestId('apip-batches').getByRole('button', { name: `Détail des lignes du lot ${batchFile}` });
      await details.click();
      const lines = p.getByTestId('apip-batch-lines');
      await lines.waitFor();
      await waitForText(p.getByTestId('apip-batch-lines-page'), 'Page 1 sur 2');
      await expect(details.getAttribute('aria-expanded')).resolves.toBe('true');
      const rows = lines.getByTestId('apip-batch-line');
      await expect(rows.count()).resolves.toBe(50);
      const numbers = (await rows.locator('td:first-child').allInnerTexts()).map(Number);
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      expect(numbers[0]).toBe(2);
      await expect(rows.nth(0).innerText()).resolves.toMatch(/^2\s+R-2\s+Ligne rejetée\s+La date de naissance est obligatoire\./);
      await expect(lines.locator('[data-testid="apip-batch-line"][data-status="failed"]').innerText()).resolves.toMatch(/^31\s+L-31\s+Échec\s+Aucun dossier trouvé/);
      await expect(rows.nth(1).innerText()).resolves.toMatch(/^3\s+L-3\s+Réussi/);
      expect(await seriousViolations(p, 'batch details')).toEqual([]);
      // The batches card only (the section above it is long).
      await p.locator('section[aria-labelledby="apip-lots-titre"]').screenshot({ path: screenshotPath('batch-details') });

      await lines.getByRole('button', { name: 'Page suivante' }).click();
      await waitForText(p.getByTestId('apip-batch-lines-page'), 'Page 2 sur 2');
      await p.waitForFunction(() => document.querySelectorAll('[data-testid="apip-batch-line"]').length === 5);
      await expect(rows.locator('td:first-child').allInnerTexts()).resolves.toEqual(['52', '53', '54', '55', '56']);
      await expect(rows.nth(4).innerText()).resolves.toContain('Ligne rejetée');

      await lines.getByRole('button', { name: 'Fermer le détail' }).click();
      await lines.waitFor({ state: 'detached' });
      await expect(details.getAttribute('aria-expanded')).resolves.toBe('false');
    }, JOURNEY_TIMEOUT);
  });
});
