/// <reference lib="dom" />
/**
 * Team management in the console (issue 16), in headless Chromium against the real API, the
 * sandbox mail sink and PostgreSQL: a staff administrator's « Équipe » page (invite, resend, change
 * a role, disable and re-enable), the last active administrator of a client refused with the API's
 * French reason, the journal's author filter; a client administrator's « Mon équipe » (their own
 * colleagues only, an invitation accepted from the e-mail, a colleague disabled who can no longer
 * log in). axe on every page, screenshots for the docs.
 */
import type { Locator, Page } from 'playwright-core';
import type { TenantEntity } from '@fcplat/db';
import { callApi, linkIn, makeTenant } from '@fcplat/testing';
import {
  chooseOption,
  consoleSuite,
  openClientSection,
  openConsolePage,
  screenshotPath,
  seriousViolations,
  settled,
  SharedTab,
  waitForText,
  type ConsoleWorld,
  type TestAccount,
} from './console-harness.js';

const JOURNEY_TIMEOUT = 90_000;

describe('console: team management (Chromium, API, mail sink)', () => {
  let world: ConsoleWorld;
  let staffAdmin: TestAccount;
  let agent: TestAccount;
  let tenant: TenantEntity;
  let other: TenantEntity;
  let clientAdmin: TestAccount;
  let colleague: TestAccount;
  let otherAdmin: TestAccount;
  let lonely: TenantEntity;
  const staffTab = new SharedTab(
    () => world,
    () => staffAdmin,
  );
  const clientTab = new SharedTab(
    () => world,
    () => clientAdmin,
  );

  consoleSuite({ axe: 'team', tabs: () => [staffTab, clientTab] }, async (started) => {
    world = started;
    staffAdmin = await world.makeAccount({ role: 'admin', displayName: 'Sophie Administratrice' });
    agent = await world.makeAccount({ role: 'onboarding_agent', displayName: 'Dominique Agent' });
    tenant = await makeTenant(world.dataSource, { name: 'Commune d’Équipeville', slug: 'equipeville' });
    other = await makeTenant(world.dataSource, { name: 'Commune Voisine', slug: 'voisine-equipe' });
    lonely = await makeTenant(world.dataSource, { name: 'Commune Solitaire', slug: 'solitaire' });
    clientAdmin = await world.makeAccount({ tenantId: tenant.id, displayName: 'Camille Martin' });
    colleague = await world.makeAccount({ tenantId: tenant.id, displayName: 'Alex Adjoint' });
    otherAdmin = await world.makeAccount({ tenantId: other.id, displayName: 'Voisin Administrateur' });
    await world.makeAccount({ tenantId: lonely.id, displayName: 'Seule Administratrice' });
  });

  const row = (p: Page, email: string): Locator => p.locator(`tr[data-account="${email}"]`);

  it(
    'lets a staff administrator invite a colleague, resend the invitation, change a role, disable and re-enable an account',
    async () => {
      const p = await staffTab.page();
      await p.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Équipe' }).click();
      await p.getByTestId('team').and(p.locator('[data-state="ready"]')).waitFor();
      await settled(p);
      expect(await p.title()).toBe('Équipe – Console fcplat');
      expect(await row(p, staffAdmin.email).innerText()).toContain('(vous)');
      await waitForText(row(p, agent.email), 'Chargé(e) d’intégration');
      // Nobody disables themself: no button on one's own row.
      expect(await row(p, staffAdmin.email).getByRole('button').count()).toBe(0);

      // Invite: the invited person is listed as « invitation en attente » and receives the e-mail.
      const email = `nouvelle.recrue-${process.pid}@editeur.test`;
      await p.locator('#displayName').fill('Nouvelle Recrue');
      await p.locator('#email').fill(email);
      await chooseOption(p, 'role', 'Lecture seule');
      await p.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      await waitForText(p.getByRole('status'), `Invitation envoyée à ${email}`);
      await waitForText(row(p, email), 'invitation en attente');
      expect(await row(p, email).innerText()).toContain('Lecture seule');
      const first = await world.inbox.waitFor(email, { subject: /Invitation/ });
      expect(linkIn(first.text, '/console/invitation').origin).toBe(world.api.url);

      await row(p, email).getByRole('button', { name: 'Renvoyer l’invitation à Nouvelle Recrue' }).click();
      await waitForText(p.getByRole('status'), `Invitation envoyée à ${email}`);

      // Role: nothing chosen is said next to the fields; then Dominique becomes an administrator.
      expect(await p.locator('#changement-userId').innerText()).toContain('Choisir une personne');
      await p.getByRole('button', { name: 'Changer le rôle' }).click();
      await expect(p.locator('#changement-userId-erreur').textContent()).resolves.toBe('Erreur : Choisissez la personne.');
      await expect(p.locator('#changement-role-erreur').textContent()).resolves.toBe('Erreur : Choisissez le nouveau rôle.');
      await chooseOption(p, 'changement-userId', 'Dominique Agent (Chargé(e) d’intégration)');
      await chooseOption(p, 'changement-role', 'Administrateur');
      await p.getByRole('button', { name: 'Changer le rôle' }).click();
      await waitForText(p.getByRole('status'), 'Dominique Agent est maintenant « Administrateur »');
      await waitForText(row(p, agent.email), 'Administrateur');

      // Disable, then re-enable.
      // Disabling asks first; « Annuler » changes nothing.
      await row(p, agent.email).getByRole('button', { name: 'Désactiver Dominique Agent' }).click();
      await row(p, agent.email).getByRole('button', { name: 'Annuler' }).click();
      expect(await row(p, agent.email).innerText()).toContain('actif');
      await row(p, agent.email).getByRole('button', { name: 'Désactiver Dominique Agent' }).click();
      expect(await row(p, agent.email).getByRole('group', { name: 'Confirmer la désactivation de Dominique Agent' }).innerText()).toContain('jetons d’API sont révoqués');
      await row(p, agent.email).getByRole('button', { name: 'Confirmer la désactivation' }).click();
      await waitForText(row(p, agent.email), 'désactivé');
      const refused = await callApi(world.api.url, 'POST', '/api/auth/login', { body: { email: agent.email, password: agent.password } });
      expect(refused.status).toBe(401);
      expect(await seriousViolations(p, 'team (staff)')).toEqual([]);
      await p.screenshot({ path: screenshotPath('team-staff'), fullPage: true });
      await row(p, agent.email).getByRole('button', { name: 'Réactiver Dominique Agent' }).click();
      await waitForText(row(p, agent.email), 'actif');
      expect((await callApi(world.api.url, 'POST', '/api/auth/login', { body: { email: agent.email, password: agent.password } })).status).toBe(200);

      const journal = (await world.dataSource.query(`SELECT action FROM audit_log WHERE actor_id = $1 ORDER BY id`, [staffAdmin.user.id])) as { action: string }[];
      expect(journal.map((j) => j.action)).toEqual(expect.arrayContaining(['user.invited', 'user.invitation_renewed', 'user.role_changed', 'user.disabled', 'user.enabled']));
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'shows the API’s reason when staff try to disable the last active administrator of a client, and filters the journal by author',
    async () => {
      const p = await staffTab.page();
      await openClientSection(p, world, lonely.id, 'identite');
      const admins = p.getByTestId('tenant-admins');
      await admins.getByRole('button', { name: 'Désactiver Seule Administratrice' }).click();
      await admins.getByRole('button', { name: 'Confirmer la désactivation' }).click();
      const problem = p.locator('#equipe-probleme');
      await problem.waitFor();
      expect(await problem.innerText()).toContain('dernier administrateur actif de ce client');
      expect(await admins.innerText()).toContain('actif');
      expect(await seriousViolations(p, 'client administrators (refused)')).toEqual([]);

      // Staff invite a second administrator from the client's page, then the journal shows who did what.
      await admins.locator('#displayName').fill('Renfort Mairie');
      await admins.locator('#email').fill(`renfort-${process.pid}@solitaire.test`);
      await admins.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      await waitForText(admins.getByRole('status'), 'Invitation envoyée');
      // Another person acts on the same client (the set-up administrator, by API token).
      const byOther = await callApi(world.api.url, 'POST', `/api/tenants/${lonely.id}/admins`, { auth: world.adminAuthorization, body: { email: `autre-${process.pid}@solitaire.test`, displayName: 'Autre Renfort' } });
      expect(byOther.status).toBe(201);

      await openClientSection(p, world, lonely.id, 'journal');
      await p.getByTestId('journal').waitFor();
      const entries = p.getByTestId('journal').locator(':scope > li');
      await entries.filter({ hasText: 'Équipe administrateur' }).first().waitFor();
      await chooseOption(p, 'journal-auteur', 'Sophie Administratrice (équipe de l’éditeur)');
      await entries.filter({ hasText: 'Équipe administrateur' }).first().waitFor({ state: 'detached' });
      const texts = await entries.allInnerTexts();
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain('Compte invité');
      expect(texts.every((t) => t.includes('Sophie Administratrice'))).toBe(true);
      expect(await p.getByTestId('journal-export').getAttribute('href')).toContain(`actorId=${staffAdmin.user.id}`);
      // Without the filter, the other person's action is there too.
      await chooseOption(p, 'journal-auteur', 'Toutes les personnes');
      await waitForText(p.getByTestId('journal'), 'Équipe administrateur');
      expect(await seriousViolations(p, 'journal filtered by author')).toEqual([]);
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'lets a client administrator manage their own colleagues only: invite (accepted from the e-mail), disable and re-enable',
    async () => {
      const p = await clientTab.page();
      await p.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Mon équipe' }).click();
      await p.getByTestId('tenant-admins-table').waitFor();
      await settled(p);
      expect(await p.title()).toBe('Mon équipe – Console fcplat');
      const table = p.getByTestId('tenant-admins-table');
      await waitForText(row(p, colleague.email), 'Alex Adjoint');
      const listed = await table.innerText();
      expect(listed).toContain('Camille Martin');
      // Neither the editor's staff nor another client's administrators.
      for (const hidden of [staffAdmin.email, agent.email, otherAdmin.email, 'Sophie Administratrice', 'Voisin Administrateur']) expect(listed).not.toContain(hidden);
      expect(await row(p, clientAdmin.email).getByRole('button').count()).toBe(0);

      // Invite a colleague, who accepts from the e-mail: pending until then, active after.
      const email = `jo.nouveau-${process.pid}@equipeville.test`;
      await p.locator('#displayName').fill('Jo Nouveau');
      await p.locator('#email').fill(email);
      await p.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      await waitForText(row(p, email), 'invitation en attente');
      const mail = await world.inbox.waitFor(email, { subject: /Invitation/ });
      expect(mail.text).toContain('Commune d’Équipeville');
      const invitee = await openConsolePage(world.browser);
      try {
        await invitee.page.goto(linkIn(mail.text, '/console/invitation').href);
        await settled(invitee.page);
        const password = 'Une phrase de passe pour Jo de la mairie';
        await invitee.page.locator('#password').fill(password);
        await invitee.page.locator('#confirmation').fill(password);
        await invitee.page.getByRole('button', { name: 'Activer mon compte' }).click();
        await invitee.page.waitForURL(/\/console\/connexion$/);
        expect(invitee.errors).toEqual([]);
      } finally {
        await invitee.close();
      }
      await p.reload();
      await waitForText(row(p, email), 'actif');

      // Disable a colleague: they can no longer log in; re-enable.
      await row(p, colleague.email).getByRole('button', { name: 'Désactiver Alex Adjoint' }).click();
      await row(p, colleague.email).getByRole('button', { name: 'Confirmer la désactivation' }).click();
      await waitForText(row(p, colleague.email), 'désactivé');
      await waitForText(p.getByRole('status'), 'Le compte de Alex Adjoint est désactivé');
      expect((await callApi(world.api.url, 'POST', '/api/auth/login', { body: { email: colleague.email, password: colleague.password } })).status).toBe(401);
      expect(await seriousViolations(p, 'my team (client admin)')).toEqual([]);
      await p.screenshot({ path: screenshotPath('team-client'), fullPage: true });
      await row(p, colleague.email).getByRole('button', { name: 'Réactiver Alex Adjoint' }).click();
      await waitForText(row(p, colleague.email), 'actif');

      // The staff-only page is not theirs.
      await p.goto(world.consoleUrl('equipe'));
      await p.waitForURL((url) => !url.pathname.endsWith('/equipe'));
      await settled(p);
      expect(p.url()).toContain(`/console/clients/${tenant.id}/`);

      const rows = (await world.dataSource.query(`SELECT action, actor_type, tenant_id FROM audit_log WHERE actor_id = $1 ORDER BY id`, [clientAdmin.user.id])) as {
        action: string;
        actor_type: string;
        tenant_id: string;
      }[];
      expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['user.invited', 'user.disabled', 'user.enabled']));
      expect(rows.every((r) => r.actor_type === 'client_admin' && r.tenant_id === tenant.id)).toBe(true);
    },
    JOURNEY_TIMEOUT,
  );
});
