/**
 * Notifications in the worker (docs/notifications.md): the two job processors, the relay of the
 * outbox, the time-based events and the daily digests.
 */
import type { PlatformConfig } from '@fcplat/config';
import { startWorkerParts, type JobProducer, type PlatformInfrastructure, type RunningWorkerParts } from '@fcplat/queue';
import type { DataSource } from 'typeorm';
import { SmtpMailSender, type MailSender } from './mailer.js';
import { NotificationDigestProcessor, NotificationEventProcessor } from './processors.js';
import { DEFAULT_NOTIFICATION_SCHEDULE, NotificationScheduler, type NotificationSchedulerSettings } from './scheduler.js';

export * from './mailer.js';
export * from './mails.js';
export * from './processors.js';
export * from './scheduler.js';
export { audiencesOf } from './fan-out.js';

type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface NotificationWorkerParts {
  readonly eventProcessor: NotificationEventProcessor;
  readonly digestProcessor: NotificationDigestProcessor;
  readonly scheduler: NotificationScheduler;
  start(): void;
  /** Stops the scheduler; the e-mails being sent go on. */
  stop(): Promise<void>;
  /** Closes the SMTP connections: once the jobs in progress have ended. */
  close(): void;
}

export function notificationWorkerParts(
  config: PlatformConfig,
  dataSource: DataSource,
  producer: JobProducer,
  log: Log = () => undefined,
  options: { readonly mailer?: MailSender; readonly schedule?: Partial<NotificationSchedulerSettings> } = {},
): NotificationWorkerParts {
  const mailer = options.mailer ?? new SmtpMailSender(config);
  const settings = { publicUrl: config.http.publicUrl };
  const scheduler = new NotificationScheduler(dataSource, producer, { ...DEFAULT_NOTIFICATION_SCHEDULE, ...options.schedule }, log);
  return {
    eventProcessor: new NotificationEventProcessor(dataSource, mailer, settings),
    digestProcessor: new NotificationDigestProcessor(dataSource, mailer, settings),
    scheduler,
    start: () => scheduler.start(),
    stop: () => scheduler.stop(),
    close: () => mailer.close(),
  };
}

export type RunningNotificationWorker = RunningWorkerParts<NotificationWorkerParts>;

/** A worker for notifications alone, on open infrastructure (test harnesses; the worker process runs the same parts beside its others). */
export async function startNotificationWorker(
  config: PlatformConfig,
  infrastructure: Pick<PlatformInfrastructure, 'dataSource' | 'producer' | 'queueBackend'>,
  options: { readonly log?: Log; readonly schedule?: Partial<NotificationSchedulerSettings>; readonly mailer?: MailSender } = {},
): Promise<RunningNotificationWorker> {
  const parts = notificationWorkerParts(config, infrastructure.dataSource, infrastructure.producer, options.log, options);
  return startWorkerParts(parts, infrastructure, { processors: [parts.eventProcessor, parts.digestProcessor], ...(options.log ? { log: options.log } : {}) });
}
