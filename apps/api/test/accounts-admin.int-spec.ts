/**
 * Account administration and personal API tokens over real HTTP, PostgreSQL and SMTP: who may
 * invite whom, tenant scoping of client administrators (SR-20), lists, disabling, roles, tokens,
 * audit rows (SR-25), and the mail configuration failure modes.
 */
import { createHash } from 'node:crypto';
import { UserEntity } from '@fcplat/db';
import { freePort, makeClientAdmin, makeSessionCookie, makeStaff, makeTenant } from '@fcplat/testing';
import { hashPassword } from '../src/accounts/passwords.js';
import { accountsRequest, auditRowsOf, useAccountsApi, type AccountsReply, type AuditRow, type Credentials } from './accounts-harness.js';
import { withOtherApi } from './api-harness.js';
import { uniqueEmail } from './portal-http.js';

describe('account administration and API tokens (accounts)', () => {
  /** One capture for every API of this file: nestjs-pino keeps its logger per process, not per app. */
  const accounts = useAccountsApi();
  const { logs, platform } = accounts;
  const call = (method: string, path: string, who: Credentials, body?: unknown): Promise<AccountsReply> => accountsRequest(platform.api.url, method, path, who, body);
  const auditOf = (targetId: string): Promise<AuditRow[]> => auditRowsOf(platform.dataSource, targetId);

  describe('who may invite whom', () => {
    it('lets only admins invite staff; read-only staff cannot invite anyone (403) and nothing is written', async () => {
      const readOnly = await makeStaff(platform.dataSource, 'read_only');
      const agent = await makeStaff(platform.dataSource, 'onboarding_agent');
      const tenant = await makeTenant(platform.dataSource);
      const email = uniqueEmail('refuse');
      const staffBody = { email, displayName: 'Refusé', role: 'read_only' };
      expect((await call('POST', '/api/accounts/staff', readOnly, staffBody)).status).toBe(403);
      expect((await call('POST', '/api/accounts/staff', agent, staffBody)).status).toBe(403);
      expect((await call('POST', `/api/tenants/${tenant.id}/admins`, readOnly, { email, displayName: 'Refusé' })).status).toBe(403);
      expect(await platform.dataSource.getRepository(UserEntity).countBy({ email })).toBe(0);
      expect((await call('POST', '/api/accounts/staff', {}, staffBody)).status).toBe(401);
    });

    it('lets an onboarding agent invite a client administrator of an existing tenant, by e-mail', async () => {
      const agent = await makeStaff(platform.dataSource, 'onboarding_agent');
      const tenant = await makeTenant(platform.dataSource, { name: 'Commune de Saint-Invité' });
      const email = uniqueEmail('admin-client');
      const reply = await call('POST', `/api/tenants/${tenant.id}/admins`, agent, { email, displayName: 'Maire adjoint' });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ user: { email, kind: 'client_admin', role: null, tenantId: tenant.id, status: 'invited' }, invitation: { sent: true } });
      const mail = await accounts.inbox.waitFor(email);
      expect(mail.text).toContain('Commune de Saint-Invité');
      const userId = (reply.body.user as { id: string }).id;
      expect(await auditOf(userId)).toEqual([
        expect.objectContaining({ action: 'user.invited', actor_type: 'api_token', actor_id: agent.user.id, tenant_id: tenant.id, changes: expect.objectContaining({ kind: { after: 'client_admin' } }) }),
      ]);
    });

    it('answers 404 for an unknown or malformed tenant, 409 for a taken e-mail, 400 for bad input', async () => {
      const admin = await makeStaff(platform.dataSource, 'admin');
      const body = { email: uniqueEmail('x'), displayName: 'X' };
      expect((await call('POST', '/api/tenants/00000000-0000-4000-8000-000000000000/admins', admin, body)).status).toBe(404);
      expect((await call('POST', '/api/tenants/pas-un-uuid/admins', admin, body)).status).toBe(404);
      const taken = await call('POST', '/api/accounts/staff', admin, { email: admin.user.email, displayName: 'Doublon', role: 'admin' });
      expect(taken.status).toBe(409);
      expect(taken.body).toMatchObject({ code: 'CONFLICT', detail: expect.stringContaining('existe déjà') });
      const invalid = await call('POST', '/api/accounts/staff', admin, { email: 'pas-une-adresse', displayName: '', role: 'superuser', extra: 1 });
      expect(invalid.status).toBe(400);
      expect((invalid.body.violations as { path: string }[]).map((v) => v.path).sort()).toEqual(['', 'displayName', 'email', 'role']);
    });
  });

  describe('client administrators are scoped to their tenant (SR-20)', () => {
    it('lists the admins of their own tenant, and gets 404 for another tenant, by list and by id', async () => {
      const tenantA = await makeTenant(platform.dataSource);
      const tenantB = await makeTenant(platform.dataSource);
      const adminA = await makeClientAdmin(platform.dataSource, tenantA.id);
      const adminB = await makeClientAdmin(platform.dataSource, tenantB.id);
      const staff = await makeStaff(platform.dataSource, 'read_only');

      const own = await call('GET', `/api/tenants/${tenantA.id}/admins`, adminA);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ total: 1, items: [{ id: adminA.user.id, tenantId: tenantA.id }] });
      const other = await call('GET', `/api/tenants/${tenantB.id}/admins`, adminA);
      expect(other.status).toBe(404);
      expect(other.body).toMatchObject({ code: 'NOT_FOUND' });
      expect((await call('GET', `/api/accounts/${adminB.user.id}`, adminA)).status).toBe(404);
      expect((await call('GET', `/api/accounts/${staff.user.id}`, adminA)).status).toBe(404);
      expect((await call('GET', `/api/accounts/${adminA.user.id}`, adminA)).status).toBe(200);
      // Staff-only routes are refused outright to client administrators.
      expect((await call('GET', '/api/accounts', adminA)).status).toBe(403);
      // Inviting a colleague is for their own tenant only (accounts-team.int-spec.ts covers the rest).
      expect((await call('POST', `/api/tenants/${tenantB.id}/admins`, adminA, { email: uniqueEmail('y'), displayName: 'Y' })).status).toBe(404);
      // Staff read any tenant's list.
      expect((await call('GET', `/api/tenants/${tenantB.id}/admins`, staff)).body).toMatchObject({ total: 1, items: [{ id: adminB.user.id }] });
      expect((await call('GET', '/api/tenants/00000000-0000-4000-8000-000000000000/admins', staff)).status).toBe(404);
    });
  });

  describe('lists', () => {
    it('filters, searches, sorts and paginates accounts in SQL, and refuses unknown parameters', async () => {
      const reader = await makeStaff(platform.dataSource, 'read_only');
      const tenant = await makeTenant(platform.dataSource);
      const marker = `zq${Date.now().toString(36)}`;
      const names = ['Charlie', 'Alice', 'Bob'];
      for (const name of names) {
        await platform.dataSource.getRepository(UserEntity).save({ email: `${name.toLowerCase()}.${marker}@mairie.test`, displayName: `${name} ${marker}`, kind: 'client_admin', staffRole: null, tenantId: tenant.id, status: 'active' });
      }
      await platform.dataSource.getRepository(UserEntity).save({ email: `dave.${marker}@editeur.test`, displayName: `Dave ${marker}`, kind: 'staff', staffRole: 'onboarding_agent', tenantId: null, status: 'disabled' });

      const all = await call('GET', `/api/accounts?search=${marker}&sort=displayName&order=desc`, reader);
      expect(all.body).toMatchObject({ total: 4, page: 1, pageSize: 25 });
      expect((all.body.items as { displayName: string }[]).map((u) => u.displayName.split(' ')[0])).toEqual(['Dave', 'Charlie', 'Bob', 'Alice']);
      const page2 = await call('GET', `/api/accounts?search=${marker}&kind=client_admin&pageSize=2&page=2`, reader);
      expect(page2.body).toMatchObject({ total: 3, page: 2, pageSize: 2, items: [{ email: `charlie.${marker}@mairie.test` }] });
      expect((await call('GET', `/api/accounts?search=${marker}&tenantId=${tenant.id}`, reader)).body).toMatchObject({ total: 3 });
      expect((await call('GET', `/api/accounts?search=${marker}&role=onboarding_agent&status=disabled`, reader)).body).toMatchObject({ total: 1, items: [{ displayName: `Dave ${marker}` }] });
      // LIKE wildcards in the search are literal characters.
      expect((await call('GET', `/api/accounts?search=${encodeURIComponent('%_')}${marker}`, reader)).body).toMatchObject({ total: 0 });
      // Never the secrets.
      expect(JSON.stringify(all.body)).not.toMatch(/password|totpSecret|hash/i);
      for (const bad of ['kind=citizen', 'sort=password_hash', 'pageSize=1000', 'tenantId=abc', 'unknown=1']) {
        expect((await call('GET', `/api/accounts?${bad}`, reader)).status).toBe(400);
      }
    });
  });

  describe('disabling, enabling, roles, second factor reset', () => {
    it('disables an account at once: its sessions and API tokens stop working; audited; not oneself', async () => {
      const admin = await makeStaff(platform.dataSource, 'admin');
      const target = await makeStaff(platform.dataSource, 'onboarding_agent');
      const cookie = await makeSessionCookie(platform.dataSource, target.user.id);
      expect((await call('GET', '/api/auth/me', { cookie })).status).toBe(200);
      expect((await call('GET', '/api/auth/me', target)).status).toBe(200);

      expect((await call('POST', `/api/accounts/${target.user.id}/disable`, await makeStaff(platform.dataSource, 'onboarding_agent'))).status).toBe(403);
      const disabled = await call('POST', `/api/accounts/${target.user.id}/disable`, admin);
      expect(disabled.status).toBe(200);
      expect(disabled.body).toMatchObject({ id: target.user.id, status: 'disabled' });
      expect((await call('GET', '/api/auth/me', { cookie })).status).toBe(401);
      expect((await call('GET', '/api/auth/me', target)).status).toBe(401);
      const [counts] = (await platform.dataSource.query(
        `SELECT (SELECT count(*)::int FROM user_session WHERE user_id = $1 AND revoked_at IS NULL) AS sessions,
                (SELECT count(*)::int FROM api_token WHERE user_id = $1 AND revoked_at IS NULL) AS tokens`,
        [target.user.id],
      )) as { sessions: number; tokens: number }[];
      expect(counts).toEqual({ sessions: 0, tokens: 0 });
      expect(await auditOf(target.user.id)).toEqual([
        expect.objectContaining({ action: 'user.disabled', actor_id: admin.user.id, changes: { status: { before: 'active', after: 'disabled' }, sessionsRevoked: 1, apiTokensRevoked: 1 } }),
      ]);

      expect((await call('POST', `/api/accounts/${admin.user.id}/disable`, admin)).status).toBe(409);
      const enabled = await call('POST', `/api/accounts/${target.user.id}/enable`, admin);
      expect(enabled.body).toMatchObject({ status: 'invited' }); // no password was ever set
      expect((await auditOf(target.user.id)).map((a) => a.action)).toEqual(['user.disabled', 'user.enabled']);
      expect((await call('POST', '/api/accounts/00000000-0000-4000-8000-000000000000/disable', admin)).status).toBe(404);
    });

    it('changes a staff role (audited with before/after), never one’s own, never a client administrator’s', async () => {
      const admin = await makeStaff(platform.dataSource, 'admin');
      const target = await makeStaff(platform.dataSource, 'read_only');
      expect((await call('PUT', `/api/accounts/${target.user.id}/role`, target, { role: 'admin' })).status).toBe(403);
      const changed = await call('PUT', `/api/accounts/${target.user.id}/role`, admin, { role: 'onboarding_agent' });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ role: 'onboarding_agent' });
      // The new role applies to the next request.
      const tenant = await makeTenant(platform.dataSource);
      expect((await call('POST', `/api/tenants/${tenant.id}/admins`, target, { email: uniqueEmail('apres-role'), displayName: 'Après' })).status).toBe(201);
      expect(await auditOf(target.user.id)).toEqual([
        expect.objectContaining({ action: 'user.role_changed', actor_type: 'api_token', actor_id: admin.user.id, changes: { role: { before: 'read_only', after: 'onboarding_agent' } } }),
      ]);
      expect((await call('PUT', `/api/accounts/${admin.user.id}/role`, admin, { role: 'read_only' })).status).toBe(409);
      const clientAdmin = await makeClientAdmin(platform.dataSource, tenant.id);
      expect((await call('PUT', `/api/accounts/${clientAdmin.user.id}/role`, admin, { role: 'admin' })).status).toBe(409);
      expect((await call('PUT', `/api/accounts/${target.user.id}/role`, admin, { role: 'owner' })).status).toBe(400);
    });

    it('resets a lost second factor: sessions end and the next login asks for a new authenticator', async () => {
      const admin = await makeStaff(platform.dataSource, 'admin');
      const target = await makeStaff(platform.dataSource, 'onboarding_agent');
      const password = 'Le téléphone est tombé dans le canal';
      await platform.dataSource
        .getRepository(UserEntity)
        .update({ id: target.user.id }, { passwordHash: await hashPassword(password), totpSecretCiphertext: 'v1.test1.x.y.z', totpEnabledAt: new Date() });
      expect((await call('POST', '/api/auth/login', {}, { email: target.user.email, password })).body).toEqual({ next: 'totp' });
      const cookie = await makeSessionCookie(platform.dataSource, target.user.id);
      expect((await call('POST', `/api/accounts/${target.user.id}/totp/reset`, await makeStaff(platform.dataSource, 'onboarding_agent'))).status).toBe(403);
      const reset = await call('POST', `/api/accounts/${target.user.id}/totp/reset`, admin);
      expect(reset.status).toBe(200);
      expect(reset.body).toMatchObject({ totpEnabled: false });
      expect((await call('GET', '/api/auth/me', { cookie })).status).toBe(401);
      expect((await call('POST', '/api/auth/login', {}, { email: target.user.email, password })).body).toEqual({ next: 'totp_setup' });
      expect((await auditOf(target.user.id)).map((a) => a.action)).toEqual(['user.totp_reset']);
    });
  });

  describe('personal API tokens', () => {
    it('creates a token shown once (from a session), lists it without the secret, uses it as Bearer, revokes it', async () => {
      const staff = await makeStaff(platform.dataSource, 'read_only');
      const cookie = await makeSessionCookie(platform.dataSource, staff.user.id);
      const created = await call('POST', '/api/accounts/me/tokens', { cookie }, { name: 'intégration continue', expiresInDays: 30 });
      expect(created.status).toBe(201);
      const token = created.body.token as string;
      expect(token).toMatch(/^fcp_[A-Za-z0-9_-]{43}$/);
      expect(created.body).toMatchObject({ name: 'intégration continue', prefix: token.slice(0, 12) });
      const days = (Date.parse(created.body.expiresAt as string) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThan(30.1);

      // Stored as a SHA-256 only.
      const rows = (await platform.dataSource.query(`SELECT token_hash, token_prefix FROM api_token WHERE id = $1`, [created.body.id])) as { token_hash: string; token_prefix: string }[];
      expect(rows).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex'), token_prefix: token.slice(0, 12) }]);

      const list = await call('GET', '/api/accounts/me/tokens', { cookie });
      expect(list.status).toBe(200);
      const items = list.body.items as Record<string, unknown>[];
      expect(items.find((t) => t.id === created.body.id)).toEqual({
        id: created.body.id,
        name: 'intégration continue',
        prefix: token.slice(0, 12),
        createdAt: expect.any(String),
        expiresAt: created.body.expiresAt,
        lastUsedAt: null,
      });
      expect(JSON.stringify(list.body)).not.toContain(token);

      const me = await call('GET', '/api/auth/me', { authorization: `Bearer ${token}` });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: staff.user.id, via: 'api_token', role: 'read_only' });
      // A token cannot mint tokens.
      expect((await call('POST', '/api/accounts/me/tokens', { authorization: `Bearer ${token}` }, { name: 'enfant' })).status).toBe(403);

      // Someone else cannot revoke it (404), its owner can (204), once.
      const other = await makeStaff(platform.dataSource, 'admin');
      expect((await call('DELETE', `/api/accounts/me/tokens/${created.body.id}`, other)).status).toBe(404);
      expect((await call('DELETE', `/api/accounts/me/tokens/${created.body.id}`, { cookie })).status).toBe(204);
      expect((await call('GET', '/api/auth/me', { authorization: `Bearer ${token}` })).status).toBe(401);
      expect((await call('DELETE', `/api/accounts/me/tokens/${created.body.id}`, { cookie })).status).toBe(404);
      expect((await call('DELETE', '/api/accounts/me/tokens/pas-un-uuid', { cookie })).status).toBe(404);
      expect(((await call('GET', '/api/accounts/me/tokens', { cookie })).body.items as { id: string }[]).map((t) => t.id)).not.toContain(created.body.id);

      const audit = await auditOf(created.body.id as string);
      expect(audit.map((a) => a.action)).toEqual(['api_token.created', 'api_token.revoked']);
      expect(JSON.stringify(audit)).not.toContain(token);
    });

    it('refuses tokens to client administrators, bad expiries, and more than 20 live tokens', async () => {
      const tenant = await makeTenant(platform.dataSource);
      const clientAdmin = await makeClientAdmin(platform.dataSource, tenant.id);
      expect((await call('POST', '/api/accounts/me/tokens', clientAdmin, { name: 'x' })).status).toBe(403);
      const staff = await makeStaff(platform.dataSource, 'admin');
      const cookie = await makeSessionCookie(platform.dataSource, staff.user.id);
      expect((await call('POST', '/api/accounts/me/tokens', { cookie }, { name: 'x', expiresInDays: 0 })).status).toBe(400);
      expect((await call('POST', '/api/accounts/me/tokens', { cookie }, { name: 'x', expiresInDays: 10_000 })).status).toBe(400);
      const defaulted = await call('POST', '/api/accounts/me/tokens', { cookie }, { name: 'défaut' });
      expect((Date.parse(defaulted.body.expiresAt as string) - Date.now()) / 86_400_000).toBeCloseTo(90, 0);
      for (let i = 0; i < 18; i += 1) expect((await call('POST', '/api/accounts/me/tokens', { cookie }, { name: `t${i}` })).status).toBe(201);
      // makeStaff's own token + 19 created = 20.
      const tooMany = await call('POST', '/api/accounts/me/tokens', { cookie }, { name: 'de trop' });
      expect(tooMany.status).toBe(409);
    });
  });

  it('documents every accounts endpoint in the OpenAPI document', async () => {
    const document = (await (await fetch(`${platform.api.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const expected: Record<string, string[]> = {
      '/api/auth/login': ['post'],
      '/api/auth/totp': ['post'],
      '/api/auth/totp/setup': ['post'],
      '/api/auth/totp/activate': ['post'],
      '/api/auth/logout': ['post'],
      '/api/auth/me': ['get'],
      '/api/auth/invitations/accept': ['post'],
      '/api/auth/password-reset/request': ['post'],
      '/api/auth/password-reset/complete': ['post'],
      '/api/accounts': ['get'],
      '/api/accounts/staff': ['post'],
      '/api/accounts/{id}': ['get'],
      '/api/accounts/{id}/invitation': ['post'],
      '/api/accounts/{id}/role': ['put'],
      '/api/accounts/{id}/disable': ['post'],
      '/api/accounts/{id}/enable': ['post'],
      '/api/accounts/{id}/totp/reset': ['post'],
      '/api/accounts/me/tokens': ['get', 'post'],
      '/api/accounts/me/tokens/{id}': ['delete'],
      '/api/tenants/{tenantId}/admins': ['get', 'post'],
      '/api/tenants/{tenantId}/admins/{userId}/invitation': ['post'],
      '/api/tenants/{tenantId}/admins/{userId}/disable': ['post'],
      '/api/tenants/{tenantId}/admins/{userId}/enable': ['post'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      expect(Object.keys(document.paths[path] ?? {}).sort()).toEqual(expect.arrayContaining(methods));
    }
  });

  describe('when e-mail cannot be sent', () => {
    it('refuses invitations with 503 and writes nothing when no SMTP server is configured', async () => {
      await withOtherApi({}, { heartbeat: false, logDestination: logs }, async (noMail, noMailConfig) => {
        expect(noMailConfig.mail.smtpUrl).toBeNull();
        const admin = await makeStaff(platform.dataSource, 'admin');
        const email = uniqueEmail('sans-smtp');
        const reply = await accountsRequest(noMail.url, 'POST', '/api/accounts/staff', admin, { email, displayName: 'Sans SMTP', role: 'read_only' });
        expect(reply.status).toBe(503);
        expect(reply.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', detail: expect.stringContaining('SMTP_URL') });
        expect(await platform.dataSource.getRepository(UserEntity).countBy({ email })).toBe(0);
        const reset = await accountsRequest(noMail.url, 'POST', '/api/auth/password-reset/request', {}, { email });
        expect(reset.status).toBe(503);
      });
    });

    it('creates the account but reports the invitation as not sent when the SMTP server is down; it can be resent', async () => {
      await withOtherApi({ SMTP_URL: `smtp://127.0.0.1:${await freePort()}` }, { heartbeat: false, logDestination: logs }, async (down) => {
        const admin = await makeStaff(platform.dataSource, 'admin');
        const email = uniqueEmail('smtp-en-panne');
        const reply = await accountsRequest(down.url, 'POST', '/api/accounts/staff', admin, { email, displayName: 'Panne', role: 'read_only' });
        expect(reply.status).toBe(201);
        expect(reply.body).toMatchObject({ user: { email, status: 'invited' }, invitation: { sent: false } });
        expect(logs.entries()).toEqual(expect.arrayContaining([expect.objectContaining({ msg: 'e-mail not delivered to the SMTP server', code: 'ESOCKET' })]));
        expect(logs.text).not.toContain('/console/invitation');
        const userId = (reply.body.user as { id: string }).id;
        const resent = await call('POST', `/api/accounts/${userId}/invitation`, admin);
        expect(resent.body).toMatchObject({ invitation: { sent: true } });
        await accounts.inbox.waitFor(email);
      });
    });
  });
});
