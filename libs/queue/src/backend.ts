import { Queue, Worker, createPostgresBackend, withBackend, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { QueueConfig } from '@fcplat/config';
import { QueueBackendError } from './errors.js';
import type { QueueName } from './registry.js';

/** The part of a BullMQ queue the platform uses, whatever the backend. */
export interface ProducerQueue {
  add(name: string, data: unknown, opts?: Record<string, unknown>): Promise<Job>;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** The part of a BullMQ worker the platform uses, whatever the backend. */
export interface ConsumerWorker {
  /**
   * Jobs handled at once. BullMQ reads it before fetching each job — but once every slot is taken,
   * its loop waits for a running job to end before it looks again: raise it with {@link raiseConcurrency}.
   */
  concurrency: number;
  /**
   * Raises (or lowers) the concurrency, and when raised, wakes the worker's loop so the new slots
   * fill now: with a slow upstream, the first job may end seconds later (API Particulier's
   * concurrency follows latency precisely then).
   */
  raiseConcurrency(concurrency: number): void;
  on(event: 'completed', listener: (job: Job, result: unknown) => void): unknown;
  on(event: 'failed', listener: (job: Job | undefined, error: Error) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(force?: boolean): Promise<void>;
  waitUntilReady(): Promise<unknown>;
}

/** `token`: the worker's lock token of the job, needed to move it back to delayed. */
export type JobHandler = (job: Job, token?: string) => Promise<unknown>;

export interface WorkerSettings {
  readonly concurrency: number;
  /** Ms after which a job whose worker stopped renewing its lock is handed to another worker. */
  readonly lockDurationMs: number;
  /** Ms between two stalled-job checks (BullMQ's default: 30 s); a dead worker's job moves after lock expiry + up to this. */
  readonly stalledIntervalMs?: number;
  /** Times a job may be recovered from a stalled state before BullMQ fails it (BullMQ's default: 1). */
  readonly maxStalledCount?: number;
  readonly workerName: string;
}

export interface QueueBackend {
  readonly kind: QueueConfig['backend'];
  createQueue(name: QueueName): ProducerQueue;
  createWorker(name: QueueName, handler: JobHandler, settings: WorkerSettings): ConsumerWorker;
  /** Closes the backend's own connections (queues and workers close their own). */
  close(): Promise<void>;
}

export interface ConnectOptions {
  readonly config: QueueConfig;
  /** The platform database; BullMQ's PostgreSQL backend keeps its tables in schema `bullmq`. */
  readonly databaseUrl: string;
  /** Producers fail fast when the queue is down (the API answers 503); workers wait and resume. */
  readonly role: 'producer' | 'worker';
}

/**
 * Connects to the configured backend. With Redis it first checks `maxmemory-policy` is
 * `noeviction` (SR-32) and throws {@link QueueBackendError} otherwise: an evicting Redis
 * silently loses jobs.
 */
export async function connectQueueBackend(options: ConnectOptions): Promise<QueueBackend> {
  return options.config.backend === 'redis'
    ? connectRedis(options.config.redisUrl, options.config.prefix, options.role)
    : connectPostgres(options.databaseUrl, options.config.prefix);
}

async function connectRedis(url: string, prefix: string, role: ConnectOptions['role']): Promise<QueueBackend> {
  const base: RedisOptions = { lazyConnect: true, connectTimeout: 5_000, connectionName: `fcplat-${role}` };
  const producerOptions: RedisOptions = { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false };
  const workerOptions: RedisOptions = { ...base, maxRetriesPerRequest: null, enableOfflineQueue: true };
  const control = new Redis(url, { ...producerOptions, retryStrategy: () => null, disconnectTimeout: 200 });
  control.on('error', () => undefined); // the failure is reported by connect() below
  try {
    await control.connect();
    await assertNoEviction(control);
  } catch (error) {
    if (error instanceof QueueBackendError) throw error;
    throw new QueueBackendError('QUEUE_UNREACHABLE', `Redis is unreachable: ${describe(error)}`, { cause: error });
  } finally {
    control.disconnect();
  }
  const connections: Redis[] = [];
  const open = async (opts: RedisOptions): Promise<Redis> => {
    const connection = new Redis(url, opts);
    connection.on('error', () => undefined); // state is reported by health checks, not by crashes
    connections.push(connection);
    await connection.connect();
    return connection;
  };
  const producerConnection = await open(producerOptions);
  return {
    kind: 'redis',
    createQueue: (name) => new Queue(name, { connection: producerConnection, prefix }) as unknown as ProducerQueue,
    createWorker: (name, handler, settings) => {
      const connection = new Redis(url, { ...workerOptions, lazyConnect: false });
      connection.on('error', () => undefined);
      connections.push(connection);
      return consumerWorker(
        new Worker(name, handler, { connection, prefix, ...bullWorkerOptions(settings) }),
      );
    },
    close: async () => {
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/** Reads `maxmemory_policy` from INFO (CONFIG GET is often disabled on managed Redis). */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const info = await redis.info('memory');
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy !== 'noeviction') {
    throw new QueueBackendError(
      'REDIS_EVICTION_POLICY',
      `Redis maxmemory-policy is "${policy ?? 'unknown'}" but must be "noeviction": with eviction Redis silently drops queued jobs. ` +
        'Set `maxmemory-policy noeviction` in redis.conf (or `CONFIG SET maxmemory-policy noeviction`) and restart.',
    );
  }
}

async function connectPostgres(databaseUrl: string, prefix: string): Promise<QueueBackend> {
  const classes = withBackend(createPostgresBackend);
  // One namespace per prefix, so tests and several platforms can share a database.
  const schema = prefix === 'fcplat' ? 'bullmq' : `bullmq_${prefix.replace(/-/g, '_')}`;
  // BullMQ migrates its own schema under an advisory lock (embedded mode only: production uses Redis).
  const connection = { connectionString: databaseUrl, schema, max: 2, connectionTimeoutMillis: 5_000, migrate: true };
  const probe = new classes.Queue('system', { connection });
  try {
    await probe.waitUntilReady();
  } catch (error) {
    throw new QueueBackendError('QUEUE_UNREACHABLE', `PostgreSQL queue backend is unreachable: ${describe(error)}`, { cause: error });
  } finally {
    await probe.close().catch(() => undefined);
  }
  return {
    kind: 'postgres',
    createQueue: (name) => new classes.Queue(name, { connection }) as unknown as ProducerQueue,
    createWorker: (name, handler, settings) =>
      consumerWorker(
        new classes.Worker(name, handler, { connection, ...bullWorkerOptions(settings) }),
      ),
    close: async () => undefined,
  };
}

/** BullMQ's worker options from ours, whatever the backend (the connection is the backend's). */
function bullWorkerOptions(settings: WorkerSettings): { concurrency: number; lockDuration: number; stalledInterval?: number; maxStalledCount?: number; name: string } {
  return {
    concurrency: settings.concurrency,
    lockDuration: settings.lockDurationMs,
    ...(settings.stalledIntervalMs ? { stalledInterval: settings.stalledIntervalMs } : {}),
    ...(settings.maxStalledCount !== undefined ? { maxStalledCount: settings.maxStalledCount } : {}),
    name: settings.workerName,
  };
}

/**
 * A BullMQ worker with {@link ConsumerWorker.raiseConcurrency}. BullMQ (6.7) has no public way to
 * wake its loop: it waits on its private queue of jobs in progress (`mainLoopQueue`), and a value
 * resolved into that queue (no job, which the loop already handles: it looks for jobs again) wakes
 * it. If a BullMQ version drops that queue, the concurrency still changes and applies when a job
 * ends, as before; `calls-concurrency.int-spec.ts` then fails (more calls out before the first answer).
 */
function consumerWorker(worker: { concurrency: number }): ConsumerWorker {
  const elastic = worker as unknown as ConsumerWorker & { mainLoopQueue?: { add(pending: Promise<unknown>): void } | null };
  elastic.raiseConcurrency = (concurrency: number): void => {
    const raised = concurrency > elastic.concurrency;
    elastic.concurrency = concurrency;
    if (raised) elastic.mainLoopQueue?.add(Promise.resolve(undefined));
  };
  return elastic;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
