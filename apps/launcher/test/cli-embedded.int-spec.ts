import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migratedTestDataSource, REPO_ROOT, testProcessEnv } from '@fcplat/testing';

function npmRun(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'cli:embedded', '--', ...args], { env, cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** `npm run cli:embedded` reads the environment of the data directory `npm start` used (FCPLAT_DATA_DIR). */
describe('npm run cli:embedded with a moved data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fcplat-moved-data-'));

  beforeAll(async () => {
    await (await migratedTestDataSource()).destroy();
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs the CLI with FCPLAT_DATA_DIR/embedded.env, and says what to do when there is none', async () => {
    // What the launcher writes there, pointed at this run's database, with a key id of its own.
    const platform = testProcessEnv({ SECRETS_KEYS: 'moved1:dGVzdC1vbmx5LWtleS0wMDAwMDAwMDAwMDAwMDAwMDA=', SECRETS_ACTIVE_KEY: 'moved1' });
    const lines = ['NODE_ENV', 'DATABASE_URL', 'SECRETS_KEYS', 'SECRETS_ACTIVE_KEY', 'QUEUE_BACKEND', 'REDIS_URL'].map((name) => `${name}=${JSON.stringify(platform[name])}`);
    writeFileSync(join(dataDir, 'embedded.env'), `${lines.join('\n')}\n`, { mode: 0o600 });
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, FCPLAT_DATA_DIR: dataDir };
    const moved = await npmRun(['secrets:rotate', '--dry-run'], env, REPO_ROOT);
    expect(moved.output).toContain('Dry run: counting secrets not under the active key "moved1"');
    expect(moved.code).toBe(0);

    const empty = mkdtempSync(join(tmpdir(), 'fcplat-no-data-'));
    try {
      const missing = await npmRun(['secrets:rotate', '--dry-run'], { ...env, FCPLAT_DATA_DIR: empty }, REPO_ROOT);
      expect(missing.code).toBe(1);
      expect(missing.output).toContain(`${join(empty, 'embedded.env')} est introuvable`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 90_000);
});
