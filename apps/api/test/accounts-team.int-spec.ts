/**
 * Team management (issue 16) over real HTTP, PostgreSQL and SMTP: client administrators invite,
 * re-invite, disable and enable the colleagues of their own tenant (SR-20: anything else is 404);
 * the last active administrator — of the staff, or of a tenant — cannot be disabled or demoted,
 * even by two administrators acting at the same moment (locked in PostgreSQL); disabled accounts
 * can no longer log in nor use their sessions and API tokens; every change is audited (SR-25); the
 * journal's author filter (`actorId`) and the list of its authors.
 */
import type { DataSource } from 'typeorm';
import { UserEntity } from '@fcplat/db';
import { eventually, makeClientAdmin, makeSessionCookie, makeStaff, makeTenant, scratchMigratedDatabase } from '@fcplat/testing';
import { hashPassword } from '../src/accounts/passwords.js';
import { accountsRequest, auditRowsOf, useAccountsApi, type AccountsReply, type AuditRow, type Credentials } from './accounts-harness.js';
import { withOtherApi } from './api-harness.js';
import { uniqueEmail } from './portal-http.js';

/**
 * Runs `requests` while a transaction of the test holds the rows of `userIds` locked, and lets
 * them go once `waiting` of the API's statements wait on those rows: the requests then overlap
 * for certain (no timing), which is when two administrators could disable each other.
 */
async function raceUnderLock(dataSource: DataSource, userIds: readonly string[], waiting: number, requests: () => Promise<AccountsReply>[]): Promise<number[]> {
  const holder = dataSource.createQueryRunner();
  await holder.connect();
  await holder.startTransaction();
  try {
    await holder.query(`SELECT id FROM app_user WHERE id = ANY($1::uuid[]) FOR UPDATE`, [userIds]);
    const replies = Promise.all(requests());
    await eventually(async () => {
      const [row] = (await dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%app_user%' AND pid <> pg_backend_pid()`,
      )) as { n: number }[];
      return (row?.n ?? 0) >= waiting;
    }, 15_000, `${waiting} statements waiting on the locked accounts`);
    await holder.commitTransaction();
    return (await replies).map((r) => r.status).sort();
  } finally {
    if (holder.isTransactionActive) await holder.rollbackTransaction();
    await holder.release();
  }
}

describe('team management (accounts)', () => {
  const accounts = useAccountsApi();
  const { logs, platform } = accounts;
  const call = (method: string, path: string, who: Credentials, body?: unknown): Promise<AccountsReply> => accountsRequest(platform.api.url, method, path, who, body);
  const auditOf = (targetId: string): Promise<AuditRow[]> => auditRowsOf(platform.dataSource, targetId);

  async function statusOf(userId: string): Promise<string | undefined> {
    return (await platform.dataSource.getRepository(UserEntity).findOne({ where: { id: userId } }))?.status;
  }

  describe('a client administrator manages the colleagues of their own tenant', () => {
    it('invites a colleague (client administrator of the same tenant), who is « invited » until accepted; re-invites; audited as the client administrator', async () => {
      const tenant = await makeTenant(platform.dataSource, { name: 'Commune de Sainte-Équipe' });
      const admin = await makeClientAdmin(platform.dataSource, tenant.id);
      const email = uniqueEmail('collegue');
      const invited = await call('POST', `/api/tenants/${tenant.id}/admins`, admin, { email, displayName: 'Collègue de mairie' });
      expect(invited.status).toBe(201);
      expect(invited.body).toMatchObject({ user: { email, kind: 'client_admin', role: null, tenantId: tenant.id, status: 'invited' }, invitation: { sent: true } });
      const first = await accounts.inbox.waitFor(email);
      expect(first.text).toContain('Commune de Sainte-Équipe');
      const colleagueId = (invited.body.user as { id: string }).id;

      const list = await call('GET', `/api/tenants/${tenant.id}/admins?sort=email`, admin);
      expect((list.body.items as { id: string; status: string }[]).map((u) => [u.id, u.status]).sort()).toEqual(
        [
          [admin.user.id, 'active'],
          [colleagueId, 'invited'],
        ].sort(),
      );

      const resent = await call('POST', `/api/tenants/${tenant.id}/admins/${colleagueId}/invitation`, admin);
      expect(resent.status).toBe(201);
      expect(resent.body).toMatchObject({ user: { id: colleagueId, status: 'invited' }, invitation: { sent: true } });
      expect(await auditOf(colleagueId)).toEqual([
        expect.objectContaining({ action: 'user.invited', actor_type: 'client_admin', actor_id: admin.user.id, tenant_id: tenant.id }),
        expect.objectContaining({ action: 'user.invitation_renewed', actor_type: 'client_admin', actor_id: admin.user.id, tenant_id: tenant.id }),
      ]);
      // An active account has no invitation to resend.
      expect((await call('POST', `/api/tenants/${tenant.id}/admins/${admin.user.id}/invitation`, admin)).status).toBe(409);
    });

    it('disables and enables a colleague: a disabled colleague can no longer log in nor use a session; audited; never oneself', async () => {
      const tenant = await makeTenant(platform.dataSource);
      const admin = await makeClientAdmin(platform.dataSource, tenant.id);
      const password = 'Une phrase de passe de la mairie';
      const colleague = await makeClientAdmin(platform.dataSource, tenant.id, { passwordHash: await hashPassword(password) });
      const login = () => call('POST', '/api/auth/login', {}, { email: colleague.user.email, password });
      // (the login below leaves a pending session: two sessions end when the account is disabled)
      expect((await login()).status).toBe(200);
      expect((await call('GET', '/api/auth/me', colleague)).status).toBe(200);

      const disabled = await call('POST', `/api/tenants/${tenant.id}/admins/${colleague.user.id}/disable`, admin);
      expect(disabled.status).toBe(200);
      expect(disabled.body).toMatchObject({ id: colleague.user.id, status: 'disabled' });
      expect((await call('GET', '/api/auth/me', colleague)).status).toBe(401);
      expect((await call('GET', `/api/tenants/${tenant.id}/admins`, colleague)).status).toBe(401);
      const refused = await login();
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ detail: 'Adresse e-mail ou mot de passe incorrect.' });

      const self = await call('POST', `/api/tenants/${tenant.id}/admins/${admin.user.id}/disable`, admin);
      expect(self.status).toBe(409);
      expect(self.body).toMatchObject({ code: 'CONFLICT', detail: expect.stringContaining('votre propre compte') });
      expect(await statusOf(admin.user.id)).toBe('active');

      const enabled = await call('POST', `/api/tenants/${tenant.id}/admins/${colleague.user.id}/enable`, admin);
      expect(enabled.status).toBe(200);
      expect(enabled.body).toMatchObject({ status: 'active' });
      expect((await login()).status).toBe(200);
      // The session revoked by the disabling stays revoked.
      expect((await call('GET', '/api/auth/me', colleague)).status).toBe(401);
      expect(await auditOf(colleague.user.id)).toEqual([
        expect.objectContaining({ action: 'user.disabled', actor_type: 'client_admin', actor_id: admin.user.id, tenant_id: tenant.id, changes: expect.objectContaining({ status: { before: 'active', after: 'disabled' }, sessionsRevoked: 2 }) }),
        expect.objectContaining({ action: 'user.enabled', actor_type: 'client_admin', actor_id: admin.user.id, tenant_id: tenant.id, changes: { status: { before: 'disabled', after: 'active' } } }),
      ]);
    });

    it('answers 404 for another tenant, another tenant’s administrator, staff and unknown accounts, and changes nothing', async () => {
      const tenantA = await makeTenant(platform.dataSource);
      const tenantB = await makeTenant(platform.dataSource);
      const adminA = await makeClientAdmin(platform.dataSource, tenantA.id);
      const adminB = await makeClientAdmin(platform.dataSource, tenantB.id);
      const colleagueB = await makeClientAdmin(platform.dataSource, tenantB.id);
      const staff = await makeStaff(platform.dataSource, 'onboarding_agent');
      const attempts: [string, string][] = [];
      for (const action of ['disable', 'enable', 'invitation']) {
        attempts.push(
          [`/api/tenants/${tenantB.id}/admins/${colleagueB.user.id}/${action}`, 'another tenant'],
          [`/api/tenants/${tenantA.id}/admins/${colleagueB.user.id}/${action}`, 'another tenant’s administrator through one’s own tenant'],
          [`/api/tenants/${tenantA.id}/admins/${staff.user.id}/${action}`, 'a staff member'],
          [`/api/tenants/${tenantA.id}/admins/00000000-0000-4000-8000-000000000000/${action}`, 'unknown'],
          [`/api/tenants/${tenantA.id}/admins/pas-un-uuid/${action}`, 'malformed'],
        );
      }
      for (const [path, what] of attempts) {
        const reply = await call('POST', path, adminA);
        expect([what, reply.status, reply.body.code]).toEqual([what, 404, 'NOT_FOUND']);
      }
      expect((await call('POST', `/api/tenants/${tenantB.id}/admins`, adminA, { email: uniqueEmail('intrus'), displayName: 'Intrus' })).status).toBe(404);
      expect(await statusOf(colleagueB.user.id)).toBe('active');
      expect(await statusOf(staff.user.id)).toBe('active');
      expect(await auditOf(colleagueB.user.id)).toEqual([]);
      // The list of their own tenant shows neither staff nor another tenant's administrators.
      const own = await call('GET', `/api/tenants/${tenantA.id}/admins`, adminA);
      expect((own.body.items as { id: string }[]).map((u) => u.id)).toEqual([adminA.user.id]);
      expect((await call('GET', `/api/tenants/${tenantB.id}/admins`, adminA)).status).toBe(404);
      // Staff-wide account routes stay staff only.
      expect((await call('POST', `/api/accounts/${adminB.user.id}/disable`, adminA)).status).toBe(403);
      expect((await call('POST', `/api/accounts/staff`, adminA, { email: uniqueEmail('z'), displayName: 'Z', role: 'admin' })).status).toBe(403);
    });

    it('never disables the last active administrator of a tenant, even for staff, and two administrators disabling each other at once leave one', async () => {
      const tenant = await makeTenant(platform.dataSource);
      const only = await makeClientAdmin(platform.dataSource, tenant.id, { displayName: 'Seule Administratrice' });
      // Invited and disabled colleagues do not count: they cannot administer anything.
      await makeClientAdmin(platform.dataSource, tenant.id, { status: 'invited' });
      await makeClientAdmin(platform.dataSource, tenant.id, { status: 'disabled' });
      const staffAdmin = await makeStaff(platform.dataSource, 'admin');
      for (const path of [`/api/tenants/${tenant.id}/admins/${only.user.id}/disable`, `/api/accounts/${only.user.id}/disable`]) {
        const refused = await call('POST', path, staffAdmin);
        expect(refused.status).toBe(409);
        expect(refused.body).toMatchObject({ code: 'CONFLICT', reason: 'last_active_admin', detail: expect.stringContaining('dernier administrateur actif de ce client') });
      }
      expect(await statusOf(only.user.id)).toBe('active');
      expect(await auditOf(only.user.id)).toEqual([]);
      // Read-only staff may not, onboarding agents may once another administrator is active.
      const second = await makeClientAdmin(platform.dataSource, tenant.id);
      expect((await call('POST', `/api/tenants/${tenant.id}/admins/${second.user.id}/disable`, await makeStaff(platform.dataSource, 'read_only'))).status).toBe(403);
      const agent = await makeStaff(platform.dataSource, 'onboarding_agent');
      expect((await call('POST', `/api/tenants/${tenant.id}/admins/${second.user.id}/disable`, agent)).status).toBe(200);
      expect((await call('POST', `/api/tenants/${tenant.id}/admins/${second.user.id}/enable`, agent)).status).toBe(200);

      // Both at the same moment: exactly one wins, one administrator stays active.
      const third = await makeClientAdmin(platform.dataSource, tenant.id);
      await platform.dataSource.query(`UPDATE app_user SET status = 'disabled' WHERE id = $1`, [second.user.id]);
      const statuses = await raceUnderLock(platform.dataSource, [only.user.id, third.user.id], 2, () => [
        call('POST', `/api/tenants/${tenant.id}/admins/${third.user.id}/disable`, only),
        call('POST', `/api/tenants/${tenant.id}/admins/${only.user.id}/disable`, third),
      ]);
      expect(statuses).toEqual([200, 409]);
      const [active] = (await platform.dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE tenant_id = $1 AND kind = 'client_admin' AND status = 'active'`, [tenant.id])) as { n: number }[];
      expect(active?.n).toBe(1);
    });
  });

  describe('the last active staff administrator (a database of its own: the rule counts every staff administrator)', () => {
    it('is never disabled nor demoted, even when two administrators act on each other at once; disabled staff lose their API tokens', async () => {
      const scratch = await scratchMigratedDatabase('fcplat-test-team');
      try {
        await withOtherApi({ DATABASE_URL: scratch.url }, { heartbeat: false, logDestination: logs, frontends: [] }, async (api) => {
          const at = (method: string, path: string, who: Credentials, body?: unknown) => accountsRequest(api.url, method, path, who, body);
          const activeAdmins = async (): Promise<number> =>
            ((await scratch.dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE kind = 'staff' AND staff_role = 'admin' AND status = 'active'`)) as { n: number }[])[0]?.n ?? 0;

          // Two administrators disable each other at the same moment.
          const a = await makeStaff(scratch.dataSource, 'admin');
          const b = await makeStaff(scratch.dataSource, 'admin');
          // An invited administrator does not count.
          await makeStaff(scratch.dataSource, 'admin', { status: 'invited' });
          const disables = await raceUnderLock(scratch.dataSource, [a.user.id, b.user.id], 2, () => [
            at('POST', `/api/accounts/${b.user.id}/disable`, a),
            at('POST', `/api/accounts/${a.user.id}/disable`, b),
          ]);
          expect(disables).toEqual([200, 409]);
          expect(await activeAdmins()).toBe(1);

          // The survivor is the last active administrator: another one demoting it at the same moment it demotes them.
          const [survivorRow] = (await scratch.dataSource.query(`SELECT id FROM app_user WHERE kind = 'staff' AND staff_role = 'admin' AND status = 'active'`)) as { id: string }[];
          const survivor = survivorRow?.id === a.user.id ? a : b;
          const c = await makeStaff(scratch.dataSource, 'admin');
          const demotions = await raceUnderLock(scratch.dataSource, [survivor.user.id, c.user.id], 2, () => [
            at('PUT', `/api/accounts/${c.user.id}/role`, survivor, { role: 'read_only' }),
            at('PUT', `/api/accounts/${survivor.user.id}/role`, c, { role: 'onboarding_agent' }),
          ]);
          expect(demotions).toEqual([200, 409]);
          expect(await activeAdmins()).toBe(1);
          const refusals = (await scratch.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('user.role_changed', 'user.disabled')`)) as { n: number }[];
          expect(refusals[0]?.n).toBe(2); // one disabling and one role change: the refused ones wrote nothing

          // Sequentially: the last one cannot act on themself, and the message says why.
          const [lastRow] = (await scratch.dataSource.query(`SELECT id FROM app_user WHERE kind = 'staff' AND staff_role = 'admin' AND status = 'active'`)) as { id: string }[];
          const last = lastRow?.id === survivor.user.id ? survivor : c;
          const selfDisable = await at('POST', `/api/accounts/${last.user.id}/disable`, last);
          expect(selfDisable).toMatchObject({ status: 409, body: { detail: expect.stringContaining('votre propre compte') } });

          // A disabled staff member: login and API token refused, even once enabled again (tokens stay revoked).
          const password = 'Un agent qui quitte la maison';
          const leaver = await makeStaff(scratch.dataSource, 'onboarding_agent', { passwordHash: await hashPassword(password) });
          const leaverCookie = await makeSessionCookie(scratch.dataSource, leaver.user.id);
          expect((await at('GET', '/api/auth/me', leaver)).status).toBe(200);
          expect((await at('POST', `/api/accounts/${leaver.user.id}/disable`, last)).status).toBe(200);
          expect((await at('GET', '/api/auth/me', leaver)).status).toBe(401);
          expect((await at('GET', '/api/auth/me', { cookie: leaverCookie })).status).toBe(401);
          expect((await at('POST', '/api/auth/login', {}, { email: leaver.user.email, password })).status).toBe(401);
          expect((await at('POST', `/api/accounts/${leaver.user.id}/enable`, last)).body).toMatchObject({ status: 'active' });
          expect((await at('GET', '/api/auth/me', leaver)).status).toBe(401);
          expect((await at('POST', '/api/auth/login', {}, { email: leaver.user.email, password })).status).toBe(200);
        });
      } finally {
        await scratch.drop();
      }
    });
  });

  describe('the journal’s author filter', () => {
    it('lists the people who acted on the tenant and filters the journal and its CSV export by one of them', async () => {
      const tenant = await makeTenant(platform.dataSource);
      const other = await makeTenant(platform.dataSource);
      const admin = await makeClientAdmin(platform.dataSource, tenant.id, { displayName: 'Aline Mairie' });
      const agent = await makeStaff(platform.dataSource, 'onboarding_agent', { displayName: 'Bruno Éditeur' });
      const elsewhere = await makeStaff(platform.dataSource, 'admin', { displayName: 'Chloé Ailleurs' });
      expect((await call('POST', `/api/tenants/${tenant.id}/admins`, admin, { email: uniqueEmail('par-aline'), displayName: 'Invitée par Aline' })).status).toBe(201);
      expect((await call('POST', `/api/tenants/${tenant.id}/admins`, agent, { email: uniqueEmail('par-bruno'), displayName: 'Invité par Bruno' })).status).toBe(201);
      expect((await call('POST', `/api/tenants/${other.id}/admins`, elsewhere, { email: uniqueEmail('ailleurs'), displayName: 'Ailleurs' })).status).toBe(201);

      const authors = await call('GET', `/api/tenants/${tenant.id}/audit/authors`, admin);
      expect(authors.status).toBe(200);
      expect(authors.body).toEqual({
        items: [
          { id: admin.user.id, displayName: 'Aline Mairie', kind: 'client_admin' },
          { id: agent.user.id, displayName: 'Bruno Éditeur', kind: 'staff' },
        ],
      });
      expect((await call('GET', `/api/tenants/${other.id}/audit/authors`, admin)).status).toBe(404);

      const byAline = await call('GET', `/api/tenants/${tenant.id}/audit?actorId=${admin.user.id}`, admin);
      expect(byAline.body).toMatchObject({ total: 1, items: [{ action: 'user.invited', actor: { id: admin.user.id, displayName: 'Aline Mairie' } }] });
      const byBruno = await call('GET', `/api/tenants/${tenant.id}/audit?actorId=${agent.user.id}`, admin);
      expect(byBruno.body).toMatchObject({ total: 1, items: [{ actor: { id: agent.user.id } }] });
      const csv = await call('GET', `/api/tenants/${tenant.id}/audit.csv?actorId=${agent.user.id}`, admin);
      expect(csv.status).toBe(200);
      const lines = csv.text.trim().split(/\r?\n/);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain('Bruno Éditeur');
      expect(csv.text).not.toContain('Aline Mairie');
    });
  });
});
