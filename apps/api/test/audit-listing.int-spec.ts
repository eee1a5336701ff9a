import type { AuditAction } from '@fcplat/domain';
import { appendAudit } from '@fcplat/db';
import { LogCapture, makeClientAdmin, makeStaff, makeTenant, type TestStaff } from '@fcplat/testing';
import { callJson, useTestApi, type Auth, type Reply } from './api-harness.js';

interface Entry {
  id: string;
  occurredAt: string;
  actor: { type: string; id: string | null; displayName: string | null };
  tenantId: string | null;
  action: string;
  target: { type: string; id: string } | null;
  changes: Record<string, unknown>;
  requestId: string | null;
}

describe('audit listing over HTTP', () => {
  const logs = new LogCapture();
  const platform = useTestApi({ heartbeat: false, logDestination: logs });
  let agent: TestStaff;
  let reader: TestStaff;

  const call = (method: string, path: string, auth: Auth, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> =>
    callJson(platform.api.url, method, path, auth, body, { headers });
  const entries = (reply: Reply): Entry[] => reply.body.items as Entry[];

  beforeAll(async () => {
    agent = await makeStaff(platform.dataSource, 'onboarding_agent');
    reader = await makeStaff(platform.dataSource, 'read_only');
  });

  it('lists the rows the onboarding commands wrote, newest first, with actor, target, changes and request id', async () => {
    const tenant = await makeTenant(platform.dataSource);
    const auth = { authorization: agent.authorization };
    await call('POST', `/api/tenants/${tenant.id}/onboarding/comments`, auth, { body: 'Premier échange.', visibility: 'client' }, { 'x-request-id': 'audit-listing-0001' });
    await call('PATCH', `/api/tenants/${tenant.id}/onboarding`, auth, { dsFileNumber: '31415' });
    await call('PUT', `/api/tenants/${tenant.id}/checklist/FC-19`, auth, { status: 'passed' });

    const all = await call('GET', `/api/audit?tenantId=${tenant.id}`, { authorization: reader.authorization });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 3, page: 1, pageSize: 25 });
    expect(entries(all).map((e) => e.action)).toEqual(['qualification.item_updated', 'onboarding.case_updated', 'onboarding.comment_added']);
    expect(entries(all)[2]).toMatchObject({
      actor: { type: 'api_token', id: agent.user.id, displayName: agent.user.displayName },
      tenantId: tenant.id,
      target: { type: 'onboarding_comment', id: expect.any(String) },
      changes: { bodyLength: { before: null, after: 16 } },
      requestId: 'audit-listing-0001',
    });
    expect(entries(all)[1]?.changes).toEqual({ dsFileNumber: { before: null, after: '31415' } });
    const oldestFirst = await call('GET', `/api/audit?tenantId=${tenant.id}&order=asc&pageSize=2&page=2`, { authorization: reader.authorization });
    expect(oldestFirst.body).toMatchObject({ total: 3, page: 2 });
    expect(entries(oldestFirst).map((e) => e.action)).toEqual(['qualification.item_updated']);
  });

  it('filters by action prefix (with « _ » taken literally), actor and time range', async () => {
    const tenant = await makeTenant(platform.dataSource);
    const other = await makeStaff(platform.dataSource, 'admin');
    await platform.dataSource.transaction(async (manager) => {
      await appendAudit(manager, { actor: { type: 'staff', id: agent.user.id }, tenantId: tenant.id, action: 'test.a_b' as AuditAction });
      await appendAudit(manager, { actor: { type: 'staff', id: other.user.id }, tenantId: tenant.id, action: 'test.axb' as AuditAction });
      await appendAudit(manager, { actor: { type: 'system', id: null }, tenantId: tenant.id, action: 'test.other' as AuditAction });
    });
    await platform.dataSource.query(
      `INSERT INTO audit_log (occurred_at, actor_type, actor_id, tenant_id, action) VALUES
         ('2020-03-10T10:00:00Z', 'staff', $2, $1, 'test.old'),
         ('2020-03-20T10:00:00Z', 'staff', $2, $1, 'test.old')`,
      [tenant.id, agent.user.id],
    );
    const list = async (query: string): Promise<Entry[]> => {
      const reply = await call('GET', `/api/audit?tenantId=${tenant.id}&${query}`, { authorization: reader.authorization });
      expect(reply.status).toBe(200);
      return entries(reply);
    };
    expect((await list('action=test.a_')).map((e) => e.action)).toEqual(['test.a_b']);
    expect((await list('action=test.a')).map((e) => e.action).sort()).toEqual(['test.a_b', 'test.axb']);
    expect((await list('action=test.')).length).toBe(5);
    expect((await list(`actorId=${other.user.id}`)).map((e) => e.action)).toEqual(['test.axb']);
    expect((await list(`actorId=${agent.user.id}&action=test.old`)).map((e) => e.occurredAt)).toEqual([
      '2020-03-20T10:00:00.000Z',
      '2020-03-10T10:00:00.000Z',
    ]);
    expect((await list('from=2020-03-15T00:00:00Z&to=2020-04-01T00:00:00%2B02:00')).map((e) => e.occurredAt)).toEqual(['2020-03-20T10:00:00.000Z']);
    expect((await list('to=2020-03-15T00:00:00Z')).map((e) => e.occurredAt)).toEqual(['2020-03-10T10:00:00.000Z']);
    expect((await list('from=2021-01-01T00:00:00Z')).map((e) => e.action).sort()).toEqual(['test.a_b', 'test.axb', 'test.other']);
    // Without tenant filter, staff see rows of every tenant (and platform rows).
    const global = await call('GET', `/api/audit?action=test.a_b&actorId=${agent.user.id}`, { authorization: reader.authorization });
    expect(entries(global).some((e) => e.tenantId === tenant.id)).toBe(true);
  });

  it('shows a client administrator their own tenant’s log only (others: 404; the global log: 403)', async () => {
    const tenantA = await makeTenant(platform.dataSource);
    const tenantB = await makeTenant(platform.dataSource);
    const adminA = { cookie: (await makeClientAdmin(platform.dataSource, tenantA.id)).cookie };
    await call('POST', `/api/tenants/${tenantA.id}/onboarding/comments`, { authorization: agent.authorization }, { body: 'Pour A', visibility: 'internal' });
    await call('POST', `/api/tenants/${tenantB.id}/onboarding/comments`, { authorization: agent.authorization }, { body: 'Pour B', visibility: 'internal' });

    const own = await call('GET', `/api/tenants/${tenantA.id}/audit`, adminA);
    expect(own.status).toBe(200);
    expect(own.body.total).toBe(1);
    expect(entries(own).every((e) => e.tenantId === tenantA.id)).toBe(true);
    expect((await call('GET', `/api/tenants/${tenantB.id}/audit`, adminA)).status).toBe(404);
    expect((await call('GET', `/api/audit?tenantId=${tenantB.id}`, adminA)).status).toBe(403);
    expect((await call('GET', `/api/tenants/00000000-0000-4000-8000-000000000000/audit`, { authorization: reader.authorization })).status).toBe(404);
    const staffView = await call('GET', `/api/tenants/${tenantB.id}/audit`, { authorization: reader.authorization });
    expect(staffView.body).toMatchObject({ total: 1, items: [{ tenantId: tenantB.id, action: 'onboarding.comment_added' }] });
  });

  it('exports a tenant’s journal as CSV in French (BOM, « ; », dates in France, no field code), filtered, for staff and the tenant’s administrator only', async () => {
    const tenant = await makeTenant(platform.dataSource);
    const other = await makeTenant(platform.dataSource);
    const admin = { cookie: (await makeClientAdmin(platform.dataSource, tenant.id)).cookie };
    const outsider = { cookie: (await makeClientAdmin(platform.dataSource, other.id)).cookie };
    const auth = { authorization: agent.authorization };
    await call('POST', `/api/tenants/${tenant.id}/onboarding/comments`, auth, { body: 'Relance ; urgent', visibility: 'internal' });
    await call('PATCH', `/api/tenants/${tenant.id}/onboarding`, auth, { dsFileNumber: '27182' });
    const download = async (who: Auth, query = ''): Promise<Response> => fetch(`${platform.api.url}/api/tenants/${tenant.id}/audit.csv${query}`, { headers: { ...who } });

    const staffCsv = await download({ authorization: reader.authorization });
    expect(staffCsv.status).toBe(200);
    expect(staffCsv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    // The bytes: fetch's text() drops a BOM, Excel needs it.
    const bytes = Buffer.from(await staffCsv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith('date;qui;type_acteur;action;details\r\n')).toBe(true);
    const lines = text.trimEnd().split('\r\n');
    expect(lines[1]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2};[^;]*;jeton d’API;Suivi du dossier modifié;Dossier Démarches Simplifiées : /);
    expect(text).toContain('Commentaire ajouté;"Longueur du commentaire (caractères) : 16 ; Visibilité : Note interne"');
    expect(text).not.toMatch(/bodyLength|dsFileNumber|visibility/);
    // The comment's text is not in the audit log, so not in its export either.
    expect(text).not.toContain('urgent');

    const filtered = await (await download(admin, '?action=onboarding.comment')).text();
    expect(filtered.trimEnd().split('\r\n')).toHaveLength(2);
    expect((await download(outsider)).status).toBe(404);
    expect((await download({ authorization: reader.authorization }, '?action=DROP TABLE')).status).toBe(400);
  });

  it('refuses invalid filters with 400', async () => {
    for (const query of ['from=yesterday', 'to=2020-01-01', 'tenantId=abc', 'action=Onboarding', 'action=a%25', 'colour=red', 'pageSize=1000', 'order=newest']) {
      const reply = await call('GET', `/api/audit?${query}`, { authorization: reader.authorization });
      expect({ query, status: reply.status, code: reply.body.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
  });
});
