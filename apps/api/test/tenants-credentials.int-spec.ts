import { AuditLogEntity, type TenantEntity } from '@fcplat/db';
import {
  callApi,
  fakeApiParticulierToken,
  fakeFranceConnectCredential,
  LogCapture,
  makeClientAdmin,
  makeStaff,
  makeTenant,
  recordHabilitationState,
  recordStoredCredential,
} from '@fcplat/testing';
import { useTestApi, withOtherApi } from './api-harness.js';
import { readTenantsAreaFacts } from '../src/onboarding/facts.js';
import { addMonths, TenantCredentialsService, todayInFrance } from '../src/tenants/tenant-credentials.service.js';
import type { ApiParticulierRuntime } from '@fcplat/api-particulier-calls';
import { API_PARTICULIER_RUNTIME } from '../src/infrastructure/tokens.js';

type Body = Record<string, unknown>;
interface SecretState {
  status: string;
  masked: string | null;
  problem?: string;
}
interface FcBody {
  environment: string;
  clientId: string;
  clientSecret: SecretState;
  signingAlgorithm: string;
  issuerUrl: string | null;
  version: number;
}
interface ApipBody {
  environment: string;
  token: SecretState;
  baseUrl: string | null;
  receivedOn: string;
  expiresOn: string;
  expiresInDays: number;
  expiryWarning: boolean;
  expired: boolean;
}
interface CredentialsBody {
  franceconnect: FcBody[];
  apiParticulier: ApipBody[];
}

const TENANT_TABLES = ['tenant', 'tenant_habilitation', 'tenant_habilitation_history', 'datapass_webhook_delivery', 'franceconnect_credential', 'api_particulier_credential'];

/** A FranceConnect client secret (64 hexadecimal characters, FranceConnect's format), random per call. */
function secret(_label: string): string {
  return fakeFranceConnectCredential();
}

/** An API Particulier token (a JWT by its structure), random per call. */
function token(label: string): string {
  return fakeApiParticulierToken(label);
}

/** Client ids by name, each 64 hexadecimal characters (FranceConnect's format). */
const CLIENT_IDS = new Map<string, string>();
function clientId(name: string): string {
  if (!CLIENT_IDS.has(name)) CLIENT_IDS.set(name, fakeFranceConnectCredential());
  return CLIENT_IDS.get(name) as string;
}

describe('credentials vault (real HTTP, PostgreSQL)', () => {
  const logs = new LogCapture();
  const platform = useTestApi({ heartbeat: false, logDestination: logs }, { PUBLIC_URL: 'https://services.editeur.test', COMPANY_DIRECTORY_URL: 'http://127.0.0.1:9' });
  let agent: string;
  let readOnly: string;

  beforeAll(async () => {
    agent = (await makeStaff(platform.dataSource, 'onboarding_agent')).authorization;
    readOnly = (await makeStaff(platform.dataSource, 'read_only')).authorization;
  });

  const putFc = (tenantId: string, environment: string, body: unknown, auth = agent) =>
    callApi<FcBody & Body>(platform.api.url, 'PUT', `/api/tenants/${tenantId}/credentials/franceconnect/${environment}`, { auth, body });
  const putApip = (tenantId: string, environment: string, body: unknown, auth = agent) =>
    callApi<ApipBody & Body>(platform.api.url, 'PUT', `/api/tenants/${tenantId}/credentials/api-particulier/${environment}`, { auth, body });
  const getAll = (tenantId: string, auth = readOnly) => callApi<CredentialsBody & Body>(platform.api.url, 'GET', `/api/tenants/${tenantId}/credentials`, { auth });

  describe('write-only secrets, masked reads, audit without values', () => {
    let tenant: TenantEntity;
    const fcSecret = secret('fc-sandbox');
    const fcProdSecret = secret('fc-prod');
    const apipToken = token('apip');

    beforeAll(async () => {
      tenant = await makeTenant(platform.dataSource);
    });

    it('requires the secret the first time, then stores it encrypted and answers it masked only', async () => {
      const missing = await putFc(tenant.id, 'sandbox', { clientId: clientId('fs-client-id-1') });
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({ violations: [{ path: 'clientSecret' }] });

      const stored = await putFc(tenant.id, 'sandbox', { clientId: clientId('fs-client-id-1'), clientSecret: fcSecret, signingAlgorithm: 'RS256' });
      expect(stored.status).toBe(200);
      expect(stored.headers.get('cache-control')).toBe('no-store');
      expect(stored.body).toMatchObject({
        environment: 'sandbox',
        clientId: clientId('fs-client-id-1'),
        clientSecret: { status: 'ok', masked: `••••••••${fcSecret.slice(-4)}` },
        signingAlgorithm: 'RS256',
        issuerUrl: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2',
        version: 1,
      });
      const text = JSON.stringify(stored.body);
      expect(text).not.toContain(fcSecret);
      expect(text).not.toContain('v1.');

      const row: { client_secret_ciphertext: string }[] = await platform.dataSource.query(`SELECT client_secret_ciphertext FROM franceconnect_credential WHERE tenant_id = $1`, [tenant.id]);
      expect(row[0]?.client_secret_ciphertext).toMatch(/^v1\.test1\./);
    });

    it('keeps the stored secret when only other fields change, and audits markers, never values', async () => {
      const updated = await putFc(tenant.id, 'sandbox', { clientId: clientId('fs-client-id-2'), signingAlgorithm: 'ES256', version: 1 });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ clientId: clientId('fs-client-id-2'), signingAlgorithm: 'ES256', clientSecret: { masked: `••••••••${fcSecret.slice(-4)}` }, version: 2 });
      const stale = await putFc(tenant.id, 'sandbox', { clientId: clientId('x'), version: 1 });
      expect(stale.status).toBe(409);
      const audits = await platform.dataSource.getRepository(AuditLogEntity).find({ where: { tenantId: tenant.id }, order: { id: 'ASC' } });
      expect(audits.map((a) => a.action)).toEqual(['credentials.franceconnect.created', 'credentials.franceconnect.updated']);
      expect(audits[0]?.changes).toMatchObject({ environment: 'sandbox', clientId: { before: null, after: clientId('fs-client-id-1') }, clientSecretReplaced: true });
      expect(audits[1]?.changes).toEqual({ environment: 'sandbox', clientId: { before: clientId('fs-client-id-1'), after: clientId('fs-client-id-2') }, signingAlgorithm: { before: 'RS256', after: 'ES256' } });
    });

    it('stores an API Particulier token with an 18-month expiry by default and warns 60 days before', async () => {
      const today = todayInFrance();
      const fresh = await putApip(tenant.id, 'production', { token: apipToken });
      expect(fresh.status).toBe(200);
      expect(fresh.body).toMatchObject({
        token: { status: 'ok', masked: `••••••••${apipToken.slice(-4)}` },
        baseUrl: 'https://particulier.api.gouv.fr',
        receivedOn: today,
        expiresOn: addMonths(today, 18),
        expiryWarning: false,
        expired: false,
      });
      expect(JSON.stringify(fresh.body)).not.toContain(apipToken);

      const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const received = addMonths(soon, -18);
      const warned = await putApip(tenant.id, 'staging', { token: token('staging'), receivedOn: received });
      expect(warned.body).toMatchObject({ receivedOn: received, expiresOn: soon, expiryWarning: true, expired: false, baseUrl: 'https://staging.particulier.api.gouv.fr' });
      expect(warned.body.expiresInDays).toBeGreaterThanOrEqual(29);
      expect(warned.body.expiresInDays).toBeLessThanOrEqual(31);
      const expired = await putApip(tenant.id, 'sandbox', { token: token('sandbox'), receivedOn: '2023-01-10', expiresOn: '2024-07-10' });
      expect(expired.body).toMatchObject({ expired: true, expiryWarning: true, baseUrl: null });
      const inverted = await putApip(tenant.id, 'sandbox', { receivedOn: '2025-01-10', expiresOn: '2024-07-10' });
      expect(inverted.status).toBe(400);
      expect(inverted.body).toMatchObject({ violations: [{ path: 'expiresOn' }] });
      expect(addMonths('2024-08-31', 18)).toBe('2026-02-28');
      expect(addMonths('2022-08-31', 18)).toBe('2024-02-29');
    });

    it('refuses unknown environments, unknown fields, padded secrets and bad algorithms (400), writing nothing', async () => {
      const cases: [() => Promise<{ status: number; body: unknown }>, string][] = [
        [() => putFc(tenant.id, 'staging', { clientId: clientId('a'), clientSecret: secret('b') }), 'environment'],
        // FranceConnect's formats (64 lowercase hexadecimal characters) and API Particulier's (a JWT).
        [() => putFc(tenant.id, 'production', { clientId: 'abc', clientSecret: secret('b') }), 'clientId'],
        [() => putFc(tenant.id, 'production', { clientId: clientId('a'), clientSecret: 'short' }), 'clientSecret'],
        [() => putFc(tenant.id, 'production', { clientId: clientId('a').toUpperCase(), clientSecret: secret('b') }), 'clientId'],
        [() => putApip(tenant.id, 'production', { token: 'not-a-jwt' }), 'token'],
        [() => putApip(tenant.id, 'production', { token: `${token('b').split('.').slice(0, 2).join('.')}.` }), 'token'],
        [() => putApip(tenant.id, 'production', { token: fakeApiParticulierToken('expired', new Date(Date.now() - 86_400_000)) }), 'token'],
        [() => putApip(tenant.id, 'production', { token: fakeApiParticulierToken('dated', new Date(Date.UTC(2027, 11, 31, 12))), expiresOn: '2027-06-30' }), 'expiresOn'],
        [() => putFc(tenant.id, 'production', { clientId: clientId('a'), clientSecret: secret('b'), signingAlgorithm: 'HS256' }), 'signingAlgorithm'],
        [() => putFc(tenant.id, 'production', { clientId: clientId('a'), clientSecret: ' b ' }), 'clientSecret'],
        [() => putFc(tenant.id, 'production', { clientId: clientId('a'), clientSecret: secret('b'), clientSecretConfirm: 'b' }), ''],
        // A stand-in issuer for production is accepted on this test platform, but only https or the loopback.
        [() => putFc(tenant.id, 'production', { clientId: clientId('a'), clientSecret: secret('b'), issuerUrl: 'http://fc.example.test/api/v2' }), 'issuerUrl'],
        [() => putApip(tenant.id, 'prod', { token: token('b') }), 'environment'],
        [() => putApip(tenant.id, 'custom', { token: token('b') }), 'baseUrl'],
        [() => putApip(tenant.id, 'custom', { token: token('b'), baseUrl: 'http://api.example.test' }), 'baseUrl'],
        [() => putApip(tenant.id, 'production', { token: token('b'), expiresOn: '2026-02-30' }), 'expiresOn'],
      ];
      const before = await platform.dataSource.getRepository(AuditLogEntity).countBy({ tenantId: tenant.id });
      for (const [call, path] of cases) {
        const response = await call();
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', violations: expect.arrayContaining([expect.objectContaining({ path })]) });
      }
      expect(await platform.dataSource.getRepository(AuditLogEntity).countBy({ tenantId: tenant.id })).toBe(before);
      const rows: { n: number }[] = await platform.dataSource.query(`SELECT count(*)::int AS n FROM franceconnect_credential WHERE tenant_id = $1 AND environment = 'production'`, [tenant.id]);
      expect(rows[0]?.n).toBe(0);
      // The French message names the field and says what is expected.
      const named = await putFc(tenant.id, 'production', { clientId: 'abc', clientSecret: 'short' });
      expect(named.body).toMatchObject({
        violations: expect.arrayContaining([
          { path: 'clientId', message: expect.stringMatching(/client_id FranceConnect invalide : 64 caractères hexadécimaux/) },
          { path: 'clientSecret', message: expect.stringMatching(/client_secret FranceConnect invalide/) },
        ]),
      });
    });

    it('reads an API Particulier token’s expiry from the token itself', async () => {
      const exp = new Date(Date.UTC(2028, 2, 15, 11));
      const stored = await putApip(tenant.id, 'staging', { token: fakeApiParticulierToken('with-exp', exp) });
      expect(stored.status).toBe(200);
      expect(stored.body).toMatchObject({ expiresOn: '2028-03-15' });
      // The same date given explicitly is accepted.
      const same = await putApip(tenant.id, 'staging', { token: fakeApiParticulierToken('with-exp-again', exp), expiresOn: '2028-03-15' });
      expect(same.status).toBe(200);
    });

    it('accepts custom endpoints (flag on): https or loopback http only', async () => {
      const custom = await putFc(tenant.id, 'custom', { clientId: clientId('local'), clientSecret: secret('custom'), issuerUrl: 'http://127.0.0.1:4010/api/v2/' });
      expect(custom.status).toBe(200);
      expect(custom.body).toMatchObject({ environment: 'custom', issuerUrl: 'http://127.0.0.1:4010/api/v2' });
      const remote = await putFc(tenant.id, 'custom', { clientId: clientId('local'), issuerUrl: 'http://fc.example.test/api/v2' });
      expect(remote.status).toBe(400);
      const userinfo = await putFc(tenant.id, 'custom', { clientId: clientId('local'), issuerUrl: 'https://user:pass@fc.example.test/api/v2' });
      expect(userinfo.status).toBe(400);
    });

    it('lets the platform code read the decrypted client through the vault', async () => {
      await putFc(tenant.id, 'production', { clientId: clientId('prod-client'), clientSecret: fcProdSecret });
      const vault = platform.api.app.get(TenantCredentialsService);
      await expect(vault.franceConnectClient(tenant.id, 'production')).resolves.toEqual({
        clientId: clientId('prod-client'),
        clientSecret: fcProdSecret,
        signingAlgorithm: 'ES256',
        issuerUrl: 'https://oidc.franceconnect.gouv.fr/api/v2',
        standIn: false,
      });
      // The API Particulier token as the calls read it (libs/api-particulier-calls), from what the API stored.
      const runtime = platform.api.app.get<ApiParticulierRuntime>(API_PARTICULIER_RUNTIME);
      await expect(runtime.endpoints.endpoint(tenant.id, 'production')).resolves.toEqual({ environment: 'production', token: apipToken, baseUrl: 'https://particulier.api.gouv.fr' });
      await expect(vault.franceConnectClient(tenant.id, 'custom')).resolves.toMatchObject({ issuerUrl: 'http://127.0.0.1:4010/api/v2' });
    });

    it('leaves no plaintext secret in any column of the tenants tables, in the audit log or in the logs', async () => {
      const listed = await getAll(tenant.id);
      expect(listed.status).toBe(200);
      expect(listed.headers.get('cache-control')).toBe('no-store');
      expect(listed.body.franceconnect.map((c) => c.environment)).toEqual(['custom', 'production', 'sandbox']);
      expect(listed.body.apiParticulier.map((c) => c.environment)).toEqual(['production', 'sandbox', 'staging']);
      for (const entry of [...listed.body.franceconnect.map((c) => c.clientSecret), ...listed.body.apiParticulier.map((c) => c.token)]) {
        expect(entry).toMatchObject({ status: 'ok', masked: expect.stringMatching(/^••••••••/) });
      }
      const dump: string[] = [];
      for (const table of TENANT_TABLES) {
        const rows: { row: string }[] = await platform.dataSource.query(`SELECT row_to_json(t)::text AS row FROM ${table} t`);
        dump.push(...rows.map((r) => r.row));
      }
      const audit: { row: string }[] = await platform.dataSource.query(`SELECT row_to_json(a)::text AS row FROM audit_log a`);
      dump.push(...audit.map((r) => r.row));
      const text = dump.join('\n');
      expect(text).toContain(tenant.id);
      for (const plaintext of [fcSecret, fcProdSecret, apipToken, apipToken.split('.')[1] as string]) {
        expect(text).not.toContain(plaintext);
        expect(logs.text).not.toContain(plaintext);
        expect(JSON.stringify(listed.body)).not.toContain(plaintext);
      }
      const ciphertexts: { c: string }[] = await platform.dataSource.query(
        `SELECT client_secret_ciphertext AS c FROM franceconnect_credential WHERE tenant_id = $1 UNION ALL SELECT token_ciphertext FROM api_particulier_credential WHERE tenant_id = $1`,
        [tenant.id],
      );
      expect(ciphertexts).toHaveLength(6);
      for (const { c } of ciphertexts) expect(JSON.stringify(listed.body)).not.toContain(c);
    });

    it('tells other areas which credentials exist through the tenant_credential view, without any secret', async () => {
      const rows: Record<string, unknown>[] = await platform.dataSource.query(`SELECT * FROM tenant_credential WHERE tenant_id = $1 ORDER BY kind, environment`, [tenant.id]);
      expect(rows.map((r) => `${String(r.kind)}:${String(r.environment)}`)).toEqual([
        'api_particulier:production',
        'api_particulier:sandbox',
        'api_particulier:staging',
        'franceconnect:custom',
        'franceconnect:production',
        'franceconnect:sandbox',
      ]);
      expect(Object.keys(rows[0] ?? {}).sort()).toEqual(['environment', 'kind', 'tenant_id', 'updated_at']);
    });

    it('computes the URIs to declare at FranceConnect from the public URL and the slug', async () => {
      const response = await callApi(platform.api.url, 'GET', `/api/tenants/${tenant.id}/franceconnect/uris`, { auth: readOnly });
      expect(response.body).toEqual({
        redirectUri: `https://services.editeur.test/t/${tenant.slug}/auth/franceconnect/callback`,
        postLogoutRedirectUri: `https://services.editeur.test/t/${tenant.slug}/auth/franceconnect/logout/callback`,
      });
    });

    it('deletes an entry (staff write), audited; 404 when absent', async () => {
      const deleted = await callApi(platform.api.url, 'DELETE', `/api/tenants/${tenant.id}/credentials/api-particulier/sandbox`, { auth: agent });
      expect(deleted.status).toBe(204);
      expect((await callApi(platform.api.url, 'DELETE', `/api/tenants/${tenant.id}/credentials/api-particulier/sandbox`, { auth: agent })).status).toBe(404);
      expect((await callApi(platform.api.url, 'DELETE', `/api/tenants/${tenant.id}/credentials/franceconnect/custom`, { auth: readOnly })).status).toBe(403);
      expect(await platform.dataSource.getRepository(AuditLogEntity).countBy({ tenantId: tenant.id, action: 'credentials.api_particulier.deleted' })).toBe(1);
      expect((await getAll(tenant.id)).body.apiParticulier.map((c) => c.environment)).toEqual(['production', 'staging']);
    });
  });

  it('does not decrypt a ciphertext copied to another tenant or another field: the entry reports it, the secret never leaks', async () => {
    const a = await makeTenant(platform.dataSource);
    const b = await makeTenant(platform.dataSource);
    const secretA = secret('tenant-a');
    await putFc(a.id, 'sandbox', { clientId: clientId('a'), clientSecret: secretA });
    await putFc(b.id, 'sandbox', { clientId: clientId('b'), clientSecret: secret('tenant-b') });
    await putFc(a.id, 'production', { clientId: clientId('a-prod'), clientSecret: secret('tenant-a-prod') });
    await platform.dataSource.query(
      `UPDATE franceconnect_credential SET client_secret_ciphertext = (SELECT client_secret_ciphertext FROM franceconnect_credential WHERE tenant_id = $1 AND environment = 'sandbox')
        WHERE (tenant_id = $2 AND environment = 'sandbox') OR (tenant_id = $1 AND environment = 'production')`,
      [a.id, b.id],
    );
    const listedB = await getAll(b.id);
    expect(listedB.status).toBe(200);
    expect(listedB.body.franceconnect[0]).toMatchObject({ clientId: clientId('b'), clientSecret: { status: 'undecryptable', masked: null, problem: expect.stringContaining('ne peut pas être déchiffré') } });
    const listedA = await getAll(a.id);
    expect(listedA.body.franceconnect.find((c) => c.environment === 'production')).toMatchObject({ clientSecret: { status: 'undecryptable' } });
    expect(listedA.body.franceconnect.find((c) => c.environment === 'sandbox')).toMatchObject({ clientSecret: { status: 'ok' } });
    expect(JSON.stringify(listedB.body)).not.toContain(secretA);
    await expect(platform.api.app.get(TenantCredentialsService).franceConnectClient(b.id, 'sandbox')).rejects.toMatchObject({ code: 'SECRET_DECRYPTION_FAILED' });
    expect(logs.text).not.toContain(secretA);
  });

  it('lets a client administrator write production credentials of their tenant only', async () => {
    const own = await makeTenant(platform.dataSource);
    const other = await makeTenant(platform.dataSource);
    const { cookie } = await makeClientAdmin(platform.dataSource, own.id);
    const prod = await putFc(own.id, 'production', { clientId: clientId('prod-id'), clientSecret: secret('sms') }, cookie);
    expect(prod.status).toBe(200);
    const audit = await platform.dataSource.getRepository(AuditLogEntity).findOneByOrFail({ tenantId: own.id, action: 'credentials.franceconnect.created' });
    expect(audit.actorType).toBe('client_admin');
    expect((await putApip(own.id, 'production', { token: token('apip') }, cookie)).status).toBe(200);
    const sandbox = await putFc(own.id, 'sandbox', { clientId: clientId('x'), clientSecret: secret('y') }, cookie);
    expect(sandbox.status).toBe(403);
    expect(String((sandbox.body as Body).detail)).toContain('production');
    expect((await putApip(own.id, 'staging', { token: token('y') }, cookie)).status).toBe(403);
    expect((await callApi(platform.api.url, 'DELETE', `/api/tenants/${own.id}/credentials/franceconnect/production`, { auth: cookie })).status).toBe(403);
    expect((await getAll(own.id, cookie)).status).toBe(200);
    for (const response of [
      await getAll(other.id, cookie),
      await putFc(other.id, 'production', { clientId: clientId('x'), clientSecret: secret('y') }, cookie),
      await putApip(other.id, 'production', { token: token('y') }, cookie),
      await callApi(platform.api.url, 'GET', `/api/tenants/${other.id}/franceconnect/uris`, { auth: cookie }),
    ]) {
      expect(response.status).toBe(404);
    }
    expect((await putFc(own.id, 'production', { clientId: clientId('x'), clientSecret: secret('y') }, readOnly)).status).toBe(403);
    const rows: { n: number }[] = await platform.dataSource.query(`SELECT count(*)::int AS n FROM franceconnect_credential WHERE tenant_id = $1`, [other.id]);
    expect(rows[0]?.n).toBe(0);
  });

  it('feeds the onboarding facts (habilitation states, which credentials exist) from the real tables', async () => {
    const tenant = await makeTenant(platform.dataSource);
    await recordHabilitationState(platform.dataSource, tenant.id, 'api_particulier', 'submitted', new Date('2026-01-01T00:00:00Z'));
    await recordHabilitationState(platform.dataSource, tenant.id, 'api_particulier', 'validated');
    const secretValue = await recordStoredCredential(platform.dataSource, tenant.id, 'franceconnect', 'production');
    await recordStoredCredential(platform.dataSource, tenant.id, 'api_particulier', 'production');
    await recordStoredCredential(platform.dataSource, tenant.id, 'api_particulier', 'staging');
    await expect(readTenantsAreaFacts(platform.dataSource.manager, tenant.id)).resolves.toEqual({
      habilitations: { api_particulier: 'validated' },
      credentials: { franceconnect: { production: true }, apiParticulier: { production: true } },
    });
    await expect(platform.api.app.get(TenantCredentialsService).franceConnectClient(tenant.id, 'production')).resolves.toMatchObject({ clientSecret: secretValue });
    // FranceConnect's integration platform gives integration credentials, like its sandbox.
    await recordStoredCredential(platform.dataSource, tenant.id, 'franceconnect', 'integration');
    await expect(readTenantsAreaFacts(platform.dataSource.manager, tenant.id)).resolves.toMatchObject({ credentials: { franceconnect: { production: true, sandbox: true } } });
  });

  it('refuses the custom environment when ALLOW_CUSTOM_ENDPOINTS is off (400, clear message)', async () => {
    await withOtherApi({ ALLOW_CUSTOM_ENDPOINTS: 'false' }, { heartbeat: false, logDestination: new LogCapture() }, async (strict) => {
      const tenant = await makeTenant(platform.dataSource);
      const fc = await callApi(strict.url, 'PUT', `/api/tenants/${tenant.id}/credentials/franceconnect/custom`, {
        auth: agent,
        body: { clientId: clientId('x'), clientSecret: secret('y'), issuerUrl: 'https://fc.example.test' },
      });
      expect(fc.status).toBe(400);
      expect(fc.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: expect.stringContaining('« custom » n’est disponible que sur une plateforme de test') });
      const apip = await callApi(strict.url, 'PUT', `/api/tenants/${tenant.id}/credentials/api-particulier/custom`, { auth: agent, body: { token: token('y'), baseUrl: 'https://api.example.test' } });
      expect(apip.status).toBe(400);
      // No stand-in for FranceConnect's own environments either: their issuers are fixed here.
      const standIn = await callApi(strict.url, 'PUT', `/api/tenants/${tenant.id}/credentials/franceconnect/production`, {
        auth: agent,
        body: { clientId: clientId('x'), clientSecret: secret('y'), issuerUrl: 'https://fc.example.test/api/v2' },
      });
      expect(standIn.status).toBe(400);
      expect(standIn.body).toMatchObject({ violations: [{ path: 'issuerUrl' }] });
      const sandbox = await callApi(strict.url, 'PUT', `/api/tenants/${tenant.id}/credentials/franceconnect/sandbox`, { auth: agent, body: { clientId: clientId('x'), clientSecret: secret('ok') } });
      expect(sandbox.status).toBe(200);
    });
  });
});
