/**
 * Working in bulk and taking data out (issue 16): bulk assign / move of onboarding cases with a
 * result per case, the pipeline's CSV export, the call log's date-range and dossier filters and
 * its CSV export, and a batch's lines in file order — over real HTTP, PostgreSQL and Redis.
 */
import { randomUUID } from 'node:crypto';
import type { TenantEntity } from '@fcplat/db';
import { ONBOARDING_STAGE_LABELS, STAFF_PARTY_LABELS, STAGE_SLAS } from '@fcplat/domain';
import { makeClientAdmin, makeStaff, makeTenant, recordHabilitationState, setOnboardingStage, type TestClientAdmin, type TestStaff } from '@fcplat/testing';
import { callJson, useTestApi, type Auth, type Reply } from './api-harness.js';

interface BulkResultItem {
  tenantId: string;
  tenantName: string | null;
  ok: boolean;
  stage: string | null;
  code: string | null;
  message: string | null;
  reasons: { code: string; message: string }[];
}

describe('bulk actions on the pipeline and CSV exports over HTTP', () => {
  const platform = useTestApi({ heartbeat: false });
  let admin: TestStaff;
  let agent: TestStaff;
  let reader: TestStaff;

  const call = (method: string, path: string, auth: Auth, body?: unknown): Promise<Reply> => callJson(platform.api.url, method, path, auth, body, { browserWrite: true });
  const staffAuth = (staff: TestStaff): Auth => ({ authorization: staff.authorization });
  const download = async (path: string, auth: Auth): Promise<{ status: number; type: string | null; text: string }> => {
    const response = await fetch(`${platform.api.url}${path}`, { headers: { ...auth } });
    // Decoded keeping the BOM (`text()` would drop it).
    return { status: response.status, type: response.headers.get('content-type'), text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer()) };
  };
  /** The lines of a CSV we produce (BOM checked and removed, CRLF). */
  const csvLines = (text: string): string[] => {
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    return text.slice(1, -2).split('\r\n');
  };
  const auditCount = async (tenantId: string, action: string): Promise<number> =>
    ((await platform.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action = $2`, [tenantId, action])) as [{ n: number }])[0].n;
  const stageOf = async (tenantId: string): Promise<string> =>
    ((await platform.dataSource.query(`SELECT stage FROM onboarding_case WHERE tenant_id = $1`, [tenantId])) as [{ stage: string }])[0].stage;

  beforeAll(async () => {
    admin = await makeStaff(platform.dataSource, 'admin');
    agent = await makeStaff(platform.dataSource, 'onboarding_agent');
    reader = await makeStaff(platform.dataSource, 'read_only');
  });

  it('moves several cases, each checked by the rules on its own: a result per case in the order sent, one transaction and audit row per moved case', async () => {
    const ready = await makeTenant(platform.dataSource);
    await recordHabilitationState(platform.dataSource, ready.id, 'franceconnect', 'submitted');
    const notFiled = await makeTenant(platform.dataSource);
    const alreadyThere = await makeTenant(platform.dataSource);
    await setOnboardingStage(platform.dataSource, alreadyThere.id, 'habilitations_requested');
    const further = await makeTenant(platform.dataSource);
    await setOnboardingStage(platform.dataSource, further.id, 'internal_check');
    const readyToo = await makeTenant(platform.dataSource);
    await recordHabilitationState(platform.dataSource, readyToo.id, 'franceconnect', 'submitted');
    const missing = randomUUID();
    const ids = [ready.id, notFiled.id, missing, alreadyThere.id, further.id, readyToo.id];

    const reply = await call('POST', '/api/onboarding/cases/bulk-move', staffAuth(agent), { tenantIds: ids, to: 'habilitations_requested' });
    expect(reply.status).toBe(200);
    const results = reply.body['results'] as BulkResultItem[];
    expect(results.map((r) => r.tenantId)).toEqual(ids);
    expect(reply.body).toMatchObject({ succeeded: 2, refused: 4 });
    expect(results[0]).toMatchObject({ ok: true, tenantName: ready.name, stage: 'habilitations_requested', code: null, reasons: [] });
    // The rules' refusal, with its stable code and French reason.
    expect(results[1]).toMatchObject({ ok: false, tenantName: notFiled.name, stage: 'created', code: 'CONFLICT', reasons: [expect.objectContaining({ code: 'franceconnect_habilitation_not_filed' })] });
    expect(results[1]?.message).toMatch(/DataPass/);
    expect(results[2]).toMatchObject({ ok: false, tenantName: null, stage: null, code: 'NOT_FOUND' });
    expect(results[3]).toMatchObject({ ok: false, code: 'CONFLICT', reasons: [expect.objectContaining({ code: 'same_stage' })], message: expect.stringContaining('déjà') });
    // A move backwards needs a reason, as for one case.
    expect(results[4]).toMatchObject({ ok: false, stage: 'internal_check', code: 'VALIDATION_FAILED', message: expect.stringMatching(/motif|raison/i) });
    expect(results[5]).toMatchObject({ ok: true, stage: 'habilitations_requested' });

    // A refused case did not roll back the others; each moved case has its audit row, the others none.
    expect(await stageOf(ready.id)).toBe('habilitations_requested');
    expect(await stageOf(readyToo.id)).toBe('habilitations_requested');
    expect(await stageOf(notFiled.id)).toBe('created');
    expect(await stageOf(further.id)).toBe('internal_check');
    expect(await auditCount(ready.id, 'onboarding.stage_changed')).toBe(1);
    expect(await auditCount(readyToo.id, 'onboarding.stage_changed')).toBe(1);
    for (const id of [notFiled.id, alreadyThere.id, further.id]) expect(await auditCount(id, 'onboarding.stage_changed')).toBe(0);
    const [history] = (await platform.dataSource.query(`SELECT actor_id, kind FROM onboarding_stage_change WHERE tenant_id = $1 AND to_stage = 'habilitations_requested'`, [
      ready.id,
    ])) as { actor_id: string; kind: string }[];
    expect(history).toEqual({ actor_id: agent.user.id, kind: 'advance' });

    // With the reason, the rollback goes through.
    const back = await call('POST', '/api/onboarding/cases/bulk-move', staffAuth(admin), { tenantIds: [further.id], to: 'habilitations_requested', reason: 'Habilitation à refaire' });
    expect(back.body).toMatchObject({ succeeded: 1, refused: 0 });
    expect(await stageOf(further.id)).toBe('habilitations_requested');
  });

  it('assigns several cases at once, refuses a wrong assignee or list before any change, and is for staff who can write only', async () => {
    const tenants = [await makeTenant(platform.dataSource), await makeTenant(platform.dataSource), await makeTenant(platform.dataSource)];
    const ids = tenants.map((t) => t.id);
    const assignees = async (): Promise<(string | null)[]> =>
      ((await platform.dataSource.query(`SELECT tenant_id, assignee_id FROM onboarding_case WHERE tenant_id = ANY($1::uuid[])`, [ids])) as { tenant_id: string; assignee_id: string | null }[])
        .sort((a, b) => ids.indexOf(a.tenant_id) - ids.indexOf(b.tenant_id))
        .map((r) => r.assignee_id);

    // A read-only staff member is no assignee: 400, nothing changes.
    const wrong = await call('POST', '/api/onboarding/cases/bulk-assign', staffAuth(admin), { tenantIds: ids, assigneeId: reader.user.id });
    expect(wrong.status).toBe(400);
    expect(wrong.body['detail']).toMatch(/membre actif/);
    expect(await assignees()).toEqual([null, null, null]);
    // Bounded, no duplicates.
    const tooMany = await call('POST', '/api/onboarding/cases/bulk-assign', staffAuth(admin), { tenantIds: Array.from({ length: 201 }, () => randomUUID()), assigneeId: null });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('au plus 200');
    expect((await call('POST', '/api/onboarding/cases/bulk-assign', staffAuth(admin), { tenantIds: [ids[0], ids[0]], assigneeId: null })).status).toBe(400);
    expect((await call('POST', '/api/onboarding/cases/bulk-assign', staffAuth(admin), { tenantIds: [], assigneeId: null })).status).toBe(400);

    const done = await call('POST', '/api/onboarding/cases/bulk-assign', staffAuth(admin), { tenantIds: ids, assigneeId: agent.user.id });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ succeeded: 3, refused: 0 });
    expect(await assignees()).toEqual([agent.user.id, agent.user.id, agent.user.id]);
    for (const id of ids) expect(await auditCount(id, 'onboarding.case_updated')).toBe(1);

    // Read-only staff, client administrators and anonymous callers cannot.
    const clientAdmin = await makeClientAdmin(platform.dataSource, ids[0] as string);
    for (const path of ['/api/onboarding/cases/bulk-assign', '/api/onboarding/cases/bulk-move']) {
      const body = path.endsWith('assign') ? { tenantIds: ids, assigneeId: null } : { tenantIds: ids, to: 'created', reason: 'x' };
      expect((await call('POST', path, staffAuth(reader), body)).status).toBe(403);
      expect((await call('POST', path, { cookie: clientAdmin.cookie }, body)).status).toBe(403);
      expect((await callJson(platform.api.url, 'POST', path, { cookie: '' }, body)).status).toBe(401);
    }
    expect(await assignees()).toEqual([agent.user.id, agent.user.id, agent.user.id]);
    for (const id of ids) expect(await stageOf(id)).toBe('created');
  });

  it('takes the full 200 cases of one request, each its own transaction and audit row, and refuses a 201st', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 200; i += 1) ids.push((await makeTenant(platform.dataSource)).id);
    const started = performance.now();
    const reply = await call('POST', '/api/onboarding/cases/bulk-assign', staffAuth(agent), { tenantIds: ids, assigneeId: agent.user.id });
    const elapsed = Math.round(performance.now() - started);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ succeeded: 200, refused: 0 });
    const [{ audits, assigned }] = (await platform.dataSource.query(
      `SELECT (SELECT count(*) FROM audit_log WHERE action = 'onboarding.case_updated' AND tenant_id = ANY($1::uuid[]))::int AS audits,
              (SELECT count(*) FROM onboarding_case WHERE assignee_id = $2 AND tenant_id = ANY($1::uuid[]))::int AS assigned`,
      [ids, agent.user.id],
    )) as [{ audits: number; assigned: number }];
    expect({ audits, assigned }).toEqual({ audits: 200, assigned: 200 });
    // Reported, not asserted (a shared machine): the time of 200 transactions in one request.
    process.stdout.write(`bulk-assign of 200 cases: ${elapsed} ms\n`);
    expect((await call('POST', '/api/onboarding/cases/bulk-assign', staffAuth(agent), { tenantIds: [...ids, randomUUID()], assigneeId: null })).status).toBe(400);
  }, 60_000);

  it('exports the pipeline as CSV with the filters applied: BOM, « ; », French headers and dates, « Qui doit agir », formulas defused, staff only', async () => {
    const marker = `Export${randomUUID().slice(0, 8)}`;
    const late = await makeTenant(platform.dataSource, { name: `${marker} Retard` });
    await setOnboardingStage(platform.dataSource, late.id, 'habilitations_requested', { enteredAt: new Date(Date.now() - 60 * 86_400_000) });
    await platform.dataSource.query(`UPDATE onboarding_case SET assignee_id = $2 WHERE tenant_id = $1`, [late.id, agent.user.id]);
    const formula = await makeTenant(platform.dataSource, { name: `=HYPERLINK("http://evil") ${marker}` });
    await makeTenant(platform.dataSource, { name: `${marker} Nouveau` });

    const all = await download(`/api/onboarding/cases.csv?search=${marker}&sort=name`, staffAuth(reader));
    expect(all.status).toBe(200);
    expect(all.type).toMatch(/^text\/csv/);
    const lines = csvLines(all.text);
    expect(lines[0]).toBe(
      'Client;SIRET;Étape;Dans l’étape depuis le;Attente (jours ouvrés);Qui doit agir;Échéance;En retard;Responsable;N° Démarches Simplifiées;Environnement FranceConnect;Environnement API Particulier',
    );
    expect(lines).toHaveLength(4);
    const rows = lines.slice(1).map((l) => l.split(';'));
    // Sorted by name as asked; the formula is defused (and quoted, it holds a quote).
    expect(lines[1]).toMatch(/^"'=HYPERLINK\(""http:\/\/evil""\) /);
    expect(rows[1]).toEqual([`${marker} Nouveau`, expect.stringMatching(/^\d{14}$/), 'Client créé', expect.stringMatching(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/), '0', 'Le client', expect.stringMatching(/^\d{2}\/\d{2}\/\d{4}$/), 'non', 'Non assigné', '', '', '']);
    expect(rows[2]?.slice(0, 3)).toEqual([`${marker} Retard`, late.siret, ONBOARDING_STAGE_LABELS.habilitations_requested]);
    expect(rows[2]?.[7]).toBe('oui');
    expect(rows[2]?.[8]).toBe(agent.user.displayName);
    expect(rows[2]?.[5]).toBe(STAFF_PARTY_LABELS[STAGE_SLAS.habilitations_requested.waitingOn]);

    // The filters are honoured: overdue only, then one stage.
    const overdue = csvLines((await download(`/api/onboarding/cases.csv?search=${marker}&overdue=true`, staffAuth(reader))).text);
    expect(overdue.slice(1).map((l) => l.split(';')[0])).toEqual([`${marker} Retard`]);
    const created = csvLines((await download(`/api/onboarding/cases.csv?search=${marker}&stage=created&sort=name`, staffAuth(reader))).text);
    expect(created).toHaveLength(3);
    expect(created.join('\n')).not.toContain('Retard');
    expect(formula.id).toBeTruthy();

    // Staff only; bad filters are refused.
    const clientAdmin = await makeClientAdmin(platform.dataSource, late.id);
    expect((await download(`/api/onboarding/cases.csv`, { cookie: clientAdmin.cookie })).status).toBe(403);
    expect((await download(`/api/onboarding/cases.csv?stage=nope`, staffAuth(reader))).status).toBe(400);
  });

  describe('the call log and the batches', () => {
    let tenant: TenantEntity;
    let other: TenantEntity;
    let clientAdmin: TestClientAdmin;
    let otherAdmin: TestClientAdmin;
    let batchId: string;

    const insertCall = async (values: { tenantId: string; reference?: string | null; queuedAt: string; status?: string; errorCode?: string | null; triggeredBy?: string; batchId?: string; line?: number }): Promise<void> => {
      const status = values.status ?? 'succeeded';
      const finished = status === 'succeeded' || status === 'failed';
      await platform.dataSource.query(
        `INSERT INTO api_particulier_call (tenant_id, recipient, environment, api, modality, origin, triggered_by, batch_id, batch_line, dossier_reference, status, error_code, latency_ms, attempts, queued_at, finished_at)
         VALUES ($1, '21750001600019', 'sandbox', 'quotient_familial', 'pivot_identity', $2, $3, $4, $5, $6, $7, $8, 120, 1, $9, $10)`,
        [
          values.tenantId,
          values.batchId ? 'batch' : 'citizen',
          values.triggeredBy ?? 'citizen:4f1c2b9e-0000-4000-8000-000000000001',
          values.batchId ?? null,
          values.line ?? null,
          values.reference ?? null,
          status,
          values.errorCode ?? null,
          values.queuedAt,
          finished ? values.queuedAt : null,
        ],
      );
    };

    beforeAll(async () => {
      tenant = await makeTenant(platform.dataSource);
      other = await makeTenant(platform.dataSource);
      clientAdmin = await makeClientAdmin(platform.dataSource, tenant.id);
      otherAdmin = await makeClientAdmin(platform.dataSource, other.id);
      await insertCall({ tenantId: tenant.id, reference: 'D-100', queuedAt: '2026-03-01T10:00:00Z' });
      await insertCall({ tenantId: tenant.id, reference: '=cmd|calc', queuedAt: '2026-03-15T23:30:00Z', status: 'failed', errorCode: 'APIP_NOT_FOUND' });
      await insertCall({ tenantId: tenant.id, reference: 'D-100', queuedAt: '2026-04-02T08:00:00Z' });
      await insertCall({ tenantId: other.id, reference: 'D-100', queuedAt: '2026-03-10T08:00:00Z' });
      [{ id: batchId }] = (await platform.dataSource.query(
        `INSERT INTO api_particulier_batch (tenant_id, api, modality, file_name, total_lines, accepted_lines, rejected_lines, rejections)
         VALUES ($1, 'quotient_familial', 'pivot_identity', 'lot.csv', 5, 3, 2, $2::jsonb) RETURNING id`,
        [tenant.id, JSON.stringify([{ line: 3, reference: 'L-2', reasons: ['Sexe « X » invalide : indiquez M ou F.'] }, { line: 5, reference: null, reasons: ['La référence du dossier est obligatoire.'] }])],
      )) as [{ id: string }];
      await insertCall({ tenantId: tenant.id, batchId, line: 6, reference: 'L-4', queuedAt: '2026-05-01T08:00:00Z', status: 'failed', errorCode: 'APIP_NOT_FOUND' });
      await insertCall({ tenantId: tenant.id, batchId, line: 2, reference: 'L-1', queuedAt: '2026-05-01T08:00:00Z', status: 'succeeded' });
      await insertCall({ tenantId: tenant.id, batchId, line: 4, reference: 'L-3', queuedAt: '2026-05-01T08:00:00Z', status: 'queued' });
    });

    it('filters the call log by date range [du, au) and by dossier reference, tenant-scoped', async () => {
      const refs = async (query: string, auth: Auth = { cookie: clientAdmin.cookie }): Promise<string[]> => {
        const reply = await call('GET', `/api/tenants/${tenant.id}/api-particulier/calls?${query}`, auth);
        expect(reply.status).toBe(200);
        return (reply.body['items'] as { dossierReference: string | null; queuedAt: string }[]).map((c) => `${c.dossierReference}@${c.queuedAt.slice(0, 10)}`);
      };
      expect(await refs('dossierReference=D-100')).toEqual(['D-100@2026-04-02', 'D-100@2026-03-01']);
      expect(await refs('from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z')).toEqual(['=cmd|calc@2026-03-15', 'D-100@2026-03-01']);
      expect(await refs('dossierReference=D-100&from=2026-03-02T00:00:00Z', staffAuth(reader))).toEqual(['D-100@2026-04-02']);
      expect(await refs('dossierReference=nothing')).toEqual([]);
      expect((await call('GET', `/api/tenants/${tenant.id}/api-particulier/calls?from=hier`, { cookie: clientAdmin.cookie })).status).toBe(400);
    });

    it('exports the call log as CSV with the same filters: French dates, formulas defused, no citizen id, for staff and the tenant’s own administrators', async () => {
      const path = `/api/tenants/${tenant.id}/api-particulier/calls.csv`;
      const reply = await download(`${path}?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z`, { cookie: clientAdmin.cookie });
      expect(reply.status).toBe(200);
      expect(reply.type).toMatch(/^text\/csv/);
      const lines = csvLines(reply.text);
      expect(lines[0]).toBe('Demandé le;Environnement;Donnée;Identification;Origine;Déclenché par;Référence du dossier;Ligne du lot;Résultat;Code d’erreur;Erreur;Durée (ms);Essais;Terminé le');
      expect(lines).toHaveLength(3);
      // Newest first; 23:30 UTC on 15 March is 16 March 00:30 in Paris.
      expect(lines[1]).toMatch(/^16\/03\/2026 00:30:00;[^;]+;Quotient familial CAF & MSA;Identité pivot;Portail;Usager du portail;'=cmd\|calc;;Échec;APIP_NOT_FOUND;[^;]+;120;1;16\/03\/2026 00:30:00$/);
      expect(lines[2]).toMatch(/^01\/03\/2026 11:00:00;.*;D-100;;Réussi;;;120;1;/);
      expect(reply.text).not.toContain('citizen:');
      expect(reply.text).not.toContain('4f1c2b9e');

      const byReference = csvLines((await download(`${path}?dossierReference=D-100`, staffAuth(reader))).text);
      expect(byReference).toHaveLength(3);
      expect(byReference.slice(1).every((l) => l.includes(';D-100;'))).toBe(true);

      // Another tenant's administrator: 404; bad filters: 400.
      expect((await download(path, { cookie: otherAdmin.cookie })).status).toBe(404);
      expect((await download(`${path}?status=nope`, { cookie: clientAdmin.cookie })).status).toBe(400);
    });

    it('shows a batch’s lines in file order, accepted and rejected together, with their status and French reason, a page at a time', async () => {
      const path = `/api/tenants/${tenant.id}/api-particulier/batches/${batchId}/lines`;
      const first = await call('GET', `${path}?pageSize=3`, staffAuth(reader));
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ total: 5, page: 1, pageSize: 3 });
      expect(first.body['items']).toEqual([
        { line: 2, reference: 'L-1', status: 'succeeded', statusLabel: 'Réussi', errorCode: null, reason: null, finishedAt: '2026-05-01T08:00:00.000Z' },
        { line: 3, reference: 'L-2', status: 'rejected', statusLabel: 'Ligne rejetée', errorCode: 'LIGNE_INVALIDE', reason: 'Sexe « X » invalide : indiquez M ou F.', finishedAt: null },
        { line: 4, reference: 'L-3', status: 'queued', statusLabel: 'En attente', errorCode: null, reason: null, finishedAt: null },
      ]);
      const second = await call('GET', `${path}?pageSize=3&page=2`, { cookie: clientAdmin.cookie });
      expect((second.body['items'] as { line: number; status: string; reason: string | null }[]).map((l) => [l.line, l.status, l.reason])).toEqual([
        [5, 'rejected', 'La référence du dossier est obligatoire.'],
        [6, 'failed', expect.stringContaining('Aucun dossier')],
      ]);
      expect((await call('GET', path, { cookie: otherAdmin.cookie })).status).toBe(404);
      expect((await call('GET', `/api/tenants/${other.id}/api-particulier/batches/${batchId}/lines`, { cookie: otherAdmin.cookie })).status).toBe(404);
    });
  });
});
