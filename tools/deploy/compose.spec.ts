import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * There is no Docker engine on our machines, so the deployment files are checked by reading
 * them: services, healthchecks, start order, no default secrets, and the image built with the
 * same commands as CI.
 */
const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface Service {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
  restart?: string;
  stop_grace_period?: string;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

describe('docker-compose.yml', () => {
  it('runs postgres, redis, a one-shot migration, api, worker and sandbox', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'migrate', 'postgres', 'redis', 'sandbox', 'worker']);
    expect(services.migrate?.restart).toBe('no');
    expect(services.sandbox?.profiles).toEqual(['sandbox']);
  });

  it('gives every long-running service a healthcheck', () => {
    for (const name of ['postgres', 'redis', 'api', 'worker', 'sandbox']) {
      expect(services[name]?.healthcheck?.test.length).toBeGreaterThan(0);
    }
  });

  it('starts the apps only after a successful migration and healthy stores', () => {
    for (const name of ['api', 'worker']) {
      expect(services[name]?.depends_on).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
    expect(services.migrate?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('builds every app service from the one Dockerfile with its own command', () => {
    const commands: Record<string, string> = {
      migrate: 'libs/db/dist/cli/migrate.js',
      api: 'apps/api/dist/main.js',
      worker: 'apps/worker/dist/main.js',
      sandbox: 'apps/sandbox/dist/main.js',
    };
    for (const [name, script] of Object.entries(commands)) {
      expect(services[name]?.build).toBe('.');
      expect(services[name]?.command).toEqual(['node', script]);
    }
    expect(services.worker?.healthcheck?.test).toEqual(['CMD', 'node', 'apps/worker/dist/healthcheck.js']);
  });

  it('gives the API and the worker more time to stop than their own stop deadline (STOP_TIMEOUT_SECONDS)', async () => {
    const { CONFIG_REFERENCE } = await import('@fcplat/config');
    const deadline = Number(CONFIG_REFERENCE.find((v) => v.name === 'STOP_TIMEOUT_SECONDS')?.defaultValue);
    expect(deadline).toBeGreaterThan(0);
    for (const name of ['api', 'worker']) {
      const grace = /^(\d+)s$/.exec(services[name]?.stop_grace_period ?? '');
      // Docker's default is 10 s: below the deadline, the process would be killed before saying what it leaves.
      expect({ name, graceAboveDeadline: Number(grace?.[1] ?? 10) > deadline }).toEqual({ name, graceAboveDeadline: true });
    }
  });

  it('runs Redis with noeviction and an append-only file', () => {
    const command = (services.redis?.command ?? []).join(' ');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(command).toContain('--appendonly yes');
  });

  it('has no default secret: passwords must be provided (":?") and are never literal', () => {
    const text = read('docker-compose.yml');
    expect(text).toMatch(/POSTGRES_PASSWORD:\?/);
    expect(text).toMatch(/REDIS_PASSWORD:\?/);
    expect(text).not.toMatch(/PASSWORD:-/);
    expect(text).not.toMatch(/SECRET[A-Z_]*:-/);
    for (const service of Object.values(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|SECRET|KEY|TOKEN/.test(key)) expect(String(value)).toMatch(/^\$\{[A-Z_]+:\?/);
        if (key.endsWith('_URL') && String(value).includes('@')) expect(String(value)).toMatch(/\$\{[A-Z_]+:\?[^}]*\}@/);
      }
    }
  });

  it('gives the API and the worker every variable required in production', async () => {
    const { CONFIG_REFERENCE } = await import('@fcplat/config');
    const required = CONFIG_REFERENCE.filter((v) => v.requiredInProduction).map((v) => v.name);
    for (const name of ['api', 'worker']) {
      expect(Object.keys(services[name]?.environment ?? {})).toEqual(expect.arrayContaining(required));
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const runSteps = dockerfile.split('\n').filter((line) => line.startsWith('RUN ')).map((line) => line.slice(4).trim());

  it('builds with the same commands as CI', () => {
    expect(runSteps.slice(0, 2)).toEqual(['npm ci', 'npm run build']);
    const ci = read('.ci/run');
    expect(ci).toMatch(/^npm ci\b/m);
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(ci).toMatch(/^npm test$/m);
    expect(pkg.scripts.test).toContain('npm run typecheck');
    expect(pkg.scripts.typecheck).toMatch(/^npm run build\b/);
  });

  it('runs on Node 24 LTS as an unprivileged user', () => {
    expect(dockerfile).toMatch(/^FROM node:24-/m);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
