/**
 * `POST /api/tenants/:id/franceconnect/sandbox-client` over real HTTP: the API registers the
 * tenant's client at a running sandbox FranceConnect (admin API), stores it in the vault as
 * `custom` (encrypted, audited), and the tenant's portal sends citizens to that sandbox with it.
 */
import type { DataSource } from 'typeorm';
import { AuditLogEntity, type TenantEntity } from '@fcplat/db';
import { startSandbox, type RunningSandbox } from '../../sandbox/src/sandbox.js';
import { callApi, LogCapture, makeStaff, makeTenant, migratedTestDataSource } from '@fcplat/testing';
import type { ApiApp } from '../src/app.js';
import { useApiProcess } from './api-harness.js';

type Body = Record<string, unknown>;

describe('sandbox FranceConnect client in one action (real HTTP, PostgreSQL, sandbox)', () => {
  const logs = new LogCapture();
  let sandbox: RunningSandbox;
  let sandboxUrl: string;
  let ds: DataSource;
  let api: ApiApp;
  let withoutSandbox: ApiApp;
  let agent: string;
  let readOnly: string;
  let tenant: TenantEntity;

  beforeAll(async () => {
    ds = await migratedTestDataSource();
    sandbox = await startSandbox();
    sandboxUrl = sandbox.url('franceconnect');
    agent = (await makeStaff(ds, 'onboarding_agent')).authorization;
    readOnly = (await makeStaff(ds, 'read_only')).authorization;
    tenant = await makeTenant(ds, { name: 'Commune de Test Bac à sable' });
  });

  // An API that knows the sandbox FranceConnect, and one that does not.
  useApiProcess(() => ({ SANDBOX_FRANCECONNECT_URL: sandboxUrl, COMPANY_DIRECTORY_URL: 'http://127.0.0.1:9' }), (started) => ({ api } = started), { heartbeat: false, logDestination: logs });
  useApiProcess({ COMPANY_DIRECTORY_URL: 'http://127.0.0.1:9' }, (started) => ({ api: withoutSandbox } = started), { heartbeat: false, logDestination: logs });

  afterAll(async () => {
    await sandbox.stop().catch(() => undefined);
    await ds.destroy();
  });

  const register = (base: string, tenantId: string, auth = agent) => callApi<Body>(base, 'POST', `/api/tenants/${tenantId}/franceconnect/sandbox-client`, { auth });

  async function loginRedirect(): Promise<URL> {
    const response = await fetch(`${api.url}/t/${tenant.slug}/auth/franceconnect/login?purpose=login`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location') ?? '', api.url);
  }

  it('registers a client at the sandbox, stores it as `custom`, and the portal logs in with it', async () => {
    const before = await fetch(`${api.url}/t/${tenant.slug}/auth/franceconnect/login?purpose=login`, { redirect: 'manual' });
    expect(new URL(before.headers.get('location') ?? '', api.url).origin).not.toBe(new URL(sandboxUrl).origin);

    const registered = await register(api.url, tenant.id);
    expect(registered.status).toBe(200);
    expect(registered.headers.get('cache-control')).toBe('no-store');
    expect(registered.body).toMatchObject({ environment: 'custom', issuerUrl: `${sandboxUrl}/api/v2`, signingAlgorithm: 'ES256', clientSecret: { status: 'ok' }, version: 1 });
    const clientId = registered.body.clientId as string;
    expect(clientId).toMatch(/^[0-9a-f]{64}$/);

    // The sandbox knows it, with the tenant's URIs and name.
    const atSandbox = await fetch(`${sandboxUrl}/admin/clients/${clientId}`);
    expect(atSandbox.status).toBe(200);
    const uris = (await callApi<{ redirectUri: string; postLogoutRedirectUri: string }>(api.url, 'GET', `/api/tenants/${tenant.id}/franceconnect/uris`, { auth: readOnly })).body;
    expect(uris.redirectUri).toBe(`${api.url.replace('127.0.0.1', 'localhost')}/t/${tenant.slug}/auth/franceconnect/callback`);
    expect(await atSandbox.json()).toMatchObject({ client_name: tenant.name, redirect_uris: [uris.redirectUri], post_logout_redirect_uris: [uris.postLogoutRedirectUri] });

    // Audited through the vault, without the secret.
    const audits = await ds.getRepository(AuditLogEntity).find({ where: { tenantId: tenant.id, action: 'credentials.franceconnect.created' } });
    expect(audits).toHaveLength(1);
    expect(audits[0]?.changes).toMatchObject({ environment: 'custom', clientId: { after: clientId }, clientSecretReplaced: true });

    // Registered and stored, not in service: staff choose the live environment.
    const portal = await fetch(`${api.url}/api/portal/${tenant.slug}`);
    expect(portal.status).toBe(200);
    expect(((await portal.json()) as { environment: unknown }).environment).toEqual({ franceConnect: null, test: true, franceConnectAvailable: false });
    expect(new URL((await loginRedirect()).href).origin).not.toBe(new URL(sandboxUrl).origin);
    expect((await callApi(api.url, 'PUT', `/api/tenants/${tenant.id}/environments/franceconnect`, { auth: agent, body: { environment: 'custom' } })).status).toBe(200);

    const authorize = await loginRedirect();
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${sandboxUrl}/api/v2/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(clientId);
    // The sandbox accepts the request (known client, registered redirect URI): on to its identity picker.
    const atProvider = await fetch(authorize, { redirect: 'manual' });
    expect(atProvider.status).toBe(303);
    expect(new URL(atProvider.headers.get('location') ?? '', sandboxUrl).pathname).toMatch(/^\/api\/v2\/interaction\//);
    expect(logs.text).not.toMatch(/client_?secret"?:\s*"[0-9a-f]{64}/i);
  });

  it('registers a fresh client on a second call and replaces the stored one', async () => {
    const first = (await callApi<{ franceconnect: { environment: string; clientId: string }[] }>(api.url, 'GET', `/api/tenants/${tenant.id}/credentials`, { auth: readOnly })).body;
    const previous = first.franceconnect.find((c) => c.environment === 'custom')?.clientId;
    const again = await register(api.url, tenant.id);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ environment: 'custom', version: 2 });
    expect(again.body.clientId).not.toBe(previous);
    const rows: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM franceconnect_credential WHERE tenant_id = $1`, [tenant.id]);
    expect(rows[0]?.n).toBe(1);
    expect((await loginRedirect()).searchParams.get('client_id')).toBe(again.body.clientId);
  });

  it('is for staff who write, and hides unknown tenants', async () => {
    expect((await register(api.url, tenant.id, readOnly)).status).toBe(403);
    expect((await register(api.url, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('answers 400 when the platform has no sandbox FranceConnect', async () => {
    const refused = await register(withoutSandbox.url, tenant.id);
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/bac à sable FranceConnect n’est pas disponible/);
  });

  it('answers 503 when the sandbox is down, and keeps the stored client', async () => {
    const stored: { client_id: string; version: number }[] = await ds.query(`SELECT client_id, version FROM franceconnect_credential WHERE tenant_id = $1`, [tenant.id]);
    await sandbox.stop();
    const down = await register(api.url, tenant.id);
    expect(down.status).toBe(503);
    expect(down.body.detail).toMatch(/bac à sable FranceConnect ne répond pas/);
    const after: { client_id: string; version: number }[] = await ds.query(`SELECT client_id, version FROM franceconnect_credential WHERE tenant_id = $1`, [tenant.id]);
    expect(after).toEqual(stored);
  });
});
