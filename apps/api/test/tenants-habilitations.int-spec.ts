import { AuditLogEntity, DataPassWebhookDeliveryEntity, HabilitationEntity, HabilitationHistoryEntity, type TenantEntity } from '@fcplat/db';
import {
  callApi,
  LogCapture,
  dataPassWebhookPayload,
  fakeSiret,
  makeClientAdmin,
  makeHabilitation,
  makeStaff,
  makeTenant,
  signDataPassWebhook,
} from '@fcplat/testing';
import { useTestApi, withOtherApi } from './api-harness.js';

type Body = Record<string, unknown>;
interface HabilitationBody {
  id: string;
  product: string;
  state: string;
  stateLabel: string;
  dataPassId: string | null;
  scopes: string[];
  modalities: string[];
  submittedAt: string | null;
  validatedAt: string | null;
  refusedAt: string | null;
  version: number;
}
interface HistoryBody {
  items: { fromState: string | null; toState: string; source: string; actorType: string; dataPassEvent: string | null; dataPassId: string | null; note: string | null }[];
}

const SECRET = 'whsec-test-0123456789abcdef-datapass';

describe('habilitations and the DataPass webhook (real HTTP, PostgreSQL)', () => {
  const platform = useTestApi({ heartbeat: false, logDestination: new LogCapture() }, { DATAPASS_WEBHOOK_SECRET: SECRET, COMPANY_DIRECTORY_URL: 'http://127.0.0.1:9' });
  let agent: string;
  let readOnly: string;

  beforeAll(async () => {
    agent = (await makeStaff(platform.dataSource, 'onboarding_agent')).authorization;
    readOnly = (await makeStaff(platform.dataSource, 'read_only')).authorization;
  });

  const put = (tenantId: string, product: string, body: unknown, auth = agent) =>
    callApi<HabilitationBody & Body>(platform.api.url, 'PUT', `/api/tenants/${tenantId}/habilitations/${product}`, { auth, body });
  const history = async (tenantId: string, product: string, auth = readOnly) =>
    (await callApi<HistoryBody>(platform.api.url, 'GET', `/api/tenants/${tenantId}/habilitations/${product}/history`, { auth })).body.items;

  describe('manual updates by staff', () => {
    let tenant: TenantEntity;
    beforeAll(async () => {
      tenant = await makeTenant(platform.dataSource);
    });

    it('records a habilitation, then follows the DataPass lifecycle with history and audit', async () => {
      const created = await put(tenant.id, 'api_particulier', {
        state: 'submitted',
        dataPassId: '45123',
        scopes: ['cnaf_quotient_familial', 'cnaf_enfants'],
        modalities: ['france_connect', 'pivot_identity'],
        dates: { submittedAt: '2026-03-02T09:30:00+01:00' },
      });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({
        product: 'api_particulier',
        state: 'submitted',
        stateLabel: 'Soumise, en cours d’instruction',
        dataPassId: '45123',
        scopes: ['cnaf_quotient_familial', 'cnaf_enfants'],
        submittedAt: '2026-03-02T08:30:00.000Z',
        validatedAt: null,
        version: 1,
      });
      const validated = await put(tenant.id, 'api_particulier', { state: 'validated', version: 1, note: 'Validée par la DINUM' });
      expect(validated.status).toBe(200);
      expect(validated.body).toMatchObject({ state: 'validated', dataPassId: '45123', submittedAt: '2026-03-02T08:30:00.000Z', version: 2 });
      expect(Date.now() - Date.parse(String(validated.body.validatedAt))).toBeLessThan(60_000);

      expect(await history(tenant.id, 'api_particulier')).toEqual([
        expect.objectContaining({ fromState: null, toState: 'submitted', source: 'manual', actorType: 'api_token', dataPassId: '45123' }),
        expect.objectContaining({ fromState: 'submitted', toState: 'validated', source: 'manual', note: 'Validée par la DINUM' }),
      ]);
      const audits = await platform.dataSource.getRepository(AuditLogEntity).find({ where: { tenantId: tenant.id }, order: { id: 'ASC' } });
      expect(audits.map((a) => a.action)).toEqual(['habilitation.recorded', 'habilitation.updated']);
      expect(audits[1]?.changes).toMatchObject({ habilitationState: { before: 'submitted', after: 'validated' } });

      const listed = await callApi<{ items: HabilitationBody[] }>(platform.api.url, 'GET', `/api/tenants/${tenant.id}/habilitations`, { auth: readOnly });
      expect(listed.body.items).toEqual([expect.objectContaining({ product: 'api_particulier', state: 'validated' })]);
    });

    it('refuses a transition DataPass does not allow (409) and a stale version (409), writing nothing', async () => {
      const refused = await put(tenant.id, 'api_particulier', { state: 'draft' });
      expect(refused.status).toBe(409);
      expect(String(refused.body.detail)).toContain('« Validée » ne peut pas passer à l’état « Brouillon »');
      const stale = await put(tenant.id, 'api_particulier', { state: 'revoked', version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ currentVersion: 2 });
      expect(await history(tenant.id, 'api_particulier')).toHaveLength(2);
      expect(await platform.dataSource.getRepository(AuditLogEntity).countBy({ tenantId: tenant.id })).toBe(2);
    });

    it('requires a new DataPass number when a closed habilitation is filed again', async () => {
      const t = await makeTenant(platform.dataSource);
      await makeHabilitation(platform.dataSource, t.id, 'franceconnect', { state: 'refused', dataPassId: '111', refusedAt: new Date('2026-01-01T00:00:00Z') });
      const same = await put(t.id, 'franceconnect', { state: 'submitted' });
      expect(same.status).toBe(400);
      expect(same.body).toMatchObject({ violations: [{ path: 'dataPassId' }] });
      const renewed = await put(t.id, 'franceconnect', { state: 'submitted', dataPassId: '222', scopes: ['openid', 'given_name', 'family_name'] });
      expect(renewed.status).toBe(200);
      expect(renewed.body).toMatchObject({ state: 'submitted', dataPassId: '222', refusedAt: null });
    });

    it('checks scopes and modalities against the catalogue, unknown states and products: 400, nothing written', async () => {
      const t = await makeTenant(platform.dataSource);
      const cases: [string, unknown, string][] = [
        ['api_particulier', { state: 'draft', scopes: ['cnaf_quotient_familial', 'dgfip_revenu_fiscal'] }, 'scopes.1'],
        ['api_particulier', { state: 'draft', scopes: ['cnaf_quotient_familial'], modalities: ['ine'] }, 'modalities.0'],
        ['api_particulier', { state: 'draft', modalities: ['formulaire_qf'] }, 'modalities.0'],
        ['franceconnect', { state: 'draft', scopes: ['cnaf_quotient_familial'] }, 'scopes.0'],
        ['franceconnect', { state: 'draft', modalities: ['france_connect'] }, 'modalities'],
        ['api_particulier', { state: 'approved' }, 'state'],
        ['api_particulier', { state: 'draft', secret: 'x' }, ''],
      ];
      for (const [product, body, path] of cases) {
        const response = await put(t.id, product, body);
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', violations: expect.arrayContaining([expect.objectContaining({ path })]) });
      }
      const product = await put(t.id, 'impots_particulier', { state: 'draft' });
      expect(product.status).toBe(400);
      expect(String(product.body.detail)).toContain('produit inconnu');
      expect(await platform.dataSource.getRepository(HabilitationEntity).countBy({ tenantId: t.id })).toBe(0);
      expect(await platform.dataSource.getRepository(AuditLogEntity).countBy({ tenantId: t.id })).toBe(0);
      const ok = await put(t.id, 'api_particulier', { state: 'draft', scopes: ['mesri_identite', 'mesri_admissions'], modalities: ['ine'] });
      expect(ok.status).toBe(200);
    });

    it('forbids writes to read-only staff and client administrators; isolates tenants (404)', async () => {
      const a = await makeTenant(platform.dataSource);
      const b = await makeTenant(platform.dataSource);
      await makeHabilitation(platform.dataSource, b.id, 'api_particulier', { state: 'submitted' });
      const { cookie } = await makeClientAdmin(platform.dataSource, a.id);
      expect((await put(a.id, 'api_particulier', { state: 'draft' }, readOnly)).status).toBe(403);
      expect((await put(a.id, 'api_particulier', { state: 'draft' }, cookie)).status).toBe(403);
      expect((await callApi(platform.api.url, 'GET', `/api/tenants/${a.id}/habilitations`, { auth: cookie })).status).toBe(200);
      for (const path of [`/api/tenants/${b.id}/habilitations`, `/api/tenants/${b.id}/habilitations/api_particulier/history`]) {
        const response = await callApi(platform.api.url, 'GET', path, { auth: cookie });
        expect(response.status).toBe(404);
      }
      expect(await platform.dataSource.getRepository(HabilitationEntity).countBy({ tenantId: a.id })).toBe(0);
    });
  });

  describe('DataPass webhook', () => {
    const send = (rawBody: string, signature: string | undefined, extra: Record<string, string> = {}) =>
      callApi<Body>(platform.api.url, 'POST', '/api/webhooks/datapass', {
        rawBody,
        headers: { ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }), 'x-app-environment': 'production', ...extra },
      });
    const deliveries = (siret: string) => platform.dataSource.getRepository(DataPassWebhookDeliveryEntity).countBy({ siret });

    it('applies a signed event: state, DataPass id, scopes, dates, history; a replay changes nothing', async () => {
      const tenant = await makeTenant(platform.dataSource);
      const firedAt = Math.floor(Date.now() / 1000) - 120;
      const submit = JSON.stringify(dataPassWebhookPayload({ event: 'submit', siret: tenant.siret, id: 9001, scopes: ['cnaf_quotient_familial', 'cnaf_adresse'], modalities: ['params', 'france_connect'], firedAt }));
      const first = await send(submit, signDataPassWebhook(SECRET, submit));
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ received: true, duplicate: false, outcome: 'applied' });
      const approve = JSON.stringify(dataPassWebhookPayload({ event: 'approve', siret: tenant.siret, id: 9001, scopes: ['cnaf_quotient_familial'], firedAt: firedAt + 60 }));
      expect((await send(approve, signDataPassWebhook(SECRET, approve))).body).toMatchObject({ outcome: 'applied' });

      const row = await platform.dataSource.getRepository(HabilitationEntity).findOneByOrFail({ tenantId: tenant.id, product: 'api_particulier' });
      expect(row).toMatchObject({ state: 'validated', dataPassId: '9001', scopes: ['cnaf_quotient_familial'], modalities: ['pivot_identity', 'france_connect'] });
      expect(row.submittedAt?.getTime()).toBe((firedAt - 60) * 1000);
      expect(row.validatedAt?.getTime()).toBe((firedAt + 60) * 1000);
      expect(await history(tenant.id, 'api_particulier')).toEqual([
        expect.objectContaining({ fromState: null, toState: 'submitted', source: 'webhook', actorType: 'webhook', dataPassEvent: 'submit', dataPassId: '9001' }),
        expect.objectContaining({ fromState: 'submitted', toState: 'validated', source: 'webhook', dataPassEvent: 'approve' }),
      ]);
      const audit = await platform.dataSource.getRepository(AuditLogEntity).find({ where: { tenantId: tenant.id }, order: { id: 'ASC' } });
      expect(audit.map((a) => [a.action, a.actorType])).toEqual([
        ['habilitation.webhook_recorded', 'webhook'],
        ['habilitation.webhook_updated', 'webhook'],
      ]);

      const replay = await send(approve, signDataPassWebhook(SECRET, approve));
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({ received: true, duplicate: true, outcome: 'applied' });
      expect(await history(tenant.id, 'api_particulier')).toHaveLength(2);
      expect(await platform.dataSource.getRepository(AuditLogEntity).countBy({ tenantId: tenant.id })).toBe(2);
      expect(await deliveries(tenant.siret)).toBe(2);
      const version = (await platform.dataSource.getRepository(HabilitationEntity).findOneByOrFail({ id: row.id })).version;
      expect(version).toBe(row.version);
    });

    it('ignores an older delivery arriving late (stale) and records it', async () => {
      const tenant = await makeTenant(platform.dataSource);
      const now = Math.floor(Date.now() / 1000);
      const refuse = JSON.stringify(dataPassWebhookPayload({ event: 'refuse', siret: tenant.siret, id: 77, firedAt: now }));
      const submit = JSON.stringify(dataPassWebhookPayload({ event: 'submit', siret: tenant.siret, id: 77, firedAt: now - 600 }));
      expect((await send(refuse, signDataPassWebhook(SECRET, refuse))).body).toMatchObject({ outcome: 'applied' });
      expect((await send(submit, signDataPassWebhook(SECRET, submit))).body).toMatchObject({ outcome: 'stale' });
      expect(await platform.dataSource.getRepository(HabilitationEntity).findOneByOrFail({ tenantId: tenant.id })).toMatchObject({ state: 'refused' });
    });

    it('maps France Connect requests to the franceconnect habilitation', async () => {
      const tenant = await makeTenant(platform.dataSource);
      const body = JSON.stringify(dataPassWebhookPayload({ event: 'approve', siret: tenant.siret, product: 'france_connect', id: 31, scopes: ['openid', 'family_name'] }));
      expect((await send(body, signDataPassWebhook(SECRET, body))).body).toMatchObject({ outcome: 'applied' });
      expect(await platform.dataSource.getRepository(HabilitationEntity).findOneByOrFail({ tenantId: tenant.id })).toMatchObject({ product: 'franceconnect', state: 'validated', dataPassId: '31' });
    });

    it('refuses a missing, malformed or wrong signature with 401 and writes nothing', async () => {
      const tenant = await makeTenant(platform.dataSource);
      const body = JSON.stringify(dataPassWebhookPayload({ event: 'approve', siret: tenant.siret }));
      const good = signDataPassWebhook(SECRET, body);
      const attempts: (string | undefined)[] = [
        undefined,
        '',
        good.replace('sha256=', ''),
        good.replace('sha256=', 'sha1='),
        signDataPassWebhook('another-secret-of-enough-length', body),
        `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`,
        `${good}00`,
        signDataPassWebhook(SECRET, `${body} `),
      ];
      for (const signature of attempts) {
        const response = await send(body, signature);
        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: expect.stringContaining('Signature') });
      }
      // A body altered after signing fails too.
      const tampered = body.replace('"approve"', '"revoke"');
      expect((await send(tampered, good)).status).toBe(401);
      expect(await deliveries(tenant.siret)).toBe(0);
      expect(await platform.dataSource.getRepository(HabilitationEntity).countBy({ tenantId: tenant.id })).toBe(0);
      expect(await platform.dataSource.getRepository(AuditLogEntity).countBy({ tenantId: tenant.id })).toBe(0);
    });

    it('answers 200 to a test ping, an unknown SIRET, an unsupported product and an unexpected body, recording each once', async () => {
      const ping = JSON.stringify({ test: true, timestamp: Math.floor(Date.now() / 1000) });
      expect((await send(ping, signDataPassWebhook(SECRET, ping))).body).toEqual({ received: true, duplicate: false, outcome: 'test_ping' });
      expect((await send(ping, signDataPassWebhook(SECRET, ping))).body).toEqual({ received: true, duplicate: true, outcome: 'test_ping' });

      const stranger = fakeSiret();
      const unknown = JSON.stringify(dataPassWebhookPayload({ event: 'approve', siret: stranger }));
      expect((await send(unknown, signDataPassWebhook(SECRET, unknown))).body).toMatchObject({ outcome: 'unknown_tenant', duplicate: false });
      expect(await platform.dataSource.getRepository(DataPassWebhookDeliveryEntity).findOneByOrFail({ siret: stranger })).toMatchObject({ outcome: 'unknown_tenant', event: 'approve', appEnvironment: 'production', tenantId: null });

      const tenant = await makeTenant(platform.dataSource);
      const other = JSON.stringify(dataPassWebhookPayload({ event: 'approve', siret: tenant.siret, product: 'api_entreprise' }));
      expect((await send(other, signDataPassWebhook(SECRET, other))).body).toMatchObject({ outcome: 'unsupported_model' });
      const odd = JSON.stringify({ event: 'approve', model_type: 'authorization_request/api_particulier', data: { organization: {} } });
      expect((await send(odd, signDataPassWebhook(SECRET, odd))).body).toMatchObject({ outcome: 'rejected_payload' });
      expect(await platform.dataSource.getRepository(HabilitationEntity).countBy({ tenantId: tenant.id })).toBe(0);
    });

    it('keeps the history append-only in the database', async () => {
      const row = await platform.dataSource.getRepository(HabilitationHistoryEntity).findOne({ where: {}, order: { id: 'DESC' } });
      expect(row).not.toBeNull();
      await expect(platform.dataSource.query(`UPDATE tenant_habilitation_history SET to_state = 'archived' WHERE id = $1`, [row?.id])).rejects.toThrow(/append-only/);
    });
  });

  it('answers 404 (webhooks disabled) on a platform without DATAPASS_WEBHOOK_SECRET', async () => {
    await withOtherApi({}, { heartbeat: false, logDestination: new LogCapture() }, async (other) => {
      const tenant = await makeTenant(platform.dataSource);
      const body = JSON.stringify(dataPassWebhookPayload({ event: 'approve', siret: tenant.siret }));
      const response = await callApi(other.url, 'POST', '/api/webhooks/datapass', { rawBody: body, headers: { 'x-hub-signature-256': signDataPassWebhook(SECRET, body) } });
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'NOT_FOUND', detail: expect.stringContaining('ne sont pas activés') });
      expect(await platform.dataSource.getRepository(DataPassWebhookDeliveryEntity).countBy({ siret: tenant.siret })).toBe(0);
    });
  });
});
