/**
 * Shared rate limits in PostgreSQL, for every worker process at once (SR-34): GCRA buckets
 * (a.k.a. virtual scheduling) with reservations, plus pauses set by a 429 (SR-33).
 *
 * A bucket `{ limit, windowMs, burst }` spaces calls by `windowMs / (limit - burst)` and lets
 * `burst` through at once, so any fixed window of `windowMs` — the way API Particulier counts —
 * sees at most `limit` calls. `reserve` books the earliest instant every key allows and returns how
 * long to wait for it; when that is further than `maxWaitMs`, nothing is booked and the caller
 * should put its job back to wait (instead of holding a worker slot).
 */
import type { DataSource, EntityManager } from 'typeorm';

export interface BucketSpec {
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
  /** Calls allowed back to back; the rest are spaced. Must be < limit. */
  readonly burst: number;
}

export type Reservation = { readonly granted: true; readonly waitMs: number; /** The booked instant, epoch ms (database clock). */ readonly at: number } | { readonly granted: false; readonly retryInMs: number; readonly pausedBy: string | null };

interface BucketRow {
  key: string;
  tat_ms: string;
  paused_until_ms: string | null;
  now_ms: string;
}

export function intervalOf(spec: BucketSpec): number {
  const effective = Math.max(1, spec.limit - Math.max(0, spec.burst));
  return spec.windowMs / effective;
}

export class PgRateLimiter {
  constructor(private readonly dataSource: DataSource) {}

  async reserve(specs: readonly BucketSpec[], maxWaitMs: number): Promise<Reservation> {
    const sorted = [...specs].sort((a, b) => a.key.localeCompare(b.key));
    const keys = sorted.map((s) => s.key);
    return this.dataSource.transaction(async (manager) => {
      await ensureBuckets(manager, keys);
      const rows = (await manager.query(
        `SELECT key, (extract(epoch FROM tat) * 1000)::float8::text AS tat_ms,
                (extract(epoch FROM paused_until) * 1000)::float8::text AS paused_until_ms,
                (extract(epoch FROM clock_timestamp()) * 1000)::float8::text AS now_ms
           FROM rate_limit_bucket WHERE key = ANY($1) ORDER BY key FOR UPDATE`,
        [keys],
      )) as BucketRow[];
      const now = Number(rows[0]?.now_ms ?? Date.now());
      let slot = now;
      let pausedBy: string | null = null;
      let pausedUntil = 0;
      for (const spec of sorted) {
        const row = rows.find((r) => r.key === spec.key);
        const tat = Number(row?.tat_ms ?? now);
        const tau = intervalOf(spec) * Math.max(0, spec.burst - 1);
        slot = Math.max(slot, tat - tau);
        const paused = row?.paused_until_ms ? Number(row.paused_until_ms) : 0;
        if (paused > now && paused > pausedUntil) {
          pausedUntil = paused;
          pausedBy = spec.key;
        }
      }
      if (pausedUntil > now) return { granted: false, retryInMs: Math.ceil(pausedUntil - now), pausedBy };
      const waitMs = slot - now;
      if (waitMs > maxWaitMs) return { granted: false, retryInMs: Math.ceil(waitMs - maxWaitMs / 2), pausedBy: null };
      for (const spec of sorted) {
        const row = rows.find((r) => r.key === spec.key);
        const tat = Number(row?.tat_ms ?? now);
        const next = Math.max(tat, slot) + intervalOf(spec);
        await manager.query(`UPDATE rate_limit_bucket SET tat = to_timestamp($2::float8 / 1000), updated_at = now() WHERE key = $1`, [spec.key, next]);
      }
      return { granted: true, waitMs: Math.max(0, Math.ceil(waitMs)), at: Math.max(now, slot) };
    });
  }

  /** Stops every reservation on `key` for `ms` (a 429 asked us to wait). Never shortens a pause. */
  async pause(key: string, ms: number, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await ensureBuckets(manager, [key]);
      await manager.query(
        `UPDATE rate_limit_bucket
            SET paused_until = greatest(coalesce(paused_until, '-infinity'), clock_timestamp() + make_interval(secs => $2::float8 / 1000)),
                pause_reason = $3, updated_at = now()
          WHERE key = $1`,
        [key, ms, reason.slice(0, 200)],
      );
    });
  }

  /**
   * Milliseconds left on the longest pause among `keys`, 0 when none. Checked again right before a
   * call: a slot booked before a 429 arrived must not be used to call through it.
   */
  async pausedFor(keys: readonly string[]): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT coalesce(max(extract(epoch FROM paused_until - clock_timestamp()) * 1000), 0)::float8 AS ms FROM rate_limit_bucket WHERE key = ANY($1) AND paused_until > clock_timestamp()`,
      [keys],
    )) as [{ ms: number }];
    return Math.max(0, Math.ceil(Number(rows[0]?.ms ?? 0)));
  }

  /** Pauses still running, for the queue dashboard. */
  async activePauses(): Promise<{ key: string; pausedUntil: Date; reason: string | null }[]> {
    const rows = (await this.dataSource.query(
      `SELECT key, paused_until, pause_reason FROM rate_limit_bucket WHERE paused_until > now() ORDER BY paused_until DESC LIMIT 100`,
    )) as { key: string; paused_until: Date; pause_reason: string | null }[];
    return rows.map((r) => ({ key: r.key, pausedUntil: r.paused_until, reason: r.pause_reason }));
  }
}

async function ensureBuckets(manager: EntityManager, keys: readonly string[]): Promise<void> {
  await manager.query(`INSERT INTO rate_limit_bucket (key) SELECT unnest($1::text[]) ON CONFLICT (key) DO NOTHING`, [keys]);
}
