/**
 * Fair dispatch (SR-34): calls wait in PostgreSQL and are handed to BullMQ a few at a time, in
 * round-robin across tenants, so the queue in Redis never holds more than a short window of work.
 * One tenant's 10,000 queued calls therefore delay another tenant's first call by at most one
 * window (about two seconds at the platform's ceiling), not by 10,000 calls.
 *
 * Order of a tick: calls someone waits for (citizens) first, then by rank within their tenant
 * (1st call of every tenant, then 2nd, …), then the tenant served least recently. One dispatcher
 * works at a time (advisory lock, whichever worker gets it); a crash between the commit and the
 * enqueue is repaired by the reaper, which re-enqueues calls whose job may be gone — safe because
 * the job id is the call id (BullMQ ignores a second add of a live job) and the processor skips
 * ended calls. The reaper is also what brings calls back after Redis lost its data.
 */
import type { DataSource } from 'typeorm';
import type { JobProducer } from '@fcplat/queue';
import { returningRows } from './ledger.js';

export interface DispatcherSettings {
  /** Calls dispatched but not finished (waiting in BullMQ or running) at most. */
  readonly window: number;
  readonly maxAttempts: number;
  readonly retryBaseDelayMs: number;
  /** A dispatched/retrying call untouched for this long has its job re-added (no-op if it exists). */
  readonly reaperAfterMs: number;
}

export type DispatcherLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

const DISPATCH_LOCK = 7_214_000_001;

export class CallDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastReap = 0;

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
      this.running = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.log('error', 'API Particulier dispatch failed', { err: error }))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(loop, intervalMs);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    const timer = this.timer;
    this.timer = undefined;
    if (timer) clearTimeout(timer);
    await this.running;
  }

  /** One round: reaps if due, then fills the window. Returns the number of calls dispatched. */
  async tick(): Promise<number> {
    if (Date.now() - this.lastReap >= Math.min(5_000, this.settings.reaperAfterMs)) {
      this.lastReap = Date.now();
      await this.reap();
    }
    const picked = await this.dataSource.transaction(async (manager) => {
      const [{ locked }] = (await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [DISPATCH_LOCK])) as [{ locked: boolean }];
      if (!locked) return [];
      const [{ inflight }] = (await manager.query(
        `SELECT count(*)::int AS inflight FROM api_particulier_call WHERE status IN ('dispatched', 'running')`,
      )) as [{ inflight: number }];
      const free = this.settings.window - inflight;
      if (free <= 0) return [];
      const rows = (await manager.query(
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
      if (rows.length === 0) return [];
      await manager.query(
        `UPDATE api_particulier_call SET status = 'dispatched', dispatched_at = now(), updated_at = now() WHERE id = ANY($1) AND status = 'queued'`,
        [rows.map((r) => r.id)],
      );
      const tenants = [...new Set(rows.map((r) => r.tenant_id))];
      await manager.query(
        `INSERT INTO api_particulier_lane (tenant_id, last_dispatched_at) SELECT unnest($1::uuid[]), clock_timestamp()
         ON CONFLICT (tenant_id) DO UPDATE SET last_dispatched_at = EXCLUDED.last_dispatched_at`,
        [tenants],
      );
      return rows;
    });
    for (const row of picked) await this.enqueue(row.tenant_id, row.id);
    return picked.length;
  }

  /** Re-adds the job of every call that should have one but may not (crash, Redis restarted empty). */
  async reap(): Promise<number> {
    const rows = returningRows<{ id: string; tenant_id: string }>(
      await this.dataSource.query(
        `UPDATE api_particulier_call SET updated_at = now()
          WHERE id IN (
            SELECT id FROM api_particulier_call
             WHERE status IN ('dispatched', 'retrying', 'running')
               AND updated_at < now() - make_interval(secs => $1::float8 / 1000)
               AND (status <> 'running' OR lease_until < now())
             ORDER BY updated_at LIMIT 500)
          RETURNING id, tenant_id`,
        [this.settings.reaperAfterMs],
      ),
    );
    for (const row of rows) await this.enqueue(row.tenant_id, row.id);
    if (rows.length > 0) this.log('warn', 'API Particulier calls re-enqueued by the reaper', { count: rows.length });
    return rows.length;
  }

  private async enqueue(tenantId: string, callId: string): Promise<void> {
    try {
      await this.producer.enqueue('api-particulier.call', { tenantId, callId }, { jobId: callId, attempts: this.settings.maxAttempts, backoffDelayMs: this.settings.retryBaseDelayMs });
    } catch (error) {
      // The row stays `dispatched`: the reaper adds the job once the queue is back.
      this.log('warn', 'API Particulier call could not be enqueued; the reaper will retry', { callId, err: error });
    }
  }
}
