import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Nx is the task runner: every project gets the same targets from tools/nx/targets.js, and
 * `nx affected` narrows a run to the projects a change touches. Spawns the real Nx CLI.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const nx = (...args: string[]): string => execFileSync('npx', ['nx', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
const affected = (file: string): string[] => nx('show', 'projects', '--affected', `--files=${file}`).split('\n').filter(Boolean).sort();

describe('Nx targets and affected projects', () => {
  const all = nx('show', 'projects').split('\n').filter(Boolean).sort();

  it('knows every workspace under apps/ and libs/, each with build, typecheck, lint, test-unit and test', () => {
    const folders = ['apps', 'libs'].flatMap((dir) => readdirSync(join(ROOT, dir)).map((name) => `${dir}/${name}`));
    expect(all).toHaveLength(folders.length);
    for (const name of all) {
      const project = JSON.parse(nx('show', 'project', name, '--json')) as { targets: Record<string, { cache?: boolean }> };
      expect(Object.keys(project.targets)).toEqual(expect.arrayContaining(['build', 'lint', 'test', 'test-unit', 'typecheck']));
      // Integration tests talk to real services: never answered from the cache.
      expect(project.targets['test']?.cache).toBe(false);
      expect(project.targets['test-unit']?.cache).toBe(true);
    }
  });

  it('runs only the projects a change touches', () => {
    // A pure lib every front-end and server project builds on: nearly everything.
    const domain = affected('libs/domain/src/siret.ts');
    expect(domain).toEqual(expect.arrayContaining(['@fcplat/domain', '@fcplat/console', '@fcplat/portal', '@fcplat/api']));
    // The secret box: its dependents (tests included: the front-ends' browser tests start the
    // API; outbound-http's TLS tests take their certificates from libs/testing, which uses it),
    // never the libs below it nor the robot, which does not use it.
    const crypto = affected('libs/crypto/src/index.ts');
    expect(crypto).toContain('@fcplat/crypto');
    for (const untouched of ['@fcplat/domain', '@fcplat/common', '@fcplat/qualification-robot']) expect(crypto).not.toContain(untouched);
    expect(crypto.length).toBeLessThan(all.length);
    // A leaf: the console alone.
    expect(affected('apps/console/src/main.ts')).toEqual(['@fcplat/console']);
  });
});
