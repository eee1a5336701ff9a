import pino, { type DestinationStream, type Logger } from 'pino';
import { LOG_SAFE_SERIALIZERS, logSafeFields } from '@fcplat/common';
import { apiParticulierWorkerParts, type ApiParticulierWorkerParts } from '@fcplat/api-particulier-calls';
import type { PlatformConfig } from '@fcplat/config';
import { WorkerHost, openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import { allProcessors } from './processors.js';

export interface RunningWorker {
  readonly host: WorkerHost;
  readonly infrastructure: PlatformInfrastructure;
  readonly apiParticulier: ApiParticulierWorkerParts;
  /** Graceful: stops dispatching, finishes the jobs in progress, then closes connections. */
  stop(): Promise<void>;
}

export function workerLogger(config: PlatformConfig, destination?: DestinationStream): Logger {
  // Errors through the same allow-list as the API's (no SQL text, parameters or driver details).
  const options = { level: config.log.level, base: { service: 'fcplat-worker' }, formatters: { log: logSafeFields }, serializers: LOG_SAFE_SERIALIZERS };
  return destination ? pino(options, destination) : pino(options);
}

export async function startWorker(config: PlatformConfig, logger: Logger = workerLogger(config)): Promise<RunningWorker> {
  const infrastructure = await openPlatformInfrastructure(config, 'worker');
  const log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void => logger[level](fields ?? {}, message);
  const apiParticulier = apiParticulierWorkerParts(config, infrastructure.dataSource, infrastructure.producer, log);
  const host = new WorkerHost({
    backend: infrastructure.queueBackend,
    dataSource: infrastructure.dataSource,
    processors: allProcessors(apiParticulier),
    concurrencyByQueue: { 'api-particulier': config.apiParticulier.workerConcurrency },
    log,
  });
  await host.start();
  apiParticulier.start();
  logger.info({ queue: config.queue.backend, workerId: host.workerId }, 'worker started');
  return {
    host,
    infrastructure,
    apiParticulier,
    stop: async () => {
      await apiParticulier.stop();
      await host.stop();
      await infrastructure.close();
      logger.info('worker stopped');
    },
  };
}
