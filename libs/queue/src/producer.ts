import { AppError } from '@fcplat/common';
import type { ProducerQueue, QueueBackend } from './backend.js';
import { JOB_QUEUE, QUEUE_NAMES, type JobName, type JobPayload, type QueueName } from './registry.js';

export interface EnqueueOptions {
  /** Idempotency key: a second enqueue with the same id is a no-op while the first job exists. */
  readonly jobId?: string;
  readonly attempts?: number;
  readonly delayMs?: number;
  /** First retry delay (exponential, doubled each attempt, ±50 % jitter). Default 1 s. */
  readonly backoffDelayMs?: number;
  /**
   * Removes the job from Redis once it has failed for good, instead of keeping it 7 days. A kept
   * failed job holds its id: an enqueue with the same `jobId` is then a no-op. For jobs whose
   * record is elsewhere (API Particulier calls: the ledger in PostgreSQL, and `job_outcome`) and
   * that must be re-added under the same id.
   */
  readonly removeWhenFailed?: boolean;
}

export interface QueueHealth {
  readonly up: boolean;
  readonly backend: QueueBackend['kind'];
  readonly latencyMs: number;
  readonly counts?: Readonly<Record<string, number>>;
  readonly error?: string;
}

/** How long a failed job stays in the queue backend (for inspection), unless `removeWhenFailed`. */
const FAILED_JOBS_KEPT_S = 7 * 24 * 3600;

/** Typed, fail-fast producer used by the API (SR-35: a down queue gives 503, never a hang). */
export class JobProducer {
  private readonly queues = new Map<QueueName, ProducerQueue>();

  constructor(
    private readonly backend: QueueBackend,
    private readonly timeoutMs = 3_000,
  ) {
    for (const name of QUEUE_NAMES) this.queues.set(name, backend.createQueue(name));
  }

  get backendKind(): QueueBackend['kind'] {
    return this.backend.kind;
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions = {}): Promise<string> {
    if (!payload || !Object.prototype.hasOwnProperty.call(payload, 'tenantId')) {
      throw new AppError('INTERNAL_ERROR', { detail: `Job ${name} has no tenantId` });
    }
    const queue = this.queue(JOB_QUEUE[name]);
    try {
      const job = await withTimeout(
        queue.add(name, payload, {
          jobId: options.jobId,
          attempts: options.attempts ?? 3,
          delay: options.delayMs,
          backoff: { type: 'exponential', delay: options.backoffDelayMs ?? 1_000, jitter: 0.5 },
          removeOnComplete: { age: 24 * 3600, count: 1_000 },
          removeOnFail: options.removeWhenFailed ? true : { age: FAILED_JOBS_KEPT_S },
        }),
        this.timeoutMs,
      );
      return String(job.id);
    } catch (error) {
      throw new AppError('DEPENDENCY_UNAVAILABLE', { detail: 'La file de traitement est indisponible, réessayez plus tard.', cause: error });
    }
  }

  /** Reachability of the queue backend, measured with a real round trip. */
  async health(): Promise<QueueHealth> {
    const started = performance.now();
    try {
      const counts = await withTimeout(this.queue('system').getJobCounts('waiting', 'active', 'delayed', 'failed'), this.timeoutMs);
      return { up: true, backend: this.backend.kind, latencyMs: Math.round(performance.now() - started), counts };
    } catch (error) {
      return {
        up: false,
        backend: this.backend.kind,
        latencyMs: Math.round(performance.now() - started),
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }

  /**
   * Jobs per state of every queue (BullMQ's `getJobCounts`), for the staff dashboard; rejects
   * (within the producer's timeout) when the backend does not answer.
   */
  async queueCounts(states: readonly string[]): Promise<Record<QueueName, Record<string, number>>> {
    const entries = await Promise.all(
      QUEUE_NAMES.map(async (name) => [name, await withTimeout(this.queue(name).getJobCounts(...states), this.timeoutMs)] as const),
    );
    return Object.fromEntries(entries) as Record<QueueName, Record<string, number>>;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }

  private queue(name: QueueName): ProducerQueue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`Unknown queue ${name}`);
    return queue;
  }
}

export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
