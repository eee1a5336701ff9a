/// <reference lib="dom" />
/**
 * The « Robot de qualification » section of a client's file, in headless Chromium against the real
 * API (PostgreSQL, Redis): runs, results and screenshots are seeded directly in PostgreSQL (no
 * robot worker here) so that what is shown is known: the last completed run with verdicts,
 * evidence, changes since the run before and a person's disagreement; the screenshot served to
 * the session; the last failure; the run button, a queued run shown « En attente », then moved
 * by SQL to running and completed, the section following on its own; the dossier downloads;
 * read-only staff without the button; a client administrator without the section; the refusal
 * of « Qualification demandée » while the robot's last run failed items.
 */
import type { Page } from 'playwright-core';
import { qualificationItem } from '@fcplat/domain';
import { makeTenant, recordChecklist } from '@fcplat/testing';
import {
  consoleSuite,
  logIn,
  openClientSection,
  openConsolePage,
  screenshotPath,
  seriousViolations,
  SharedTab,
  waitForText,
  type ConsolePage,
  type ConsoleWorld,
  type TestAccount,
} from './console-harness.js';

const JOURNEY_TIMEOUT = 90_000;

/** A valid 1×1 PNG (the robot's screenshots are PNG bytes in PostgreSQL). */
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

interface RunSeed {
  readonly status: 'queued' | 'running' | 'completed' | 'failed';
  readonly finishedAt?: Date;
  readonly trigger?: 'manual' | 'change' | 'schedule';
  readonly reason?: string;
  readonly live?: string;
  readonly login?: string;
  readonly counts?: Record<string, number>;
  readonly error?: { code: string; message: string };
}

interface ResultSeed {
  readonly verdict: 'passed' | 'failed' | 'not_verifiable' | 'not_applicable';
  readonly summary?: string;
  readonly findings?: string[];
  readonly evidence?: Record<string, unknown>;
  readonly environment?: string;
  readonly screenshots?: string[];
}

describe('console: the qualification robot section (Chromium, API, PostgreSQL)', () => {
  let world: ConsoleWorld;
  let agent: TestAccount;
  const tab = new SharedTab(() => world, () => agent);
  const others: ConsolePage[] = [];
  let tenantId = '';
  let completedRunId = '';

  async function insertRun(forTenant: string, seed: RunSeed): Promise<string> {
    const at = seed.finishedAt ?? null;
    const [row] = (await world.dataSource.query(
      `INSERT INTO qualification_robot_run (tenant_id, trigger, reason, status, live_environment, login_environment, counts, error_code, error_message,
         requested_at, started_at, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, COALESCE($10, now()) - interval '40 seconds', COALESCE($10, now()) - interval '35 seconds', $10) RETURNING id`,
      [
        forTenant,
        seed.trigger ?? 'manual',
        seed.reason ?? null,
        seed.status,
        seed.live ?? null,
        seed.login ?? null,
        seed.counts ? JSON.stringify(seed.counts) : null,
        seed.error?.code ?? null,
        seed.error?.message ?? null,
        at,
      ],
    )) as { id: string }[];
    if (!row) throw new Error('no run inserted');
    return row.id;
  }

  async function insertResults(runId: string, results: Record<string, ResultSeed>): Promise<void> {
    for (const [itemId, r] of Object.entries(results)) {
      await world.dataSource.query(
        `INSERT INTO qualification_robot_result (run_id, item_id, verdict, summary, findings, evidence, environment, screenshots)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8::text[])`,
        [runId, itemId, r.verdict, r.summary ?? `${itemId} : vérifié.`, JSON.stringify(r.findings ?? []), JSON.stringify(r.evidence ?? {}), r.environment ?? null, r.screenshots ?? []],
      );
    }
  }

  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

  consoleSuite({ axe: 'qualification robot', tabs: () => [...others, tab], timeout: 180_000 }, async (started) => {
    world = started;
    agent = await world.makeAccount({ role: 'onboarding_agent', displayName: 'Dominique Agent' });
    const tenant = await makeTenant(world.dataSource, { connexionEnabled: true, dataRetrievalEnabled: false, name: 'Commune de Robotville' });
    tenantId = tenant.id;
    // The run before: FC-01 was compliant, FC-05 was not.
    const before = await insertRun(tenantId, { status: 'completed', finishedAt: hoursAgo(3), trigger: 'schedule', live: 'production', login: 'sandbox', counts: { passed: 2, failed: 1, not_verifiable: 0, not_applicable: 0 } });
    await insertResults(before, { 'FC-01': { verdict: 'passed' }, 'FC-03': { verdict: 'passed' }, 'FC-05': { verdict: 'failed' } });
    // The last completed run.
    completedRunId = await insertRun(tenantId, {
      status: 'completed',
      finishedAt: hoursAgo(2),
      trigger: 'change',
      reason: 'Logo du portail modifié',
      live: 'production',
      login: 'sandbox',
      counts: { passed: 2, failed: 1, not_verifiable: 1, not_applicable: 0 },
    });
    await insertResults(completedRunId, {
      'FC-01': {
        verdict: 'failed',
        summary: 'Le bouton FranceConnect de la page de connexion est trop petit.',
        findings: ['Hauteur du bouton : 40 px (au moins 56 px attendus).', 'Texte « S’identifier avec FranceConnect » présent.'],
        evidence: { hauteurBoutonPx: 40, hauteurAttendueMinPx: 56, texte: 'S’identifier avec FranceConnect', visibleSansDefilement: true },
        environment: 'sandbox',
        screenshots: ['connexion'],
      },
      'FC-03': { verdict: 'passed', summary: 'Le bouton est présent dans la section Inscription.' },
      'FC-05': { verdict: 'passed', summary: 'FranceConnect est proposé en premier.' },
      'FC-07': { verdict: 'not_verifiable', summary: 'Aucune page d’inscription trouvée à parcourir.' },
    });
    await world.dataSource.query(`INSERT INTO qualification_robot_screenshot (run_id, name, label, png) VALUES ($1, 'connexion', 'Page de connexion du portail', $2)`, [completedRunId, TINY_PNG]);
    // A person said FC-05 fails: the robot finds it compliant.
    await recordChecklist(world.dataSource, tenantId, [{ itemId: 'FC-05', status: 'failed', source: 'manual', evidenceText: 'Vu en recette : le formulaire classique vient en premier.' }]);
    // A failure after the last completed run.
    await insertRun(tenantId, { status: 'failed', finishedAt: hoursAgo(1), trigger: 'schedule', error: { code: 'PORTAL_UNREACHABLE', message: 'Le portail du client ne répond pas (délai dépassé).' } });
  });

  const page = (): Promise<Page> => tab.page();
  const openSection = (p: Page, id: string, section: string): Promise<void> => openClientSection(p, world, id, section);

  it('shows the last completed run: why, environments, counts, verdicts, evidence (collapsed), changes, the disagreement, the last failure', async () => {
    const p = await page();
    await openSection(p, tenantId, 'robot');
    expect(await p.title()).toBe('Robot de qualification – Commune de Robotville – Console fcplat');
    await expect(p.locator('#section-titre').textContent()).resolves.toBe('Robot de qualification');
    await p.getByTestId('robot-last-run').waitFor();
    await expect(p.getByTestId('robot-why').textContent()).resolves.toBe('Après une modification — Logo du portail modifié');
    await expect(p.getByTestId('robot-live-environment').textContent()).resolves.toBe('Production');
    await expect(p.getByTestId('robot-login-environment').textContent()).resolves.toBe('Bac à sable FranceConnect');
    await expect(p.getByTestId('robot-counts').textContent()).resolves.toBe('2 conforme(s), 1 non conforme(s), 1 non vérifiable(s) ici, 0 sans objet');
    expect(await p.getByTestId('robot-blocking').innerText()).toContain('FC-01');

    const fc01 = p.getByTestId('robot-FC-01');
    await expect(fc01.locator('h4').textContent()).resolves.toBe(`FC-01 · ${qualificationItem('FC-01').title}`);
    await expect(fc01.getByTestId('robot-verdict').textContent()).resolves.toBe('Non conforme');
    await expect(fc01.getByTestId('robot-changed').textContent()).resolves.toBe('Changé : était Conforme');
    await expect(fc01.getByTestId('robot-summary').textContent()).resolves.toBe('Le bouton FranceConnect de la page de connexion est trop petit.');
    await expect(fc01.getByTestId('robot-findings').locator('li').allTextContents()).resolves.toEqual([
      'Hauteur du bouton : 40 px (au moins 56 px attendus).',
      'Texte « S’identifier avec FranceConnect » présent.',
    ]);
    expect(await fc01.innerText()).toContain('Vérifié sur : Bac à sable FranceConnect');
    // The evidence is collapsed, then readable as key/value pairs.
    const evidence = fc01.getByTestId('robot-evidence');
    expect(await evidence.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
    expect(await evidence.locator('dl').isVisible()).toBe(false);
    await evidence.locator('summary').click();
    await expect(evidence.locator('dt').allTextContents()).resolves.toEqual(['hauteurAttendueMinPx', 'hauteurBoutonPx', 'texte', 'visibleSansDefilement']);
    await expect(evidence.locator('dd').allTextContents()).resolves.toEqual(['56', '40', 'S’identifier avec FranceConnect', 'oui']);

    // Unchanged and not compared items say nothing of a change.
    await expect(p.getByTestId('robot-FC-03').getByTestId('robot-changed').count()).resolves.toBe(0);
    const fc05 = p.getByTestId('robot-FC-05');
    await expect(fc05.getByTestId('robot-changed').textContent()).resolves.toBe('Changé : était Non conforme');
    await expect(fc05.getByTestId('robot-disagreement').innerText()).resolves.toBe(
      'Une personne a jugé cet élément non conforme ; le robot le trouve conforme. Le verdict de la personne est conservé.',
    );
    await expect(p.getByTestId('robot-FC-01').getByTestId('robot-disagreement').count()).resolves.toBe(0);
    await expect(p.getByTestId('robot-FC-07').getByTestId('robot-verdict').textContent()).resolves.toBe('Non vérifiable ici');
    await expect(p.getByTestId('robot-FC-07').getByTestId('robot-changed').textContent()).resolves.toBe('Nouveau depuis la vérification précédente');

    // The failure after the last completed run, in the API's French words.
    const failure = p.getByTestId('robot-last-failure');
    expect(await failure.innerText()).toContain('La dernière vérification a échoué');
    expect(await failure.innerText()).toContain('Le portail du client ne répond pas (délai dépassé).');

    // History, collapsed then loaded when opened: the three runs, newest first.
    const history = p.getByTestId('robot-history');
    await history.locator('summary').click();
    await history.locator('tbody tr').nth(2).waitFor();
    await expect(history.locator('tbody tr').count()).resolves.toBe(3);
    expect(await history.locator('tbody tr').first().innerText()).toContain('Le portail du client ne répond pas');

    expect(await seriousViolations(p, 'robot section')).toEqual([]);
    await p.screenshot({ path: screenshotPath('qualification-robot'), fullPage: true });
  }, JOURNEY_TIMEOUT);

  it('loads the screenshot with the session (thumbnail and full PNG), staff only', async () => {
    const p = await page();
    const img = p.getByTestId('robot-FC-01').getByTestId('robot-screenshot');
    await img.scrollIntoViewIfNeeded();
    await p.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle());
    await expect(img.getAttribute('alt')).resolves.toBe('Page de connexion du portail');
    const link = img.locator('xpath=ancestor::a');
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toBe(`/api/tenants/${tenantId}/qualification/robot/runs/${completedRunId}/screenshots/connexion`);
    const full = await p.context().request.get(new URL(href, p.url()).toString());
    expect(full.status()).toBe(200);
    expect(full.headers()['content-type']).toBe('image/png');
    expect(Buffer.compare(await full.body(), TINY_PNG)).toBe(0);
    // Without the session: no image.
    const stranger = await world.browser.newContext();
    const anonymous = await stranger.request.get(new URL(href, world.api.url).toString());
    expect(anonymous.status()).toBe(401);
    await stranger.close();
  }, JOURNEY_TIMEOUT);

  it('offers the qualification dossier as HTML and PDF downloads', async () => {
    const p = await page();
    const html = p.getByTestId('dossier-html');
    const pdf = p.getByTestId('dossier-pdf');
    await expect(html.textContent()).resolves.toBe('Dossier de qualification (HTML)');
    await expect(pdf.textContent()).resolves.toBe('Dossier de qualification (PDF)');
    const htmlAnswer = await p.context().request.get(new URL((await html.getAttribute('href')) ?? '', p.url()).toString());
    expect(htmlAnswer.status()).toBe(200);
    expect(htmlAnswer.headers()['content-type']).toBe('text/html; charset=utf-8');
    expect(htmlAnswer.headers()['content-disposition']).toMatch(/^attachment; filename="qualification-franceconnect-.+\.html"$/);
    expect(await htmlAnswer.text()).toContain('Commune de Robotville');
    const pdfAnswer = await p.context().request.get(new URL((await pdf.getAttribute('href')) ?? '', p.url()).toString(), { timeout: 60_000 });
    expect(pdfAnswer.status()).toBe(200);
    expect(pdfAnswer.headers()['content-type']).toBe('application/pdf');
    expect((await pdfAnswer.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, JOURNEY_TIMEOUT);

  it('asks for a run, shows it waiting then running, and refreshes on its own when it completes (checklist included)', async () => {
    const p = await page();
    // The checklist is loaded first: the robot's results must reach it without waiting for its 30 s.
    await openSection(p, tenantId, 'recette');
    await p.getByTestId('checklist-summary').waitFor();
    await p.getByRole('navigation', { name: 'Sections du dossier' }).getByRole('link', { name: 'Robot de qualification' }).click();
    await p.getByTestId('robot-last-run').waitFor();

    const button = p.getByRole('button', { name: 'Lancer la vérification' });
    await button.click();
    const progress = p.getByTestId('robot-progress');
    await waitForText(progress, 'En attente…');
    expect(await progress.getAttribute('role')).toBe('status');
    // The focus follows the request to its progress; the button is gone while the run waits.
    await expect(p.evaluate(() => document.activeElement?.id)).resolves.toBe('robot-progression');
    await expect(button.count()).resolves.toBe(0);
    const [queued] = (await world.dataSource.query(`SELECT id, trigger, requested_by FROM qualification_robot_run WHERE tenant_id = $1 AND status = 'queued'`, [tenantId])) as {
      id: string;
      trigger: string;
      requested_by: string;
    }[];
    expect(queued).toMatchObject({ trigger: 'manual', requested_by: agent.user.id });
    const runId = queued?.id ?? '';

    // A worker takes it (no worker here: SQL plays its part).
    await world.dataSource.query(
      `UPDATE qualification_robot_run SET status = 'running', started_at = now(), progress_done = 2, progress_total = 8, progress_label = 'Connexion avec FranceConnect' WHERE id = $1`,
      [runId],
    );
    await waitForText(progress, 'En cours : étape 3/8 — Connexion avec FranceConnect');
    await expect(p.locator('progress').getAttribute('value')).resolves.toBe('2');

    // It completes: results, the checklist filled by the robot, then the run's status.
    await insertResults(runId, {
      'FC-01': { verdict: 'passed', summary: 'Le bouton FranceConnect a la bonne taille.' },
      'FC-03': { verdict: 'passed' },
      'FC-05': { verdict: 'passed' },
      'FC-07': { verdict: 'passed' },
    });
    await recordChecklist(world.dataSource, tenantId, [{ itemId: 'FC-03', status: 'passed', source: 'robot', evidenceText: 'Vérifié par le robot.' }]);
    await world.dataSource.query(
      `UPDATE qualification_robot_run SET status = 'completed', finished_at = now(), progress_label = NULL, counts = '{"passed":4,"failed":0,"not_verifiable":0,"not_applicable":0}'::jsonb WHERE id = $1`,
      [runId],
    );
    await waitForText(p.locator('#robot-statut'), 'La vérification est terminée');
    await waitForText(p.getByTestId('robot-counts'), '4 conforme(s), 0 non conforme(s)');
    await expect(p.getByTestId('robot-why').textContent()).resolves.toBe('Demandée par l’équipe (Dominique Agent)');
    const fc01 = p.getByTestId('robot-FC-01');
    await expect(fc01.getByTestId('robot-verdict').textContent()).resolves.toBe('Conforme');
    await expect(fc01.getByTestId('robot-changed').textContent()).resolves.toBe('Changé : était Non conforme');
    // The failure before this run is no longer the latest news; nothing blocks any more.
    await expect(p.getByTestId('robot-last-failure').count()).resolves.toBe(0);
    await expect(p.getByTestId('robot-blocking').count()).resolves.toBe(0);
    await expect(progress.innerText()).resolves.toBe('');
    await p.getByRole('button', { name: 'Lancer la vérification' }).waitFor();

    // Back to the checklist (client-side): already reloaded, with the robot's source said plainly.
    await p.getByRole('navigation', { name: 'Sections du dossier' }).getByRole('link', { name: 'Recette' }).click();
    const fc03 = p.getByTestId('item-FC-03');
    await fc03.waitFor();
    await expect(fc03.getByTestId('item-status').textContent()).resolves.toBe('Conforme');
    expect(await fc03.innerText()).toContain('vérifié par le robot de qualification');
    await expect(fc03.getByRole('link', { name: 'Voir la preuve du robot pour FC-03' }).count()).resolves.toBe(1);
    expect(await seriousViolations(p, 'checklist with robot items')).toEqual([]);
  }, JOURNEY_TIMEOUT);

  it('refuses « Qualification demandée » while the robot’s last run failed items, and says so', async () => {
    const p = await page();
    const tenant = await makeTenant(world.dataSource, { connexionEnabled: true, dataRetrievalEnabled: false });
    await world.dataSource.query(`UPDATE onboarding_case SET stage = 'internal_check', ds_file_number = '4242' WHERE tenant_id = $1`, [tenant.id]);
    const run = await insertRun(tenant.id, { status: 'completed', finishedAt: hoursAgo(1), counts: { passed: 1, failed: 2, not_verifiable: 0, not_applicable: 0 } });
    await insertResults(run, { 'FC-01': { verdict: 'failed' }, 'FC-03': { verdict: 'passed' }, 'FC-05': { verdict: 'failed' } });
    await openSection(p, tenant.id, 'suivi');
    await p.getByRole('button', { name: 'Passer à l’étape « Qualification demandée »' }).click();
    const refusal = p.locator('#transition-probleme');
    await refusal.waitFor();
    expect(await refusal.getAttribute('role')).toBe('alert');
    expect(await refusal.innerText()).toContain(
      'Robot de qualification : 2 prérequis non conforme(s) lors de la dernière vérification (FC-01, FC-05). Corrigez puis relancez la vérification.',
    );
    const link = p.getByTestId('transition-robot-link').getByRole('link', { name: 'Voir la dernière vérification du robot de qualification' });
    await link.click();
    await p.getByTestId('robot-last-run').waitFor();
    expect(await p.getByTestId('robot-blocking').innerText()).toContain('FC-01, FC-05');
  }, JOURNEY_TIMEOUT);

  it('shows read-only staff the section without the run button', async () => {
    const reader = await world.makeAccount({ role: 'read_only', displayName: 'Claude Lecteur' });
    const other = await openConsolePage(world.browser);
    others.push(other);
    await logIn(other.page, world, reader);
    await openSection(other.page, tenantId, 'robot');
    await other.page.getByTestId('robot-last-run').waitFor();
    await expect(other.page.getByRole('button', { name: 'Lancer la vérification' }).count()).resolves.toBe(0);
    await expect(other.page.getByTestId('dossier-pdf').count()).resolves.toBe(1);
    expect(await seriousViolations(other.page, 'robot section (read-only staff)')).toEqual([]);
  }, JOURNEY_TIMEOUT);

  it('shows a client administrator no robot section, even by its URL', async () => {
    const admin = await world.makeAccount({ tenantId, displayName: 'Camille Martin' });
    const other = await openConsolePage(world.browser);
    others.push(other);
    await logIn(other.page, world, admin);
    const nav = other.page.getByRole('navigation', { name: 'Sections du dossier' });
    await nav.getByRole('link', { name: 'Recette' }).waitFor();
    await expect(nav.getByRole('link', { name: 'Robot de qualification' }).count()).resolves.toBe(0);
    await other.page.goto(world.consoleUrl(`clients/${tenantId}/robot`));
    await other.page.waitForURL((url) => url.pathname.endsWith('/suivi'));
    await other.page.locator('#section-titre').waitFor();
    await expect(other.page.getByTestId('robot-section').count()).resolves.toBe(0);
    // Their checklist says the robot checked an item, without linking to staff-only evidence.
    await openSection(other.page, tenantId, 'recette');
    const fc03 = other.page.getByTestId('item-FC-03');
    expect(await fc03.innerText()).toContain('vérifié par le robot de qualification');
    await expect(fc03.getByRole('link', { name: /preuve du robot/ }).count()).resolves.toBe(0);
  }, JOURNEY_TIMEOUT);
});
