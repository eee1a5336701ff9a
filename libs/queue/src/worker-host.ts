import { hostname } from 'node:os';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { isAppError } from '@fcplat/common';
import { JobOutcomeEntity } from '@fcplat/db';
import type { ConsumerWorker, QueueBackend } from './backend.js';
import type { PlatformInfrastructure } from './infrastructure.js';
import { JOB_QUEUE, QUEUE_NAMES, isJobName, type JobName, type JobPayload, type JobResult, type QueueName } from './registry.js';

export interface JobContext {
  readonly jobId: string;
  /** 1 for the first try. */
  readonly attempt: number;
  readonly workerId: string;
  /**
   * Puts the job back to wait until `at` (epoch ms) without counting an attempt (a 429, a rate
   * limit or a call another worker holds). Never returns: it ends this run of the job.
   */
  postpone(at: number): Promise<never>;
}

export interface JobProcessor<N extends JobName> {
  readonly name: N;
  process(payload: JobPayload<N>, context: JobContext): Promise<JobResult<N>>;
}

export type AnyJobProcessor = { [N in JobName]: JobProcessor<N> }[JobName];

export interface WorkerHostOptions {
  readonly backend: QueueBackend;
  readonly dataSource: DataSource;
  readonly processors: readonly AnyJobProcessor[];
  readonly concurrency?: number;
  /**
   * Concurrency of one queue's worker, when it differs from `concurrency`: a number, or a source
   * whose value the worker follows at runtime (API Particulier: concurrency that follows latency).
   */
  readonly concurrencyByQueue?: Partial<Record<QueueName, number | ConcurrencySource>>;
  readonly lockDurationMs?: number;
  /** Lock and stalled-job settings of one queue's worker, when they differ from the defaults (30 s lock). */
  readonly lockByQueue?: Partial<Record<QueueName, WorkerLockSettings>>;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/** A concurrency that changes at runtime: its value now, and a way to hear of each change. */
export interface ConcurrencySource {
  readonly current: number;
  /** Calls `listener` with each new value; returns the unsubscription. */
  onChange(listener: (concurrency: number) => void): () => void;
}

export interface WorkerLockSettings {
  readonly lockDurationMs: number;
  readonly stalledIntervalMs?: number;
  readonly maxStalledCount?: number;
}

/**
 * Runs the processors of every queue that has one and mirrors each final outcome to the
 * `job_outcome` table (Redis is not the record). A job without `tenantId` in its payload, or
 * with a name nobody processes, fails at once without retry.
 */
export class WorkerHost {
  readonly workerId = `worker:${hostname()}:${process.pid}`;
  private readonly workers: ConsumerWorker[] = [];
  private readonly byQueue = new Map<QueueName, ConsumerWorker>();
  private readonly running = new Map<QueueName, number>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly processors = new Map<JobName, AnyJobProcessor>();

  constructor(private readonly options: WorkerHostOptions) {
    for (const processor of options.processors) this.processors.set(processor.name, processor);
  }

  async start(): Promise<void> {
    const queues = new Set<QueueName>([...this.processors.keys()].map((name) => JOB_QUEUE[name]));
    for (const queue of QUEUE_NAMES.filter((q) => queues.has(q))) {
      const configured = this.options.concurrencyByQueue?.[queue];
      const worker = this.options.backend.createWorker(queue, (job, token) => this.counted(queue, () => this.handle(job, token)), {
        concurrency: (typeof configured === 'object' ? configured.current : configured) ?? this.options.concurrency ?? 4,
        lockDurationMs: this.options.lockDurationMs ?? 30_000,
        ...this.options.lockByQueue?.[queue],
        workerName: this.workerId,
      });
      worker.on('completed', (job) => void this.record(queue, job, 'completed', null));
      worker.on('failed', (job, error) => {
        if (!job) return;
        const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
        if (final) void this.record(queue, job, 'failed', errorCode(error));
      });
      worker.on('error', (error) => this.log('error', 'queue worker error', { queue, err: error }));
      await worker.waitUntilReady();
      this.workers.push(worker);
      this.byQueue.set(queue, worker);
      if (typeof configured === 'object') {
        this.unsubscribe.push(
          configured.onChange((concurrency) => worker.raiseConcurrency(concurrency)),
        );
        worker.raiseConcurrency(configured.current);
      }
    }
  }

  /** Graceful stop (SIGTERM): waits for the jobs in progress, takes no new one. */
  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers.length = 0;
    this.byQueue.clear();
  }

  /** The concurrency one queue's worker runs at now (null: no worker for that queue). */
  concurrencyOf(queue: QueueName): number | null {
    return this.byQueue.get(queue)?.concurrency ?? null;
  }

  /** Jobs of one queue this process is running now (postponed jobs are not running). */
  inFlight(queue: QueueName): number {
    return this.running.get(queue) ?? 0;
  }

  private async counted<T>(queue: QueueName, run: () => Promise<T>): Promise<T> {
    this.running.set(queue, this.inFlight(queue) + 1);
    try {
      return await run();
    } finally {
      this.running.set(queue, this.inFlight(queue) - 1);
    }
  }

  private async handle(job: Job, token: string | undefined): Promise<unknown> {
    if (!isJobName(job.name)) throw new UnrecoverableError(`UNKNOWN_JOB: no processor for ${job.name}`);
    const processor = this.processors.get(job.name);
    if (!processor) throw new UnrecoverableError(`UNKNOWN_JOB: no processor for ${job.name}`);
    const data: unknown = job.data;
    if (!data || typeof data !== 'object' || !Object.prototype.hasOwnProperty.call(data, 'tenantId')) {
      throw new UnrecoverableError('MISSING_TENANT: the job payload has no tenantId');
    }
    const context: JobContext = {
      jobId: String(job.id),
      attempt: job.attemptsMade + 1,
      workerId: this.workerId,
      postpone: async (at: number): Promise<never> => {
        await job.moveToDelayed(Math.max(at, Date.now() + 1), token);
        throw new DelayedError();
      },
    };
    try {
      return await (processor as JobProcessor<JobName>).process(data as JobPayload<JobName>, context);
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      if (isAppError(error) && !error.retryable) throw new UnrecoverableError(`${error.code}: ${error.message}`);
      throw error;
    }
  }

  private async record(queue: QueueName, job: Job, status: 'completed' | 'failed', code: string | null): Promise<void> {
    const data = job.data as { tenantId?: unknown } | undefined;
    const tenantId = typeof data?.tenantId === 'string' ? data.tenantId : null;
    try {
      await this.options.dataSource
        .createQueryBuilder()
        .insert()
        .into(JobOutcomeEntity)
        .values({
          queue,
          jobId: String(job.id),
          jobName: job.name,
          tenantId,
          status,
          attempts: job.attemptsMade,
          errorCode: code,
          workerId: this.workerId,
          enqueuedAt: new Date(job.timestamp),
          finishedAt: new Date(),
        })
        .orUpdate(['status', 'attempts', 'error_code', 'worker_id', 'finished_at'], ['queue', 'job_id'])
        .execute();
    } catch (error) {
      this.log('error', 'could not record job outcome', { queue, jobName: job.name, err: error });
    }
  }

  private log(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void {
    this.options.log?.(level, message, fields);
  }
}

/** Stable code of an error for the outcome table: `CODE: message` → `CODE`. */
function errorCode(error: Error): string {
  const match = /^([A-Z][A-Z0-9_]+):/.exec(error.message);
  if (match?.[1]) return match[1];
  if (isAppError(error)) return error.code;
  return error.name === 'Error' ? 'JOB_FAILED' : error.name;
}

/** The parts of a worker beside its job processors (a scheduler, a dispatcher): started once the host consumes, stopped before it drains. */
export interface WorkerParts {
  start(): void;
  /** Stops producing work (dispatching, scheduling); the jobs in progress go on. */
  stop(): Promise<void>;
  /** Releases what the processors use (HTTP agents, SMTP connections): once the jobs in progress have ended. */
  close(): void;
}

/** A worker started by {@link startWorkerParts}. */
export interface RunningWorkerParts<P extends WorkerParts> {
  readonly parts: P;
  readonly host: WorkerHost;
  /** Stops the parts' work, drains the jobs in progress, then closes the parts (the infrastructure stays open). */
  stop(): Promise<void>;
}

/**
 * Runs `parts` on a worker host of their own (`host`: their processors...) on open infrastructure:
 * the host consumes first, then the parts start. What test harnesses and embedded set-ups need; the
 * worker process hosts the same parts beside its other processors.
 */
export async function startWorkerParts<P extends WorkerParts>(
  parts: P,
  infrastructure: Pick<PlatformInfrastructure, 'dataSource' | 'queueBackend'>,
  host: Omit<WorkerHostOptions, 'backend' | 'dataSource'>,
): Promise<RunningWorkerParts<P>> {
  const running = new WorkerHost({ backend: infrastructure.queueBackend, dataSource: infrastructure.dataSource, ...host });
  await running.start();
  parts.start();
  return {
    parts,
    host: running,
    stop: async () => {
      await parts.stop();
      await running.stop();
      parts.close();
    },
  };
}
