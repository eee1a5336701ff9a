import type { DataSource } from 'typeorm';
import type { QueueConfig } from '@fcplat/config';
import {
  JobProducer,
  QueueBackendError,
  WorkerHost,
  connectQueueBackend,
  heartbeatProcessor,
  lastHeartbeat,
  type QueueBackend,
} from '@fcplat/queue';
import { migratedTestDataSource, startScratchRedis, testDatabaseConfig, testQueuePrefix, testRedisQueueConfig } from '@fcplat/testing';

async function eventually<T>(probe: () => Promise<T | null | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each<[string, () => QueueConfig]>([
  ['redis', () => testRedisQueueConfig('hb')],
  ['postgres', () => ({ backend: 'postgres', prefix: testQueuePrefix('pg'), heartbeatIntervalSeconds: 3600 })],
])('queue pipe on the %s backend', (_label, makeConfig) => {
  let dataSource: DataSource;
  let producerBackend: QueueBackend;
  let workerBackend: QueueBackend;
  let producer: JobProducer;
  let host: WorkerHost;

  beforeAll(async () => {
    dataSource = await migratedTestDataSource();
    const config = makeConfig();
    const databaseUrl = testDatabaseConfig().url;
    producerBackend = await connectQueueBackend({ config, databaseUrl, role: 'producer' });
    workerBackend = await connectQueueBackend({ config, databaseUrl, role: 'worker' });
    producer = new JobProducer(producerBackend);
    host = new WorkerHost({ backend: workerBackend, dataSource, processors: [heartbeatProcessor] });
    await host.start();
  });

  afterAll(async () => {
    await host.stop();
    await producer.close();
    await producerBackend.close();
    await workerBackend.close();
    await dataSource.destroy();
  });

  it('reports itself up with a real round trip', async () => {
    const health = await producer.health();
    expect(health).toMatchObject({ up: true });
  });

  it('carries a heartbeat through the worker and records its outcome in PostgreSQL', async () => {
    const since = new Date();
    const jobId = await producer.enqueue('system.heartbeat', { tenantId: null, requestedAt: since.toISOString(), requestedBy: 'test' }, { jobId: `hb-${Date.now()}` });
    const outcome = await eventually(async () => {
      const rows: { status: string; attempts: number }[] = await dataSource.query(
        `SELECT status, attempts FROM job_outcome WHERE job_id = $1`,
        [jobId],
      );
      return rows[0];
    });
    expect(outcome).toEqual({ status: 'completed', attempts: 1 });
    const last = await lastHeartbeat(dataSource);
    expect(last?.finishedAt.getTime()).toBeGreaterThanOrEqual(since.getTime() - 1000);
  });

  it('makes one job of two enqueues with the same id', async () => {
    const id = `same-${Date.now()}`;
    const payload = { tenantId: null, requestedAt: new Date().toISOString(), requestedBy: 'test' } as const;
    await Promise.all([producer.enqueue('system.heartbeat', payload, { jobId: id }), producer.enqueue('system.heartbeat', payload, { jobId: id })]);
    await eventually(async () => (await dataSource.query(`SELECT 1 FROM job_outcome WHERE job_id = $1`, [id]))[0]);
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM job_outcome WHERE job_id = $1`, [id]);
    expect(n).toBe(1);
  });

  it('refuses a job without tenantId at enqueue time', async () => {
    await expect(producer.enqueue('system.heartbeat', { requestedAt: 'x', requestedBy: 'y' } as never)).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
  });
});

describe('Redis eviction policy check', () => {
  it('refuses a Redis that may evict keys, saying why', async () => {
    const redis = await startScratchRedis(['--maxmemory-policy', 'allkeys-lru']);
    try {
      const attempt = connectQueueBackend({
        config: { backend: 'redis', redisUrl: redis.url, prefix: 'x', heartbeatIntervalSeconds: 30 },
        databaseUrl: testDatabaseConfig().url,
        role: 'worker',
      });
      await expect(attempt).rejects.toBeInstanceOf(QueueBackendError);
      await expect(attempt).rejects.toMatchObject({ code: 'REDIS_EVICTION_POLICY', message: expect.stringContaining('allkeys-lru') });
    } finally {
      await redis.stop();
    }
  });

  it('fails fast with QUEUE_UNREACHABLE when nothing listens', async () => {
    const attempt = connectQueueBackend({
      config: { backend: 'redis', redisUrl: 'redis://127.0.0.1:1', prefix: 'x', heartbeatIntervalSeconds: 30 },
      databaseUrl: testDatabaseConfig().url,
      role: 'producer',
    });
    await expect(attempt).rejects.toMatchObject({ code: 'QUEUE_UNREACHABLE' });
  });
});
