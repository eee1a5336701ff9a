import { hostname } from 'node:os';
import type { DataSource } from 'typeorm';
import type { JobProducer } from './producer.js';
import type { JobProcessor } from './worker-host.js';

/** The worker side of the heartbeat: proves a job went through the whole pipe. */
export const heartbeatProcessor: JobProcessor<'system.heartbeat'> = {
  name: 'system.heartbeat',
  async process(_payload, context) {
    return { workerId: context.workerId, processedAt: new Date().toISOString() };
  },
};

/** Sends one heartbeat now, then every `intervalSeconds`; returns a function that stops it. */
export function startHeartbeat(producer: JobProducer, intervalSeconds: number, onError?: (error: unknown) => void): () => void {
  const requestedBy = `api:${hostname()}:${process.pid}`;
  const send = (): void => {
    const now = new Date();
    // One heartbeat per interval bucket and API process: retries of the enqueue are no-ops.
    const bucket = Math.floor(now.getTime() / (intervalSeconds * 1000));
    producer
      .enqueue('system.heartbeat', { tenantId: null, requestedAt: now.toISOString(), requestedBy }, {
        jobId: `heartbeat-${requestedBy.replace(/:/g, '-')}-${bucket}`,
        attempts: 1,
      })
      .catch((error: unknown) => onError?.(error));
  };
  send();
  const timer = setInterval(send, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

export interface LastHeartbeat {
  readonly finishedAt: Date;
  readonly workerId: string;
  /** Enqueue-to-completion time of that heartbeat. */
  readonly pipeLatencyMs: number;
}

export async function lastHeartbeat(dataSource: DataSource): Promise<LastHeartbeat | null> {
  const rows: { finished_at: Date; worker_id: string; enqueued_at: Date }[] = await dataSource.query(
    `SELECT finished_at, worker_id, enqueued_at FROM job_outcome
      WHERE job_name = 'system.heartbeat' AND status = 'completed'
      ORDER BY finished_at DESC LIMIT 1`,
  );
  const row = rows[0];
  if (!row) return null;
  return {
    finishedAt: new Date(row.finished_at),
    workerId: row.worker_id,
    pipeLatencyMs: new Date(row.finished_at).getTime() - new Date(row.enqueued_at).getTime(),
  };
}
