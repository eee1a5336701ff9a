/**
 * The one typed queue registry (engineering habit 3). A job name without a queue, or a payload
 * of the wrong shape, does not compile. Every payload carries `tenantId` (null only for
 * platform jobs such as the heartbeat); the worker refuses a job without the property.
 */

export const QUEUE_NAMES = ['system', 'api-particulier', 'qualification', 'notifications'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface TenantScopedPayload {
  /** The tenant the job acts for; `null` only for platform-wide jobs. */
  readonly tenantId: string | null;
}

export interface HeartbeatPayload extends TenantScopedPayload {
  readonly tenantId: null;
  /** ISO timestamp of the enqueue, to measure the pipe's latency. */
  readonly requestedAt: string;
  /** Which process asked (`api:<hostname>:<pid>`). */
  readonly requestedBy: string;
}

export interface HeartbeatResult {
  readonly workerId: string;
  readonly processedAt: string;
}

/**
 * One API Particulier call. The payload names the call only: its inputs (pivot identity, INE,
 * FranceConnect token) stay encrypted in PostgreSQL (`api_particulier_call`), never in the queue.
 */
export interface ApiParticulierCallPayload extends TenantScopedPayload {
  readonly tenantId: string;
  readonly callId: string;
}

export interface ApiParticulierCallResult {
  /** `done`: this run ended the call; `skipped`: it had already ended (a job seen twice). */
  readonly outcome: 'done' | 'skipped' | 'missing';
  readonly status?: 'succeeded' | 'failed';
}

/** One run of the qualification robot; the run (target, progress, results) lives in PostgreSQL. */
export interface RobotRunPayload extends TenantScopedPayload {
  readonly tenantId: string;
  readonly runId: string;
}

export interface RobotRunResult {
  /** `done`: this job ran the robot; `skipped`: the run had ended or another worker holds it. */
  readonly outcome: 'done' | 'skipped';
  readonly status?: 'completed' | 'failed';
}

/**
 * One notification event of the outbox (`notification_event`) to fan out to the people concerned
 * and to e-mail immediately; the event itself stays in PostgreSQL. A job run twice sends nothing
 * twice: the (event, person) unique key and the e-mail's claim decide (docs/notifications.md).
 */
export interface NotificationEventPayload extends TenantScopedPayload {
  readonly eventId: string;
}

export interface NotificationEventResult {
  /** `done`: the event is processed; `missing`: no such event (deleted with its tenant). */
  readonly outcome: 'done' | 'missing';
  readonly notified: number;
  readonly emailed: number;
}

/** One person's daily digest (`notification_digest`), grouping their digest-mode notifications. */
export interface NotificationDigestPayload extends TenantScopedPayload {
  readonly tenantId: null;
  readonly digestId: string;
}

export interface NotificationDigestResult {
  /** `sent`: this run sent it; `skipped`: already sent or being sent by another run, or nothing to send. */
  readonly outcome: 'sent' | 'skipped';
  readonly items: number;
}

/** Payload and result type of every job, by job name. */
export interface JobTypes {
  'system.heartbeat': { payload: HeartbeatPayload; result: HeartbeatResult };
  'api-particulier.call': { payload: ApiParticulierCallPayload; result: ApiParticulierCallResult };
  'qualification.robot-run': { payload: RobotRunPayload; result: RobotRunResult };
  'notifications.event': { payload: NotificationEventPayload; result: NotificationEventResult };
  'notifications.digest': { payload: NotificationDigestPayload; result: NotificationDigestResult };
}

export type JobName = keyof JobTypes;
export type JobPayload<N extends JobName> = JobTypes[N]['payload'];
export type JobResult<N extends JobName> = JobTypes[N]['result'];

export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  'system.heartbeat': 'system',
  'api-particulier.call': 'api-particulier',
  'qualification.robot-run': 'qualification',
  'notifications.event': 'notifications',
  'notifications.digest': 'notifications',
};

export function isJobName(value: string): value is JobName {
  return Object.prototype.hasOwnProperty.call(JOB_QUEUE, value);
}

export function jobsOfQueue(queue: QueueName): JobName[] {
  return (Object.keys(JOB_QUEUE) as JobName[]).filter((name) => JOB_QUEUE[name] === queue);
}
