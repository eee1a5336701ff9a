/**
 * The worker's periodic side of notifications, safe on any number of replicas:
 * - the relay puts the outbox's unprocessed events on the queue (a claim per event in one UPDATE
 *   … SKIP LOCKED, enqueued after it commits; an event still unprocessed after
 *   {@link REDELIVER_AFTER_S} is put back, e.g. after an SMTP outage outlasted its job's attempts);
 * - the time-based events (a case soon overdue or overdue, an API Particulier token expiring in
 *   30/14/3 days) are recorded with a dedup key, so each exists once whatever the runs or replicas;
 * - the daily digests are created once per (person, Paris day) from the digest hour on.
 */
import type { DataSource } from 'typeorm';
import {
  addWorkingDays,
  DUE_SOON_WORKING_DAYS,
  isOnboardingStage,
  isOverdue,
  NOTIFICATION_DIGEST_HOUR,
  parisCalendarDate,
  STAGE_SLAS,
  stageDeadline,
  tokenExpiryThreshold,
  toDayNumber,
  type NotificationEventData,
} from '@fcplat/domain';
import type { JobProducer } from '@fcplat/queue';
import { rowsOf } from './processors.js';

/** Seconds after which an event enqueued but still unprocessed is enqueued again. */
export const REDELIVER_AFTER_S = 300;
/** Events claimed per relay tick. */
const RELAY_BATCH = 500;
/** A case found overdue later than this after it became overdue is not announced (the first scan after a long stop, or the feature's first run). */
const OVERDUE_ANNOUNCE_WINDOW_DAYS = 7;

export interface NotificationSchedulerSettings {
  readonly relayEveryMs: number;
  readonly scanEveryMs: number;
  readonly digestEveryMs: number;
}

export const DEFAULT_NOTIFICATION_SCHEDULE: NotificationSchedulerSettings = { relayEveryMs: 1_000, scanEveryMs: 5 * 60_000, digestEveryMs: 60_000 };

type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/** Claims up to `batch` events to (re)enqueue and enqueues them; returns how many. */
export async function relayEvents(dataSource: DataSource, producer: JobProducer, batch = RELAY_BATCH): Promise<number> {
  const claimed = rowsOf<{ id: string; tenant_id: string | null; enqueue_count: number }>(
    await dataSource.query(
      `UPDATE notification_event e SET enqueued_at = now(), enqueue_count = e.enqueue_count + 1
        WHERE e.id IN (
          SELECT id FROM notification_event
           WHERE processed_at IS NULL AND (enqueued_at IS NULL OR enqueued_at < now() - make_interval(secs => $1))
           ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING e.id::text AS id, e.tenant_id, e.enqueue_count`,
      [REDELIVER_AFTER_S, batch],
    ),
  );
  for (const event of claimed) {
    await producer.enqueue('notifications.event', { tenantId: event.tenant_id, eventId: event.id }, { jobId: `notification-event-${event.id}-${event.enqueue_count}`, attempts: 5, backoffDelayMs: 5_000 });
  }
  return claimed.length;
}

interface TimedEvent {
  readonly kind: 'case_due_soon' | 'case_overdue' | 'api_particulier_token_expiring';
  readonly tenantId: string;
  readonly dedupKey: string;
  readonly data: NotificationEventData['case_due_soon'] | NotificationEventData['api_particulier_token_expiring'];
}

/**
 * Records the time-based events due at `now` (working days, Paris dates, the domain's SLA code);
 * returns how many were new. Run by every replica every few minutes: the dedup keys make a second
 * run, or a concurrent one, record nothing more.
 */
export async function scanTimeBasedEvents(dataSource: DataSource, now: Date = new Date()): Promise<number> {
  const today = parisCalendarDate(now);
  const soonLimit = addWorkingDays(today, DUE_SOON_WORKING_DAYS);
  const events: TimedEvent[] = [];

  const cases = (await dataSource.query(
    `SELECT c.id, c.tenant_id, c.stage, c.stage_entered_at
       FROM onboarding_case c JOIN tenant t ON t.id = c.tenant_id
      WHERE c.stage <> 'live' AND (c.deadline_on IS NULL OR c.deadline_on <= $1::date)
        AND (c.overdue_at IS NULL OR c.overdue_at > $2::timestamptz - make_interval(days => $3))`,
    [soonLimit, now, OVERDUE_ANNOUNCE_WINDOW_DAYS + 1],
  )) as Array<{ id: string; tenant_id: string; stage: string; stage_entered_at: Date }>;
  for (const c of cases) {
    if (!isOnboardingStage(c.stage)) continue;
    const sla = STAGE_SLAS[c.stage];
    const deadline = stageDeadline(c.stage, c.stage_entered_at);
    if (sla.workingDays === null || deadline === null) continue;
    // One event per case and stage visit (the visit named by the instant the stage was entered).
    const visit = `${c.id}:${c.stage}:${c.stage_entered_at.getTime()}`;
    const data = { stage: c.stage, deadline, waitingOn: sla.waitingOn };
    if (isOverdue(c.stage, c.stage_entered_at, now)) {
      const overdueFrom = addWorkingDays(c.stage_entered_at, sla.workingDays + 1);
      if (toDayNumber(today) - toDayNumber(overdueFrom) <= OVERDUE_ANNOUNCE_WINDOW_DAYS) events.push({ kind: 'case_overdue', tenantId: c.tenant_id, dedupKey: `case_overdue:${visit}`, data });
    } else if (deadline >= today && deadline <= soonLimit) {
      events.push({ kind: 'case_due_soon', tenantId: c.tenant_id, dedupKey: `case_due_soon:${visit}`, data });
    }
  }

  const tokens = (await dataSource.query(
    `SELECT k.id, k.tenant_id, k.environment, k.expires_on::text AS expires_on
       FROM api_particulier_credential k JOIN tenant t ON t.id = k.tenant_id
      WHERE k.expires_on BETWEEN $1::date AND $1::date + 30`,
    [today],
  )) as Array<{ id: string; tenant_id: string; environment: NotificationEventData['api_particulier_token_expiring']['environment']; expires_on: string }>;
  for (const token of tokens) {
    const threshold = tokenExpiryThreshold(token.expires_on, today);
    if (threshold === null) continue;
    events.push({
      kind: 'api_particulier_token_expiring',
      tenantId: token.tenant_id,
      // A new token (another expiry date) is warned about afresh.
      dedupKey: `api_particulier_token_expiring:${token.id}:${token.expires_on}:${threshold}`,
      data: { environment: token.environment, expiresOn: token.expires_on, threshold },
    });
  }

  if (events.length === 0) return 0;
  const inserted = rowsOf<{ id: string }>(
    await dataSource.query(
      `INSERT INTO notification_event (kind, tenant_id, dedup_key, data)
       SELECT v.kind, v.tenant_id, v.dedup_key, v.data FROM unnest($1::text[], $2::uuid[], $3::text[], $4::jsonb[]) AS v(kind, tenant_id, dedup_key, data)
       ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
      [events.map((e) => e.kind), events.map((e) => e.tenantId), events.map((e) => e.dedupKey), events.map((e) => JSON.stringify(e.data))],
    ),
  );
  return inserted.length;
}

/**
 * From the digest hour of `now`'s Paris day: one digest per person with digest-mode notifications
 * created before that hour and not in a digest yet, those notifications attached to it (one
 * statement: a concurrent run meets the unique (person, day) and attaches nothing). Then every
 * digest not sent yet is put on the queue (its job id is the digest's: a no-op while queued).
 */
export async function scheduleDigests(dataSource: DataSource, producer: JobProducer, now: Date = new Date(), digestHour = NOTIFICATION_DIGEST_HOUR): Promise<number> {
  const created = (await dataSource.query(
    `WITH c AS (
       SELECT d AS day, (d + make_time($2, 0, 0)) AT TIME ZONE 'Europe/Paris' AS cutoff
         FROM (SELECT ($1::timestamptz AT TIME ZONE 'Europe/Paris')::date AS d) x
     ), due AS (
       SELECT DISTINCT n.user_id FROM notification n, c
        WHERE n.email_mode = 'digest' AND n.digest_id IS NULL AND n.email_status = 'pending' AND n.created_at < c.cutoff AND $1::timestamptz >= c.cutoff
     ), ins AS (
       INSERT INTO notification_digest (user_id, digest_on) SELECT due.user_id, c.day FROM due, c
       ON CONFLICT (user_id, digest_on) DO NOTHING RETURNING id, user_id
     ), attached AS (
       UPDATE notification n SET digest_id = ins.id FROM ins, c
        WHERE n.user_id = ins.user_id AND n.email_mode = 'digest' AND n.digest_id IS NULL AND n.email_status = 'pending' AND n.created_at < c.cutoff
       RETURNING n.id
     )
     SELECT (SELECT count(*) FROM ins)::int AS digests, (SELECT count(*) FROM attached)::int AS items`,
    [now, digestHour],
  )) as Array<{ digests: number; items: number }>;
  const unsent = (await dataSource.query(
    `SELECT id FROM notification_digest
      WHERE status = 'pending' OR (status = 'sending' AND claimed_at < now() - interval '10 minutes')
      ORDER BY created_at LIMIT 1000`,
  )) as Array<{ id: string }>;
  for (const digest of unsent) {
    await producer.enqueue('notifications.digest', { tenantId: null, digestId: digest.id }, { jobId: `notification-digest-${digest.id}`, attempts: 5, backoffDelayMs: 5_000, removeWhenFailed: true });
  }
  return created[0]?.digests ?? 0;
}

/** Runs the three loops; `stop()` waits for the ticks in progress. */
export class NotificationScheduler {
  private timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: JobProducer,
    private readonly settings: NotificationSchedulerSettings = DEFAULT_NOTIFICATION_SCHEDULE,
    private readonly log: Log = () => undefined,
  ) {}

  start(): void {
    this.every(this.settings.relayEveryMs, 'notification relay', () => relayEvents(this.dataSource, this.producer));
    this.every(this.settings.scanEveryMs, 'notification time scan', () => scanTimeBasedEvents(this.dataSource));
    this.every(this.settings.digestEveryMs, 'notification digests', () => scheduleDigests(this.dataSource, this.producer));
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.allSettled([...this.running]);
  }

  private every(ms: number, what: string, task: () => Promise<unknown>): void {
    let busy = false;
    const tick = (): void => {
      if (busy) return;
      busy = true;
      const run = task()
        .catch((error: unknown) => this.log('warn', `${what} failed`, { err: error }))
        .finally(() => {
          busy = false;
          this.running.delete(run);
        });
      this.running.add(run);
    };
    const timer = setInterval(tick, ms);
    timer.unref();
    this.timers.push(timer);
    tick();
  }
}
