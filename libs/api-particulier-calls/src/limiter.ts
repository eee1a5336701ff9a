/**
 * Shared rate limits in PostgreSQL, for every worker process at once (SR-34): GCRA buckets
 * (a.k.a. virtual scheduling) with reservations, plus pauses set by a 429 (SR-33).
 *
 * A bucket `{ limit, windowMs, burst }` spaces calls by `windowMs / (limit - burst)` and lets
 * `burst` through at once, so any fixed window of `windowMs` — the way API Particulier counts —
 * sees at most `limit` calls. `reserve` books the earliest instant every key allows and returns how
 * long to wait for it; when that is further than `maxWaitMs`, nothing is booked and the caller
 * should put its job back to wait (instead of holding a worker slot).
 *
 * Slots are booked ahead, but a call leaves later: a stall (event loop, database, GC) between the
 * booking and the departure would let every call booked during the stall leave at once. So
 * `depart` counts calls **when they leave**: a sliding log of the last `departureCap(spec)`
 * departures per bucket (`limit − margin`, rows `<key>#<i>` of `rate_limit_bucket`, each holding
 * the instant of one departure); a call leaves only if the oldest of them is a full window old
 * (the upstream's window + 5 %, `departureWindowMs`), so no window of the upstream's length sees
 * more than `limit − margin` calls, whatever stalled.
 */
import type { DataSource, EntityManager } from 'typeorm';

export interface BucketSpec {
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
  /** Calls allowed back to back; the rest are spaced. Must be < limit. */
  readonly burst: number;
  /** The configured limit when `limit` was learnt lower: sizes the departure log, so it outlives a change of limit. */
  readonly ceiling?: number;
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

/** Calls kept below a limit, for clock skew and the time between our count and the upstream's: 5 %, at least 1 (limits ≥ 2). */
export function marginOf(limit: number): number {
  return limit >= 2 ? Math.max(1, Math.ceil(limit * 0.05)) : 0;
}

/** Calls that may leave within any window of `spec.windowMs`: the limit less its margin. */
export function departureCap(spec: BucketSpec): number {
  return Math.max(1, spec.limit - marginOf(spec.limit));
}

/**
 * The window departures are counted over: the upstream's, 5 % longer. A call arrives upstream some
 * milliseconds after we count it, and not always the same number (a busy event loop, a slow
 * socket): counting over a slightly longer window keeps calls that left a window apart from
 * arriving within one.
 */
export function departureWindowMs(spec: BucketSpec): number {
  return spec.windowMs + Math.ceil(spec.windowMs * 0.05);
}

export type Departure = { readonly left: true } | { readonly left: false; readonly retryInMs: number; readonly pausedBy: string | null };

/**
 * A bucket's departure log in one round trip: whether its `size` rows exist (the last one, inserted
 * with the others), the instant of the `cap`-th most recent departure, and the oldest row (the one
 * the next departure overwrites). Read through the index `rate_limit_bucket_departures` (bucket,
 * instant): no sort, no list of thousands of keys (the per-IP log of 3000/min has 2850 rows).
 */
async function readRing(manager: EntityManager, key: string, size: number, cap: number): Promise<{ complete: boolean; nth: string | null; free: string | null }> {
  const [ring] = (await manager.query(
    `SELECT EXISTS (SELECT 1 FROM rate_limit_bucket WHERE key = $1::text || '#' || ($2::int - 1)) AS complete,
            (SELECT (extract(epoch FROM tat) * 1000)::float8::text FROM rate_limit_bucket
              WHERE split_part(key, '#', 1) = $1 AND strpos(key, '#') > 0 ORDER BY tat DESC OFFSET $3::int - 1 LIMIT 1) AS nth,
            (SELECT key FROM rate_limit_bucket WHERE split_part(key, '#', 1) = $1 AND strpos(key, '#') > 0 ORDER BY tat LIMIT 1) AS free`,
    [key, size, cap],
  )) as [{ complete: boolean; nth: string | null; free: string | null }];
  return ring;
}

export interface LearntCeiling {
  readonly limit: number;
  /** What taught it: `RateLimit-Limit` of a 2xx/4xx answer, or of a 429. */
  readonly source: string;
  readonly learntAt: Date;
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

  /**
   * Records a call leaving now, if every bucket allows it: no pause running, and fewer than
   * `departureCap(spec)` departures within the last `spec.windowMs`. Otherwise records nothing and
   * says how long to wait. Called right before the request leaves (after the booked slot's wait).
   */
  async depart(specs: readonly BucketSpec[]): Promise<Departure> {
    const sorted = [...specs].sort((a, b) => a.key.localeCompare(b.key));
    const keys = sorted.map((s) => s.key);
    return this.dataSource.transaction(async (manager) => {
      await ensureBuckets(manager, keys);
      // The buckets' own rows serialise departures (same order as `reserve`: no deadlock).
      const rows = (await manager.query(
        `SELECT key, (extract(epoch FROM paused_until) * 1000)::float8::text AS paused_until_ms,
                (extract(epoch FROM clock_timestamp()) * 1000)::float8::text AS now_ms
           FROM rate_limit_bucket WHERE key = ANY($1) ORDER BY key FOR UPDATE`,
        [keys],
      )) as Omit<BucketRow, 'tat_ms'>[];
      const now = Number(rows[0]?.now_ms ?? Date.now());
      let pausedUntil = 0;
      let pausedBy: string | null = null;
      for (const row of rows) {
        const paused = row.paused_until_ms ? Number(row.paused_until_ms) : 0;
        if (paused > now && paused > pausedUntil) {
          pausedUntil = paused;
          pausedBy = row.key;
        }
      }
      if (pausedUntil > now) return { left: false, retryInMs: Math.ceil(pausedUntil - now), pausedBy };
      const oldest: string[] = [];
      let waitMs = 0;
      for (const spec of sorted) {
        const cap = departureCap(spec);
        const size = Math.max(cap, departureCap({ ...spec, limit: Math.max(spec.limit, spec.ceiling ?? 0) }));
        let ring = await readRing(manager, spec.key, size, cap);
        // First departures on this bucket: free slots, never used.
        if (!ring.complete) {
          await manager.query(
            `INSERT INTO rate_limit_bucket (key, tat) SELECT $1::text || '#' || g, '-infinity' FROM generate_series(0, $2::int - 1) g ON CONFLICT (key) DO NOTHING`,
            [spec.key, size],
          );
          ring = await readRing(manager, spec.key, size, cap);
        }
        // The cap-th most recent departure must be a full window old.
        const last = Number(ring.nth ?? Number.NEGATIVE_INFINITY);
        const windowMs = departureWindowMs(spec);
        if (last > now - windowMs) {
          waitMs = Math.max(waitMs, last + windowMs - now);
          continue;
        }
        if (ring.free) oldest.push(ring.free);
      }
      if (waitMs > 0) return { left: false, retryInMs: Math.ceil(waitMs), pausedBy: null };
      await manager.query(`UPDATE rate_limit_bucket SET tat = to_timestamp($2::float8 / 1000), updated_at = now() WHERE key = ANY($1)`, [oldest, now]);
      return { left: true };
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

  /**
   * The platform-wide ceiling learnt from API Particulier (`RateLimit-Limit` of its answers and
   * per-IP 429s), shared by every worker: the value, what taught it and when, or null when nothing
   * was learnt. Kept in the `learnt_limit`, `learnt_source` and `learnt_at` columns of the
   * bucket's row (`LEARNT_CEILING_KEY` in limits.ts: the platform bucket's).
   */
  async learntCeiling(key: string): Promise<LearntCeiling | null> {
    const rows = (await this.dataSource.query(`SELECT learnt_limit, learnt_source, learnt_at FROM rate_limit_bucket WHERE key = $1 AND learnt_limit IS NOT NULL`, [key])) as {
      learnt_limit: number;
      learnt_source: string | null;
      learnt_at: Date;
    }[];
    const row = rows[0];
    return row ? { limit: row.learnt_limit, source: row.learnt_source ?? '', learntAt: row.learnt_at } : null;
  }

  /** Records a learnt ceiling (the caller caps it by the configured value); `learnt_at` moves only when the value does. */
  async learnCeiling(key: string, limit: number, source: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO rate_limit_bucket (key, tat, learnt_limit, learnt_source, learnt_at) VALUES ($1, '-infinity', $2, $3, now())
       ON CONFLICT (key) DO UPDATE SET learnt_limit = EXCLUDED.learnt_limit, learnt_source = EXCLUDED.learnt_source, learnt_at = EXCLUDED.learnt_at
        WHERE rate_limit_bucket.learnt_limit IS DISTINCT FROM EXCLUDED.learnt_limit`,
      [key, Math.max(1, Math.floor(limit)), source.slice(0, 100)],
    );
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
