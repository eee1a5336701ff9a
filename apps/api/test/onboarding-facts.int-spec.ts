/**
 * The whole onboarding path through the API, with habilitation and credential facts stored in the
 * tenants area's real tables (`tenant_habilitation`, and the vault tables behind the
 * `tenant_credential` view) through that area's test factories. On a scratch database because it
 * changes the platform-wide setting « editor already qualified ».
 */
import { applicableItems } from '@fcplat/domain';
import { LogCapture, makeClientAdmin, makeStaff, makeTenant, recordChecklist, recordHabilitationState, recordStoredCredential, type TestStaff } from '@fcplat/testing';
import { callJson, withOtherApi, withScratchDataSource, type Auth, type Reply } from './api-harness.js';

interface Reason {
  code: string;
}

describe('onboarding from creation to production, with habilitation and credential facts (scratch database)', () => {
  const logs = new LogCapture();

  it('walks the main path, skips with an already qualified editor, and follows habilitation changes', async () => {
    await withScratchDataSource('fcplat-test-onboarding-facts', async (dataSource, url) => {
      const recordHabilitation = (tenantId: string, product: 'franceconnect' | 'api_particulier', state: string): Promise<void> =>
        recordHabilitationState(dataSource, tenantId, product, state);
      const recordCredential = async (tenantId: string, kind: 'franceconnect' | 'api_particulier', environment: string): Promise<void> => {
        await recordStoredCredential(dataSource, tenantId, kind, environment);
      };

      await withOtherApi({ DATABASE_URL: url }, { heartbeat: false, logDestination: logs }, async (api) => {
        const base = api.url;
        const call = (method: string, path: string, auth: Auth, body?: unknown): Promise<Reply> => callJson(base, method, path, auth, body, { browserWrite: true });
        const agent: TestStaff = await makeStaff(dataSource, 'onboarding_agent');
        const admin: TestStaff = await makeStaff(dataSource, 'admin');
        const staff = { authorization: agent.authorization };

        // --- The main path, connexion + data retrieval ------------------------------------------
        const tenant = await makeTenant(dataSource, { dataRetrievalEnabled: true });
        const client = { cookie: (await makeClientAdmin(dataSource, tenant.id)).cookie };
        const move = (auth: Auth, to: string, extra: Record<string, unknown> = {}): Promise<Reply> =>
          call('POST', `/api/tenants/${tenant.id}/onboarding/transitions`, auth, { to, ...extra });
        const reasons = (reply: Reply): string[] => ((reply.body.reasons ?? []) as Reason[]).map((r) => r.code);

        expect(reasons(await move(client, 'habilitations_requested'))).toEqual([
          'franceconnect_habilitation_not_filed',
          'api_particulier_habilitation_not_filed',
        ]);
        await recordHabilitation(tenant.id, 'franceconnect', 'submitted');
        expect(reasons(await move(client, 'habilitations_requested'))).toEqual(['api_particulier_habilitation_not_filed']);
        await recordHabilitation(tenant.id, 'api_particulier', 'submitted');
        expect((await move(client, 'habilitations_requested')).body).toMatchObject({ stage: 'habilitations_requested' });

        expect(reasons(await move(staff, 'habilitations_validated'))).toEqual([
          'franceconnect_habilitation_not_validated',
          'api_particulier_habilitation_not_validated',
        ]);
        await recordHabilitation(tenant.id, 'franceconnect', 'validated');
        await recordHabilitation(tenant.id, 'api_particulier', 'validated');
        const validated = await move(staff, 'habilitations_validated');
        expect(validated.body).toMatchObject({ stage: 'habilitations_validated', habilitations: { franceconnect: 'validated', api_particulier: 'validated' } });

        expect(reasons(await move(staff, 'integration_credentials_received'))).toEqual(['sandbox_credentials_missing']);
        await recordCredential(tenant.id, 'franceconnect', 'sandbox');
        expect((await move(staff, 'integration_credentials_received')).status).toBe(200);
        expect((await move(staff, 'internal_check')).status).toBe(200);

        await recordChecklist(
          dataSource,
          tenant.id,
          applicableItems({ connexion: true, dataRetrieval: true }).map((i) => ({ itemId: i.id, status: 'passed' as const })),
        );
        expect(reasons(await move(staff, 'qualification_requested'))).toEqual(['ds_file_number_missing']);
        const requested = await move(staff, 'qualification_requested', { dsFileNumber: '778899' });
        expect(requested.body).toMatchObject({
          stage: 'qualification_requested',
          dsFileNumber: '778899',
          progress: { nextActions: [expect.objectContaining({ actor: 'franceconnect', text: expect.stringContaining('778899') })] },
        });
        expect((await move(staff, 'qualified')).status).toBe(200);
        // Client administrators request production themselves.
        const production = await move(client, 'production_requested');
        expect(production.body).toMatchObject({ stage: 'production_requested', timing: { slaWorkingDays: 7, waitingOn: 'franceconnect' } });

        expect(reasons(await move(staff, 'production_credentials_received'))).toEqual(['production_credentials_missing']);
        await recordCredential(tenant.id, 'franceconnect', 'production');
        expect((await move(staff, 'production_credentials_received')).status).toBe(200);
        expect(reasons(await move(staff, 'live'))).toEqual(['api_particulier_token_missing']);
        // A token of another environment does not count.
        await recordCredential(tenant.id, 'api_particulier', 'staging');
        expect(reasons(await move(staff, 'live'))).toEqual(['api_particulier_token_missing']);
        await recordCredential(tenant.id, 'api_particulier', 'production');
        const live = await move(staff, 'live');
        expect(live.body).toMatchObject({
          stage: 'live',
          timing: { slaWorkingDays: null, deadline: null, overdue: false },
          progress: { nextActions: [], blockers: [] },
        });

        const history = await call('GET', `/api/tenants/${tenant.id}/onboarding/history?pageSize=100`, staff);
        const steps = (history.body.items as { toStage: string; kind: string; actor: { type: string } }[]).map((h) => `${h.kind}:${h.toStage}:${h.actor.type}`);
        expect(steps).toEqual([
          'opened:created:system',
          'advance:habilitations_requested:client_admin',
          'advance:habilitations_validated:api_token',
          'advance:integration_credentials_received:api_token',
          'advance:internal_check:api_token',
          'advance:qualification_requested:api_token',
          'advance:qualified:api_token',
          'advance:production_requested:client_admin',
          'advance:production_credentials_received:api_token',
          'advance:live:api_token',
        ]);
        const liveList = await call('GET', `/api/onboarding/cases?search=${tenant.siret}`, staff);
        expect(liveList.body).toMatchObject({ total: 1, items: [{ stage: 'live', overdue: false, deadline: null }] });
        expect((await call('GET', `/api/onboarding/cases?overdue=false&stage=live`, staff)).body).toMatchObject({ total: 1 });

        // A revoked habilitation shows, and its action comes first in the next actions.
        await recordHabilitation(tenant.id, 'api_particulier', 'revoked');
        const revoked = await call('GET', `/api/tenants/${tenant.id}/onboarding`, client);
        expect(revoked.body).toMatchObject({ habilitations: { api_particulier: 'revoked' } });
        expect((revoked.body.progress as { nextActions: { text: string }[] }).nextActions[0]?.text).toContain('révoquée');

        // --- Skips -----------------------------------------------------------------------------
        const arriving = await makeTenant(dataSource);
        await recordHabilitation(arriving.id, 'franceconnect', 'validated');
        await recordCredential(arriving.id, 'franceconnect', 'sandbox');
        const arrivingClient = { cookie: (await makeClientAdmin(dataSource, arriving.id)).cookie };
        const skipTo = (auth: Auth, to: string): Promise<Reply> => call('POST', `/api/tenants/${arriving.id}/onboarding/transitions`, auth, { to });
        expect((await skipTo(arrivingClient, 'habilitations_validated')).status).toBe(403);
        const view = await call('GET', `/api/tenants/${arriving.id}/onboarding`, staff);
        expect(view.body.availableTransitions).toEqual(
          expect.arrayContaining([
            { to: 'habilitations_requested', label: 'Habilitations demandées', kind: 'advance', reasonRequired: false },
            expect.objectContaining({ to: 'integration_credentials_received', kind: 'skip' }),
          ]),
        );
        expect((view.body.availableTransitions as { to: string }[]).map((t) => t.to)).not.toContain('qualified');
        const skipped = await skipTo(staff, 'integration_credentials_received');
        expect(skipped.status).toBe(200);
        expect(reasons(await skipTo(staff, 'qualified'))).toEqual(['editor_not_qualified']);

        const settings = await call('PUT', '/api/onboarding/settings', { authorization: admin.authorization }, { editorQualified: { connexion: true, dataRetrieval: false } });
        expect(settings.status).toBe(200);
        expect(settings.body).toMatchObject({ editorQualified: { connexion: true, dataRetrieval: false }, updatedBy: admin.user.id });
        expect((await call('GET', '/api/onboarding/settings', staff)).body).toMatchObject({ editorQualified: { connexion: true, dataRetrieval: false } });
        expect((await skipTo(staff, 'qualified')).body).toMatchObject({ stage: 'qualified' });
        // The data-retrieval tenant is not covered by a connexion-only qualification.
        const dataTenant = await makeTenant(dataSource, { dataRetrievalEnabled: true });
        await recordHabilitation(dataTenant.id, 'franceconnect', 'validated');
        await recordHabilitation(dataTenant.id, 'api_particulier', 'validated');
        await recordCredential(dataTenant.id, 'franceconnect', 'sandbox');
        await dataSource.query(`UPDATE onboarding_case SET stage = 'integration_credentials_received' WHERE tenant_id = $1`, [dataTenant.id]);
        const notCovered = await call('POST', `/api/tenants/${dataTenant.id}/onboarding/transitions`, staff, { to: 'qualified' });
        expect(reasons(notCovered)).toEqual(['editor_not_qualified']);

        const skipHistory = await call('GET', `/api/tenants/${arriving.id}/onboarding/history?order=desc`, staff);
        expect((skipHistory.body.items as unknown[])[0]).toMatchObject({
          kind: 'skip',
          fromStage: 'integration_credentials_received',
          toStage: 'qualified',
          passedThrough: ['internal_check', 'qualification_requested'],
        });
        const [settingsAudit] = await dataSource.query(`SELECT tenant_id, actor_id, changes FROM audit_log WHERE action = 'onboarding.settings_updated'`);
        expect(settingsAudit).toEqual({ tenant_id: null, actor_id: admin.user.id, changes: { editorQualifiedConnexion: { before: false, after: true } } });
        const [skipAudit] = await dataSource.query(
          `SELECT changes FROM audit_log WHERE tenant_id = $1 AND action = 'onboarding.stage_changed' ORDER BY id LIMIT 1`,
          [arriving.id],
        );
        expect(skipAudit.changes).toEqual({
          stage: { before: 'created', after: 'integration_credentials_received' },
          kind: 'skip',
          passedThrough: ['habilitations_requested', 'habilitations_validated'],
        });
      });
    });
  }, 60_000);
});
