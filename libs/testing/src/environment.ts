import { createServer } from 'node:net';
import { loadConfig, type DatabaseConfig, type PlatformConfig, type QueueConfig } from '@fcplat/config';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through Jest's global setup (npm test)`);
  return value;
}

/** This run's own database (created by tools/jest/global-setup.js, dropped at the end). */
export function testDatabaseConfig(overrides: Partial<DatabaseConfig> = {}): DatabaseConfig {
  return { url: required('TEST_DATABASE_URL'), poolMax: 4, ssl: 'disable', statementTimeoutMs: 15_000, changeNotifications: true, preparedStatements: true, ...overrides };
}

export function testRedisUrl(): string {
  return required('TEST_REDIS_URL');
}

let prefixCounter = 0;
/** A Redis key prefix owned by this run (cleaned at teardown); unique per call inside the run. */
export function testQueuePrefix(label = 'q'): string {
  prefixCounter += 1;
  return `fcplat-test-${required('TEST_RUN_ID')}-${process.pid}-${label}-${prefixCounter}`;
}

export function testRedisQueueConfig(label?: string): QueueConfig {
  return { backend: 'redis', redisUrl: testRedisUrl(), prefix: testQueuePrefix(label), heartbeatIntervalSeconds: 3600 };
}

/** A fixed, test-only keyring (never used outside tests). */
export const TEST_SECRETS_KEYS = 'test1:dGVzdC1vbmx5LWtleS0wMDAwMDAwMDAwMDAwMDAwMDA=';

/** Base environment for starting the API or the worker as a child process in a test. */
export function testProcessEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    DATABASE_URL: required('TEST_DATABASE_URL'),
    DATABASE_POOL_MAX: '4',
    QUEUE_BACKEND: 'redis',
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: testQueuePrefix('proc'),
    LOG_LEVEL: 'info',
    SECRETS_KEYS: TEST_SECRETS_KEYS,
    SECRETS_ACTIVE_KEY: 'test1',
    ALLOW_CUSTOM_ENDPOINTS: 'true',
    ...extra,
  };
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A validated configuration on this run's database and Redis, with a fresh queue prefix. */
export async function testPlatformConfig(extra: Record<string, string> = {}): Promise<PlatformConfig> {
  const port = extra.PORT ?? String(await freePort());
  return loadConfig(testProcessEnv({ PORT: port, ...extra }));
}
