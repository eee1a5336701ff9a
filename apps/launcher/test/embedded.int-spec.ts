import { mkdtempSync, rmSync } from 'node:fs';
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

  async function start(): Promise<SpawnedProcess> {
    const started = spawnBuilt('apps/launcher/dist/main.js', env);
    await started.waitForOutput(/Ctrl-C pour tout arrêter/, 90_000);
    return started;
  }

  it('starts everything, prints the URLs, passes a heartbeat, and keeps data across a restart', async () => {
    launcher = await start();
    const banner = launcher.output();
    expect(banner).toContain(`http://localhost:${apiPort}/api/docs`);
    for (const label of ['FranceConnect', 'API Particulier', 'Annuaire des entreprises']) expect(banner).toContain(label);
    expect(banner).toMatch(/worker : opérationnel/);

    const ready = await fetch(`http://127.0.0.1:${apiPort}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { database: { status: 'up' }, queue: { status: 'up', backend: 'postgres' }, worker: { status: 'up' } } });

    const marker = `test.embedded_${Date.now()}`;
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${pgPort}/postgres` });
    await client.connect();
    await client.query(`INSERT INTO audit_log (actor_type, action) VALUES ('system', $1)`, [marker]);
    await client.end();

    // The first administrator, with the CLI pointed at the running embedded platform.
    const cli = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [`--env-file=${join(dataDir, 'embedded.env')}`, join(REPO_ROOT, 'apps/api/dist/cli/main.js'), 'accounts:create-admin', '--email', 'premiere.admin@editeur.test', '--name', 'Première Admin'], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      child.on('exit', (code) => resolve({ code, out }));
    });
    expect(cli.code).toBe(0);
    expect(cli.out).toContain(`http://localhost:${apiPort}/console/invitation?token=`);

    const first = await launcher.stop('SIGINT');
    expect(first.code).toBe(0);
    expect(launcher.output()).toContain('Plateforme arrêtée.');

    launcher = await start();
    const again = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${pgPort}/postgres` });
    await again.connect();
    const { rows } = await again.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1`, [marker]);
    await again.end();
    expect(rows[0].n).toBe(1);
    expect(launcher.output()).not.toContain('migration(s) appliquée(s)');
    const second = await launcher.stop('SIGINT');
    expect(second.code).toBe(0);
  }, 240_000);
});
