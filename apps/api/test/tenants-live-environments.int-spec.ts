/**
 * Live environments chosen on purpose (issue 10), over real HTTP against the API, PostgreSQL and
 * the sandbox FranceConnect provider: a tenant's portal uses the FranceConnect environment staff
 * chose and no other; storing credentials never changes it; production only from the stages that
 * allow it (a production client registered at the sandbox provider stands in for FranceConnect's
 * production, the platform allowing stand-ins); leaving production needs a reason; the live
 * environment's credentials cannot be revoked; the live set-up test passes and fails as it should;
 * API Particulier calls go to the live environment and record it.
 */
import type { Server } from 'node:http';
import type { DataSource } from 'typeorm';
import { franceConnectService } from '../../sandbox/src/services/franceconnect.js';
import { serveOnLoopback } from './api-harness.js';
import { type TenantEntity } from '@fcplat/db';
import {
  API_PARTICULIER_ENVIRONMENTS,
  FRANCECONNECT_ENVIRONMENTS,
  LIVE_ENVIRONMENT_PRODUCTS,
  ONBOARDING_STAGES,
  type OnboardingStage,
} from '@fcplat/domain';
import { openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import {
  callApi,
  fakeApiParticulierToken,
  fakeFranceConnectCredential,
  freePort,
  LogCapture,
  makeClientAdmin,
  makeHabilitation,
  makeStaff,
  makeTenant,
  registerSandboxFranceConnectClient,
  scratchMigratedDatabase,
  testPlatformConfig,
  withBrowserWriteHeaders,
  type ScratchDatabase,
} from '@fcplat/testing';
import { startApi, type ApiApp } from '../src/app.js';

type Json = Record<string, unknown>;
interface Option {
  environment: string;
  live: boolean;
  credentials: string;
  lastSuccessAt: string | null;
  switch: { allowed: boolean; code: string | null; message: string | null; reasonRequired: boolean };
}
interface ProductView {
  live: { environment: string; production: boolean; chosenBy: { id: string; name: string } | null; reason: string | null; version: number } | null;
  usable: boolean;
  problem: string | null;
  environments: Option[];
}

describe('live environments (real HTTP, PostgreSQL, sandbox FranceConnect)', () => {
  let scratch: ScratchDatabase;
  let ds: DataSource;
  let sandbox: Server;
  let sandboxBase: string;
  let issuer: string;
  let infrastructure: PlatformInfrastructure;
  let api: ApiApp;
  let agent: { authorization: string; user: { id: string } };
  let readOnly: string;

  beforeAll(async () => {
    scratch = await scratchMigratedDatabase();
    ds = scratch.dataSource;
    const service = franceConnectService({ clientsFile: null });
    ({ server: sandbox, base: sandboxBase } = await serveOnLoopback((req, res) => service.handler(req, res)));
    issuer = `${sandboxBase}/api/v2`;
    const port = await freePort();
    const config = await testPlatformConfig({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: scratch.url });
    infrastructure = await openPlatformInfrastructure(config, 'api');
    api = await startApi(config, infrastructure, { heartbeat: false, logDestination: new LogCapture(), frontends: [] });
    agent = await makeStaff(ds, 'onboarding_agent');
    readOnly = (await makeStaff(ds, 'read_only')).authorization;
  });

  afterAll(async () => {
    await api.close();
    await infrastructure.close();
    await new Promise<void>((resolve) => {
      sandbox.close(() => resolve());
      sandbox.closeAllConnections();
    });
    await scratch.drop();
  });

  /** Registers a client for the tenant's redirect URIs at the sandbox provider. */
  const register = (tenant: TenantEntity) => registerSandboxFranceConnectClient({ apiUrl: api.url, sandboxBase, tenant, authorization: agent.authorization });

  const storeFc = (tenant: TenantEntity, environment: string, client: { clientId: string; clientSecret: string }, auth = agent.authorization) =>
    callApi<Json>(api.url, 'PUT', `/api/tenants/${tenant.id}/credentials/franceconnect/${environment}`, {
      auth,
      body: { clientId: client.clientId, clientSecret: client.clientSecret, signingAlgorithm: 'ES256', issuerUrl: issuer },
    });
  const choose = (tenant: TenantEntity, product: 'franceconnect' | 'api-particulier', body: Json, auth = agent.authorization) =>
    callApi<ProductView & Json>(api.url, 'PUT', `/api/tenants/${tenant.id}/environments/${product}`, { auth, body });
  const view = async (tenant: TenantEntity, auth = readOnly) =>
    (await callApi<{ franceconnect: ProductView; apiParticulier: ProductView; stage: string }>(api.url, 'GET', `/api/tenants/${tenant.id}/environments`, { auth })).body;
  const setStage = (tenant: TenantEntity, stage: OnboardingStage) => ds.query(`UPDATE onboarding_case SET stage = $2 WHERE tenant_id = $1`, [tenant.id, stage]);

  /** Where the portal's « S'identifier avec FranceConnect » sends the browser: FranceConnect's authorize (with its client_id), or back home with an error. */
  async function loginTarget(tenant: TenantEntity): Promise<{ clientId: string | null; issuer: string | null; error: string | null }> {
    const response = await fetch(`${api.url}/t/${tenant.slug}/auth/franceconnect/login`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '', api.url);
    if (location.pathname.endsWith('/authorize')) return { clientId: location.searchParams.get('client_id'), issuer: location.href.split('/authorize')[0] ?? null, error: null };
    return { clientId: null, issuer: null, error: location.searchParams.get('erreur') };
  }

  it('a new tenant has no live environment: its portal offers no FranceConnect and says it is a test portal', async () => {
    const tenant = await makeTenant(ds);
    const environments = await view(tenant);
    expect(environments.franceconnect).toMatchObject({ live: null, usable: false, problem: expect.stringMatching(/Aucun environnement FranceConnect n’est choisi/) });
    expect(environments.apiParticulier).toMatchObject({ live: null, usable: false });
    expect(environments.franceconnect.environments.map((e) => e.environment)).toEqual([...FRANCECONNECT_ENVIRONMENTS]);
    const portal = await callApi<Json>(api.url, 'GET', `/api/portal/${tenant.slug}`);
    expect(portal.body['environment']).toEqual({ franceConnect: null, test: true, franceConnectAvailable: false });
    expect(await loginTarget(tenant)).toMatchObject({ clientId: null, error: expect.any(String) });
  });

  it('storing or replacing credentials never changes the live environment, at any stage', async () => {
    const tenant = await makeTenant(ds);
    const sandboxClient = await register(tenant);
    expect((await storeFc(tenant, 'custom', sandboxClient)).status).toBe(200);
    // Stored is not in service.
    expect((await view(tenant)).franceconnect.live).toBeNull();
    expect((await loginTarget(tenant)).clientId).toBeNull();
    expect((await choose(tenant, 'franceconnect', { environment: 'custom' })).status).toBe(200);
    expect(await loginTarget(tenant)).toEqual({ clientId: sandboxClient.clientId, issuer, error: null });
    // Production and integration credentials saved at every stage: the portal stays on the chosen one.
    for (const stage of ONBOARDING_STAGES) {
      await setStage(tenant, stage);
      expect((await storeFc(tenant, 'production', await register(tenant))).status).toBe(200);
      expect((await storeFc(tenant, 'integration', await register(tenant))).status).toBe(200);
      expect(await loginTarget(tenant)).toEqual({ clientId: sandboxClient.clientId, issuer, error: null });
      expect((await view(tenant)).franceconnect.live).toMatchObject({ environment: 'custom', version: 1 });
    }
  });

  it('goes to production only from the stages that allow it; the next login then goes to production’s issuer', async () => {
    const tenant = await makeTenant(ds);
    const sandboxClient = await register(tenant);
    const productionClient = await register(tenant);
    await storeFc(tenant, 'custom', sandboxClient);
    await storeFc(tenant, 'production', productionClient);
    expect((await choose(tenant, 'franceconnect', { environment: 'custom' })).status).toBe(200);
    for (const stage of ONBOARDING_STAGES.filter((s) => s !== 'production_credentials_received' && s !== 'live')) {
      await setStage(tenant, stage);
      const refused = await choose(tenant, 'franceconnect', { environment: 'production' });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'CONFLICT', reasons: [{ code: 'stage_not_ready' }], detail: expect.stringMatching(/Passage en production impossible à l’étape/) });
      const option = (await view(tenant)).franceconnect.environments.find((e) => e.environment === 'production');
      expect(option?.switch).toMatchObject({ allowed: false, code: 'stage_not_ready' });
    }
    expect((await loginTarget(tenant)).clientId).toBe(sandboxClient.clientId);
    await setStage(tenant, 'production_credentials_received');
    const live = await choose(tenant, 'franceconnect', { environment: 'production' });
    expect(live.status).toBe(200);
    expect(live.body.live).toMatchObject({ environment: 'production', production: true, chosenBy: { id: agent.user.id }, version: 2 });
    expect(await loginTarget(tenant)).toEqual({ clientId: productionClient.clientId, issuer, error: null });
    expect((await callApi<Json>(api.url, 'GET', `/api/portal/${tenant.slug}`)).body['environment']).toEqual({ franceConnect: 'production', test: false, franceConnectAvailable: true });
    const audits = (await ds.query(`SELECT changes, actor_id FROM audit_log WHERE tenant_id = $1 AND action = 'tenant.live_environment.changed' ORDER BY id`, [tenant.id])) as {
      changes: Json;
      actor_id: string;
    }[];
    expect(audits.map((a) => a.changes['environment'])).toEqual([
      { before: null, after: 'custom' },
      { before: 'custom', after: 'production' },
    ]);
    expect(audits.every((a) => a.actor_id === agent.user.id)).toBe(true);
    // The pipeline shows it.
    const pipeline = await callApi<{ items: Json[] }>(api.url, 'GET', `/api/onboarding/cases?search=${encodeURIComponent(tenant.name)}&pageSize=100`, { auth: readOnly });
    expect(pipeline.status).toBe(200);
    const row = pipeline.body.items.find((item) => item['tenantId'] === tenant.id);
    expect(row?.['liveEnvironments']).toEqual({ franceconnect: 'production', apiParticulier: null });
  });

  it('leaves production for a test environment at any stage, with a reason', async () => {
    const tenant = await makeTenant(ds);
    await storeFc(tenant, 'custom', await register(tenant));
    await storeFc(tenant, 'production', await register(tenant));
    await setStage(tenant, 'live');
    expect((await choose(tenant, 'franceconnect', { environment: 'production' })).status).toBe(200);
    await setStage(tenant, 'created');
    const silent = await choose(tenant, 'franceconnect', { environment: 'custom' });
    expect(silent.status).toBe(400);
    expect(silent.body).toMatchObject({ code: 'VALIDATION_FAILED', violations: [{ path: 'reason', message: expect.stringMatching(/motif/) }] });
    expect((await choose(tenant, 'franceconnect', { environment: 'custom', reason: '  ' })).status).toBe(400);
    const back = await choose(tenant, 'franceconnect', { environment: 'custom', reason: 'Bouton à corriger avant la requalification' });
    expect(back.status).toBe(200);
    expect(back.body.live).toMatchObject({ environment: 'custom', production: false, reason: 'Bouton à corriger avant la requalification' });
    expect((await callApi<Json>(api.url, 'GET', `/api/portal/${tenant.slug}`)).body['environment']).toMatchObject({ test: true });
  });

  it('refuses an environment without usable credentials, and the revocation of the live environment’s credentials', async () => {
    const tenant = await makeTenant(ds);
    const client = await register(tenant);
    await storeFc(tenant, 'custom', client);
    expect((await choose(tenant, 'franceconnect', { environment: 'custom' })).status).toBe(200);
    const same = await choose(tenant, 'franceconnect', { environment: 'custom' });
    expect(same.body).toMatchObject({ reasons: [{ code: 'same_environment' }] });
    const missing = await choose(tenant, 'franceconnect', { environment: 'integration' });
    expect(missing.status).toBe(409);
    expect(missing.body).toMatchObject({ reasons: [{ code: 'credentials_missing' }], detail: expect.stringMatching(/Aucun identifiant FranceConnect/) });
    // An entry stored before the formats were checked (copied here by SQL) is not usable.
    await ds.query(
      `INSERT INTO franceconnect_credential (tenant_id, environment, client_id, client_secret_ciphertext, signing_algorithm) SELECT tenant_id, 'sandbox', 'abc', client_secret_ciphertext, 'ES256' FROM franceconnect_credential WHERE tenant_id = $1 AND environment = 'custom'`,
      [tenant.id],
    );
    const unusable = await choose(tenant, 'franceconnect', { environment: 'sandbox' });
    expect(unusable.status).toBe(409);
    expect(unusable.body).toMatchObject({ reasons: [{ code: 'credentials_unusable' }] });
    const unknown = await choose(tenant, 'franceconnect', { environment: 'staging' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ violations: [{ path: 'environment' }] });
    // Revocation: the live environment's credentials stay; another environment's go, audited.
    const revokeLive = await callApi<Json>(api.url, 'DELETE', `/api/tenants/${tenant.id}/credentials/franceconnect/custom`, { auth: agent.authorization });
    expect(revokeLive.status).toBe(409);
    expect(revokeLive.body).toMatchObject({ detail: expect.stringMatching(/environnement en service/) });
    expect((await loginTarget(tenant)).clientId).toBe(client.clientId);
    expect((await callApi(api.url, 'DELETE', `/api/tenants/${tenant.id}/credentials/franceconnect/sandbox`, { auth: agent.authorization })).status).toBe(204);
    const kinds = (await ds.query(`SELECT environment FROM franceconnect_credential WHERE tenant_id = $1`, [tenant.id])) as { environment: string }[];
    expect(kinds.map((k) => k.environment)).toEqual(['custom']);
  });

  it('lets client administrators see the live environments, not choose them; nor read-only staff', async () => {
    const tenant = await makeTenant(ds);
    await storeFc(tenant, 'custom', await register(tenant));
    const admin = await makeClientAdmin(ds, tenant.id);
    const seen = await callApi<Json>(api.url, 'GET', `/api/tenants/${tenant.id}/environments`, { auth: admin.cookie });
    expect(seen.status).toBe(200);
    expect((await choose(tenant, 'franceconnect', { environment: 'custom' }, admin.cookie)).status).toBe(403);
    expect((await choose(tenant, 'franceconnect', { environment: 'custom' }, readOnly)).status).toBe(403);
    expect((await callApi(api.url, 'POST', `/api/tenants/${tenant.id}/environments/franceconnect/check`, { auth: admin.cookie })).status).toBe(403);
    expect((await view(tenant)).franceconnect.live).toBeNull();
  });

  it('tests the live set-up from the platform: operational for a registered client, failing for an unknown client_id', async () => {
    const tenant = await makeTenant(ds);
    const client = await register(tenant);
    await storeFc(tenant, 'custom', client);
    const none = await callApi<Json>(api.url, 'POST', `/api/tenants/${tenant.id}/environments/franceconnect/check`, { auth: agent.authorization });
    expect(none.status).toBe(409);
    expect((await choose(tenant, 'franceconnect', { environment: 'custom' })).status).toBe(200);
    const check = () => callApi<{ ok: boolean; summary: string; steps: { step: string; status: string }[] }>(api.url, 'POST', `/api/tenants/${tenant.id}/environments/franceconnect/check`, { auth: agent.authorization });
    const good = await check();
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ ok: true, summary: 'Configuration FranceConnect opérationnelle' });
    expect(good.body.steps.map((s) => `${s.step}:${s.status}`)).toEqual(['credentials:ok', 'discovery:ok', 'jwks:ok', 'client_id:ok', 'client_secret:ok']);
    expect(JSON.stringify(good.body)).not.toContain(client.clientSecret);
    // The live environment's client replaced by one the provider does not know: the test says so.
    expect((await storeFc(tenant, 'custom', { clientId: fakeFranceConnectCredential(), clientSecret: fakeFranceConnectCredential() })).status).toBe(200);
    const bad = await check();
    expect(bad.body).toMatchObject({ ok: false, summary: expect.stringMatching(/^Échec : .*client_id inconnu/) });
    expect(bad.body.steps.find((s) => s.step === 'client_id')?.status).toBe('failed');
    // A wrong secret for the right client.
    expect((await storeFc(tenant, 'custom', { clientId: client.clientId, clientSecret: fakeFranceConnectCredential() })).status).toBe(200);
    const wrongSecret = await check();
    expect(wrongSecret.body.steps.map((s) => `${s.step}:${s.status}`)).toEqual(['credentials:ok', 'discovery:ok', 'jwks:ok', 'client_id:ok', 'client_secret:failed']);
    const audits = (await ds.query(`SELECT changes FROM audit_log WHERE tenant_id = $1 AND action = 'tenant.live_environment.checked' ORDER BY id`, [tenant.id])) as { changes: Json }[];
    expect(audits.map((a) => a.changes['ok'])).toEqual([true, false, false]);
  });

  it('sends API Particulier calls to the live environment only, recorded and shown with each call and batch', async () => {
    const tenant = await makeTenant(ds);
    await makeHabilitation(ds, tenant.id, 'api_particulier', { state: 'validated', validatedAt: new Date(), scopes: ['cnaf_quotient_familial'], modalities: ['pivot_identity'] });
    const admin = await makeClientAdmin(ds, tenant.id);
    for (const environment of ['sandbox', 'staging']) {
      const stored = await callApi(api.url, 'PUT', `/api/tenants/${tenant.id}/credentials/api-particulier/${environment}`, { auth: agent.authorization, body: { token: fakeApiParticulierToken(environment) } });
      expect(stored.status).toBe(200);
    }
    const upload = () =>
      fetch(`${api.url}/api/tenants/${tenant.id}/api-particulier/batches?api=quotient_familial&modality=pivot_identity&fileName=dossiers.csv`, {
        method: 'POST',
        headers: withBrowserWriteHeaders('POST', `/api/tenants/${tenant.id}/api-particulier/batches`, { 'content-type': 'text/csv', cookie: admin.cookie }),
        body: 'reference;nom_naissance;nom_usage;prenoms;sexe;date_naissance;code_pays_naissance;code_commune_naissance;nom_commune_naissance;code_departement_naissance\nN-1;LEFEBVRE;;ALEXIS;F;27/12/1982;99100;08480;;',
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));
    const early = await upload();
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ detail: expect.stringMatching(/Aucun environnement API Particulier n’est choisi/) });
    expect((await choose(tenant, 'api-particulier', { environment: 'staging' })).status).toBe(200);
    const created = await upload();
    expect(created.status).toBe(201);
    const batch = await callApi<Json>(api.url, 'GET', `/api/tenants/${tenant.id}/api-particulier/batches/${created.body['id'] as string}`, { auth: admin.cookie });
    expect(batch.body).toMatchObject({ environment: 'staging', environmentLabel: 'Recette API Particulier' });
    const calls = await callApi<{ items: Json[] }>(api.url, 'GET', `/api/tenants/${tenant.id}/api-particulier/calls`, { auth: admin.cookie });
    expect(calls.body.items.map((c) => [c['environment'], c['environmentLabel']])).toEqual([['staging', 'Recette API Particulier']]);
    // The token of the live environment expired: calls are refused, saying which one.
    await ds.query(`UPDATE api_particulier_credential SET received_on = current_date - 600, expires_on = current_date - 1 WHERE tenant_id = $1 AND environment = 'staging'`, [tenant.id]);
    const expired = await upload();
    expect(expired.status).toBe(409);
    expect(expired.body).toMatchObject({ detail: expect.stringMatching(/« Recette API Particulier »\) a expiré/) });
    expect((await view(tenant)).apiParticulier).toMatchObject({ usable: false, problem: expect.stringMatching(/n’est pas utilisable : Jeton expiré/) });
  });

  it('the database accepts exactly the domain’s environments and products', async () => {
    const definitions = (await ds.query(
      `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE conname IN ('franceconnect_credential_environment_check', 'api_particulier_credential_environment_check', 'tenant_live_environment_environment_check',
                          'tenant_live_environment_product_check', 'franceconnect_login_activity_environment_check', 'api_particulier_batch_environment_check',
                          'api_particulier_call_environment_check', 'citizen_session_fc_environment_check')`,
    )) as { conname: string; def: string }[];
    const valuesOf = (name: string, slice?: (def: string) => string): string[] => {
      const def = definitions.find((d) => d.conname === name)?.def;
      if (!def) throw new Error(`constraint ${name} not found`);
      return [...(slice ? slice(def) : def).matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1] as string).filter((v) => v !== 'franceconnect' && v !== 'api_particulier');
    };
    const sorted = (values: readonly string[]) => [...new Set(values)].sort();
    for (const name of ['franceconnect_credential_environment_check', 'franceconnect_login_activity_environment_check', 'citizen_session_fc_environment_check']) {
      expect(sorted(valuesOf(name))).toEqual(sorted(FRANCECONNECT_ENVIRONMENTS));
    }
    for (const name of ['api_particulier_credential_environment_check', 'api_particulier_batch_environment_check', 'api_particulier_call_environment_check']) {
      expect(sorted(valuesOf(name))).toEqual(sorted(API_PARTICULIER_ENVIRONMENTS));
    }
    const live = definitions.find((d) => d.conname === 'tenant_live_environment_environment_check')?.def ?? '';
    const [fcPart, apipPart] = live.split(/\)\s*OR\s*\(/);
    expect(sorted(valuesOf('tenant_live_environment_environment_check', () => fcPart ?? ''))).toEqual(sorted(FRANCECONNECT_ENVIRONMENTS));
    expect(sorted(valuesOf('tenant_live_environment_environment_check', () => apipPart ?? ''))).toEqual(sorted(API_PARTICULIER_ENVIRONMENTS));
    const products = definitions.find((d) => d.conname === 'tenant_live_environment_product_check')?.def ?? '';
    expect(sorted([...products.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1] as string))).toEqual(sorted(LIVE_ENVIRONMENT_PRODUCTS));
  });
});
