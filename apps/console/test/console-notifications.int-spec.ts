/// <reference lib="dom" />
/**
 * The « Notifications » page and the header's unread badge in headless Chromium, for a staff member
 * and for a client administrator (docs/notifications.md): events made through the real API, fanned
 * out by the real notifications worker (its own queue prefix, this world's database), the list
 * (mark one read, mark all read), the preferences form, axe clean, and the screenshot
 * `docs/screenshots/console-notifications.png`.
 */
import type { Page } from 'playwright-core';
import type { TenantEntity } from '@fcplat/db';
import { openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import { callApi, eventually, makeTenant, recordHabilitationState, setOnboardingStage, testPlatformConfig } from '@fcplat/testing';
import { startNotificationWorker, type RunningNotificationWorker } from '../../worker/src/notifications/index.js';
import { consoleSuite, logIn, openConsolePage, screenshotPath, seriousViolations, settled, waitForText, type ConsoleWorld, type TestAccount } from './console-harness.js';

const JOURNEY_TIMEOUT = 90_000;

describe('console: notifications page and unread badge (Chromium, API, worker)', () => {
  let world: ConsoleWorld;
  let infrastructure: PlatformInfrastructure;
  let worker: RunningNotificationWorker;
  let tenant: TenantEntity;
  let other: TenantEntity;
  let agent: TestAccount;
  let clientAdmin: TestAccount;

  /** Stops the worker started below, before the world (its database) closes. */
  async function stopWorker(): Promise<void> {
    await worker?.stop();
    await infrastructure?.close();
  }

  consoleSuite({ axe: 'notifications', tearDown: stopWorker, timeout: 150_000 }, async (started) => {
    world = started;
    // The worker's notifications on this world's database, with a queue of its own.
    const url = (world.dataSource.options as { url?: string }).url ?? '';
    const config = await testPlatformConfig({ DATABASE_URL: url, SMTP_URL: world.sandbox.smtpUrl, PUBLIC_URL: world.api.url });
    infrastructure = await openPlatformInfrastructure(config, 'worker');
    worker = await startNotificationWorker(config, infrastructure, { schedule: { relayEveryMs: 200, scanEveryMs: 3_600_000, digestEveryMs: 3_600_000 } });
    tenant = await makeTenant(world.dataSource, { name: 'Commune de Cloche-sur-Mer' });
    other = await makeTenant(world.dataSource, { name: 'Commune Voisine' });
    agent = await world.makeAccount({ role: 'onboarding_agent', displayName: 'Dominique Agent' });
    clientAdmin = await world.makeAccount({ tenantId: tenant.id, displayName: 'Camille Martin' });
    // The other tenant's case has an assignee of its own: the agent is not told of it.
    const otherAgent = await world.makeAccount({ role: 'onboarding_agent', displayName: 'Autre Agent' });
    await setOnboardingStage(world.dataSource, other.id, 'created', { assigneeId: otherAgent.user.id });

    // What happened today, through the API: an internal note, a message to the client, a stage change; and a message on another tenant.
    const auth = world.adminAuthorization;
    const post = (tenantId: string, body: string, visibility: 'internal' | 'client') => callApi(world.api.url, 'POST', `/api/tenants/${tenantId}/onboarding/comments`, { auth, body: { body, visibility } });
    expect((await post(tenant.id, 'Pièce manquante côté DataPass : relancer la mairie jeudi.', 'internal')).status).toBe(201);
    await recordHabilitationState(world.dataSource, tenant.id, 'franceconnect', 'submitted');
    expect((await callApi(world.api.url, 'POST', `/api/tenants/${tenant.id}/onboarding/transitions`, { auth, body: { to: 'habilitations_requested' } })).status).toBe(200);
    expect((await post(tenant.id, 'Bonjour, votre demande DataPass est bien reçue : nous revenons vers vous sous 15 jours ouvrés.', 'client')).status).toBe(201);
    expect((await post(other.id, 'Message pour la commune voisine.', 'client')).status).toBe(201);
    await eventually(async () => {
      const [row] = (await world.dataSource.query(`SELECT count(*)::int AS n FROM notification_event WHERE processed_at IS NULL`)) as { n: number }[];
      return row?.n === 0;
    }, 20_000, 'every event fanned out');
  });

  async function badge(page: Page): Promise<string | null> {
    const link = page.getByTestId('nav-notifications');
    await link.waitFor();
    const count = page.getByTestId('unread-badge');
    return (await count.count()) > 0 ? ((await count.textContent()) ?? '').trim() : null;
  }

  it(
    'shows a staff member the unread badge, the list and the preferences; marks one then all read',
    async () => {
      const tab = await openConsolePage(world.browser);
      try {
        const p = tab.page;
        await logIn(p, world, agent);
        await eventually(async () => (await badge(p)) === '3 non lues', 10_000, 'badge « 3 »');

        await p.getByTestId('nav-notifications').click();
        await p.waitForURL((u) => u.pathname === '/console/notifications');
        await settled(p);
        expect(await p.title()).toBe('Notifications – Console fcplat');
        await waitForText(p.getByTestId('unread-summary'), '3 notifications non lues.');
        const items = p.getByTestId('notification');
        expect(await items.count()).toBe(3);
        const texts = await items.allTextContents();
        expect(texts.join('\n')).toContain('Commune de Cloche-sur-Mer : note interne de Équipe administrateur');
        expect(texts.join('\n')).toContain('Commune de Cloche-sur-Mer : étape « Habilitations demandées »');
        expect(texts.join('\n')).not.toContain('Commune Voisine');
        // The preferences: every kind of a staff member, each with its three modes.
        expect(await p.locator('fieldset.preference').count()).toBe(8);
        expect(await p.getByTestId('preference-comment_internal').getByRole('radio', { name: /E-mail immédiat \(par défaut\)/ }).isChecked()).toBe(true);
        expect(await seriousViolations(p, 'notifications (staff)')).toEqual([]);
        await p.screenshot({ path: screenshotPath('notifications'), fullPage: true });

        // One read: the badge follows.
        await items.first().getByRole('button', { name: /^Marquer comme lu/ }).click();
        await waitForText(p.getByTestId('unread-summary'), '2 notifications non lues.');
        await eventually(async () => (await badge(p)) === '2 non lues', 10_000, 'badge « 2 »');
        expect(await p.locator('[data-testid="notification"][data-unread="true"]').count()).toBe(2);
        // All read: no badge.
        await p.getByRole('button', { name: 'Tout marquer comme lu' }).click();
        await waitForText(p.getByTestId('unread-summary'), 'Aucune notification non lue.');
        await eventually(async () => (await badge(p)) === null, 10_000, 'no badge');

        // A preference changed and kept.
        await p.getByTestId('preference-case_stage_changed').getByRole('radio', { name: /Désactivé/ }).check();
        await p.getByRole('button', { name: 'Enregistrer les préférences' }).click();
        await waitForText(p.locator('[role="status"]'), 'Préférences enregistrées.');
        const [saved] = (await world.dataSource.query(`SELECT mode FROM notification_preference WHERE user_id = $1 AND kind = 'case_stage_changed'`, [agent.user.id])) as { mode: string }[];
        expect(saved?.mode).toBe('off');
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'shows a client administrator their tenant’s notifications only, never an internal note, and no internal kind in the preferences',
    async () => {
      const tab = await openConsolePage(world.browser);
      try {
        const p = tab.page;
        await logIn(p, world, clientAdmin);
        await eventually(async () => (await badge(p)) === '2 non lues', 10_000, 'badge « 2 »');
        await p.getByTestId('nav-notifications').click();
        await p.waitForURL((u) => u.pathname === '/console/notifications');
        await settled(p);
        await waitForText(p.getByTestId('unread-summary'), '2 notifications non lues.');
        const texts = (await p.getByTestId('notification').allTextContents()).join('\n');
        expect(texts).toContain('Nouveau message de Équipe administrateur sur votre dossier');
        expect(texts).toContain('Votre dossier passe à l’étape « Habilitations demandées »');
        expect(texts).not.toContain('relancer la mairie');
        expect(texts).not.toContain('voisine');
        const kinds = await p.locator('fieldset.preference legend').allTextContents();
        expect(kinds).not.toContain('Note interne');
        expect(kinds).not.toContain('Échec du robot de qualification');
        expect(kinds).toContain('Lot API Particulier terminé');
        // The notification's link opens the case.
        await p.getByRole('link', { name: 'Nouveau message de Équipe administrateur sur votre dossier' }).click();
        await p.waitForURL((u) => u.pathname === `/console/clients/${tenant.id}/suivi`);
        await settled(p);
        await p.goto(world.consoleUrl('notifications'));
        await settled(p);
        await waitForText(p.getByTestId('unread-summary'), '2 notifications non lues.');
        expect(await seriousViolations(p, 'notifications (client admin)')).toEqual([]);
        expect(tab.errors).toEqual([]);
      } finally {
        await tab.close();
      }
    },
    JOURNEY_TIMEOUT,
  );
});
