import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import type { PlatformConfig } from '@fcplat/config';
import { withTimeout, lastHeartbeat, type JobProducer } from '@fcplat/queue';
import { DATA_SOURCE, JOB_PRODUCER, PLATFORM_CONFIG } from '../infrastructure/tokens.js';

export type CheckStatus = 'up' | 'down';

export interface ReadinessReport {
  readonly status: 'ready' | 'not_ready';
  readonly checks: {
    readonly database: { status: CheckStatus; latencyMs: number; error?: string };
    readonly queue: { status: CheckStatus; backend: string; latencyMs: number; counts?: Readonly<Record<string, number>>; error?: string };
    /** Informative: the API can serve without a worker, so this does not fail readiness. */
    readonly worker: { status: 'up' | 'stale' | 'unknown'; lastHeartbeatAt: string | null; ageSeconds: number | null; pipeLatencyMs: number | null };
  };
}

@Injectable()
export class HealthService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(JOB_PRODUCER) private readonly producer: JobProducer,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(HealthService.name);
  }

  async readiness(): Promise<ReadinessReport> {
    const [database, queue] = await Promise.all([this.database(), this.producer.health()]);
    const worker = await this.worker(database.status === 'up');
    const ready = database.status === 'up' && queue.up;
    // The cause stays in the logs (operators need it); the answer only says "unreachable".
    if (!ready) this.logger.warn({ database: database.error ?? database.status, queue: queue.up ? 'up' : queue.error }, 'readiness check failed');
    return {
      status: ready ? 'ready' : 'not_ready',
      checks: {
        database: database.error ? { ...database, error: 'unreachable' } : database,
        queue: {
          status: queue.up ? 'up' : 'down',
          backend: queue.backend,
          latencyMs: queue.latencyMs,
          ...(queue.counts ? { counts: queue.counts } : {}),
          ...(queue.error ? { error: 'unreachable' } : {}),
        },
        worker,
      },
    };
  }

  private async database(): Promise<ReadinessReport['checks']['database']> {
    const started = performance.now();
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 3_000);
      return { status: 'up', latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { status: 'down', latencyMs: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
    }
  }

  private async worker(databaseUp: boolean): Promise<ReadinessReport['checks']['worker']> {
    const unknown = { status: 'unknown', lastHeartbeatAt: null, ageSeconds: null, pipeLatencyMs: null } as const;
    if (!databaseUp) return unknown;
    try {
      const last = await withTimeout(lastHeartbeat(this.dataSource), 3_000);
      if (!last) return unknown;
      const ageSeconds = Math.max(0, Math.round((Date.now() - last.finishedAt.getTime()) / 1000));
      const staleAfter = this.config.queue.heartbeatIntervalSeconds * 3;
      return {
        status: ageSeconds <= staleAfter ? 'up' : 'stale',
        lastHeartbeatAt: last.finishedAt.toISOString(),
        ageSeconds,
        pipeLatencyMs: last.pipeLatencyMs,
      };
    } catch {
      return unknown;
    }
  }
}
