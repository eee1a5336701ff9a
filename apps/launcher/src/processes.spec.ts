import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeProcess, writePrivateFile } from './processes.js';

const modeOf = (file: string): string => (statSync(file).mode & 0o777).toString(8);

/** Log files of the launcher (`.data/logs/*.log`) hold what only the platform's user may read. */
describe('launcher log files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fcplat-logs-'));
  const script = join(dir, 'child.mjs');

  beforeAll(() => writeFileSync(script, "process.stdout.write('hello\\n'); process.stderr.write('oops\\n');\n"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a process log file 0600, and makes an older 0644 one 0600', async () => {
    const fresh = join(dir, 'api.log');
    const child = startNodeProcess('api', script, { PATH: process.env.PATH }, fresh);
    expect(await child.exited).toBe(0);
    expect(modeOf(fresh)).toBe('600');
    expect(readFileSync(fresh, 'utf8')).toContain('hello');

    const older = join(dir, 'worker.log');
    writeFileSync(older, 'old line\n');
    chmodSync(older, 0o644);
    expect(await startNodeProcess('worker', script, { PATH: process.env.PATH }, older).exited).toBe(0);
    expect(modeOf(older)).toBe('600');
    expect(readFileSync(older, 'utf8')).toMatch(/^old line\n/);
  });

  it('writes other private files (embedded.env, demo-seed.log) 0600, even over a 0644 one', () => {
    const file = join(dir, 'embedded.env');
    writeFileSync(file, 'X=1\n');
    chmodSync(file, 0o644);
    writePrivateFile(file, 'DATABASE_URL="postgres://…"\n');
    expect(modeOf(file)).toBe('600');
  });
});
