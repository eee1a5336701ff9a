import { connect, type Socket } from 'node:net';
import {
  eventually,
  freePort,
  migratedTestDataSource,
  scratchMigratedDatabase,
  spawnBuilt,
  startScratchRedis,
  testProcessEnv,
  withScratchDatabase,
  type SpawnedProcess,
} from '@fcplat/testing';

/** Boot behaviour of the real processes, as an operator starts them in production mode. */
describe('API and worker processes in production mode', () => {
  beforeAll(async () => {
    await (await migratedTestDataSource()).destroy();
  });

  const productionEnv = (port: number, extra: Record<string, string> = {}) =>
    testProcessEnv({ NODE_ENV: 'production', PORT: String(port), PUBLIC_URL: 'https://portail.example.fr', SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'Plateforme <no-reply@example.fr>', HEARTBEAT_INTERVAL_SECONDS: '1', ...extra });

  /** Waits for a SIGTERMed process to exit, at most `ms`; a process still there is named with its last output. */
  const stopWithin = async (name: string, processUnderTest: SpawnedProcess, ms: number) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name} still running ${ms} ms after SIGTERM; output:\n${processUnderTest.output().slice(-2000)}`)), ms);
    });
    try {
      return await Promise.race([processUnderTest.stop('SIGTERM'), late]);
    } finally {
      clearTimeout(timer);
      await processUnderTest.stop('SIGKILL');
    }
  };

  // A database of its own: on the suites' shared database, this worker would also sweep (and hold
  // at its stop) whatever work other suites running at the same time leave there.
  it('serve, pass a heartbeat through the worker, and stop cleanly on SIGTERM', async () => {
    const database = await scratchMigratedDatabase('fcplat-test-boot');
    const port = await freePort();
    const env = productionEnv(port, { DATABASE_URL: database.url });
    const api = spawnBuilt('apps/api/dist/main.js', env);
    const worker = spawnBuilt('apps/worker/dist/main.js', env);
    try {
      const ready = await eventually(async () => {
        const response = await fetch(`http://127.0.0.1:${port}/api/health/ready`);
        const body = (await response.json()) as { status: string; checks: { worker: { status: string } } };
        return response.status === 200 && body.checks.worker.status === 'up' ? body : null;
      }, 30_000, 'ready with worker up');
      expect(ready).toMatchObject({ status: 'ready', checks: { database: { status: 'up' }, queue: { status: 'up', backend: 'redis' } } });
      expect(api.output()).not.toContain('postgres://');
      const healthcheck = spawnBuilt('apps/worker/dist/healthcheck.js', env);
      expect((await healthcheck.exited).code).toBe(0);
      expect(healthcheck.output()).toMatch(/^healthy: last heartbeat \d+ s ago/);
    } finally {
      try {
        const [apiExit, workerExit] = await Promise.all([stopWithin('the API', api, 20_000), stopWithin('the worker', worker, 20_000)]);
        expect(apiExit.code).toBe(0);
        expect(workerExit.code).toBe(0);
      } finally {
        await database.drop();
      }
    }
    // Jest's limit above the steps' own (30 s to be ready, the healthcheck, 20 s to stop): a slow step fails naming itself.
  }, 90_000);

  // The worker's side (jobs still running at the deadline, taken over by another worker) is in
  // libs/api-particulier-calls/test/calls-resilience.int-spec.ts.
  it('ends an API stop that outlasts STOP_TIMEOUT_SECONDS: exit code 1 and a log line saying what was left', async () => {
    const port = await freePort();
    const api = spawnBuilt('apps/api/dist/main.js', productionEnv(port, { STOP_TIMEOUT_SECONDS: process.env['TEST_STOP_TIMEOUT_SECONDS'] ?? '2' }));
    let slowClient: Socket | undefined;
    try {
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.ok || null, 30_000, 'the API up');
      // A client that sent half of its request's body and says nothing more: Node would wait 300 s for the rest.
      slowClient = connect(port, '127.0.0.1');
      slowClient.on('error', () => undefined);
      await new Promise<void>((resolve) => slowClient?.once('connect', () => resolve()));
      slowClient.write(`POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":`);
      const exit = await stopWithin('the API', api, 20_000);
      expect(exit.code).toBe(1);
      expect(api.output()).toContain('stop deadline passed: exiting with requests still open');
    } finally {
      slowClient?.destroy();
      await api.stop('SIGKILL');
    }
  }, 60_000);

  it.each(['apps/api/dist/main.js', 'apps/worker/dist/main.js'])('%s exits non-zero naming DATABASE_URL when it is missing', async (script) => {
    const env = productionEnv(await freePort());
    delete env.DATABASE_URL;
    const processUnderTest = spawnBuilt(script, env);
    const { code } = await processUnderTest.exited;
    expect(code).toBe(78);
    expect(processUnderTest.output()).toContain('DATABASE_URL: is required');
  });

  it.each(['apps/api/dist/main.js', 'apps/worker/dist/main.js'])('%s refuses a Redis with maxmemory-policy allkeys-lru, saying why', async (script) => {
    const redis = await startScratchRedis(['--maxmemory-policy', 'allkeys-lru']);
    try {
      const processUnderTest = spawnBuilt(script, productionEnv(await freePort(), { REDIS_URL: redis.url }));
      const { code } = await processUnderTest.exited;
      expect(code).toBe(1);
      expect(processUnderTest.output()).toMatch(/maxmemory-policy is "allkeys-lru" but must be "noeviction"/);
    } finally {
      await redis.stop();
    }
  });

  it('reports an unhealthy worker container when no heartbeat of its host was recorded', async () => {
    await withScratchDatabase(async (url) => {
      const migrate = spawnBuilt('libs/db/dist/cli/migrate.js', productionEnv(await freePort(), { DATABASE_URL: url }));
      expect((await migrate.exited).code).toBe(0);
      expect(migrate.output()).toMatch(/Applied on .*AuditLogAndJobOutcome/);
      const healthcheck = spawnBuilt('apps/worker/dist/healthcheck.js', productionEnv(await freePort(), { DATABASE_URL: url }));
      expect((await healthcheck.exited).code).toBe(1);
      expect(healthcheck.output()).toContain('unhealthy: no recent heartbeat');
    });
  });

  it('refuses to start on a database whose migrations are not applied', async () => {
    await withScratchDatabase(async (url) => {
      const processUnderTest = spawnBuilt('apps/api/dist/main.js', productionEnv(await freePort(), { DATABASE_URL: url }));
      const { code } = await processUnderTest.exited;
      expect(code).toBe(1);
      expect(processUnderTest.output()).toContain('npm run db:migrate');
    });
  });

  it('answers 503 quickly when Redis goes away, and recovers when it is back (SR-35)', async () => {
    const redis = await startScratchRedis(['--maxmemory-policy', 'noeviction']);
    const port = await freePort();
    let api: SpawnedProcess | undefined;
    let restarted: Awaited<ReturnType<typeof startScratchRedis>> | undefined;
    try {
      api = spawnBuilt('apps/api/dist/main.js', productionEnv(port, { REDIS_URL: redis.url }));
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/api/health/ready`)).status === 200, 20_000, 'ready');
      await redis.stop();
      const started = Date.now();
      const down = await fetch(`http://127.0.0.1:${port}/api/health/ready`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: 'not_ready', checks: { queue: { status: 'down' }, database: { status: 'up' } } });
      // Reported, not asserted as a timing: the check is bounded by its own 3 s timeout.
      expect(Date.now() - started).toBeLessThan(10_000);
      restarted = await startScratchRedis(['--maxmemory-policy', 'noeviction'], Number(new URL(redis.url).port));
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/api/health/ready`)).status === 200, 20_000, 'ready again');
    } finally {
      await api?.stop();
      await restarted?.stop();
      await redis.stop();
    }
  });
});
