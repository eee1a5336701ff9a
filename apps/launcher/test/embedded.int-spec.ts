import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { REPO_ROOT, freePort, spawnBuilt, type SpawnedProcess } from '@fcplat/testing';

/**
 * `npm start` with nothing configured, for real: PGlite, queue on PostgreSQL, sandbox, API and
 * worker processes; then a restart on the same data directory.
 */
describe('embedded mode (npm start)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fcplat-embedded-'));
  let launcher: SpawnedProcess | undefined;
  let env: NodeJS.ProcessEnv;
  let apiPort: number;
  let pgPort: number;

  beforeAll(async () => {
    apiPort = await freePort();
    pgPort = await freePort();
    env = {
      PATH: process.env.PATH,
      FCPLAT_DATA_DIR: dataDir,
      PORT: String(apiPort),
      EMBEDDED_PG_PORT: String(pgPort),
      HEARTBEAT_INTERVAL_SECONDS: '2',
      SANDBOX_FRANCECONNECT_PORT: String(await freePort()),
      SANDBOX_API_PARTICULIER_PORT: String(await freePort()),
      SANDBOX_RECHERCHE_ENTREPRISES_PORT: String(await freePort()),
    };
  });

  afterAll(async () => {
    await launcher?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The embedded database's URL with its generated password (as a local psql user would find it). */
  function databaseUrl(): string {
    return `postgres://postgres:${readFileSync(join(dataDir, 'database-password'), 'utf8').trim()}@127.0.0.1:${pgPort}/postgres`;
  }

  async function start(): Promise<SpawnedProcess> {
    const started = spawnBuilt('apps/launcher/dist/main.js', env);
    await started.waitForOutput(/Ctrl-C pour tout arrêter/, 90_000);
    return started;
  }

  /** The built CLI pointed at the running embedded platform (`npm run cli:embedded`, data directory moved). */
  function runCli(args: readonly string[]): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [join(REPO_ROOT, 'apps/launcher/dist/cli-embedded.js'), ...args], { env: { PATH: process.env.PATH, FCPLAT_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      child.on('exit', (code) => resolve({ code, out }));
    });
  }

  /** The demo portal answers and its FranceConnect login goes to the sandbox; returns the client_id used. */
  async function demoPortalWorks(): Promise<string> {
    const portal = await fetch(`http://127.0.0.1:${apiPort}/api/portal/clamart`);
    expect(portal.status).toBe(200);
    expect(await portal.json()).toMatchObject({ name: 'Commune de Clamart', dataRetrievalEnabled: true });
    const login = await fetch(`http://127.0.0.1:${apiPort}/t/clamart/auth/franceconnect/login?purpose=login`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const authorize = new URL(login.headers.get('location') ?? '');
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`http://127.0.0.1:${env.SANDBOX_FRANCECONNECT_PORT}/api/v2/authorize`);
    const clientId = authorize.searchParams.get('client_id') ?? '';
    expect(clientId).toMatch(/^[0-9a-f]{64}$/);
    return clientId;
  }

  /** A password-reset request for one fixed address, from 127.0.0.1; its HTTP status. */
  async function resetRequest(): Promise<number> {
    const reply = await fetch(`http://127.0.0.1:${apiPort}/api/auth/password-reset/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'limite@editeur.test' }),
    });
    return reply.status;
  }

  it('starts everything, prints the URLs, passes a heartbeat, and keeps data across a restart', async () => {
    launcher = await start();
    const banner = launcher.output();
    expect(banner).toContain(`http://localhost:${apiPort}/api/docs`);
    for (const label of ['FranceConnect', 'API Particulier', 'Annuaire des entreprises']) expect(banner).toContain(label);
    expect(banner).toMatch(/worker : opérationnel/);
    // The demo tenant, wired to the sandbox FranceConnect, listed before the API docs.
    const demoLine = `  Portail de démonstration     http://localhost:${apiPort}/t/clamart/`;
    expect(banner).toContain(demoLine);
    expect(banner.indexOf(demoLine)).toBeLessThan(banner.indexOf('/api/docs'));
    const firstClient = await demoPortalWorks();

    // The login and password-reset limits count in the embedded database (no Redis here, issue 14
    // item 6): the 4th reset request for one address from one source is refused, after the restart too.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push(await resetRequest());
    expect(statuses).toEqual([202, 202, 202, 429]);

    const ready = await fetch(`http://127.0.0.1:${apiPort}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { database: { status: 'up' }, queue: { status: 'up', backend: 'postgres' }, worker: { status: 'up' } } });

    // The database port wants the generated password; the files holding secrets and logs are 0600.
    const anonymous = new pg.Client({ connectionString: `postgres://postgres:wrong-password@127.0.0.1:${pgPort}/postgres` });
    anonymous.on('error', () => undefined);
    await expect(anonymous.connect()).rejects.toMatchObject({ code: '28P01' });
    const logs = readdirSync(join(dataDir, 'logs')).map((name) => join('logs', name));
    expect(logs).toEqual(expect.arrayContaining(['logs/api.log', 'logs/worker.log']));
    for (const file of ['database-password', 'embedded.env', 'secrets.json', ...logs]) {
      expect(`${file} ${(statSync(join(dataDir, file)).mode & 0o777).toString(8)}`).toBe(`${file} 600`);
    }

    const marker = `test.embedded_${Date.now()}`;
    const client = new pg.Client({ connectionString: databaseUrl() });
    await client.connect();
    await client.query(`INSERT INTO audit_log (actor_type, action) VALUES ('system', $1)`, [marker]);
    await client.end();

    // The first administrator, with the CLI pointed at the running embedded platform.
    const cli = await runCli(['accounts:create-admin', '--email', 'premiere.admin@editeur.test', '--name', 'Première Admin']);
    expect(cli.code).toBe(0);
    expect(cli.out).toContain(`http://localhost:${apiPort}/console/invitation?token=`);

    const first = await launcher.stop('SIGINT');
    expect(first.code).toBe(0);
    expect(launcher.output()).toContain('Plateforme arrêtée.');

    launcher = await start();
    const again = new pg.Client({ connectionString: databaseUrl() });
    await again.connect();
    const { rows } = await again.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1`, [marker]);
    await again.end();
    expect(rows[0].n).toBe(1);
    expect(launcher.output()).not.toContain('migration(s) appliquée(s)');
    // The same demo tenant and the same sandbox client (kept in .data/franceconnect-sandbox.json).
    expect(launcher.output()).toContain(`  Portail de démonstration     http://localhost:${apiPort}/t/clamart/`);
    expect(await demoPortalWorks()).toBe(firstClient);
    expect(await resetRequest()).toBe(429);
    const db = new pg.Client({ connectionString: databaseUrl() });
    await db.connect();
    const tenants = await db.query(`SELECT count(*)::int AS n FROM tenant WHERE siret = '21920023500014'`);
    const credentials = await db.query(`SELECT count(*)::int AS n FROM franceconnect_credential c JOIN tenant t ON t.id = c.tenant_id WHERE t.siret = '21920023500014'`);
    const counters = await db.query(`SELECT count(*)::int AS n FROM auth_rate_limit WHERE expire > $1`, [Date.now()]);
    await db.end();
    expect(tenants.rows[0].n).toBe(1);
    expect(credentials.rows[0].n).toBe(1);
    expect(counters.rows[0].n).toBeGreaterThanOrEqual(2);

    // A sandbox that forgot the client (clients file removed): `demo:seed` registers a new one.
    const removed = await fetch(`http://127.0.0.1:${env.SANDBOX_FRANCECONNECT_PORT}/admin/clients/${firstClient}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    const reseeded = await runCli(['demo:seed']);
    expect(reseeded.code).toBe(0);
    expect(reseeded.out).toContain(`http://localhost:${apiPort}/t/clamart/`);
    const renewed = await demoPortalWorks();
    expect(renewed).not.toBe(firstClient);
    const known = await fetch(`http://127.0.0.1:${env.SANDBOX_FRANCECONNECT_PORT}/admin/clients/${renewed}`);
    expect(known.status).toBe(200);
    const second = await launcher.stop('SIGINT');
    expect(second.code).toBe(0);
  }, 240_000);
});
