/**
 * The qualification robot, platform side, end to end: the real API serving a fresh build of the
 * portal, the sandbox FranceConnect provider, the real worker (its robot processor over a pool of
 * one Chromium, its sweep), PostgreSQL and Redis. What is checked here is what the platform does
 * around the robot — runs asked by staff and by changes, the robot pass that lets the robot log in
 * with a non-production client on a tenant live in production, results and screenshots stored and
 * served to staff only, the checklist filled without overriding a person, the guard on
 * « Qualification demandée », the dossier, the sweep (lost jobs, dead workers, schedule,
 * retention). The robot's checks themselves, each shown failing on a broken portal, are in
 * apps/portal/test/qualification-robot.int-spec.ts.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { hashToken } from '@fcplat/crypto';
import type { TenantEntity } from '@fcplat/db';
import { BrowserPool } from '@fcplat/qualification-robot';
import { DEFAULT_ROBOT_PROCESSOR_SETTINGS, RobotRunProcessor, RobotScheduler, requestRobotRun, robotRunJobId } from '@fcplat/qualification-runs';
import { openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import {
  LogCapture,
  connectTenantToSandboxFranceConnect,
  freePort,
  makeClientAdmin,
  makeStaff,
  makeTenant,
  recordChecklist,
  recordLiveEnvironment,
  registerSandboxFranceConnectClient,
  scratchMigratedDatabase,
  storeSandboxFranceConnectClient,
  testPlatformConfig,
  type TestClientAdmin,
  type TestStaff,
} from '@fcplat/testing';
import type { PlatformConfig } from '@fcplat/config';
import { startApi, type ApiApp } from '../src/app.js';
import { builtFrontends } from '../src/http/frontends.js';
import { PortalRateLimiter } from '../src/portal/rate-limits.js';
import { franceConnectService } from '../../sandbox/src/services/franceconnect.js';
import { buildPortal } from '../../portal/test/portal-harness.js';
import { startWorker, type RunningWorker } from '../../worker/src/worker.js';

/** One robot run: a few browser round trips through FranceConnect. */
const RUN_TIMEOUT = 150_000;

interface RunView {
  id: string;
  status: string;
  trigger: string;
  reason: string | null;
  liveEnvironment: string | null;
  loginEnvironment: string | null;
  counts: Record<string, number> | null;
  error: { code: string; message: string } | null;
  items?: ItemView[];
}
interface ItemView {
  id: string;
  verdict: string;
  summary: string;
  findings: string[];
  evidence: Record<string, unknown>;
  environment: string | null;
  screenshots: { name: string; label: string; url: string }[];
  previousVerdict: string | null;
  changed: boolean;
  person: { status: string; disagrees: boolean } | null;
}
interface Overview {
  pending: RunView | null;
  lastCompleted: RunView | null;
  lastFailure: RunView | null;
  blocking: string[];
}

describe('qualification robot runs (API, worker, portal, sandbox FranceConnect, Chromium)', () => {
  let scratch: Awaited<ReturnType<typeof scratchMigratedDatabase>>;
  let dataSource: DataSource;
  let appsDir: string;
  let sandbox: Server;
  let sandboxBase: string;
  let config: PlatformConfig;
  let infrastructure: PlatformInfrastructure;
  let api: ApiApp;
  let worker: RunningWorker | null = null;
  let staff: TestStaff;
  let readOnly: TestStaff;
  let tenantA: TenantEntity;
  let tenantP: TenantEntity;
  let adminA: TestClientAdmin;
  let clientA: { clientId: string; clientSecret: string };
  let firstRunA: RunView;

  beforeAll(async () => {
    appsDir = mkdtempSync(join(tmpdir(), 'fcplat-robot-runs-'));
    const distDir = join(appsDir, 'portal', 'dist');
    mkdirSync(distDir, { recursive: true });
    scratch = await scratchMigratedDatabase();
    dataSource = scratch.dataSource;
    await buildPortal(distDir);

    const service = franceConnectService({ clientsFile: null });
    sandbox = createServer((req, res) => {
      Promise.resolve(service.handler(req, res)).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => sandbox.listen(0, '127.0.0.1', resolve));
    sandboxBase = `http://127.0.0.1:${(sandbox.address() as AddressInfo).port}`;

    const port = await freePort();
    config = await testPlatformConfig({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: scratch.url,
      QUALIFICATION_ROBOT_BROWSERS: '1',
      QUALIFICATION_ROBOT_SCHEDULE_HOURS: '0',
      // The HTTP-only tests below come from addresses of their own (X-Forwarded-For), so the
      // per-IP budget of 127.0.0.1 (the robot's browser) is the robot's alone.
      TRUST_PROXY_HOPS: '1',
    });
    infrastructure = await openPlatformInfrastructure(config, 'api');
    api = await startApi(config, infrastructure, { heartbeat: false, logDestination: new LogCapture(), frontends: builtFrontends(appsDir) });
    // A tight per-IP budget on the portal's FranceConnect routes: the robot (one address, many round
    // trips per run) must be spared by its pass, a citizen must not.
    api.app.get(PortalRateLimiter).configure({ franceConnectPerIp: { max: 8, windowMs: 5 * 60_000 } });
    worker = await startWorker(config, (await import('pino')).default({ level: 'silent' }));
    staff = await makeStaff(dataSource, 'admin');
    readOnly = await makeStaff(dataSource, 'read_only');

    // Tenant A: its sandbox client in service (the `custom` stand-in), mode C.
    tenantA = await makeTenant(dataSource);
    adminA = await makeClientAdmin(dataSource, tenantA.id);
    clientA = await connectTenantToSandboxFranceConnect({ apiUrl: api.url, sandboxBase, tenant: tenantA, authorization: staff.authorization });

    // Tenant P: live in production (a sandbox client standing in for FranceConnect's production),
    // with a sandbox client of its own for the robot's logins.
    tenantP = await makeTenant(dataSource);
    for (const environment of ['production', 'sandbox']) {
      const client = await registerSandboxFranceConnectClient({ apiUrl: api.url, sandboxBase, tenant: tenantP, authorization: staff.authorization });
      const stored = await storeSandboxFranceConnectClient({ apiUrl: api.url, sandboxBase, tenant: tenantP, authorization: staff.authorization, environment }, client);
      expect(stored.status).toBe(200);
    }
    await recordLiveEnvironment(dataSource, tenantP.id, 'franceconnect', 'production');
    // Changes during the set-up asked for runs; start from none.
    await dataSource.query(`DELETE FROM qualification_robot_run`);
  }, 240_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await infrastructure?.close();
    await new Promise<void>((resolve) => {
      sandbox?.close(() => resolve());
      sandbox?.closeAllConnections();
    });
    await scratch?.drop();
    rmSync(appsDir, { recursive: true, force: true });
  });

  const get = (path: string, authorization = staff.authorization) => fetch(`${api.url}${path}`, { headers: { authorization } });
  const getAsClientAdmin = (path: string) => fetch(`${api.url}${path}`, { headers: { cookie: adminA.cookie } });
  const post = (path: string, body: unknown = {}, authorization = staff.authorization) =>
    fetch(`${api.url}${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const overview = async (tenant: TenantEntity): Promise<Overview> => (await (await get(`/api/tenants/${tenant.id}/qualification/robot`)).json()) as Overview;

  /** Waits until the run has ended (the worker runs it); returns the tenant's overview. */
  async function waitForRun(tenant: TenantEntity, runId: string): Promise<Overview> {
    const deadline = Date.now() + RUN_TIMEOUT - 10_000;
    for (;;) {
      const [row] = (await dataSource.query(`SELECT status FROM qualification_robot_run WHERE id = $1`, [runId])) as { status: string }[];
      if (row && (row.status === 'completed' || row.status === 'failed')) return overview(tenant);
      if (Date.now() > deadline) throw new Error(`run ${runId} still ${row?.status}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  it(
    'staff ask, the worker runs the robot: verdicts with evidence and screenshots, the checklist filled, a person’s verdict kept and the disagreement shown',
    async () => {
      // A person already judged FC-05 failing; the robot must not overwrite it.
      await recordChecklist(dataSource, tenantA.id, [{ itemId: 'FC-05', status: 'failed', source: 'manual', evidenceText: 'Vu par une personne.', checkedBy: staff.user.id }]);
      const asked = await post(`/api/tenants/${tenantA.id}/qualification/robot/runs`);
      expect(asked.status).toBe(202);
      const run = (await asked.json()) as RunView;
      expect(run).toMatchObject({ status: 'queued', trigger: 'manual' });

      const result = await waitForRun(tenantA, run.id);
      expect(result.lastFailure).toBeNull();
      const last = result.lastCompleted as RunView;
      expect(last).toMatchObject({ id: run.id, status: 'completed', liveEnvironment: 'custom', loginEnvironment: 'custom' });
      firstRunA = last;
      const items = new Map((last.items ?? []).map((i) => [i.id, i]));
      // Mode C: every browser and protocol item is reported; none fails on our own portal.
      for (const id of ['FC-01', 'FC-02', 'FC-03', 'FC-04', 'FC-05', 'FC-06', 'FC-07', 'FC-08', 'FC-09', 'FC-10', 'FC-12', 'FC-13', 'FC-14', 'FC-15', 'FC-16', 'FC-17', 'FC-19', 'FC-20', 'FC-21']) {
        const got = items.get(id);
        expect({ id, verdict: got?.verdict, why: got?.verdict === 'passed' ? '' : `${got?.summary} ${got?.findings.join(' | ')}` }).toEqual({ id, verdict: 'passed', why: '' });
      }
      expect(items.get('FC-18')?.verdict).toBe('not_verifiable');
      expect(last.counts?.failed).toBe(0);
      expect(result.blocking).toEqual([]);
      // FC-21's evidence names the client_id in service; nothing secret anywhere.
      expect(JSON.stringify(items.get('FC-21')?.evidence)).toContain(clientA.clientId);
      const everything = JSON.stringify(last);
      expect(everything).not.toContain(clientA.clientSecret);
      expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
      // The person's verdict stays, and the disagreement shows.
      expect(items.get('FC-05')?.person).toEqual({ status: 'failed', disagrees: true });
      const checklist = (await (await get(`/api/tenants/${tenantA.id}/checklist`)).json()) as { items: { id: string; status: string; source: string; evidence: { text: string | null } }[] };
      const byId = new Map(checklist.items.map((i) => [i.id, i]));
      expect(byId.get('FC-05')).toMatchObject({ status: 'failed', source: 'manual', evidence: { text: 'Vu par une personne.' } });
      expect(byId.get('FC-01')).toMatchObject({ status: 'passed', source: 'robot' });
      expect(byId.get('FC-01')?.evidence.text).toMatch(/^Robot : /);
      // FC-18 not verifiable here: the checklist keeps it for a person.
      expect(byId.get('FC-18')?.status).toBe('todo');

      // Screenshots: PNGs for staff; nothing for a client administrator.
      const shot = items.get('FC-01')?.screenshots[0];
      expect(shot).toBeDefined();
      const png = await get(shot?.url ?? '');
      expect(png.status).toBe(200);
      expect(png.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
      expect((await get(shot?.url ?? '', readOnly.authorization)).status).toBe(200);
      expect((await getAsClientAdmin(shot?.url ?? '')).status).toBe(403);
      expect((await getAsClientAdmin(`/api/tenants/${tenantA.id}/qualification/robot`)).status).toBe(403);
      // Read-only staff see, but cannot ask for a run.
      expect((await post(`/api/tenants/${tenantA.id}/qualification/robot/runs`, {}, readOnly.authorization)).status).toBe(403);
    },
    RUN_TIMEOUT,
  );

  it(
    'a tenant live in production: checks without login on the live client, login checks through a robot pass on its sandbox client, each saying which environment it proved',
    async () => {
      const run = (await (await post(`/api/tenants/${tenantP.id}/qualification/robot/runs`)).json()) as RunView;
      const result = await waitForRun(tenantP, run.id);
      const last = result.lastCompleted as RunView;
      expect(last).toMatchObject({ id: run.id, liveEnvironment: 'production', loginEnvironment: 'sandbox' });
      const items = new Map((last.items ?? []).map((i) => [i.id, i]));
      for (const id of ['FC-08', 'FC-09', 'FC-10', 'FC-12', 'FC-14', 'FC-15', 'FC-16']) {
        const got = items.get(id);
        expect({ id, verdict: got?.verdict, environment: got?.environment, why: got?.verdict === 'passed' ? '' : `${got?.summary} ${got?.findings.join(' | ')}` }).toEqual({
          id,
          verdict: 'passed',
          environment: 'sandbox',
          why: '',
        });
      }
      expect(last.counts?.failed).toBe(0);
      // Two passes for this run: one for every page, one naming the sandbox for the login journeys.
      const passes = (await dataSource.query(`SELECT environment FROM qualification_robot_pass WHERE run_id = $1 ORDER BY environment NULLS FIRST`, [run.id])) as { environment: string | null }[];
      expect(passes).toEqual([{ environment: null }, { environment: 'sandbox' }]);
    },
    RUN_TIMEOUT,
  );

  describe('the robot pass (HTTP, no browser)', () => {
    async function newPass(tenantId: string, environment: string | null, ttlSeconds = 600): Promise<string> {
      const pass = randomBytes(32).toString('base64url');
      await dataSource.query(
        `INSERT INTO qualification_robot_pass (token_hash, tenant_id, environment, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
        [hashToken(pass), tenantId, environment, ttlSeconds],
      );
      return pass;
    }
    /** GET the portal's login route from an address of its own, with the robot's cookie when given; returns the redirect. */
    async function login(tenant: TenantEntity, pass: string | null, from = `198.51.100.${Math.floor(Math.random() * 250) + 1}`): Promise<string> {
      const response = await fetch(`${api.url}/t/${tenant.slug}/auth/franceconnect/login?purpose=login`, {
        redirect: 'manual',
        headers: { 'x-forwarded-for': from, ...(pass === null ? {} : { cookie: `fcplat_robot_${tenant.slug}=${pass}` }) },
      });
      expect(response.status).toBe(302);
      return response.headers.get('location') ?? '';
    }
    const clientIdOf = (location: string): string | null => (location.startsWith('http') ? new URL(location).searchParams.get('client_id') : null);
    const clientOf = async (tenant: TenantEntity, environment: string): Promise<string | undefined> =>
      ((await dataSource.query(`SELECT client_id FROM franceconnect_credential WHERE tenant_id = $1 AND environment = $2`, [tenant.id, environment])) as { client_id: string }[])[0]?.client_id;

    it('a pass naming an environment makes the flow use that client; citizens (no pass) and passes without environment use the live one', async () => {
      const live = await clientOf(tenantP, 'production');
      const sandboxClient = await clientOf(tenantP, 'sandbox');
      expect(clientIdOf(await login(tenantP, null))).toBe(live);
      expect(clientIdOf(await login(tenantP, await newPass(tenantP.id, 'sandbox')))).toBe(sandboxClient);
      expect(clientIdOf(await login(tenantP, await newPass(tenantP.id, null)))).toBe(live);
    });

    it('an expired pass, another tenant’s pass or a malformed one changes nothing; a production pass cannot exist', async () => {
      const live = await clientOf(tenantP, 'production');
      const expired = await newPass(tenantP.id, 'sandbox', 1);
      await dataSource.query(`UPDATE qualification_robot_pass SET expires_at = now() - interval '1 second', created_at = now() - interval '1 minute' WHERE token_hash = $1`, [hashToken(expired)]);
      expect(clientIdOf(await login(tenantP, expired))).toBe(live);
      expect(clientIdOf(await login(tenantP, await newPass(tenantA.id, 'custom')))).toBe(live);
      expect(clientIdOf(await login(tenantP, 'trop-court'))).toBe(live);
      await expect(newPass(tenantP.id, 'production')).rejects.toThrow(/check constraint/);
    });

    it('spares the robot the per-IP budget of the FranceConnect routes, only with a valid pass of that tenant', async () => {
      const limiter = api.app.get(PortalRateLimiter);
      limiter.configure({ franceConnectPerIp: { max: 2, windowMs: 5 * 60_000 } });
      try {
        const tenant = await makeTenant(dataSource);
        const pass = await newPass(tenant.id, null);
        const foreign = await newPass(tenantA.id, null);
        const from = '203.0.113.7';
        // This tenant has no FranceConnect client: « client_unavailable » until the budget runs out.
        expect(await login(tenant, null, from)).toBe(`/t/${tenant.slug}/?erreur=client_unavailable`);
        expect(await login(tenant, null, from)).toBe(`/t/${tenant.slug}/?erreur=client_unavailable`);
        expect(await login(tenant, null, from)).toBe(`/t/${tenant.slug}/?erreur=trop_de_tentatives`);
        expect(await login(tenant, foreign, from)).toBe(`/t/${tenant.slug}/?erreur=trop_de_tentatives`);
        expect(await login(tenant, 'A'.repeat(43), from)).toBe(`/t/${tenant.slug}/?erreur=trop_de_tentatives`);
        for (let i = 0; i < 5; i += 1) expect(await login(tenant, pass, from)).toBe(`/t/${tenant.slug}/?erreur=client_unavailable`);
      } finally {
        limiter.configure({ franceConnectPerIp: { max: 8, windowMs: 5 * 60_000 } });
      }
    });
  });

  it('the guard: a case cannot move to « Qualification demandée » while the robot’s last completed run has a failing item', async () => {
    const tenant = await makeTenant(dataSource);
    await dataSource.query(`UPDATE onboarding_case SET stage = 'internal_check', ds_file_number = '4242' WHERE tenant_id = $1`, [tenant.id]);
    const failing = await insertCompletedRun(tenant.id, { 'FC-01': 'failed', 'FC-02': 'passed' }, new Date(Date.now() - 60_000));
    const refused = await post(`/api/tenants/${tenant.id}/onboarding/transitions`, { to: 'qualification_requested' });
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { reasons: { code: string; message: string; itemIds?: string[] }[] };
    expect(body.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'robot_failed', itemIds: ['FC-01'] })]));
    expect(body.reasons.find((r) => r.code === 'robot_failed')?.message).toContain('FC-01');
    // Even where a person said « conforme »: the robot's failure holds the request back.
    await recordChecklist(dataSource, tenant.id, [{ itemId: 'FC-01', status: 'passed', source: 'manual' }]);
    const still = (await (await post(`/api/tenants/${tenant.id}/onboarding/transitions`, { to: 'qualification_requested' })).json()) as { reasons: { code: string }[] };
    expect(still.reasons.map((r) => r.code)).toContain('robot_failed');
    // A newer run without failure lifts it (other guards may still apply).
    await insertCompletedRun(tenant.id, { 'FC-01': 'passed', 'FC-02': 'passed' }, new Date());
    const after = (await (await post(`/api/tenants/${tenant.id}/onboarding/transitions`, { to: 'qualification_requested' })).json()) as { reasons?: { code: string }[] };
    expect((after.reasons ?? []).map((r) => r.code)).not.toContain('robot_failed');
    expect(failing).toBeDefined();
  });

  it('the dossier: every item with its evidence, the URLs and client_id to copy, screenshots embedded, no secret; the same as PDF', async () => {
    const html = await get(`/api/tenants/${tenantA.id}/qualification/dossier.html`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-disposition')).toBe(`attachment; filename="qualification-franceconnect-${tenantA.slug}.html"`);
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    const text = await html.text();
    expect(text).toContain(tenantA.name.replace(/'/g, '&#39;'));
    expect(text).toContain(tenantA.siret);
    expect(text).toContain(`${api.url}/t/${tenantA.slug}/`);
    expect(text).toContain(`${api.url}/t/${tenantA.slug}/auth/franceconnect/callback`);
    expect(text).toContain(`${api.url}/t/${tenantA.slug}/auth/franceconnect/logout/callback`);
    expect(text).toContain(clientA.clientId);
    for (const item of firstRunA.items ?? []) expect(text).toContain(`id="${item.id}"`);
    expect(text).toMatch(/<img alt="[^"]+" src="data:image\/png;base64,[A-Za-z0-9+/]{100,}/);
    expect(text).not.toContain(clientA.clientSecret);
    expect(text).not.toMatch(/robot=/);
    expect((await getAsClientAdmin(`/api/tenants/${tenantA.id}/qualification/dossier.html`)).status).toBe(403);

    const pdf = await get(`/api/tenants/${tenantA.id}/qualification/dossier.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // Chromium keeps the document's links as URI annotations: the portal's address is there.
    expect(bytes.toString('latin1')).toContain(`/URI (${api.url}/t/${tenantA.slug}/)`);
    expect(bytes.toString('latin1')).not.toContain(clientA.clientSecret);
  }, 60_000);

  it('a change that can affect a prerequisite asks for a run (one waiting run per tenant, whatever the number of changes)', async () => {
    // The worker is stopped so the waiting run stays visible.
    await worker?.stop();
    worker = null;
    const version = async (): Promise<number> => ((await (await get(`/api/tenants/${tenantA.id}`)).json()) as { version: number }).version;
    const patch = async (primaryColor: string) =>
      fetch(`${api.url}/api/tenants/${tenantA.id}`, {
        method: 'PATCH',
        headers: { authorization: staff.authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ version: await version(), branding: { primaryColor } }),
      });
    expect((await patch('#123456')).status).toBe(200);
    expect((await patch('#654321')).status).toBe(200);
    const waiting = (await dataSource.query(`SELECT trigger, reason FROM qualification_robot_run WHERE tenant_id = $1 AND status = 'queued'`, [tenantA.id])) as { trigger: string; reason: string }[];
    expect(waiting).toEqual([{ trigger: 'change', reason: 'Modifié : personnalisation du portail' }]);
    // The same request in one transaction twice: the same run.
    const first = await dataSource.transaction((m) => requestRobotRun(m, { tenantId: tenantA.id, trigger: 'change', reason: 'x' }));
    const second = await dataSource.transaction((m) => requestRobotRun(m, { tenantId: tenantA.id, trigger: 'manual' }));
    expect(first.created).toBe(false);
    expect(second).toEqual({ runId: first.runId, created: false });
  });

  it('the sweep: a waiting run without job gets one, a run whose worker died goes back to the queue, production tenants are re-verified on schedule, old evidence is purged', async () => {
    const logs: string[] = [];
    const scheduler = new RobotScheduler(
      dataSource,
      infrastructure.producer,
      { tickMs: 60_000, scheduleHours: 24, evidenceRetentionDays: 30, staleAfterMs: 60_000, maxAttempts: 3 },
      (_level, message) => logs.push(message),
    );
    const queue = infrastructure.queueBackend.createQueue('qualification') as unknown as Queue;
    try {
      // A run lost with the queue (or asked while it was down): waiting in PostgreSQL only.
      const [waiting] = (await dataSource.query(`SELECT id, attempts FROM qualification_robot_run WHERE tenant_id = $1 AND status = 'queued'`, [tenantA.id])) as { id: string; attempts: number }[];
      await queue.remove(robotRunJobId(waiting?.id ?? '', waiting?.attempts ?? 0)).catch(() => undefined);
      // A run whose worker stopped beating two minutes ago.
      const dead = await makeTenant(dataSource, { connexionEnabled: true });
      const [deadRun] = (await dataSource.query(
        `INSERT INTO qualification_robot_run (tenant_id, trigger, status, started_at, heartbeat_at, attempts) VALUES ($1, 'manual', 'running', now() - interval '3 minutes', now() - interval '2 minutes', 1) RETURNING id`,
        [dead.id],
      )) as { id: string }[];
      // Tenant P (production) was verified over a day ago.
      await dataSource.query(`UPDATE qualification_robot_run SET requested_at = now() - interval '25 hours' WHERE tenant_id = $1`, [tenantP.id]);
      // Old evidence: a completed run of tenant A finished 40 days ago (not A's last completed one).
      const old = await insertCompletedRun(tenantA.id, { 'FC-01': 'passed' }, new Date(Date.now() - 40 * 86_400_000));

      await scheduler.tick();

      const job = await queue.getJob(robotRunJobId(waiting?.id ?? '', waiting?.attempts ?? 0));
      expect(job?.data).toEqual({ tenantId: tenantA.id, runId: waiting?.id });
      const [back] = (await dataSource.query(`SELECT status, attempts FROM qualification_robot_run WHERE id = $1`, [deadRun?.id])) as { status: string; attempts: number }[];
      expect(back).toEqual({ status: 'queued', attempts: 1 });
      expect(await queue.getJob(robotRunJobId(deadRun?.id ?? '', 1))).toBeDefined();
      const scheduled = (await dataSource.query(`SELECT trigger FROM qualification_robot_run WHERE tenant_id = $1 AND status = 'queued'`, [tenantP.id])) as { trigger: string }[];
      expect(scheduled).toEqual([{ trigger: 'schedule' }]);
      expect(await dataSource.query(`SELECT 1 FROM qualification_robot_run WHERE id = $1`, [old])).toEqual([]);
      // A's last completed run survives any retention.
      expect(await dataSource.query(`SELECT 1 FROM qualification_robot_run WHERE id = $1`, [firstRunA.id])).toHaveLength(1);
      // A second sweep adds nothing (several workers sweep at once safely).
      const before = (await dataSource.query(`SELECT count(*)::int AS n FROM qualification_robot_run`)) as { n: number }[];
      await scheduler.tick();
      expect(await dataSource.query(`SELECT count(*)::int AS n FROM qualification_robot_run`)).toEqual(before);
    } finally {
      await scheduler.stop();
      await queue.close();
    }
  });

  it('a worker without Chromium fails the run with a plain French message, not a stack trace', async () => {
    const tenant = await makeTenant(dataSource, { connexionEnabled: true });
    const { runId } = await dataSource.transaction((m) => requestRobotRun(m, { tenantId: tenant.id, trigger: 'manual' }));
    const missing = '/nonexistent/chromium';
    const pool = new BrowserPool({ size: 1, executablePath: missing });
    const processor = new RobotRunProcessor(
      dataSource,
      pool,
      { ...DEFAULT_ROBOT_PROCESSOR_SETTINGS, publicUrl: config.http.publicUrl, allowCustomEndpoints: true, testIdentity: 'test', chromiumPath: missing },
      () => undefined,
    );
    try {
      const outcome = await processor.process({ tenantId: tenant.id, runId }, { jobId: 'x', attempt: 1, workerId: 'worker:test', postpone: () => Promise.reject(new Error('unexpected')) });
      expect(outcome).toEqual({ outcome: 'done', status: 'failed' });
      // A job delivered twice: the second finds the run ended and does nothing.
      expect(await processor.process({ tenantId: tenant.id, runId }, { jobId: 'x', attempt: 1, workerId: 'worker:other', postpone: () => Promise.reject(new Error('unexpected')) })).toEqual({ outcome: 'skipped' });
    } finally {
      await pool.close();
    }
    const [row] = (await dataSource.query(`SELECT status, error_code, error_message FROM qualification_robot_run WHERE id = $1`, [runId])) as { status: string; error_code: string; error_message: string }[];
    expect(row).toMatchObject({ status: 'failed', error_code: 'ROBOT_BROWSER_MISSING' });
    expect(row?.error_message).toContain('QUALIFICATION_ROBOT_CHROMIUM_PATH');
    expect(row?.error_message).not.toMatch(/\/nonexistent|at |Error/);
  });

  /** A completed run with these verdicts, inserted directly (for the guard and retention). */
  async function insertCompletedRun(tenantId: string, verdicts: Record<string, string>, finishedAt: Date): Promise<string> {
    const [run] = (await dataSource.query(
      `INSERT INTO qualification_robot_run (tenant_id, trigger, status, requested_at, started_at, finished_at) VALUES ($1, 'manual', 'completed', $2, $2, $2) RETURNING id`,
      [tenantId, finishedAt],
    )) as { id: string }[];
    for (const [itemId, verdict] of Object.entries(verdicts)) {
      await dataSource.query(`INSERT INTO qualification_robot_result (run_id, item_id, verdict, summary) VALUES ($1, $2, $3, 'inséré par le test')`, [run?.id, itemId, verdict]);
    }
    return run?.id ?? '';
  }
});
