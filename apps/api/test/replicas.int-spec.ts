/**
 * Several replicas behind a load balancer: three built API processes and two built workers on the
 * real PostgreSQL and Redis, behind a round-robin proxy on 127.0.0.1 that sends each request to
 * the next replica. What one replica decides, the others must know: a console session, the
 * console's login throttling, a citizen's FranceConnect login whose callback lands on another
 * replica than its start (state, nonce and browser binding in PostgreSQL), and API Particulier
 * calls from two workers within the stand-in's per-token limit (with a platform budget above the
 * stand-in's, 10 a second against 5, the same check fails: 429s come back), and the company
 * directory's 7 requests per second per IP counted by the three replicas together (each counting
 * on its own, they sent 21 a second and met 429s).
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { franceConnectService } from '../../sandbox/src/services/franceconnect.js';
import { apiParticulierService, type ApiParticulierSandbox } from '../../sandbox/src/services/api-particulier.js';
import { FIXTURE_UNITS, rechercheEntreprisesService, type RechercheEntreprisesSandbox } from '../../sandbox/src/services/recherche-entreprises.js';
import { HabilitationEntity, type TenantEntity } from '@fcplat/db';
import {
  callApi,
  connectTenantToSandboxFranceConnect,
  CookieJarBrowser,
  eventually,
  freePort,
  locationOf,
  makeClientAdmin,
  makeSessionCookie,
  makeStaff,
  makeTenant,
  scratchMigratedDatabase,
  spawnBuilt,
  testProcessEnv,
  testQueuePrefix,
  withBrowserWriteHeaders,
  type ScratchDatabase,
  type SpawnedProcess,
  type TestStaff,
} from '@fcplat/testing';

/** A round-robin HTTP proxy: request n goes to backend n mod N; `served` records which one took each path. */
class RoundRobin {
  private next = 0;
  readonly served: { backend: number; method: string; path: string }[] = [];
  private readonly server: Server;

  constructor(private readonly backends: readonly number[]) {
    this.server = createServer((req, res) => {
      const backend = this.next;
      this.next = (this.next + 1) % this.backends.length;
      this.served.push({ backend, method: req.method ?? 'GET', path: req.url ?? '/' });
      const upstream = httpRequest(
        { host: '127.0.0.1', port: this.backends[backend], method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The backend that served the last request whose path starts with `prefix`. */
  lastFor(prefix: string): number | undefined {
    return [...this.served].reverse().find((s) => s.path.startsWith(prefix))?.backend;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

async function listen(handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => unknown): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('three API replicas and two workers behind a round-robin proxy', () => {
  const REPLICAS = 3;
  let scratch: ScratchDatabase;
  let proxy: RoundRobin;
  let publicUrl: string;
  let sandbox: { server: Server; url: string };
  let standIn: ApiParticulierSandbox;
  let apip: { server: Server; url: string };
  let directory: RechercheEntreprisesSandbox;
  let directoryServer: { server: Server; url: string };
  const processes: SpawnedProcess[] = [];
  let staff: TestStaff;
  let tenant: TenantEntity;

  beforeAll(async () => {
    // A database of its own: the workers' dispatcher serves every queued call of its database.
    scratch = await scratchMigratedDatabase();
    sandbox = await listen(franceConnectService({ clientsFile: null }).handler);
    // The stand-in counts 5 calls per second per token, fewer than the platform's default budget.
    standIn = apiParticulierService({ franceConnectIssuer: `${sandbox.url}/api/v2`, perTokenPerSecond: 5 });
    apip = await listen(standIn.handler);
    directory = rechercheEntreprisesService();
    directoryServer = await listen(directory.handler);
    const ports = await Promise.all(Array.from({ length: REPLICAS }, () => freePort()));
    proxy = new RoundRobin(ports);
    publicUrl = await proxy.listen();
    const env = testProcessEnv({
      DATABASE_URL: scratch.url,
      PUBLIC_URL: publicUrl,
      QUEUE_PREFIX: testQueuePrefix('rr'),
      SANDBOX_API_PARTICULIER_URL: apip.url,
      COMPANY_DIRECTORY_URL: directoryServer.url,
      // The platform's per-token budget (TEST_TOKEN_BUDGET: to show this test failing) is one call under the stand-in's 5: two workers
      // counting apart would send 8 a second. At exactly 5 this test also measured the machine: under a full suite's load,
      // the stand-in (in this process) stamped arrivals late and bunched, and met up to 5 refusals in 30 calls.
      API_PARTICULIER_TOKEN_LIMIT_PER_SECOND: process.env['TEST_TOKEN_BUDGET'] ?? '4',
      HEARTBEAT_INTERVAL_SECONDS: '3600',
      LOG_LEVEL: 'warn',
    });
    for (const port of ports) processes.push(spawnBuilt('apps/api/dist/main.js', { ...env, PORT: String(port) }));
    for (let i = 0; i < 2; i += 1) processes.push(spawnBuilt('apps/worker/dist/main.js', env));
    for (const [i, port] of ports.entries()) {
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.ok || null, 30_000, `replica on ${port}`).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}; its output: ${processes[i]?.output().slice(-2000)}`);
      });
    }
    staff = await makeStaff(scratch.dataSource, 'admin');
    tenant = await makeTenant(scratch.dataSource, { dataRetrievalEnabled: false });
  }, 90_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGTERM')));
    await proxy?.close();
    for (const s of [sandbox, apip, directoryServer]) {
      await new Promise<void>((resolve) => {
        s?.server.close(() => resolve());
        s?.server.closeAllConnections();
      });
    }
    await scratch?.drop();
  });

  it('spreads requests over every replica', async () => {
    const before = proxy.served.length;
    for (let i = 0; i < REPLICAS * 2; i += 1) expect((await fetch(`${publicUrl}/api/health`)).status).toBe(200);
    expect(new Set(proxy.served.slice(before).map((s) => s.backend)).size).toBe(REPLICAS);
  });

  it('keeps a console session on every replica, and a logout on one ends it on all', async () => {
    const cookie = await makeSessionCookie(scratch.dataSource, staff.user.id);
    for (let i = 0; i < REPLICAS; i += 1) {
      const me = await callApi(publicUrl, 'GET', '/api/auth/me', { auth: cookie });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email: staff.user.email });
    }
    const out = await callApi(publicUrl, 'POST', '/api/auth/logout', { auth: cookie, headers: withBrowserWriteHeaders('POST', '/api/auth/logout', { cookie }, publicUrl) });
    expect(out.status).toBe(204);
    for (let i = 0; i < REPLICAS; i += 1) expect((await callApi(publicUrl, 'GET', '/api/auth/me', { auth: cookie })).status).toBe(401);
  });

  it('counts failed console logins across replicas: the sixth is throttled, whichever replica gets it', async () => {
    const target = await makeClientAdmin(scratch.dataSource, tenant.id);
    const statuses: number[] = [];
    const backends: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const answer = await callApi(publicUrl, 'POST', '/api/auth/login', { body: { email: target.user.email, password: `wrong-password-${i}` }, headers: { origin: publicUrl } });
      statuses.push(answer.status);
      backends.push(proxy.lastFor('/api/auth/login') ?? -1);
    }
    expect(new Set(backends).size).toBe(REPLICAS);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('completes a FranceConnect login whose callback lands on another replica than its start', async () => {
    await connectTenantToSandboxFranceConnect({ apiUrl: publicUrl, sandboxBase: sandbox.url, tenant, authorization: staff.authorization });
    const browser = new CookieJarBrowser();
    const begin = await browser.get(`${publicUrl}/t/${tenant.slug}/auth/franceconnect/login?purpose=signup`);
    expect(begin.status).toBe(302);
    const started = proxy.lastFor(`/t/${tenant.slug}/auth/franceconnect/login`);
    const authorize = locationOf(begin, publicUrl);
    const first = await browser.get(authorize.href);
    let next = locationOf(first, sandbox.url);
    if (next.pathname.startsWith('/api/v2/interaction/')) {
      await (await browser.get(next.href)).text();
      const submitted = await browser.post(`${next.href}/login`, { login: 'test', password: '123' });
      next = locationOf(await browser.get(locationOf(submitted, sandbox.url).href), sandbox.url);
    }
    expect(next.href.startsWith(`${publicUrl}/t/${tenant.slug}/auth/franceconnect/callback`)).toBe(true);
    const back = await browser.get(next.href);
    const called = proxy.lastFor(`/t/${tenant.slug}/auth/franceconnect/callback`);
    expect(called).not.toBe(started);
    expect(back.status).toBe(302);
    expect(locationOf(back, publicUrl).searchParams.get('erreur')).toBeNull();
    // The session the callback opened is known to every replica.
    for (let i = 0; i < REPLICAS; i += 1) {
      const me = await browser.get(`${publicUrl}/api/portal/${tenant.slug}/me`);
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ identity: { familyName: 'DUBOIS' } });
    }
  });

  it('runs API Particulier calls with two workers within the upstream’s per-token limit', async () => {
    await scratch.dataSource.getRepository(HabilitationEntity).insert({
      tenantId: tenant.id,
      product: 'api_particulier',
      state: 'validated',
      scopes: ['cnaf_quotient_familial'],
      modalities: ['pivot_identity'],
      validatedAt: new Date(),
    });
    const admin = await makeClientAdmin(scratch.dataSource, tenant.id);
    const writer = await makeStaff(scratch.dataSource, 'admin');
    expect((await callApi(publicUrl, 'POST', `/api/tenants/${tenant.id}/api-particulier/sandbox-token`, { auth: writer.authorization })).status).toBe(200);
    expect((await callApi(publicUrl, 'PUT', `/api/tenants/${tenant.id}/environments/api-particulier`, { auth: writer.authorization, body: { environment: 'sandbox' } })).status).toBe(200);
    const lines = Array.from({ length: 30 }, (_, i) => `R-${i};LEFEBVRE;;ALEXIS;F;27/12/1982;99100;08480;;`);
    const header = 'reference;nom_naissance;nom_usage;prenoms;sexe;date_naissance;code_pays_naissance;code_commune_naissance;nom_commune_naissance;code_departement_naissance';
    const upload = await fetch(`${publicUrl}/api/tenants/${tenant.id}/api-particulier/batches?api=quotient_familial&modality=pivot_identity&fileName=lot.csv`, {
      method: 'POST',
      headers: withBrowserWriteHeaders('POST', `/api/tenants/${tenant.id}/api-particulier/batches`, { 'content-type': 'text/csv', cookie: admin.cookie }, publicUrl),
      body: `${header}\n${lines.join('\n')}`,
    });
    expect(upload.status).toBe(201);
    const batch = (await upload.json()) as { id: string };
    const done = await eventually(async () => {
      const view = await callApi<{ progress: { succeeded: number; failed: number; done: boolean } }>(publicUrl, 'GET', `/api/tenants/${tenant.id}/api-particulier/batches/${batch.id}`, { auth: admin.cookie });
      return view.body.progress?.done ? view.body.progress : null;
    }, 60_000, 'batch done');
    expect(done).toMatchObject({ succeeded: 30, failed: 0 });
    // Both workers drew on one per-token budget, in PostgreSQL: counting apart they would send 8 a
    // second to a stand-in that takes 5 (with TEST_TOKEN_BUDGET=8, what two workers counting apart
    // would send, 4 requests were refused, each followed by a pause, and this fails). One is tolerated:
    // the platform paces at its budget, and an arrival bunched by the machine's load is paused for,
    // never lost. Whether the margin alone holds at exactly the upstream's limit is calls-margin's
    // and the shapes benchmark's question (docs/api-particulier.md).
    expect(standIn.journal.filter((e) => e.status === 429).length).toBeLessThanOrEqual(1);
  });

  it('counts the company directory’s 7 requests per second across replicas: no 429 when staff look up 21 SIRETs at once', async () => {
    const writer = await makeStaff(scratch.dataSource, 'admin');
    const sirets = FIXTURE_UNITS.flatMap((unit) => unit.establishments.map((e) => e.siret)).slice(0, 21);
    expect(sirets).toHaveLength(21);
    const before = directory.journal.length;
    const previews = await Promise.all(sirets.map((siret) => callApi<{ available: boolean }>(publicUrl, 'GET', `/api/company-directory/${siret}`, { auth: writer.authorization })));
    // Every replica took its share of the lookups (round robin), and every lookup was answered.
    expect(previews.map((p) => [p.status, p.body.available])).toEqual(sirets.map(() => [200, true]));
    const seen = directory.journal.slice(before);
    // The stand-in counts 7 per sliding second per IP, like the real API. Each replica counting on
    // its own would allow 21 a second and meet 429s (paused for and retried, but refused upstream).
    expect({ requests: seen.filter((e) => e.status !== 429).length, refused: seen.filter((e) => e.status === 429).length }).toEqual({ requests: 21, refused: 0 });
  }, 60_000);
});
