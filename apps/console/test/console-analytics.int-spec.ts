/// <reference lib="dom" />
/**
 * « Indicateurs » in headless Chromium against the real API (PostgreSQL, Redis): a staff member
 * reaches the page from the navigation; the three Chart.js charts are drawn (pixels on their
 * canvases) and are images with a French text alternative that carries the numbers; each chart's
 * numbers open as an HTML table in French formats (« 60 % », « 4,5 »); axe finds nothing serious
 * or critical, tables opened; a read-only staff member reads it too, a client administrator is
 * sent back to their own file; screenshot for the docs.
 */
import type { Page } from 'playwright-core';
import { addWorkingDays, fromDayNumber, parisCalendarDate, toDayNumber, type CalendarDate } from '@fcplat/domain';
import { makeTenant, writeStageHistory } from '@fcplat/testing';
import {
  consoleSuite,
  logIn,
  openConsolePage,
  screenshotPath,
  seriousViolations,
  settled,
  SharedTab,
  type ConsoleWorld,
  type TestAccount,
} from './console-harness.js';

/** Non-breaking spaces (French typography before « % ») as `~`, so the expectations show them. */
const nbsp = (text: string | null): string => (text ?? '').replace(/[\u00a0\u202f]/g, '~');
const daysAgo = (today: CalendarDate, n: number): CalendarDate => fromDayNumber(toDayNumber(today) - n);

describe('console: pipeline indicators (Chromium, API)', () => {
  let world: ConsoleWorld;
  let agent: TestAccount;
  let reader: TestAccount;
  let clientTenantId: string;
  const tab = new SharedTab(() => world, () => agent);

  consoleSuite({ axe: 'analytics', tabs: () => [tab] }, async (started) => {
    world = started;
    agent = await world.makeAccount({ role: 'onboarding_agent', displayName: 'Dominique Agent' });
    reader = await world.makeAccount({ role: 'read_only', displayName: 'Lou Lecture' });
    const other = await world.makeAccount({ role: 'onboarding_agent', displayName: 'Camille Suivi' });
    const ds = world.dataSource;
    const today = parisCalendarDate(new Date());
    const d0 = daysAgo(today, 60);
    const wd = (n: number): CalendarDate => addWorkingDays(d0, n);
    // Dominique: 2 and 4 working days (met), then overdue at « habilitations validées » (missed).
    const t1 = await makeTenant(ds, { name: 'Commune d’Indicateurville' });
    await writeStageHistory(ds, t1.id, agent.user.id, [
      { to: 'created', on: d0 },
      { to: 'habilitations_requested', on: wd(2) },
      { to: 'habilitations_validated', on: wd(6) },
    ]);
    // Dominique: 12 (missed), 5, 3 and 2 working days (met), then live.
    const t2 = await makeTenant(ds, { name: 'Commune de Mesureville' });
    await writeStageHistory(ds, t2.id, agent.user.id, [
      { to: 'created', on: d0 },
      { to: 'habilitations_requested', on: wd(12) },
      { to: 'habilitations_validated', on: wd(17) },
      { to: 'integration_credentials_received', on: wd(20) },
      { to: 'live', on: wd(22) },
    ]);
    // Camille: 7 working days (met), then at « habilitations demandées » for about 10 days (on time).
    const d3 = daysAgo(today, 20);
    const t3 = await makeTenant(ds, { name: 'Commune de Comptebourg' });
    await writeStageHistory(ds, t3.id, other.user.id, [
      { to: 'created', on: d3 },
      { to: 'habilitations_requested', on: addWorkingDays(d3, 7) },
    ]);
    // Nobody: opened today.
    const t4 = await makeTenant(ds, { name: 'Commune de Sansnom' });
    await writeStageHistory(ds, t4.id, null, [{ to: 'created', on: today }]);
    clientTenantId = t4.id;
  });

  async function openAnalytics(p: Page): Promise<void> {
    await p.goto(world.consoleUrl('indicateurs'));
    await p.locator('[data-testid="analytics"][data-state="ready"]').waitFor();
    await settled(p);
  }

  /** Non-transparent pixels drawn on a chart's canvas (0 when Chart.js drew nothing). */
  const paintedPixels = (p: Page, testId: string): Promise<number> =>
    p.getByTestId(testId).evaluate((canvas) => {
      const c = canvas as HTMLCanvasElement;
      const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) painted += 1;
      return painted;
    });

  it('is reached from the navigation and shows the summary, three drawn charts with text alternatives, and their numbers as tables', async () => {
    const p = await tab.page();
    await p.getByRole('navigation').getByRole('link', { name: 'Indicateurs' }).click();
    await p.locator('[data-testid="analytics"][data-state="ready"]').waitFor();
    await settled(p);
    expect(await p.title()).toContain('Indicateurs');
    await expect(p.getByRole('navigation').getByRole('link', { name: 'Indicateurs' }).getAttribute('aria-current')).resolves.toBe('page');

    const summary = p.getByTestId('analytics-summary');
    // Active: the three cases not live; overdue: the one at « habilitations validées ».
    await expect(summary.innerText()).resolves.toMatch(/Dossiers en cours\s+3/);
    await expect(summary.innerText()).resolves.toMatch(/Dossiers en retard\s+1/);

    for (const id of ['chart-funnel', 'chart-days', 'chart-assignees']) {
      const chart = p.getByTestId(id);
      await expect(chart.getAttribute('role')).resolves.toBe('img');
      expect(await paintedPixels(p, id)).toBeGreaterThan(1000);
    }
    // The text alternatives carry the numbers, in French.
    await expect(p.getByTestId('chart-funnel').getAttribute('aria-label')).resolves.toContain('Client créé : 1 à cette étape, 3 l’ayant dépassée');
    await expect(p.getByRole('img', { name: /^Jours ouvrés passés par étape/ }).getAttribute('aria-label')).resolves.toContain(
      'Habilitations demandées : médiane 4,5, 90e centile 4,9, délai cible 15',
    );
    expect(nbsp(await p.getByTestId('chart-assignees').getAttribute('aria-label'))).toContain('Camille Suivi : 100~% (1 tenu, 0 dépassé) ; Dominique Agent : 71~% (5 tenus, 2 dépassés)');

    // The tables are closed until asked for, then read as tables (French formats).
    const funnelTable = p.getByTestId('funnel-table');
    await expect(funnelTable.isVisible()).resolves.toBe(false);
    for (const id of ['funnel', 'days', 'assignees']) await p.getByTestId(`${id}-details`).locator('summary').click();
    await expect(funnelTable.isVisible()).resolves.toBe(true);
    const rowOf = async (tableId: string, header: string): Promise<string[]> =>
      p.getByTestId(tableId).locator('tbody tr').filter({ has: p.getByRole('rowheader', { name: header, exact: true }) }).locator('th, td').allInnerTexts().then((cells) => cells.map(nbsp));
    await expect(rowOf('funnel-table', 'Habilitations demandées')).resolves.toEqual(['Habilitations demandées', '1', '2']);
    await expect(rowOf('funnel-table', 'Corrections demandées par FranceConnect')).resolves.toEqual(['Corrections demandées par FranceConnect', '0', '—']);
    await expect(rowOf('days-table', 'Client créé')).resolves.toEqual(['Client créé', '3', '7', '11', '10', '2', '1', '67~%']);
    await expect(rowOf('days-table', 'Habilitations demandées')).resolves.toEqual(['Habilitations demandées', '2', '4,5', '4,9', '15', '2', '0', '100~%']);
    await expect(rowOf('assignees-table', 'Dominique Agent')).resolves.toEqual(['Dominique Agent', '1', '1', '6', '3,5', '8,5', '5', '2', '71~%']);
    await expect(rowOf('assignees-table', 'Camille Suivi')).resolves.toEqual(['Camille Suivi', '1', '0', '1', '7', '7', '1', '0', '100~%']);
    await expect(rowOf('assignees-table', 'Non assigné')).resolves.toEqual(['Non assigné', '1', '0', '0', '—', '—', '0', '0', '—']);

    expect(await seriousViolations(p, 'analytics (tables open)')).toEqual([]);
    await p.screenshot({ path: screenshotPath('analytics'), fullPage: true });
  });

  it('opens the tables with the keyboard', async () => {
    const p = await tab.page();
    await openAnalytics(p);
    const summary = p.getByTestId('days-details').locator('summary');
    await summary.focus();
    await p.keyboard.press('Enter');
    await expect(p.getByTestId('days-details').getAttribute('open')).resolves.toBe('');
    await expect(p.getByTestId('days-table').isVisible()).resolves.toBe(true);
    expect(await seriousViolations(p, 'analytics (one table open)')).toEqual([]);
  });

  it('is open to read-only staff, not to a client administrator', async () => {
    const readerTab = await openConsolePage(world.browser);
    try {
      await logIn(readerTab.page, world, reader, 'indicateurs');
      await readerTab.page.locator('[data-testid="analytics"][data-state="ready"]').waitFor();
      expect(readerTab.errors).toEqual([]);
    } finally {
      await readerTab.close();
    }
    const admin = await world.makeAccount({ tenantId: clientTenantId, displayName: 'Camille Martin' });
    const adminTab = await openConsolePage(world.browser);
    try {
      await logIn(adminTab.page, world, admin, 'indicateurs');
      await adminTab.page.waitForURL((url) => url.pathname.includes(`/clients/${clientTenantId}`));
      await expect(adminTab.page.getByRole('navigation').getByRole('link', { name: 'Indicateurs' }).count()).resolves.toBe(0);
    } finally {
      await adminTab.close();
    }
  });
});
