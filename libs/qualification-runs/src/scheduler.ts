import type { DataSource } from 'typeorm';
import type { JobProducer } from '@fcplat/queue';
import { recordNotificationEvent } from '@fcplat/db';
import { ROBOT_RUN_JOB } from './requests.js';
import type { RobotLog } from './processor.js';

export interface RobotSchedulerSettings {
  /** How often the sweep runs. */
  readonly tickMs: number;
  /** Re-verify every tenant live in production at this interval; 0: never. */
  readonly scheduleHours: number;
  /** Finished runs older than this are deleted (each tenant's last completed run is kept). */
  readonly evidenceRetentionDays: number;
  /** A running run whose worker has not beaten for this long is given back (or failed after `maxAttempts`). */
  readonly staleAfterMs: number;
  readonly maxAttempts: number;
}

/** The queue job id of a run's attempt (a taken-over run gets a new job). */
export const robotRunJobId = (runId: string, attempt: number): string => `robot-${runId}-${attempt}`;

/**
 * The robot's sweep, run by every worker (each statement is safe when several run at once):
 * 1. runs whose worker stopped beating go back to the queue (or fail after `maxAttempts`);
 * 2. every waiting run gets its job (idempotent job ids): a run asked while the queue was down,
 *    or lost with Redis, is not forgotten — PostgreSQL holds the runs, the queue only carries them;
 * 3. tenants live in production without a run for `scheduleHours` get one (trigger `schedule`);
 * 4. old runs and their screenshots past the retention, and expired robot passes, are deleted.
 */
export class RobotScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: JobProducer,
    private readonly settings: RobotSchedulerSettings,
    private readonly log: RobotLog,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.settings.tickMs);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One sweep (also called by tests). Never throws. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.sweep()
      .catch((error: unknown) => this.log('warn', 'qualification robot sweep failed', { errorName: error instanceof Error ? error.name : typeof error }))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async sweep(): Promise<void> {
    const stale = this.settings.staleAfterMs / 1000;
    // 1. Runs whose worker died: back to the queue unless another run already waits for the tenant.
    await this.dataSource.query(
      `UPDATE qualification_robot_run r SET status = 'queued', started_at = NULL, heartbeat_at = NULL, worker_id = NULL
        WHERE r.status = 'running' AND r.heartbeat_at < now() - make_interval(secs => $1) AND r.attempts < $2
          AND NOT EXISTS (SELECT 1 FROM qualification_robot_run q WHERE q.tenant_id = r.tenant_id AND q.status = 'queued')`,
      [stale, this.settings.maxAttempts],
    );
    // Those out of attempts fail, and staff are told in the same transaction (docs/notifications.md).
    await this.dataSource.transaction(async (manager) => {
      const [lost] = (await manager.query(
        `UPDATE qualification_robot_run SET status = 'failed', finished_at = now(), error_code = 'WORKER_LOST',
                error_message = 'Le processus qui menait la vérification s’est arrêté. Relancez-la.'
          WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1)
          RETURNING id, tenant_id, error_message`,
        [stale],
      )) as [Array<{ id: string; tenant_id: string; error_message: string }>, number];
      for (const run of lost) {
        await recordNotificationEvent(manager, { kind: 'robot_checks_failed', tenantId: run.tenant_id, dedupKey: `robot_checks_failed:${run.id}`, data: { runId: run.id, failedItems: [], runError: run.error_message } });
      }
    });
    // 3. Schedule (before 2, so new runs get their job in this sweep).
    if (this.settings.scheduleHours > 0) {
      const scheduled = (await this.dataSource.query(
        `INSERT INTO qualification_robot_run (tenant_id, trigger, reason)
         SELECT t.id, 'schedule', 'Vérification périodique des clients en production'
           FROM tenant t JOIN tenant_live_environment l ON l.tenant_id = t.id AND l.product = 'franceconnect' AND l.environment = 'production'
          WHERE t.status = 'active' AND (t.connexion_enabled OR t.data_retrieval_enabled)
            AND NOT EXISTS (SELECT 1 FROM qualification_robot_run r WHERE r.tenant_id = t.id AND r.requested_at > now() - make_interval(hours => $1))
         ON CONFLICT (tenant_id) WHERE status = 'queued' DO NOTHING
         RETURNING id`,
        [this.settings.scheduleHours],
      )) as unknown[];
      if (scheduled.length > 0) this.log('info', 'qualification robot runs scheduled', { count: scheduled.length });
    }
    // 2. Every waiting run has its job.
    const waiting = (await this.dataSource.query(
      `SELECT id, tenant_id, attempts FROM qualification_robot_run WHERE status = 'queued' ORDER BY requested_at LIMIT 1000`,
    )) as Array<{ id: string; tenant_id: string; attempts: number }>;
    for (const run of waiting) {
      await this.producer.enqueue(ROBOT_RUN_JOB, { tenantId: run.tenant_id, runId: run.id }, { jobId: robotRunJobId(run.id, run.attempts), attempts: 1 });
    }
    // 4. Retention.
    await this.dataSource.query(
      `DELETE FROM qualification_robot_run r
        WHERE r.finished_at < now() - make_interval(days => $1)
          AND r.id <> COALESCE((SELECT l.id FROM qualification_robot_run l WHERE l.tenant_id = r.tenant_id AND l.status = 'completed' ORDER BY l.finished_at DESC LIMIT 1), '00000000-0000-0000-0000-000000000000'::uuid)`,
      [this.settings.evidenceRetentionDays],
    );
    await this.dataSource.query(`DELETE FROM qualification_robot_pass WHERE expires_at < now() - interval '1 hour'`);
  }
}
