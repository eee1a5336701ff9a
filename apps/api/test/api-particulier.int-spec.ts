/**
 * API Particulier over the API: batches uploaded by a client administrator (CSV with bad lines),
 * their progress and results, the call logs (own tenant for client administrators, every tenant
 * for staff, never citizens' data), and the staff queue dashboard.
 */
import { randomBytes } from 'node:crypto';
import type { TenantEntity } from '@fcplat/db';
import { callApi, LogCapture, makeClientAdmin, makeHabilitation, makeStaff, makeTenant, eventually, type TestClientAdmin, type TestStaff, withBrowserWriteHeaders } from '@fcplat/testing';
import { startApi, type ApiApp } from '../src/app.js';
import { LEFEBVRE as LEFEBVRE_INPUT, startApipWorld, type ApipWorld } from '../../../libs/api-particulier-calls/test/world.js';
import { LEARNT_CEILING_KEY } from '@fcplat/api-particulier-calls';


const HEADER = 'reference;nom_naissance;nom_usage;prenoms;sexe;date_naissance;code_pays_naissance;code_commune_naissance;nom_commune_naissance;code_departement_naissance';

interface Page<T> {
  items: T[];
  total: number;
}
type Json = Record<string, unknown>;

describe('API Particulier through the API', () => {
  let world: ApipWorld;
  let api: ApiApp;
  let tenant: TenantEntity;
  let other: TenantEntity;
  let admin: TestClientAdmin;
  let otherAdmin: TestClientAdmin;
  let staff: TestStaff;
  const logs = new LogCapture();

  beforeAll(async () => {
    world = await startApipWorld({ env: { API_PARTICULIER_WORKER_CONCURRENCY: '4' } });
    await world.startWorker();
    api = await startApi(world.config, world.apiInfrastructure, { heartbeat: false, logDestination: logs });
    tenant = await world.tenant();
    other = await world.tenant();
    admin = await makeClientAdmin(world.db.dataSource, tenant.id);
    otherAdmin = await makeClientAdmin(world.db.dataSource, other.id);
    staff = await makeStaff(world.db.dataSource, 'read_only');
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await world?.close();
  });

  const upload = (who: string, tenantId: string, csv: Buffer | string, query = 'api=quotient_familial&modality=pivot_identity&fileName=dossiers.csv') =>
    fetch(`${api.url}/api/tenants/${tenantId}/api-particulier/batches?${query}`, {
      method: 'POST',
      headers: withBrowserWriteHeaders('POST', `/api/tenants/${tenantId}/api-particulier/batches`, { 'content-type': 'text/csv', ...(who.startsWith('Bearer ') ? { authorization: who } : { cookie: who }) }),
      body: typeof csv === 'string' ? csv : new Uint8Array(csv),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));

  it('a batch with bad lines (missing birth date, bad sex, 2 MB of garbage): per-line report, the good lines processed, results for the client administrator', async () => {
    const garbage = randomBytes(2 * 1024 * 1024).toString('base64').replace(/[+/]/g, ';');
    const csv = [
      HEADER,
      'D-1;LEFEBVRE;;ALEXIS;F;27/12/1982;99100;08480;;',
      'D-2;MARTIN;;Pierre;X;01/01/1980;99100;75107;;',
      'D-3;PERSONNE;;Inconnue;F;01/01/1970;99100;75107;;',
      garbage.match(/.{1,180}/g)?.join('\n') ?? '',
      'D-4;LEFEBVRE;;ALEXIS;F;27/12/1982;99100;08480;;',
    ].join('\n');
    const statusOnly = await upload(admin.cookie, tenant.id, [HEADER, 'E-1;MARTIN;;Jean;;01/01/1980;99100;75107;;'].join('\n'), 'api=statut_etudiant&modality=pivot_identity');
    expect({ status: statusOnly.status, logs: statusOnly.status === 500 ? logs.text.slice(-3000) : '' }).toEqual({ status: 201, logs: '' });
    expect(statusOnly.body['rejections']).toEqual([{ line: 2, reference: 'E-1', reasons: ['Le sexe (M ou F) est obligatoire.'] }]);

    const missingDate = await upload(admin.cookie, tenant.id, [HEADER, 'S-1;MARTIN;;Jean;M;;99100;75107;;'].join('\n'), 'api=statut_etudiant&modality=pivot_identity');
    expect((missingDate.body['rejections'] as Json[])[0]?.['reasons']).toEqual([expect.stringMatching(/date de naissance complète/)]);

    const created = await upload(admin.cookie, tenant.id, csv);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ acceptedLines: 3, fileName: 'dossiers.csv', api: 'quotient_familial' });
    expect(created.body['rejectedLines']).toBeGreaterThan(1000);
    const rejections = created.body['rejections'] as { line: number; reasons: string[] }[];
    expect(rejections[0]).toEqual({ line: 3, reference: 'D-2', reasons: ['Sexe « X » invalide : indiquez M ou F.'] });
    const batchId = created.body['id'] as string;

    const done = await eventually(async () => {
      const view = await callApi<Json>(api.url, 'GET', `/api/tenants/${tenant.id}/api-particulier/batches/${batchId}`, { auth: admin.cookie });
      return (view.body['progress'] as Json)['done'] ? view.body : null;
    }, 20_000);
    expect(done['progress']).toEqual({ queued: 0, inProgress: 0, succeeded: 2, failed: 1, done: true });

    const results = await fetch(`${api.url}/api/tenants/${tenant.id}/api-particulier/batches/${batchId}/results.csv`, { headers: { cookie: admin.cookie } });
    expect(results.status).toBe(200);
    expect(results.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(results.headers.get('cache-control')).toBe('no-store');
    const lines = (await results.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('ligne;reference;statut;resultat;quotient_familial;fournisseur;mois;code_erreur;erreur;traite_le');
    // In the file's order, accepted and rejected lines together; times as read in France.
    expect(lines[1]).toMatch(/^2;D-1;ok;Quotient familial 2550 \(CNAF, juin 2023\);2550;CNAF;06\/2023;;;\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
    expect(lines[2]).toMatch(/^3;D-2;rejetee;/);
    expect(lines[3]).toMatch(/^4;D-3;erreur;;;;;APIP_NOT_FOUND;Aucun dossier trouvé.*;\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
    const numbers = lines.slice(1).filter((l) => l !== '').map((l) => Number(l.split(';')[0]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(lines.at(-2)).toMatch(/;D-4;ok;/);

    // The editor is never a recipient of citizens' data: staff get the report, not the results.
    expect((await callApi(api.url, 'GET', `/api/tenants/${tenant.id}/api-particulier/batches/${batchId}/results.csv`, { auth: staff.authorization })).status).toBe(403);
    expect((await fetch(`${api.url}/api/tenants/${tenant.id}/api-particulier/batches/${batchId}/rejections.csv`, { headers: { authorization: staff.authorization } })).status).toBe(200);
    // Another tenant's administrator does not even see it exists.
    expect((await callApi(api.url, 'GET', `/api/tenants/${tenant.id}/api-particulier/batches/${batchId}`, { auth: otherAdmin.cookie })).status).toBe(404);
    expect((await callApi(api.url, 'GET', `/api/tenants/${other.id}/api-particulier/batches/${batchId}`, { auth: otherAdmin.cookie })).status).toBe(404);
  }, 60_000);

  it('refuses what it cannot process, and changes nothing', async () => {
    const count = async (): Promise<number> => ((await world.db.dataSource.query(`SELECT count(*)::int AS n FROM api_particulier_batch`)) as [{ n: number }])[0].n;
    const before = await count();
    expect((await upload(admin.cookie, tenant.id, 'foo;bar\n1;2')).status).toBe(400);
    expect((await upload(admin.cookie, tenant.id, `${HEADER}\nD-1;LEFEBVRE;;ALEXIS;F;27/12/1982;99100;08480;;`, 'api=quotient_familial&modality=ine')).status).toBe(403);
    expect((await upload(admin.cookie, tenant.id, Buffer.alloc(6 * 1024 * 1024, 0x41))).status).toBe(413);
    expect((await upload(staff.authorization, tenant.id, `${HEADER}\nD-1;LEFEBVRE;;ALEXIS;F;27/12/1982;99100;08480;;`)).status).toBe(403);
    const json = await callApi(api.url, 'POST', `/api/tenants/${tenant.id}/api-particulier/batches?api=quotient_familial`, { auth: admin.cookie, body: { lines: [] } });
    expect(json.status).toBe(415);
    expect(await count()).toBe(before);
  });

  it('call logs: a client administrator sees their tenant’s, staff see every tenant’s, with who triggered and no data', async () => {
    const own = await callApi<Page<Json>>(api.url, 'GET', `/api/tenants/${tenant.id}/api-particulier/calls?pageSize=50`, { auth: admin.cookie });
    expect(own.status).toBe(200);
    expect(own.body.total).toBeGreaterThanOrEqual(3);
    expect(own.body.items.every((c) => c['tenantId'] === tenant.id && c['recipient'] === tenant.siret)).toBe(true);
    expect(own.body.items[0]).toEqual(
      expect.objectContaining({ origin: 'batch', triggeredByLabel: admin.user.email, apiLabel: 'Quotient familial CAF & MSA', modality: 'pivot_identity' }),
    );
    const failed = await callApi<Page<Json>>(api.url, 'GET', `/api/tenants/${tenant.id}/api-particulier/calls?status=failed`, { auth: admin.cookie });
    expect(failed.body.items.map((c) => [c['errorCode'], c['errorLabel']])).toEqual([['APIP_NOT_FOUND', 'Aucun dossier trouvé pour cette personne.']]);
    expect(JSON.stringify(own.body)).not.toMatch(/LEFEBVRE|ALEXIS|2550/);
    expect((await callApi(api.url, 'GET', `/api/tenants/${tenant.id}/api-particulier/calls`, { auth: otherAdmin.cookie })).status).toBe(404);
    const all = await callApi<Page<Json>>(api.url, 'GET', `/api/api-particulier/calls?tenantId=${tenant.id}`, { auth: staff.authorization });
    expect(all.body.total).toBe(own.body.total);
    expect((await callApi(api.url, 'GET', '/api/api-particulier/calls', { auth: admin.cookie })).status).toBe(403);
    expect((await callApi(api.url, 'GET', `/api/tenants/${tenant.id}/api-particulier/calls?status=nope`, { auth: admin.cookie })).status).toBe(400);
  });

  it('call logs show a kept answer that drifted from the documented shape, and attempts that may be duplicates', async () => {
    await world.admin('POST', '/admin/faults', { kind: 'data', data: { adresse: null }, recipient: other.siret });
    const [id] = await world.db.dataSource.transaction((manager) =>
      world.api.ledger.insert(manager, [
        { tenantId: other.id, recipient: other.siret, environment: 'sandbox', api: 'quotient_familial', input: LEFEBVRE_INPUT, origin: 'staff', triggeredBy: `account:${staff.user.id}`, priority: 1 },
      ]),
    );
    await world.api.ledger.waitForEnd([id as string], 20_000);
    const logs = await callApi<Page<Json>>(api.url, 'GET', `/api/api-particulier/calls?tenantId=${other.id}`, { auth: staff.authorization });
    expect(logs.body.items.find((c) => c['id'] === id)).toMatchObject({ status: 'succeeded', schemaDrift: 'adresse: expected object', ambiguousAttempts: 0 });
  });

  it('the queue dashboard is for staff only, through the contract, in French, with the pauses in force', async () => {
    const json = await callApi<Json>(api.url, 'GET', '/api/admin/queue-dashboard', { auth: staff.authorization });
    expect(json.status).toBe(200);
    expect(json.body['backend']).toEqual({ kind: 'redis', up: true, latencyMs: expect.any(Number) });
    const queues = json.body['queues'] as { queue: string; label: string; counts: { state: string; label: string; count: number }[] }[];
    expect(queues.map((q) => q.label)).toEqual(['Tâches système', 'Appels API Particulier', 'Robot de qualification', 'Notifications (courriels)']);
    const apip = queues.find((q) => q.queue === 'api-particulier');
    expect(apip?.counts.map((c) => c.label)).toEqual(['En attente', 'En attente (prioritaires)', 'Différés', 'En cours', 'Terminés', 'En échec', 'En pause']);
    // The calls of the tests above went through the queue: some are done.
    expect(apip?.counts.find((c) => c.state === 'completed')?.count).toBeGreaterThan(0);
    expect(json.body['calls']).toEqual(expect.arrayContaining([{ status: 'succeeded', label: 'Réussis', count: expect.any(Number) }]));
    expect(json.body['ipCeiling']).toEqual({ configuredPerMinute: expect.any(Number), learntPerMinute: null, learntAt: null });
    // A rate-limit bucket paused (a 429 answered): the dashboard lists it until it ends.
    const key = 'apip:token:dashboard-test';
    await world.api.limiter.pause(key, 60_000, 'Réponse 429 d’API Particulier');
    try {
      const paused = await callApi<Json>(api.url, 'GET', '/api/admin/queue-dashboard', { auth: staff.authorization });
      expect(paused.body['pauses']).toEqual(expect.arrayContaining([{ bucket: 'Un jeton API Particulier', until: expect.any(String), reason: 'Réponse 429 d’API Particulier' }]));
    } finally {
      await world.db.dataSource.query(`DELETE FROM rate_limit_bucket WHERE key = $1`, [key]);
    }
    expect((await callApi(api.url, 'GET', '/api/admin/queue-dashboard', { auth: admin.cookie })).status).toBe(403);
    expect((await callApi(api.url, 'GET', '/api/admin/queue-dashboard')).status).toBe(401);
  });

  it('the former dashboard page sends staff to the console’s « Files d’attente » page', async () => {
    const former = await fetch(`${api.url}/api/admin/queues`, { headers: { authorization: staff.authorization, accept: 'text/html' }, redirect: 'manual' });
    expect({ status: former.status, location: former.headers.get('location') }).toEqual({ status: 303, location: '/console/files-d-attente' });
    expect((await callApi(api.url, 'GET', '/api/admin/queues', { auth: admin.cookie })).status).toBe(403);
    expect((await callApi(api.url, 'GET', '/api/admin/queues')).status).toBe(401);
  });

  it('the queue dashboard shows a per-IP ceiling learnt from API Particulier below the configured one', async () => {
    const configured = ((await callApi<Json>(api.url, 'GET', '/api/admin/queue-dashboard', { auth: staff.authorization })).body['ipCeiling'] as { configuredPerMinute: number }).configuredPerMinute;
    await world.api.limiter.learnCeiling(LEARNT_CEILING_KEY, configured - 1, 'RateLimit-Limit');
    try {
      const json = await callApi<Json>(api.url, 'GET', '/api/admin/queue-dashboard', { auth: staff.authorization });
      expect(json.body['ipCeiling']).toEqual({ configuredPerMinute: configured, learntPerMinute: configured - 1, learntAt: expect.any(String) });
    } finally {
      await world.db.dataSource.query(`UPDATE rate_limit_bucket SET learnt_limit = NULL, learnt_source = NULL, learnt_at = NULL WHERE key = $1`, [LEARNT_CEILING_KEY]);
    }
  });

  it('staff give a new client a sandbox token in one action, choose it as the live environment, and its calls work at once', async () => {
    const fresh = await makeTenant(world.db.dataSource);
    await makeHabilitation(world.db.dataSource, fresh.id, 'api_particulier', { state: 'validated', validatedAt: new Date(), scopes: ['cnaf_quotient_familial'], modalities: ['pivot_identity'] });
    const freshAdmin = await makeClientAdmin(world.db.dataSource, fresh.id);
    const writer = await makeStaff(world.db.dataSource, 'onboarding_agent');
    expect((await callApi(api.url, 'POST', `/api/tenants/${fresh.id}/api-particulier/sandbox-token`, { auth: staff.authorization })).status).toBe(403);
    const minted = await callApi<Json>(api.url, 'POST', `/api/tenants/${fresh.id}/api-particulier/sandbox-token`, { auth: writer.authorization });
    expect(minted.status).toBe(200);
    expect(minted.body).toMatchObject({ environment: 'sandbox', token: { status: 'ok', masked: expect.stringMatching(/^•+/) } });
    expect(JSON.stringify(minted.body)).not.toMatch(/eyJ/);
    // A stored token is not in service until staff choose its environment: a batch is refused, saying so.
    const early = await upload(freshAdmin.cookie, fresh.id, `${HEADER}\nN-1;LEFEBVRE;;ALEXIS;F;27/12/1982;99100;08480;;`);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ detail: expect.stringMatching(/Aucun environnement API Particulier n’est choisi/) });
    const chosen = await callApi<Json>(api.url, 'PUT', `/api/tenants/${fresh.id}/environments/api-particulier`, { auth: writer.authorization, body: { environment: 'sandbox' } });
    expect(chosen.status).toBe(200);
    expect(chosen.body).toMatchObject({ live: { environment: 'sandbox', production: false }, usable: true });
    const created = await upload(freshAdmin.cookie, fresh.id, `${HEADER}\nN-1;LEFEBVRE;;ALEXIS;F;27/12/1982;99100;08480;;`);
    expect(created.status).toBe(201);
    const done = await eventually(async () => {
      const view = await callApi<Json>(api.url, 'GET', `/api/tenants/${fresh.id}/api-particulier/batches/${created.body['id'] as string}`, { auth: freshAdmin.cookie });
      return (view.body['progress'] as Json)['done'] ? view.body : null;
    }, 20_000);
    expect(done['progress']).toMatchObject({ succeeded: 1, failed: 0 });
  });
});
