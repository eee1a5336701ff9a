import pino, { type Logger } from 'pino';
import type { PlatformConfig } from '@fcplat/config';
import { WorkerHost, openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import { allProcessors } from './processors.js';

export interface RunningWorker {
  readonly host: WorkerHost;
  readonly infrastructure: PlatformInfrastructure;
  /** Graceful: finishes the jobs in progress, then closes connections. */
  stop(): Promise<void>;
}

export function workerLogger(config: PlatformConfig): Logger {
  return pino({ level: config.log.level, base: { service: 'fcplat-worker' } });
}

export async function startWorker(config: PlatformConfig, logger: Logger = workerLogger(config)): Promise<RunningWorker> {
  const infrastructure = await openPlatformInfrastructure(config, 'worker');
  const host = new WorkerHost({
    backend: infrastructure.queueBackend,
    dataSource: infrastructure.dataSource,
    processors: allProcessors(),
    log: (level, message, fields) => logger[level](fields ?? {}, message),
  });
  await host.start();
  logger.info({ queue: config.queue.backend, workerId: host.workerId }, 'worker started');
  return {
    host,
    infrastructure,
    stop: async () => {
      await host.stop();
      await infrastructure.close();
      logger.info('worker stopped');
    },
  };
}
