import { AppError } from '@fcplat/common';
import { QualificationCheckEntity } from '@fcplat/db';
import { QUALIFICATION_ITEMS, applicableItems } from '@fcplat/domain';
import { LogCapture, makeClientAdmin, makeStaff, makeTenant, recordChecklist, type TestStaff } from '@fcplat/testing';
import { callJson, useTestApi, type Auth, type Reply } from './api-harness.js';
import { QualificationService, type RobotResult } from '../src/onboarding/qualification.service.js';

interface Item {
  id: string;
  status: string;
  source: string;
  evidence: { text: string | null; url: string | null };
  checkedBy: { id: string; displayName: string } | null;
  checkedAt: string | null;
  blocking: { cause: string; message: string } | null;
}
interface Summary {
  total: number;
  counts: Record<string, number>;
  bySource: Record<string, number>;
  failed: string[];
  blocking: { id: string; cause: string }[];
  readyForQualification: boolean;
}

describe('qualification checklist over HTTP (FC-01 … FC-22) and the robot entry point', () => {
  const logs = new LogCapture();
  const platform = useTestApi({ heartbeat: false, logDestination: logs });
  let agent: TestStaff;
  let qualification: QualificationService;

  const call = (method: string, path: string, auth: Auth, body?: unknown): Promise<Reply> => callJson(platform.api.url, method, path, auth, body);
  const staff = (): Auth => ({ authorization: agent.authorization });
  const items = (reply: Reply): Item[] => reply.body.items as Item[];
  const item = (reply: Reply, id: string): Item => items(reply).find((i) => i.id === id) as Item;
  const summary = (reply: Reply): Summary => reply.body.summary as Summary;

  async function stored(tenantId: string): Promise<unknown[]> {
    return platform.dataSource.query(`SELECT item_id, status, source, evidence_text, evidence_url, checked_by FROM qualification_check WHERE tenant_id = $1 ORDER BY item_id`, [
      tenantId,
    ]);
  }
  async function auditCount(tenantId: string): Promise<number> {
    const [{ n }] = await platform.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1`, [tenantId]);
    return n;
  }

  beforeAll(async () => {
    agent = await makeStaff(platform.dataSource, 'onboarding_agent');
    qualification = platform.api.app.get(QualificationService);
  });

  it('lists the items that apply to the tenant’s modes, all to check at first', async () => {
    const connexion = await makeTenant(platform.dataSource);
    const reply = await call('GET', `/api/tenants/${connexion.id}/checklist`, staff());
    expect(reply.status).toBe(200);
    expect(reply.body.modes).toEqual({ connexion: true, dataRetrieval: false });
    expect(items(reply).map((i) => i.id)).toEqual(applicableItems({ connexion: true, dataRetrieval: false }).map((i) => i.id));
    expect(items(reply)).toHaveLength(22);
    expect(item(reply, 'FC-01')).toMatchObject({
      title: expect.stringContaining('Bouton FranceConnect'),
      modes: ['C', 'D'],
      checks: ['browser'],
      conditional: false,
      robotCheckable: true,
      status: 'todo',
      statusLabel: 'À vérifier',
      source: 'manual',
      evidence: { text: null, url: null },
      checkedBy: null,
      checkedAt: null,
      blocking: { cause: 'todo', message: expect.stringContaining('pas encore vérifié') },
    });
    expect(summary(reply)).toMatchObject({ total: 22, counts: { todo: 22, passed: 0, failed: 0, not_applicable: 0 }, readyForQualification: false });

    const dataOnly = await makeTenant(platform.dataSource, { connexionEnabled: false, dataRetrievalEnabled: true });
    const dataReply = await call('GET', `/api/tenants/${dataOnly.id}/checklist`, staff());
    const expected = QUALIFICATION_ITEMS.filter((i) => i.modes.includes('D')).map((i) => i.id);
    expect(items(dataReply).map((i) => i.id)).toEqual(expected);
    expect(expected).not.toContain('FC-03');
    const notApplicable = await call('PUT', `/api/tenants/${dataOnly.id}/checklist/FC-03`, staff(), { status: 'passed' });
    expect(notApplicable.status).toBe(409);
    expect(notApplicable.body.detail).toContain('ne s’applique pas');
    expect(await stored(dataOnly.id)).toEqual([]);
  });

  it('records a person’s verdict with evidence, who and when, updates the summary and writes an audit row', async () => {
    const tenant = await makeTenant(platform.dataSource);
    const passed = await call('PUT', `/api/tenants/${tenant.id}/checklist/FC-01`, staff(), {
      status: 'passed',
      evidenceText: 'Bouton mesuré à 209 × 56 px dans Chromium.',
      evidenceUrl: 'https://recette.example.fr/rapports/fc-01.png',
    });
    expect(passed.status).toBe(200);
    expect(item(passed, 'FC-01')).toMatchObject({
      status: 'passed',
      statusLabel: 'Conforme',
      source: 'manual',
      evidence: { text: 'Bouton mesuré à 209 × 56 px dans Chromium.', url: 'https://recette.example.fr/rapports/fc-01.png' },
      checkedBy: { id: agent.user.id, displayName: agent.user.displayName },
      blocking: null,
    });
    expect(Date.now() - Date.parse(item(passed, 'FC-01').checkedAt as string)).toBeLessThan(60_000);
    expect(summary(passed)).toMatchObject({ counts: { passed: 1, todo: 21 }, bySource: { manual: 1, robot: 0 } });

    const failed = await call('PUT', `/api/tenants/${tenant.id}/checklist/FC-05`, staff(), { status: 'failed', evidenceText: 'Le bouton est sous le formulaire.' });
    expect(summary(failed)).toMatchObject({ failed: ['FC-05'], readyForQualification: false });
    expect(summary(failed).blocking[0]).toEqual({ id: 'FC-05', cause: 'failed', message: expect.stringContaining('non conforme') });

    const audit = await platform.dataSource.query(
      `SELECT actor_type, actor_id, target_type, target_id, changes FROM audit_log WHERE tenant_id = $1 AND action = 'qualification.item_updated' ORDER BY id`,
      [tenant.id],
    );
    expect(audit).toEqual([
      {
        actor_type: 'api_token',
        actor_id: agent.user.id,
        target_type: 'qualification_item',
        target_id: 'FC-01',
        changes: {
          status: { before: 'todo', after: 'passed' },
          source: { before: null, after: 'manual' },
          evidenceText: { before: null, after: 'Bouton mesuré à 209 × 56 px dans Chromium.' },
          evidenceUrl: { before: null, after: 'https://recette.example.fr/rapports/fc-01.png' },
        },
      },
      expect.objectContaining({ target_id: 'FC-05', changes: expect.objectContaining({ status: { before: 'todo', after: 'failed' } }) }),
    ]);

    // The client's administrator can read the checklist of their own tenant.
    const clientAdmin = await makeClientAdmin(platform.dataSource, tenant.id);
    expect(await platform.dataSource.getRepository(QualificationCheckEntity).findOneByOrFail({ tenantId: tenant.id, itemId: 'FC-05' })).toMatchObject({
      status: 'failed',
      source: 'manual',
      evidenceText: 'Le bouton est sous le formulaire.',
      checkedBy: agent.user.id,
    });
    const own = await call('GET', `/api/tenants/${tenant.id}/checklist`, { cookie: clientAdmin.cookie });
    expect(own.status).toBe(200);
    expect(item(own, 'FC-05').status).toBe('failed');
  });

  it('accepts « sans objet » without blocking only on conditional items, and is ready when nothing blocks', async () => {
    const tenant = await makeTenant(platform.dataSource);
    const all = applicableItems({ connexion: true, dataRetrieval: false }).map((i) => i.id);
    await recordChecklist(
      platform.dataSource,
      tenant.id,
      all.filter((id) => id !== 'FC-12' && id !== 'FC-06').map((itemId) => ({ itemId, status: 'passed' as const })),
    );
    const conditional = await call('PUT', `/api/tenants/${tenant.id}/checklist/FC-12`, staff(), {
      status: 'not_applicable',
      evidenceText: 'Le service ne propose pas de suppression de compte.',
    });
    expect(conditional.status).toBe(200);
    expect(item(conditional, 'FC-12')).toMatchObject({ status: 'not_applicable', blocking: null });

    const wrong = await call('PUT', `/api/tenants/${tenant.id}/checklist/FC-06`, staff(), { status: 'not_applicable' });
    expect(wrong.status).toBe(200);
    expect(item(wrong, 'FC-06').blocking).toEqual({ cause: 'not_applicable_not_allowed', message: expect.stringContaining('sans objet') });
    expect(summary(wrong)).toMatchObject({ readyForQualification: false, failed: [], blocking: [{ id: 'FC-06', cause: 'not_applicable_not_allowed' }] });

    const fixed = await call('PUT', `/api/tenants/${tenant.id}/checklist/FC-06`, staff(), { status: 'passed' });
    expect(summary(fixed)).toMatchObject({ readyForQualification: true, blocking: [], counts: { passed: 21, not_applicable: 1, todo: 0, failed: 0 } });

    // Back to « to check » is a verdict too.
    const reset = await call('PUT', `/api/tenants/${tenant.id}/checklist/FC-06`, staff(), { status: 'todo' });
    expect(summary(reset)).toMatchObject({ readyForQualification: false, counts: { todo: 1 } });
  });

  it('refuses unknown items (404) and invalid bodies (400) without writing', async () => {
    const tenant = await makeTenant(platform.dataSource);
    await call('PUT', `/api/tenants/${tenant.id}/checklist/FC-02`, staff(), { status: 'passed' });
    const before = { rows: await stored(tenant.id), audit: await auditCount(tenant.id) };
    for (const id of ['FC-23', 'FC-00', 'fc-01', 'XYZ']) {
      const reply = await call('PUT', `/api/tenants/${tenant.id}/checklist/${id}`, staff(), { status: 'passed' });
      expect({ id, status: reply.status, code: reply.body.code }).toEqual({ id, status: 404, code: 'NOT_FOUND' });
    }
    const bodies: unknown[] = [
      { status: 'ok' },
      { status: 'PASSED' },
      {},
      { status: 'passed', checkedBy: 'me' },
      { status: 'passed', evidenceUrl: 'http://insecure.example.fr/x' },
      { status: 'passed', evidenceUrl: 'javascript:alert(1)' },
      { status: 'passed', evidenceText: 'x'.repeat(5001) },
    ];
    for (const body of bodies) {
      const reply = await call('PUT', `/api/tenants/${tenant.id}/checklist/FC-02`, staff(), body);
      expect({ body, status: reply.status, code: reply.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
    }
    expect(await stored(tenant.id)).toEqual(before.rows);
    expect(await auditCount(tenant.id)).toBe(before.audit);
  });

  it('lets the robot record results, but never over a person’s verdict, never « sans objet », never on manual-only items', async () => {
    const tenant = await makeTenant(platform.dataSource);
    await call('PUT', `/api/tenants/${tenant.id}/checklist/FC-01`, staff(), { status: 'passed', evidenceText: 'Vérifié à la main.' });
    const before = { rows: await stored(tenant.id), audit: await auditCount(tenant.id) };

    const overwrite = qualification.recordRobotResult(tenant.id, 'FC-01', { status: 'failed', note: 'Bouton 200 × 50 px.' });
    await expect(overwrite).rejects.toBeInstanceOf(AppError);
    await expect(qualification.recordRobotResult(tenant.id, 'FC-01', { status: 'failed' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('déjà été évalué par une personne'),
    });
    await expect(qualification.recordRobotResult(tenant.id, 'FC-22', { status: 'passed' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('que par une personne'),
    });
    const notApplicable = { status: 'not_applicable' } as unknown as RobotResult;
    await expect(qualification.recordRobotResult(tenant.id, 'FC-03', notApplicable)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Seule une personne'),
    });
    await expect(qualification.recordRobotResult(tenant.id, 'FC-99', { status: 'passed' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(qualification.recordRobotResult('00000000-0000-4000-8000-000000000000', 'FC-02', { status: 'passed' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await stored(tenant.id)).toEqual(before.rows);
    expect(await auditCount(tenant.id)).toBe(before.audit);

    const robot = await qualification.recordRobotResult(tenant.id, 'FC-02', {
      status: 'failed',
      note: 'Lien à 14 px sous le bouton (8 px attendus).',
      evidenceUrl: 'https://robot.example.fr/run/1',
    });
    expect(robot).toMatchObject({ id: 'FC-02', status: 'failed', source: 'robot', checkedBy: null, evidence: { text: 'Lien à 14 px sous le bouton (8 px attendus).' } });
    // The robot may update its own result.
    expect(await qualification.recordRobotResult(tenant.id, 'FC-02', { status: 'passed' })).toMatchObject({ status: 'passed', source: 'robot' });
    // A person may override the robot; afterwards the robot cannot.
    await call('PUT', `/api/tenants/${tenant.id}/checklist/FC-02`, staff(), { status: 'failed', evidenceText: 'Contrôle visuel : lien trop bas.' });
    await expect(qualification.recordRobotResult(tenant.id, 'FC-02', { status: 'passed' })).rejects.toMatchObject({ code: 'CONFLICT' });
    // A person's « to check » leaves the item to the robot again.
    await call('PUT', `/api/tenants/${tenant.id}/checklist/FC-02`, staff(), { status: 'todo' });
    expect(await qualification.recordRobotResult(tenant.id, 'FC-02', { status: 'passed' })).toMatchObject({ status: 'passed', source: 'robot' });

    const view = await call('GET', `/api/tenants/${tenant.id}/checklist`, staff());
    expect(summary(view).bySource).toEqual({ manual: 1, robot: 1 });
    const robotAudit = await platform.dataSource.query(
      `SELECT actor_type, actor_id, target_id FROM audit_log WHERE tenant_id = $1 AND action = 'qualification.robot_result' ORDER BY id`,
      [tenant.id],
    );
    expect(robotAudit).toHaveLength(3);
    expect(robotAudit[0]).toEqual({ actor_type: 'system', actor_id: 'qualification-robot', target_id: 'FC-02' });
  });
});
