/**
 * Fair dispatch (SR-34): calls wait in PostgreSQL and are handed to BullMQ a few at a time, in
 * round-robin across tenants, so the queue in Redis never holds more than a short window of work.
 * One tenant's 10,000 queued calls therefore delay another tenant's first call by at most one
 * window (about two seconds at the platform's ceiling), not by 10,000 calls.
 *
 * Order of a tick: calls someone waits for (citizens) first, then by rank within their tenant
 * (1st call of every tenant, then 2nd, …), then the tenant served least recently ({@link servedOrder}). One dispatcher
 * works at a time (a session advisory lock, whichever worker gets it). A call is marked
 * `dispatched` only once its job has been added: when the queue is down the calls stay `queued`
 * and go out on the next tick after it answers again (nothing waits for the reaper).
 *
 * Re-adding a job is always safe — the job id is the call id (BullMQ ignores a second add of a
 * live job) and the processor skips ended calls; a job that failed for good is removed from the
 * queue at once (`removeWhenFailed`), so its still-open call can be re-added — so after an outage of the queue (an add that
 * failed, or a health probe that did), the dispatcher re-adds the jobs of every open call as soon
 * as the queue answers again: a Redis restarted empty is repaired within a tick of its return.
 * The reaper (calls untouched for `reaperAfterMs`) remains for what nobody saw: a crash between
 * an add and the status update, a restart shorter than a probe.
 */
import type { DataSource, QueryRunner } from 'typeorm';
import type { JobProducer } from '@fcplat/queue';
import { returningRows } from './ledger.js';

export interface DispatcherSettings {
  /**
   * Calls handed to BullMQ and not yet taken by a worker (status `dispatched`), at most; read at
   * each tick, as it moves with the worker's concurrency. Calls running are not counted: every
   * worker's slots are filled whatever their number, and a dead worker's calls (running until
   * their lease ends) take nothing from the living.
   */
  readonly window: number | (() => number);
  readonly maxAttempts: number;
  readonly retryBaseDelayMs: number;
  /** A dispatched/retrying call untouched for this long has its job re-added (no-op if it exists). */
  readonly reaperAfterMs: number;
}

export type DispatcherLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

const DISPATCH_LOCK = 7_214_000_001;
/** How often an idle dispatcher checks that the queue still answers. */
const QUEUE_PROBE_MS = 1_000;
const REAP_BATCH = 500;
const REAP_MAX_ROUNDS = 20;

export class CallDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private loop: (() => void) | undefined;
  private ticking = false;
  private lastReap = 0;
  /** The queue failed an add or a probe: re-add every open call's job once it answers again. */
  private queueDown = false;
  private lastQueueContact = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: JobProducer,
    private readonly settings: DispatcherSettings,
    private readonly log: DispatcherLog = () => undefined,
  ) {}

  /** Dispatches every `intervalMs` until {@link stop}. */
  start(intervalMs = 200): void {
    if (this.timer) return;
    const loop = (): void => {
      this.ticking = true;
      this.running = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.log('error', 'API Particulier dispatch failed', { err: error }))
        .finally(() => {
          this.ticking = false;
          if (this.timer) this.timer = setTimeout(loop, intervalMs);
        });
    };
    this.loop = loop;
    this.timer = setTimeout(loop, 0);
  }

  /**
   * Dispatches now rather than at the next interval: the window just grew (a worker raising its
   * concurrency for a slow upstream needs the jobs to fill its new slots). Nothing while a round
   * runs (the next one reads the new window) or once stopped.
   */
  nudge(): void {
    if (!this.timer || this.ticking || !this.loop) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.loop, 0);
  }

  async stop(): Promise<void> {
    const timer = this.timer;
    this.timer = undefined;
    if (timer) clearTimeout(timer);
    await this.running;
  }

  /** One round: watches the queue, reaps if due, then fills the window. Returns the number of calls dispatched. */
  async tick(): Promise<number> {
    if (!(await this.queueAnswers())) return 0;
    if (Date.now() - this.lastReap >= Math.min(5_000, this.settings.reaperAfterMs)) {
      this.lastReap = Date.now();
      await this.reap();
    }
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [DISPATCH_LOCK])) as [{ locked: boolean }];
      if (!locked) return 0;
      try {
        return await this.fill(runner);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [DISPATCH_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * Picks the calls of this round, adds their jobs, and only then marks them `dispatched` (under
   * the session advisory lock, outside any transaction: no PostgreSQL transaction waits on Redis).
   */
  private async fill(runner: QueryRunner): Promise<number> {
    const [{ waiting }] = (await runner.query(`SELECT count(*)::int AS waiting FROM api_particulier_call WHERE status = 'dispatched'`)) as [{ waiting: number }];
    const window = typeof this.settings.window === 'function' ? this.settings.window() : this.settings.window;
    const free = window - waiting;
    if (free <= 0) return 0;
    const rows = (await runner.query(
      `WITH ranked AS (
         SELECT c.id, c.tenant_id, c.priority,
                row_number() OVER (PARTITION BY c.tenant_id ORDER BY c.priority, c.seq) AS rank
           FROM api_particulier_call c
          WHERE c.status = 'queued'
       )
       SELECT r.id, r.tenant_id
         FROM ranked r LEFT JOIN api_particulier_lane l ON l.tenant_id = r.tenant_id
        WHERE r.rank <= $1
        ORDER BY r.priority, r.rank, l.last_dispatched_at NULLS FIRST, r.tenant_id
        LIMIT $1`,
      [free],
    )) as { id: string; tenant_id: string }[];
    const added: { id: string; tenant_id: string }[] = [];
    for (const row of rows) {
      if (!(await this.enqueue(row.tenant_id, row.id))) break;
      added.push(row);
    }
    if (added.length === 0) return 0;
    // A job may already have claimed its row (status `running`, even ended): only `queued` rows
    // move, but every call of the round gets the round's dispatch time.
    await runner.query(
      `UPDATE api_particulier_call
          SET status = CASE WHEN status = 'queued' THEN 'dispatched' ELSE status END,
              updated_at = CASE WHEN status = 'queued' THEN now() ELSE updated_at END,
              dispatched_at = now()
        WHERE id = ANY($1) AND (status = 'queued' OR dispatched_at IS NULL)`,
      [added.map((r) => r.id)],
    );
    await runner.query(
      `INSERT INTO api_particulier_lane (tenant_id, last_dispatched_at)
       SELECT t.tenant_id, now() + make_interval(secs => t.place / 1e6) FROM unnest($1::uuid[]) WITH ORDINALITY AS t(tenant_id, place)
       ON CONFLICT (tenant_id) DO UPDATE SET last_dispatched_at = EXCLUDED.last_dispatched_at`,
      [servedOrder(added)],
    );
    return added.length;
  }

  /**
   * False while the queue is down. Probes it (a real round trip) at most once a second when no
   * add has reached it meanwhile; on its return after an outage, re-adds every open call's job.
   */
  private async queueAnswers(): Promise<boolean> {
    if (!this.queueDown && Date.now() - this.lastQueueContact < QUEUE_PROBE_MS) return true;
    const health = await this.producer.health();
    if (!health.up) {
      if (!this.queueDown) this.log('warn', 'API Particulier queue unreachable: calls stay queued until it answers', { err: health.error });
      this.queueDown = true;
      return false;
    }
    this.lastQueueContact = Date.now();
    if (this.queueDown) {
      this.queueDown = false;
      const started = Date.now();
      const count = await this.reap(0);
      this.log('warn', 'API Particulier queue back: jobs of open calls re-added', { count, ms: Date.now() - started });
    }
    return !this.queueDown;
  }

  /**
   * Re-adds the job of every call that should have one but may not (crash, Redis restarted empty):
   * calls untouched for `olderThanMs` (the reaper's threshold by default; 0 after a queue outage).
   */
  async reap(olderThanMs: number = this.settings.reaperAfterMs): Promise<number> {
    let total = 0;
    for (let round = 0; round < REAP_MAX_ROUNDS; round++) {
      const rows = returningRows<{ id: string; tenant_id: string }>(
        await this.dataSource.query(
          `UPDATE api_particulier_call SET updated_at = now()
            WHERE id IN (
              SELECT id FROM api_particulier_call
               WHERE status IN ('dispatched', 'retrying', 'running')
                 AND updated_at < now() - make_interval(secs => $1::float8 / 1000)
                 AND (status <> 'running' OR lease_until < now())
               ORDER BY updated_at LIMIT $2)
            RETURNING id, tenant_id`,
          [olderThanMs, REAP_BATCH],
        ),
      );
      let readded = 0;
      for (const row of rows) {
        if (!(await this.enqueue(row.tenant_id, row.id))) break;
        readded += 1;
      }
      total += readded;
      if (readded < REAP_BATCH) break;
    }
    if (total > 0 && olderThanMs > 0) this.log('warn', 'API Particulier calls re-enqueued by the reaper', { count: total });
    return total;
  }

  /** Adds a call's job; false (and the queue marked down) when the queue refused it. */
  private async enqueue(tenantId: string, callId: string): Promise<boolean> {
    try {
      // A job failed for good is removed from the queue (the ledger is the record): kept, its id
      // would make every re-add of the still-open call a no-op for 7 days.
      await this.producer.enqueue('api-particulier.call', { tenantId, callId }, { jobId: callId, attempts: this.settings.maxAttempts, backoffDelayMs: this.settings.retryBaseDelayMs, removeWhenFailed: true });
      this.lastQueueContact = Date.now();
      return true;
    } catch (error) {
      if (!this.queueDown) this.log('warn', 'API Particulier call could not be enqueued; it goes out once the queue answers', { callId, err: error });
      this.queueDown = true;
      return false;
    }
  }
}

/**
 * The tenants of a round, in the order of their last call in it: the order their lanes are dated
 * in (a microsecond apart), so the next round serves first those whose last call came earliest.
 * A round rarely divides evenly (a window of 6 for 4 tenants: 2 calls for two of them, 1 for the
 * others); dating the lanes in the order the round started them instead would give the extra
 * calls to the same tenants round after round (measured: 14 against 10 calls/s between tenants
 * of one batch shape), and the last tenant to finish would then run alone on its token's limit.
 */
export function servedOrder(calls: readonly { readonly tenant_id: string }[]): string[] {
  const last = new Map<string, number>();
  calls.forEach((call, place) => {
    last.delete(call.tenant_id);
    last.set(call.tenant_id, place);
  });
  return [...last.keys()];
}
