import { existsSync } from 'node:fs';
import pino, { type DestinationStream, type Logger } from 'pino';
import { LOG_SAFE_SERIALIZERS, logSafeFields } from '@fcplat/common';
import { API_PARTICULIER_WORKER_LOCK, apiParticulierWorkerParts, type ApiParticulierWorkerParts } from '@fcplat/api-particulier-calls';
import type { PlatformConfig } from '@fcplat/config';
import { WorkerHost, openPlatformInfrastructure, type PlatformInfrastructure } from '@fcplat/queue';
import { BrowserPool } from '@fcplat/qualification-robot';
import { DEFAULT_ROBOT_PROCESSOR_SETTINGS, RobotRunProcessor, RobotScheduler } from '@fcplat/qualification-runs';
import { notificationWorkerParts, type NotificationWorkerParts } from './notifications/index.js';
import { allProcessors } from './processors.js';
import { SESSION_SWEEP_MS, startSessionSweeper } from './sweeper.js';

/** How often each worker sweeps the robot's runs (waiting runs get a job, dead runs come back, schedule, retention). */
const ROBOT_SWEEP_MS = 15_000;

export interface RunningWorker {
  readonly host: WorkerHost;
  readonly infrastructure: PlatformInfrastructure;
  readonly apiParticulier: ApiParticulierWorkerParts;
  readonly notifications: NotificationWorkerParts;
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
  // The qualification robot: a bounded pool of Chromium processes, one run per browser at a time.
  const pool = config.robot.enabled ? new BrowserPool({ size: config.robot.browsers, executablePath: config.robot.chromiumPath }) : null;
  const robotSettings = {
    ...DEFAULT_ROBOT_PROCESSOR_SETTINGS,
    publicUrl: config.http.publicUrl,
    allowCustomEndpoints: config.features.allowCustomEndpoints && !config.isProduction,
    testIdentity: config.robot.testIdentity,
    chromiumPath: config.robot.chromiumPath,
  };
  if (pool && !existsSync(config.robot.chromiumPath)) {
    logger.warn({ variable: 'QUALIFICATION_ROBOT_CHROMIUM_PATH' }, 'Chromium not found: qualification robot runs will fail until it is installed');
  }
  const robot = pool ? new RobotRunProcessor(infrastructure.dataSource, pool, robotSettings, log) : null;
  const scheduler = new RobotScheduler(
    infrastructure.dataSource,
    infrastructure.producer,
    {
      tickMs: ROBOT_SWEEP_MS,
      scheduleHours: config.robot.scheduleHours,
      evidenceRetentionDays: config.robot.evidenceRetentionDays,
      staleAfterMs: robotSettings.staleAfterMs,
      maxAttempts: 3,
    },
    log,
  );
  // Notifications: the outbox's relay, the time-based events, the digests, and the e-mails (docs/notifications.md).
  const notifications = notificationWorkerParts(config, infrastructure.dataSource, infrastructure.producer, log);
  const host = new WorkerHost({
    backend: infrastructure.queueBackend,
    dataSource: infrastructure.dataSource,
    processors: allProcessors(apiParticulier, robot, notifications),
    // API Particulier: concurrency that follows the upstream's latency (see concurrency.ts in @fcplat/api-particulier-calls).
    concurrencyByQueue: { 'api-particulier': apiParticulier.concurrency, qualification: config.robot.browsers },
    // API Particulier: a dead worker's calls taken over within seconds (see processor.ts); the robot keeps 30 s.
    lockByQueue: { 'api-particulier': API_PARTICULIER_WORKER_LOCK },
    log,
  });
  await host.start();
  apiParticulier.start();
  scheduler.start();
  notifications.start();
  const stopSweeper = startSessionSweeper(infrastructure.dataSource, SESSION_SWEEP_MS, (error) => log('warn', 'expired citizen sessions not swept', { err: error }));
  logger.info({ queue: config.queue.backend, workerId: host.workerId }, 'worker started');
  return {
    host,
    infrastructure,
    apiParticulier,
    notifications,
    stop: async () => {
      await scheduler.stop();
      await notifications.stop();
      await stopSweeper();
      await apiParticulier.stop();
      // The jobs in progress end (API Particulier calls answered, e-mails sent) before their
      // clients close: closed first, their requests would be cut and counted as network errors.
      await host.stop();
      notifications.close();
      apiParticulier.close();
      await pool?.close();
      await infrastructure.close();
      logger.info('worker stopped');
    },
  };
}
