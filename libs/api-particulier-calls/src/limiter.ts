/**
 * Shared rate limits in PostgreSQL, for every worker process at once (SR-34): GCRA buckets
 * (a.k.a. virtual scheduling) with reservations, plus pauses set by a 429 (SR-33).
 *
 * A bucket `{ limit, windowMs, burst }` paces calls at the rate its departures allow
 * (`intervalOf`) and lets `burst` through at once. `reserve` books the earliest instant every key
 * allows and returns how long to wait for it; when that is further than `maxWaitMs`, nothing is
 * booked and the caller should put its job back to wait (instead of holding a worker slot).
 *
 * Slots are booked ahead, but a call leaves later: a stall (event loop, database, GC) between the
 * booking and the departure would let every call booked during the stall leave at once. So
 * `depart` counts calls **when they leave**: a sliding log of the last `limit` departures per
 * bucket (rows `<key>#<i>` of `rate_limit_bucket`, each holding the instant of one departure); a
 * call leaves only if the oldest of them is a full window old — the upstream's window stretched by
 * a margin (`windowMarginMs`: 3 %, at least 20 ms, at most 1 s), so calls that left a window apart cannot arrive
 * within one even if the later one travels faster.
 *
 * The margin only holds if a counted call leaves at once. A call that is still in the worker
 * `departureValidMs` after its count (half the margin: a busy event loop, a slow commit) must not
 * leave on it: its count is moved to a later instant (`redate`, `departFresh`), which takes no
 * other slot. That check is made again on the request's open connection (`refresh`): opening one
 * after the count is such a delay. So the margin needs only cover the upstream's side of the jitter.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { returningRows } from './ledger.js';

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

/**
 * Reservations pace calls at the rate departures allow (`limit` per `departureWindowMs`), with
 * `burst` of them at once. Pacing only: the departure log is what keeps every window under the limit.
 */
export function intervalOf(spec: BucketSpec): number {
  return departureWindowMs(spec) / Math.max(1, spec.limit);
}

/**
 * The margin on a window: 3 % of it, at least 20 ms and at most a second. Between our count of a
 * departure and the upstream's count of its arrival, the delay is not always the same (the
 * network, the upstream's own load): counting over a slightly longer window than the upstream's
 * keeps calls that left a window apart from arriving within one. The worker's side of that delay
 * is bounded apart (`departureValidMs`). 3 % keeps the throughput at 0.97 of what the upstream
 * allows per second; a minute's window needs no more than a second of it (0.98).
 */
export function windowMarginMs(windowMs: number): number {
  return Math.min(1_000, Math.max(20, Math.ceil(windowMs * 0.03)));
}

/**
 * A bucket's margin: {@link windowMarginMs}, and at least half the spacing of two calls at its
 * limit (at most 1 s). A small limit is where one early arrival is a large share of the window: 5
 * calls a second get 100 ms, not 30 (measured: with 30 ms, a full test suite's scheduling jitter
 * met 429s at 5/s); 20 a second keep 30 ms.
 */
export function bucketMarginMs(spec: BucketSpec): number {
  return Math.min(1_000, Math.max(windowMarginMs(spec.windowMs), Math.ceil(spec.windowMs / (2 * Math.max(1, spec.limit)))));
}

/** The window departures are counted over: the upstream's, plus its margin. */
export function departureWindowMs(spec: BucketSpec): number {
  return spec.windowMs + bucketMarginMs(spec);
}

/**
 * How long a counted departure stays valid: half the smallest margin of its buckets. A call still
 * in the worker after that (a busy event loop, a slow commit) has its count moved to now before it
 * leaves (`departFresh`): the delay between our count and the request leaving never eats more than
 * half the margin.
 */
export function departureValidMs(specs: readonly BucketSpec[]): number {
  return Math.min(...specs.map((spec) => bucketMarginMs(spec) / 2));
}

export type Departure =
  | {
      readonly left: true;
      /**
       * An instant of `performance.now()` no later than the departure's count (the statement's
       * sending, plus the time the server took before counting): its age bounds the time since the
       * count from above. See {@link departureValidMs}.
       */
      readonly countedAt: number;
      /** The count's instant (the database's clock, as text: exact to the microsecond) and the log rows holding it. */
      readonly at: string;
      readonly rows: readonly string[];
    }
  | { readonly left: false; readonly retryInMs: number; readonly pausedBy: string | null };

export interface LearntCeiling {
  readonly limit: number;
  /** What taught it: `RateLimit-Limit` of a 2xx/4xx answer, or of a 429. */
  readonly source: string;
  readonly learntAt: Date;
}

export class PgRateLimiter {
  constructor(private readonly dataSource: DataSource) {}

  async reserve(specs: readonly BucketSpec[], maxWaitMs: number): Promise<Reservation> {
    // One statement (`fcplat_reserve`, migration RateLimitsInOneStatement): the bucket rows are
    // locked for the time the server runs it, not for the round trips of a transaction.
    const [row] = (await this.dataSource.query(`SELECT granted, wait_ms, at_ms, retry_ms, paused_by FROM fcplat_reserve($1::text[], $2::float8[], $3::float8[], $4::float8)`, [
      specs.map((s) => s.key),
      specs.map((s) => intervalOf(s)),
      specs.map((s) => intervalOf(s) * Math.max(0, s.burst - 1)),
      maxWaitMs,
    ])) as [{ granted: boolean; wait_ms: number; at_ms: number; retry_ms: number; paused_by: string | null }];
    if (!row.granted) return { granted: false, retryInMs: Math.ceil(row.retry_ms), pausedBy: row.paused_by };
    return { granted: true, waitMs: Math.ceil(row.wait_ms), at: row.at_ms };
  }

  /**
   * Records a call leaving now, if every bucket allows it: no pause running, and fewer than
   * `spec.limit` departures within the last `departureWindowMs(spec)`. Otherwise records nothing and
   * says how long to wait. Called right before the request leaves (after the booked slot's wait).
   *
   * One statement (`fcplat_depart`): the log is read through the index `rate_limit_bucket_departures`
   * (bucket, instant) — no sort, no list of thousands of keys (the per-IP log of 3000/min has 3000
   * rows) — and the server says how long after receiving the statement it counted the departure
   * (a wait for the bucket's lock included), which dates the count for {@link departureValidMs}.
   */
  async depart(specs: readonly BucketSpec[]): Promise<Departure> {
    const params = [
      specs.map((s) => s.key),
      specs.map((s) => s.limit),
      // The log outlives a learnt (lower) limit: sized for the configured one.
      specs.map((s) => Math.max(s.limit, s.ceiling ?? 0)),
      specs.map((s) => departureWindowMs(s)),
    ];
    const { rows, sent } = await this.timed(
      `SELECT departed, retry_ms, paused_by, before_count_ms, counted_at, counted_rows FROM fcplat_depart($1::text[], $2::int[], $3::int[], $4::float8[])`,
      params,
    );
    const row = rows[0] as { departed: boolean; retry_ms: number; paused_by: string | null; before_count_ms: number; counted_at: string | null; counted_rows: string[] | null };
    if (!row.departed || row.counted_at === null) return { left: false, retryInMs: Math.ceil(row.retry_ms), pausedBy: row.paused_by };
    // The server received the statement after `sent`, and counted `before_count_ms` later still.
    return { left: true, countedAt: sent + Math.max(0, row.before_count_ms), at: row.counted_at, rows: row.counted_rows ?? [] };
  }

  /**
   * Moves a departure counted too long ago to now: the call has not left yet, so its count may move
   * later (later departures only wait longer for it) without taking another slot. Null when its
   * rows no longer hold it (a full window later, newer departures have reused them): count anew.
   */
  async redate(departure: Extract<Departure, { left: true }>): Promise<Extract<Departure, { left: true }> | null> {
    const { rows, sent } = await this.timed(
      `WITH now AS (SELECT clock_timestamp() AS at)
       UPDATE rate_limit_bucket SET tat = now.at, updated_at = now() FROM now
        WHERE key = ANY($1) AND tat = $2::timestamptz
       RETURNING now.at::text AS at, extract(epoch FROM now.at - statement_timestamp())::float8 * 1000 AS before_count_ms`,
      [departure.rows, departure.at],
    );
    const moved = rows as { at: string; before_count_ms: number }[];
    const [first] = moved;
    if (!first || moved.length !== departure.rows.length) return null;
    return { left: true, countedAt: sent + Math.max(0, first.before_count_ms), at: first.at, rows: departure.rows };
  }

  /**
   * Runs one statement on a connection of its own, taken first: `sent` (`performance.now()`) is
   * when the statement left, so a wait for the pool is no part of a count's age.
   */
  private async timed(sql: string, params: unknown[]): Promise<{ rows: unknown[]; sent: number }> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      const sent = performance.now();
      return { rows: returningRows<unknown>(await runner.query(sql, params)), sent };
    } finally {
      await runner.release();
    }
  }

  /**
   * A departure fresh enough to leave on ({@link departureValidMs} of its buckets), or a refusal:
   * counts the call, then moves the count to now while the reply or the event loop made it stale,
   * until `deadline` (epoch ms; then a refusal with no wait, for the caller to put its job back).
   * Nothing may be awaited between a departure returned here and the request's write, unless the
   * departure goes through {@link refresh} again right before it (on the open connection).
   */
  async departFresh(specs: readonly BucketSpec[], deadline: number): Promise<Departure> {
    return this.refresh(specs, await this.depart(specs), deadline);
  }

  /**
   * `departure` if it is still fresh ({@link departureValidMs}), else its count moved to now
   * (`redate`, or counted anew when its rows were reused), until `deadline` (then a refusal with
   * no wait). Asked again on the request's open connection, right before the write: opening a
   * connection (and the event loop meanwhile) may have made a fresh count stale.
   */
  async refresh(specs: readonly BucketSpec[], departure: Departure, deadline: number): Promise<Departure> {
    const validMs = departureValidMs(specs);
    let current = departure;
    while (current.left && performance.now() - current.countedAt > validMs) {
      if (Date.now() > deadline) return { left: false, retryInMs: 0, pausedBy: null };
      current = (await this.redate(current)) ?? (await this.depart(specs));
    }
    return current;
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
