import SwaggerParser from '@apidevtools/swagger-parser';
import { OnboardingCaseEntity, OnboardingCommentEntity, OnboardingSettingEntity, OnboardingStageChangeEntity } from '@fcplat/db';
import { QUALIFICATION_ITEMS, frenchPublicHolidays, parisCalendarDate } from '@fcplat/domain';
import { LogCapture, makeClientAdmin, makeStaff, makeTenant, recordChecklist, recordHabilitationState, setOnboardingStage, type TestStaff } from '@fcplat/testing';
import { callJson, useTestApi, type Auth, type Reply } from './api-harness.js';


interface Reason {
  code: string;
  message: string;
  itemIds?: string[];
}

describe('onboarding cases over HTTP (stages, transitions, timing, pipeline, comments, access)', () => {
  const logs = new LogCapture();
  const platform = useTestApi({ heartbeat: false, logDestination: logs });
  let admin: TestStaff;
  let agent: TestStaff;
  let reader: TestStaff;

  const call = (method: string, path: string, auth: Auth, body?: unknown): Promise<Reply> => callJson(platform.api.url, method, path, auth, body, { browserWrite: true });

  const staffAuth = (staff: TestStaff): Auth => ({ authorization: staff.authorization });

  async function caseRow(tenantId: string): Promise<{ stage: string; version: number; ds_file_number: string | null; assignee_id: string | null }> {
    const [row] = await platform.dataSource.query(`SELECT stage, version, ds_file_number, assignee_id FROM onboarding_case WHERE tenant_id = $1`, [tenantId]);
    return row;
  }

  async function counts(tenantId: string): Promise<{ audit: number; history: number; comments: number }> {
    const [row] = await platform.dataSource.query(
      `SELECT (SELECT count(*) FROM audit_log WHERE tenant_id = $1)::int AS audit,
              (SELECT count(*) FROM onboarding_stage_change WHERE tenant_id = $1)::int AS history,
              (SELECT count(*) FROM onboarding_comment WHERE tenant_id = $1)::int AS comments`,
      [tenantId],
    );
    return row;
  }

  beforeAll(async () => {
    admin = await makeStaff(platform.dataSource, 'admin');
    agent = await makeStaff(platform.dataSource, 'onboarding_agent');
    reader = await makeStaff(platform.dataSource, 'read_only');
  });

  it('opens exactly one case with each tenant, and shows its stage, timing and next actions in French', async () => {
    const tenant = await makeTenant(platform.dataSource);
    const [{ n }] = await platform.dataSource.query(`SELECT count(*)::int AS n FROM onboarding_case WHERE tenant_id = $1`, [tenant.id]);
    expect(n).toBe(1);
    await expect(platform.dataSource.query(`INSERT INTO onboarding_case (tenant_id) VALUES ($1)`, [tenant.id])).rejects.toThrow(/onboarding_case_tenant_uq/);
    // The entities map the tables.
    expect(await platform.dataSource.getRepository(OnboardingCaseEntity).findOneByOrFail({ tenantId: tenant.id })).toMatchObject({
      stage: 'created',
      stageRank: 0,
      assigneeId: null,
      version: 1,
      stageEnteredAt: expect.any(Date),
    });
    expect(await platform.dataSource.getRepository(OnboardingStageChangeEntity).findBy({ tenantId: tenant.id })).toEqual([
      expect.objectContaining({ kind: 'opened', fromStage: null, toStage: 'created', actorType: 'system', passedThrough: [] }),
    ]);
    expect(await platform.dataSource.getRepository(OnboardingSettingEntity).findOneByOrFail({ id: true })).toMatchObject({ id: true });

    const reply = await call('GET', `/api/tenants/${tenant.id}/onboarding`, staffAuth(reader));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      tenantId: tenant.id,
      tenantName: tenant.name,
      stage: 'created',
      stageLabel: 'Client créé',
      assignee: null,
      dsFileNumber: null,
      modes: { connexion: true, dataRetrieval: false },
      // Staff read who acts in their own words (the client's administrator reads « Votre organisme », below).
      timing: { workingDays: 0, slaWorkingDays: 10, overdue: false, waitingOn: 'client', waitingOnLabel: 'Le client' },
      progress: {
        // …and what happens in their own words too (« Le client doit déposer… », not « Déposez… »).
        summary: expect.stringContaining('Le client est inscrit'),
        done: [],
        nextActions: [expect.objectContaining({ actor: 'client', text: expect.stringMatching(/^Le client doit déposer sur DataPass/) })],
        blockers: [expect.objectContaining({ code: 'franceconnect_habilitation_not_filed' })],
      },
      availableTransitions: [],
    });
    expect(reply.body.timing).toMatchObject({ deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), message: expect.stringContaining('jour') });
    expect(reply.body.progress).toMatchObject({ nextActions: [expect.objectContaining({ actor: 'client', actorLabel: 'Le client' })] });
    const admin = await makeClientAdmin(platform.dataSource, tenant.id);
    const asClient = await call('GET', `/api/tenants/${tenant.id}/onboarding`, { cookie: admin.cookie });
    expect(asClient.body).toMatchObject({
      timing: { waitingOn: 'client', waitingOnLabel: 'Votre organisme' },
      progress: {
        summary: expect.stringContaining('Votre organisme est inscrit'),
        nextActions: [expect.objectContaining({ actorLabel: 'Votre organisme', text: expect.stringMatching(/^Déposez sur DataPass/) })],
      },
    });
  });

  it('refuses a qualification request while checklist items are failing or to check, or without DS number, with French reasons, and changes nothing', async () => {
    const tenant = await makeTenant(platform.dataSource);
    await setOnboardingStage(platform.dataSource, tenant.id, 'internal_check');
    const items = QUALIFICATION_ITEMS.map((i) => i.id);
    await recordChecklist(platform.dataSource, tenant.id, [
      ...items.filter((id) => id !== 'FC-05' && id !== 'FC-07').map((itemId) => ({ itemId, status: 'passed' as const })),
      { itemId: 'FC-05', status: 'failed' },
    ]);
    const before = { case: await caseRow(tenant.id), counts: await counts(tenant.id) };

    const refused = await call('POST', `/api/tenants/${tenant.id}/onboarding/transitions`, staffAuth(agent), { to: 'qualification_requested' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'CONFLICT', status: 409 });
    const reasons = refused.body.reasons as Reason[];
    const codes = reasons.map((r) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['checklist_failed', 'checklist_incomplete', 'ds_file_number_missing']));
    expect(reasons.find((r) => r.code === 'checklist_failed')).toMatchObject({ itemIds: ['FC-05'], message: expect.stringContaining('FC-05') });
    expect(reasons.find((r) => r.code === 'checklist_incomplete')).toMatchObject({ itemIds: ['FC-07'] });
    expect(reasons.find((r) => r.code === 'ds_file_number_missing')?.message).toContain('Démarches Simplifiées');
    // No habilitation or credential is recorded for this tenant: those reasons come too.
    expect(codes).toEqual(expect.arrayContaining(['franceconnect_habilitation_not_validated', 'sandbox_credentials_missing']));
    expect(refused.body.detail).toEqual(expect.stringContaining('Recette'));

    // With a DS number, that reason goes; the checklist ones stay.
    const withNumber = await call('POST', `/api/tenants/${tenant.id}/onboarding/transitions`, staffAuth(agent), {
      to: 'qualification_requested',
      dsFileNumber: '123456',
    });
    expect(withNumber.status).toBe(409);
    const codesWithNumber = (withNumber.body.reasons as Reason[]).map((r) => r.code);
    expect(codesWithNumber).not.toContain('ds_file_number_missing');
    expect(codesWithNumber).toEqual(expect.arrayContaining(['checklist_failed', 'checklist_incomplete']));

    // Once the checklist is complete, only the habilitation and credential facts remain.
    await recordChecklist(platform.dataSource, tenant.id, [
      { itemId: 'FC-05', status: 'passed' },
      { itemId: 'FC-07', status: 'passed' },
    ]);
    const complete = await call('POST', `/api/tenants/${tenant.id}/onboarding/transitions`, staffAuth(agent), {
      to: 'qualification_requested',
      dsFileNumber: '123456',
    });
    expect(complete.status).toBe(409);
    expect((complete.body.reasons as Reason[]).map((r) => r.code).sort()).toEqual(
      ['franceconnect_habilitation_not_validated', 'sandbox_credentials_missing'].sort(),
    );

    expect(await caseRow(tenant.id)).toEqual(before.case);
    expect(await counts(tenant.id)).toEqual(before.counts);
  });

  it('takes allowed moves (advance without guard, rollback with reason) and records who, when, how and why in the history and the audit', async () => {
    const tenant = await makeTenant(platform.dataSource);
    await setOnboardingStage(platform.dataSource, tenant.id, 'qualification_requested', { dsFileNumber: '4242' });

    const advanced = await call('POST', `/api/tenants/${tenant.id}/onboarding/transitions`, staffAuth(agent), {
      to: 'changes_requested',
      reason: 'FC-05 : bouton mal placé selon FranceConnect',
    });
    expect(advanced.status).toBe(200);
    expect(advanced.body).toMatchObject({ stage: 'changes_requested', timing: { workingDays: 0, slaWorkingDays: 10 }, version: 2 });

    const noReason = await call('POST', `/api/tenants/${tenant.id}/onboarding/transitions`, staffAuth(agent), { to: 'created' });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ path: 'reason', message: expect.stringContaining('motif') }] });

    const guarded = await call('POST', `/api/tenants/${tenant.id}/onboarding/transitions`, staffAuth(agent), { to: 'internal_check' });
    expect(guarded.status).toBe(409);

    const same = await call('POST', `/api/tenants/${tenant.id}/onboarding/transitions`, staffAuth(agent), { to: 'changes_requested' });
    expect(same.status).toBe(409);
    expect((same.body.reasons as Reason[])[0]?.code).toBe('same_stage');

    const rolledBack = await call('POST', `/api/tenants/${tenant.id}/onboarding/transitions`, staffAuth(admin), {
      to: 'created',
      reason: 'Habilitation FranceConnect révoquée',
    });
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body).toMatchObject({ stage: 'created', version: 3 });

    const history = await call('GET', `/api/tenants/${tenant.id}/onboarding/history`, staffAuth(reader));
    expect(history.status).toBe(200);
    expect(history.body.total).toBe(3);
    const entries = history.body.items as Array<Record<string, unknown>>;
    expect(entries[0]).toMatchObject({ kind: 'opened', fromStage: null, toStage: 'created', actor: { type: 'system', id: null } });
    expect(entries[1]).toMatchObject({
      kind: 'advance',
      fromStage: 'qualification_requested',
      toStage: 'changes_requested',
      reason: 'FC-05 : bouton mal placé selon FranceConnect',
      dsFileNumber: '4242',
      actor: { type: 'api_token', id: agent.user.id, displayName: agent.user.displayName },
      occurredAt: expect.any(String),
    });
    expect(entries[2]).toMatchObject({
      kind: 'rollback',
      fromStage: 'changes_requested',
      toStage: 'created',
      toStageLabel: 'Client créé',
      reason: 'Habilitation FranceConnect révoquée',
      actor: { id: admin.user.id },
    });
    expect(Date.now() - Date.parse(entries[2]?.occurredAt as string)).toBeLessThan(60_000);
    const newestFirst = await call('GET', `/api/tenants/${tenant.id}/onboarding/history?order=desc&pageSize=1`, staffAuth(reader));
    expect(newestFirst.body).toMatchObject({ total: 3, pageSize: 1, items: [{ kind: 'rollback' }] });

    const audit = await platform.dataSource.query(
      `SELECT action, actor_type, actor_id, changes FROM audit_log WHERE tenant_id = $1 AND action = 'onboarding.stage_changed' ORDER BY id`,
      [tenant.id],
    );
    expect(audit).toEqual([
      expect.objectContaining({ actor_id: agent.user.id, changes: expect.objectContaining({ stage: { before: 'qualification_requested', after: 'changes_requested' }, kind: 'advance' }) }),
      expect.objectContaining({ actor_id: admin.user.id, changes: expect.objectContaining({ kind: 'rollback', reason: 'Habilitation FranceConnect révoquée' }) }),
    ]);
    // History rows are append-only.
    await expect(platform.dataSource.query(`UPDATE onboarding_stage_change SET reason = 'x' WHERE tenant_id = $1`, [tenant.id])).rejects.toThrow(/append-only/);
  });

  it('lets a client administrator take only the moves the state machine grants them, on their own tenant', async () => {
    const tenant = await makeTenant(platform.dataSource);
    const clientAdmin = await makeClientAdmin(platform.dataSource, tenant.id);
    const auth = { cookie: clientAdmin.cookie };

    // Allowed actor, but the guard fails: 409 with the reason, not 403.
    const declare = await call('POST', `/api/tenants/${tenant.id}/onboarding/transitions`, auth, { to: 'habilitations_requested' });
    expect(declare.status).toBe(409);
    expect((declare.body.reasons as Reason[]).map((r) => r.code)).toEqual(['franceconnect_habilitation_not_filed']);
    // Once the DataPass request is submitted (tenants area's record), they declare the step themselves.
    await recordHabilitationState(platform.dataSource, tenant.id, 'franceconnect', 'submitted');
    const declared = await call('POST', `/api/tenants/${tenant.id}/onboarding/transitions`, auth, { to: 'habilitations_requested' });
    expect(declared.status).toBe(200);
    expect(declared.body).toMatchObject({ stage: 'habilitations_requested', habilitations: { franceconnect: 'submitted' } });
    const [declaredBy] = await platform.dataSource.query(
      `SELECT kind, actor_type, actor_id FROM onboarding_stage_change WHERE tenant_id = $1 AND to_stage = 'habilitations_requested'`,
      [tenant.id],
    );
    expect(declaredBy).toEqual({ kind: 'advance', actor_type: 'client_admin', actor_id: clientAdmin.user.id });
    // Validation is not theirs to record.
    const validation = await call('POST', `/api/tenants/${tenant.id}/onboarding/transitions`, auth, { to: 'habilitations_validated' });
    expect(validation.status).toBe(403);

    await setOnboardingStage(platform.dataSource, tenant.id, 'internal_check');
    const reserved = await call('POST', `/api/tenants/${tenant.id}/onboarding/transitions`, auth, { to: 'qualification_requested' });
    expect(reserved.status).toBe(403);
    expect(reserved.body).toMatchObject({ code: 'FORBIDDEN', reasons: [{ code: 'actor_not_allowed' }] });
    const rollback = await call('POST', `/api/tenants/${tenant.id}/onboarding/transitions`, auth, { to: 'created', reason: 'erreur' });
    expect(rollback.status).toBe(403);

    const view = await call('GET', `/api/tenants/${tenant.id}/onboarding`, auth);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ stage: 'internal_check', availableTransitions: [] });
    expect((view.body.progress as { nextActions: { actor: string }[] }).nextActions[0]).toMatchObject({
      actor: 'datapass',
      text: expect.stringContaining('DataPass instruit votre demande d’habilitation FranceConnect'),
    });
    expect(await counts(tenant.id)).toMatchObject({ audit: 1, history: 2 });
  });

  it('counts waiting time in French working days over a public holiday, flags overdue cases and finds them with overdue=true', async () => {
    const today = parisCalendarDate(new Date());
    const year = Number(today.slice(0, 4));
    const weekday = (date: string): boolean => {
      const day = new Date(`${date}T12:00:00Z`).getUTCDay();
      return day !== 0 && day !== 6;
    };
    const holidays = [...frenchPublicHolidays(year - 1), ...frenchPublicHolidays(year)].map((h) => h.date).filter((d) => d < today && weekday(d));
    const holiday = holidays[holidays.length - 1] as string;
    const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    // Independent count: weekdays strictly after `from` up to today, minus the public holidays among them.
    const expectedWorkingDays = (from: string): { workingDays: number; holidaysSkipped: number } => {
      let weekdays = 0;
      for (let d = addDays(from, 1); d <= today; d = addDays(d, 1)) if (weekday(d)) weekdays += 1;
      const skipped = holidays.filter((h) => h > from && h <= today).length;
      return { workingDays: weekdays - skipped, holidaysSkipped: skipped };
    };

    const recent = await makeTenant(platform.dataSource);
    const recentFrom = addDays(holiday, -1);
    await setOnboardingStage(platform.dataSource, recent.id, 'qualification_requested', { enteredAt: new Date(`${recentFrom}T10:00:00Z`) });
    const expected = expectedWorkingDays(recentFrom);
    expect(expected.holidaysSkipped).toBeGreaterThanOrEqual(1);
    const recentView = await call('GET', `/api/tenants/${recent.id}/onboarding`, staffAuth(reader));
    expect(recentView.body.timing).toMatchObject({ workingDays: expected.workingDays, slaWorkingDays: 15 });

    // Production secrets awaited for more than 7 working days: overdue.
    const late = await makeTenant(platform.dataSource);
    const lateFrom = addDays(holiday, -21);
    await setOnboardingStage(platform.dataSource, late.id, 'production_requested', { enteredAt: new Date(`${lateFrom}T10:00:00Z`) });
    const lateExpected = expectedWorkingDays(lateFrom);
    expect(lateExpected.workingDays).toBeGreaterThan(7);
    const lateView = await call('GET', `/api/tenants/${late.id}/onboarding`, staffAuth(reader));
    expect(lateView.body.timing).toMatchObject({
      workingDays: lateExpected.workingDays,
      slaWorkingDays: 7,
      overdue: true,
      overdueBy: lateExpected.workingDays - 7,
      waitingOn: 'franceconnect',
      message: expect.stringContaining('en retard'),
    });
    expect((lateView.body.timing as { deadline: string }).deadline < today).toBe(true);

    const onTime = await makeTenant(platform.dataSource);
    await setOnboardingStage(platform.dataSource, onTime.id, 'production_requested');

    const search = (t: { name: string }): string => encodeURIComponent(t.name.split(' ').pop() as string);
    const overdueList = await call('GET', `/api/onboarding/cases?overdue=true&search=${search(late)}`, staffAuth(reader));
    expect(overdueList.status).toBe(200);
    expect(overdueList.body).toMatchObject({
      total: 1,
      items: [{ tenantId: late.id, stage: 'production_requested', overdue: true, waitingWorkingDays: lateExpected.workingDays, waitingOn: 'franceconnect', waitingOnLabel: 'FranceConnect' }],
    });
    expect((await call('GET', `/api/onboarding/cases?overdue=false&search=${search(late)}`, staffAuth(reader))).body.total).toBe(0);
    expect((await call('GET', `/api/onboarding/cases?overdue=true&search=${search(onTime)}`, staffAuth(reader))).body.total).toBe(0);
    expect((await call('GET', `/api/onboarding/cases?overdue=false&search=${search(onTime)}`, staffAuth(reader))).body).toMatchObject({
      total: 1,
      items: [{ tenantId: onTime.id, overdue: false }],
    });
    // The stored timing matches the domain's deadline.
    const [stored] = await platform.dataSource.query(`SELECT deadline_on::text AS deadline FROM onboarding_case WHERE tenant_id = $1`, [late.id]);
    expect(stored.deadline).toBe((lateView.body.timing as { deadline: string }).deadline);
  });

  it('lists cases with filters, sorts and pagination, and counts them per stage', async () => {
    const tag = `Tri${Date.now().toString(36)}`;
    const a = await makeTenant(platform.dataSource, { name: `Commune ${tag} Alpha` });
    const b = await makeTenant(platform.dataSource, { name: `Commune ${tag} Bravo` });
    const c = await makeTenant(platform.dataSource, { name: `Commune ${tag} Charlie` });
    const day = 86_400_000;
    await setOnboardingStage(platform.dataSource, a.id, 'production_credentials_received', { enteredAt: new Date(Date.now() - 2 * day) });
    await setOnboardingStage(platform.dataSource, b.id, 'habilitations_requested', { enteredAt: new Date(Date.now() - 40 * day) });
    await setOnboardingStage(platform.dataSource, c.id, 'internal_check', { enteredAt: new Date(Date.now() - 10 * day) });
    const list = async (query: string): Promise<Reply> => call('GET', `/api/onboarding/cases?search=${tag}&${query}`, staffAuth(reader));
    const ids = (reply: Reply): string[] => (reply.body.items as { tenantId: string }[]).map((i) => i.tenantId);

    expect(ids(await list('sort=name'))).toEqual([a.id, b.id, c.id]);
    expect(ids(await list('sort=name&order=desc'))).toEqual([c.id, b.id, a.id]);
    expect(ids(await list('sort=waiting'))).toEqual([b.id, c.id, a.id]);
    expect(ids(await list('sort=waiting&order=asc'))).toEqual([a.id, c.id, b.id]);
    expect(ids(await list('sort=stage'))).toEqual([b.id, c.id, a.id]);
    expect(ids(await list('stage=internal_check'))).toEqual([c.id]);
    const page2 = await list('sort=name&pageSize=2&page=2');
    expect(page2.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(ids(page2)).toEqual([c.id]);
    expect(ids(await call('GET', `/api/onboarding/cases?search=${a.siret}`, staffAuth(reader)))).toEqual([a.id]);
    expect(ids(await call('GET', `/api/onboarding/cases?search=${tag.toUpperCase()}%20alpha`, staffAuth(reader)))).toEqual([a.id]);

    const assigned = await call('PATCH', `/api/tenants/${c.id}/onboarding`, staffAuth(admin), { assigneeId: agent.user.id });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ assignee: { id: agent.user.id, displayName: agent.user.displayName } });
    expect(ids(await list(`assignee=${agent.user.id}`))).toEqual([c.id]);
    expect(ids(await list('assignee=none&sort=name'))).toEqual([a.id, b.id]);

    const before = await call('GET', '/api/onboarding/pipeline', staffAuth(reader));
    expect(before.status).toBe(200);
    const d = await makeTenant(platform.dataSource);
    await setOnboardingStage(platform.dataSource, d.id, 'production_credentials_received', { enteredAt: new Date(Date.now() - 30 * day) });
    const after = await call('GET', '/api/onboarding/pipeline', staffAuth(reader));
    type StageCount = { stage: string; label: string; count: number; overdue: number };
    const stageOf = (reply: Reply, stage: string): StageCount => (reply.body.stages as StageCount[]).find((s) => s.stage === stage) as StageCount;
    expect((after.body.stages as StageCount[]).map((s) => s.stage)).toHaveLength(11);
    expect(stageOf(after, 'production_credentials_received').count - stageOf(before, 'production_credentials_received').count).toBe(1);
    expect(stageOf(after, 'production_credentials_received').overdue - stageOf(before, 'production_credentials_received').overdue).toBe(1);
    expect(stageOf(after, 'live')).toMatchObject({ label: 'En production', overdue: 0 });
    expect(after.body.total).toBe((after.body.stages as StageCount[]).reduce((sum, s) => sum + s.count, 0));
  });

  it('updates the assignee and the DS number with an audit row, and refuses bad values without writing', async () => {
    const tenant = await makeTenant(platform.dataSource);
    const patched = await call('PATCH', `/api/tenants/${tenant.id}/onboarding`, staffAuth(agent), { dsFileNumber: '987654', assigneeId: admin.user.id });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ dsFileNumber: '987654', assignee: { id: admin.user.id } });
    const [audit] = await platform.dataSource.query(`SELECT actor_id, changes FROM audit_log WHERE tenant_id = $1 AND action = 'onboarding.case_updated'`, [tenant.id]);
    expect(audit).toEqual({
      actor_id: agent.user.id,
      changes: { dsFileNumber: { before: null, after: '987654' }, assigneeId: { before: null, after: admin.user.id } },
    });
    const unchanged = await call('PATCH', `/api/tenants/${tenant.id}/onboarding`, staffAuth(agent), { dsFileNumber: '987654' });
    expect(unchanged.status).toBe(200);

    const clientAdmin = await makeClientAdmin(platform.dataSource, tenant.id);
    const before = { case: await caseRow(tenant.id), counts: await counts(tenant.id) };
    expect(before.counts.audit).toBe(1);
    const bad: Array<[unknown, number]> = [
      [{}, 400],
      [{ stage: 'live' }, 400],
      [{ dsFileNumber: 'DS-12' }, 400],
      [{ assigneeId: 'not-a-uuid' }, 400],
      [{ assigneeId: clientAdmin.user.id }, 400],
      [{ assigneeId: reader.user.id }, 400],
    ];
    for (const [body, status] of bad) {
      const reply = await call('PATCH', `/api/tenants/${tenant.id}/onboarding`, staffAuth(agent), body);
      expect({ body, status: reply.status, code: reply.body.code }).toEqual({ body, status, code: 'VALIDATION_FAILED' });
    }
    const transitions: unknown[] = [
      { to: 'somewhere' },
      { to: 'habilitations_requested', extra: true },
      { to: 'qualification_requested', dsFileNumber: '12a' },
      { reason: 'no target' },
      'not an object',
    ];
    for (const body of transitions) {
      const reply = await call('POST', `/api/tenants/${tenant.id}/onboarding/transitions`, staffAuth(agent), body);
      expect({ body, status: reply.status }).toEqual({ body, status: 400 });
    }
    expect(await caseRow(tenant.id)).toEqual(before.case);
    expect(await counts(tenant.id)).toEqual(before.counts);
  });

  it('keeps comments with author and date, for staff and the tenant’s own administrator', async () => {
    const tenant = await makeTenant(platform.dataSource);
    const clientAdmin = await makeClientAdmin(platform.dataSource, tenant.id);
    const first = await call('POST', `/api/tenants/${tenant.id}/onboarding/comments`, staffAuth(agent), { body: '  Relance envoyée au contact technique.  ', visibility: 'client' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      body: 'Relance envoyée au contact technique.',
      visibility: 'client',
      author: { id: agent.user.id, type: 'api_token', displayName: agent.user.displayName },
      createdAt: expect.any(String),
    });
    const second = await call('POST', `/api/tenants/${tenant.id}/onboarding/comments`, { cookie: clientAdmin.cookie }, { body: 'x'.repeat(5000) });
    expect(await platform.dataSource.getRepository(OnboardingCommentEntity).findOneByOrFail({ id: first.body.id as string })).toMatchObject({
      tenantId: tenant.id,
      authorId: agent.user.id,
      authorType: 'api_token',
      authorName: agent.user.displayName,
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ author: { id: clientAdmin.user.id, type: 'client_admin' }, visibility: 'client' });

    const before = await counts(tenant.id);
    for (const body of [{ body: '' }, { body: '   ' }, { body: 'x'.repeat(5001) }, { body: 'ok', pinned: true }, {}, { body: 'sans visibilité' }, { body: 'ok', visibility: 'public' }]) {
      const reply = await call('POST', `/api/tenants/${tenant.id}/onboarding/comments`, staffAuth(agent), body);
      expect(reply.status).toBe(400);
    }
    expect(await counts(tenant.id)).toEqual(before);

    for (const auth of [staffAuth(reader), { cookie: clientAdmin.cookie }]) {
      const list = await call('GET', `/api/tenants/${tenant.id}/onboarding/comments`, auth);
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ total: 2, items: [{ id: first.body.id }, { id: second.body.id }] });
    }
    const audit = await platform.dataSource.query(`SELECT actor_type, target_id, changes FROM audit_log WHERE tenant_id = $1 AND action = 'onboarding.comment_added' ORDER BY id`, [tenant.id]);
    expect(audit).toEqual([
      { actor_type: 'api_token', target_id: first.body.id, changes: { bodyLength: { before: null, after: 37 }, visibility: { before: null, after: 'client' } } },
      { actor_type: 'client_admin', target_id: second.body.id, changes: { bodyLength: { before: null, after: 5000 }, visibility: { before: null, after: 'client' } } },
    ]);
  });

  it('keeps the team’s internal notes from the client: staff choose, the client administrator never sees nor writes one', async () => {
    const tenant = await makeTenant(platform.dataSource);
    const clientAdmin = await makeClientAdmin(platform.dataSource, tenant.id);
    const post = (auth: Auth, body: Record<string, unknown>) => call('POST', `/api/tenants/${tenant.id}/onboarding/comments`, auth, body);
    const missing = await post(staffAuth(agent), { body: 'Sans choix' });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('note interne');
    const note = await post(staffAuth(agent), { body: 'Le client paie en retard : relancer la direction.', visibility: 'internal' });
    const message = await post(staffAuth(agent), { body: 'Merci de compléter la fiche DataPass.', visibility: 'client' });
    expect([note.status, message.status]).toEqual([201, 201]);
    expect((await post({ cookie: clientAdmin.cookie }, { body: 'En interne ?', visibility: 'internal' })).status).toBe(403);
    const reply = await post({ cookie: clientAdmin.cookie }, { body: 'C’est fait.' });
    expect(reply.body).toMatchObject({ visibility: 'client' });

    const asStaff = await call('GET', `/api/tenants/${tenant.id}/onboarding/comments`, staffAuth(reader));
    expect(asStaff.body).toMatchObject({ total: 3 });
    expect((asStaff.body.items as { visibility: string }[]).map((c) => c.visibility)).toEqual(['internal', 'client', 'client']);
    const asClient = await call('GET', `/api/tenants/${tenant.id}/onboarding/comments`, { cookie: clientAdmin.cookie });
    expect(asClient.body).toMatchObject({ total: 2, items: [{ id: message.body.id }, { id: reply.body.id }] });
    expect(JSON.stringify(asClient.body)).not.toContain('relancer la direction');
  });

  it('answers 404 to a client administrator for every onboarding endpoint of another tenant, 403 on staff lists, and writes nothing', async () => {
    const tenantA = await makeTenant(platform.dataSource);
    const tenantB = await makeTenant(platform.dataSource);
    const adminA = { cookie: (await makeClientAdmin(platform.dataSource, tenantA.id)).cookie };
    const before = { case: await caseRow(tenantB.id), counts: await counts(tenantB.id) };
    const b = `/api/tenants/${tenantB.id}`;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `${b}/onboarding`],
      ['PATCH', `${b}/onboarding`, { dsFileNumber: '1' }],
      ['POST', `${b}/onboarding/transitions`, { to: 'habilitations_requested' }],
      ['GET', `${b}/onboarding/history`],
      ['GET', `${b}/onboarding/comments`],
      ['POST', `${b}/onboarding/comments`, { body: 'intrusion' }],
      ['GET', `${b}/checklist`],
      ['PUT', `${b}/checklist/FC-01`, { status: 'passed' }],
      ['GET', `${b}/audit`],
    ];
    for (const [method, path, body] of attempts) {
      const reply = await call(method, path, adminA, body);
      expect({ method, path, status: reply.status, code: reply.body.code }).toEqual({ method, path, status: 404, code: 'NOT_FOUND' });
    }
    for (const path of ['/api/onboarding/cases', '/api/onboarding/pipeline', '/api/onboarding/settings', '/api/audit']) {
      expect({ path, status: (await call('GET', path, adminA)).status }).toEqual({ path, status: 403 });
    }
    expect(await caseRow(tenantB.id)).toEqual(before.case);
    expect(await counts(tenantB.id)).toEqual(before.counts);

    // Their own tenant: readable; staff-only writes are 403 there.
    const a = `/api/tenants/${tenantA.id}`;
    expect((await call('GET', `${a}/onboarding`, adminA)).status).toBe(200);
    expect((await call('GET', `${a}/onboarding/history`, adminA)).status).toBe(200);
    expect((await call('GET', `${a}/checklist`, adminA)).status).toBe(200);
    expect((await call('PATCH', `${a}/onboarding`, adminA, { dsFileNumber: '1' })).status).toBe(403);
    expect((await call('PUT', `${a}/checklist/FC-01`, adminA, { status: 'passed' })).status).toBe(403);

    // Staff: unknown or malformed tenant ids are 404 too.
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect((await call('GET', `/api/tenants/${id}/onboarding`, staffAuth(reader))).status).toBe(404);
      expect((await call('POST', `/api/tenants/${id}/onboarding/transitions`, staffAuth(admin), { to: 'created', reason: 'x' })).status).toBe(404);
    }
  });

  it('lets read-only staff read but not write (403), and writes nothing', async () => {
    const tenant = await makeTenant(platform.dataSource);
    await setOnboardingStage(platform.dataSource, tenant.id, 'qualification_requested');
    const before = { case: await caseRow(tenant.id), counts: await counts(tenant.id) };
    const t = `/api/tenants/${tenant.id}`;
    const writes: Array<[string, string, unknown]> = [
      ['PATCH', `${t}/onboarding`, { dsFileNumber: '1' }],
      ['POST', `${t}/onboarding/transitions`, { to: 'changes_requested' }],
      ['POST', `${t}/onboarding/comments`, { body: 'lecture seule' }],
      ['PUT', `${t}/checklist/FC-01`, { status: 'passed' }],
      ['PUT', '/api/onboarding/settings', { editorQualified: { connexion: true, dataRetrieval: true } }],
    ];
    for (const [method, path, body] of writes) {
      const reply = await call(method, path, staffAuth(reader), body);
      expect({ method, path, status: reply.status }).toEqual({ method, path, status: 403 });
    }
    expect((await call('PUT', '/api/onboarding/settings', staffAuth(agent), { editorQualified: { connexion: true, dataRetrieval: true } })).status).toBe(403);
    for (const path of [`${t}/onboarding`, `${t}/onboarding/history`, `${t}/onboarding/comments`, `${t}/checklist`, `${t}/audit`, '/api/onboarding/cases', '/api/onboarding/pipeline', '/api/onboarding/settings', '/api/audit']) {
      expect({ path, status: (await call('GET', path, staffAuth(reader))).status }).toEqual({ path, status: 200 });
    }
    expect(await caseRow(tenant.id)).toEqual(before.case);
    expect(await counts(tenant.id)).toEqual(before.counts);
  });

  it('refuses invalid list queries with 400', async () => {
    for (const query of ['stage=nowhere', 'overdue=maybe', 'sort=siret', 'pageSize=500', 'page=0', 'assignee=someone', 'colour=blue', 'order=up']) {
      const reply = await call('GET', `/api/onboarding/cases?${query}`, staffAuth(reader));
      expect({ query, status: reply.status, code: reply.body.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  it('documents every onboarding endpoint in the OpenAPI document', async () => {
    const document = (await (await fetch(`${platform.api.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/tenants/{tenantId}/onboarding',
        '/api/tenants/{tenantId}/onboarding/transitions',
        '/api/tenants/{tenantId}/onboarding/history',
        '/api/tenants/{tenantId}/onboarding/comments',
        '/api/tenants/{tenantId}/checklist',
        '/api/tenants/{tenantId}/checklist/{itemId}',
        '/api/onboarding/cases',
        '/api/onboarding/pipeline',
        '/api/onboarding/settings',
        '/api/audit',
        '/api/tenants/{tenantId}/audit',
      ]),
    );
    const cases = document.paths['/api/onboarding/cases']?.get as { parameters: { name: string }[] };
    expect(cases.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['stage', 'overdue', 'assignee', 'search', 'sort', 'page', 'pageSize']));
    expect(Object.keys(document.paths['/api/tenants/{tenantId}/onboarding'] ?? {})).toEqual(expect.arrayContaining(['get', 'patch']));
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });
});
