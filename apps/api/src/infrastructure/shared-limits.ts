import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import { AppError } from '@fcplat/common';
import type { PlatformConfig } from '@fcplat/config';

/**
 * Counters of the unauthenticated endpoints (console login and password reset, portal login,
 * sign-up and FranceConnect routes), kept in a store SHARED by every API replica (issue 14,
 * item 6): Redis in production, PostgreSQL in embedded mode (the store follows `QUEUE_BACKEND`,
 * with the queue's own `REDIS_URL` and `QUEUE_PREFIX`). Counting is `rate-limiter-flexible`'s:
 * one atomic increment per attempt (a Lua script on Redis, an `INSERT … ON CONFLICT DO UPDATE`
 * on PostgreSQL), so replicas never lose an attempt or give a source N times its budget, a
 * restart keeps the counts, and no flood of distinct keys can push a live counter out (Redis runs
 * with `noeviction`, checked at boot; keys expire with their window).
 *
 * When the store does not answer, every limited endpoint fails closed: 503
 * `DEPENDENCY_UNAVAILABLE` at once (no offline queue, a bounded command time), never an attempt
 * that nobody counted; the connection comes back by itself. There is deliberately no in-memory
 * fallback: it would give each replica its own budget again during the outage, the very thing
 * these counters exist to prevent.
 *
 * Keys are hashed (SHA-256): no e-mail address or IP in clear in Redis or in the table.
 */

/** At most `max` attempts per fixed window of `windowMs` (started by the window's first attempt). */
export interface LimitRule {
  readonly max: number;
  readonly windowMs: number;
}

/** Free failures, then growing waits: `baseDelayMs` doubled at each further failure, up to `maxDelayMs`. */
export interface ThrottleRule {
  readonly freeFailures: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** The failures of a key are counted over this window (from its first failure), then forgotten. */
  readonly forgetAfterMs: number;
}

/** The part of a `rate-limiter-flexible` limiter used here (Redis, PostgreSQL, or memory in unit tests). */
export interface FlexibleLimiter {
  consume(key: string, points?: number): Promise<RateLimiterRes>;
  penalty(key: string, points?: number): Promise<RateLimiterRes>;
  get(key: string): Promise<RateLimiterRes | null>;
  block(key: string, secDuration: number): Promise<RateLimiterRes>;
  delete(key: string): Promise<boolean>;
}

/** Makes the limiter of one (key prefix, budget, window in seconds). */
export type LimiterFactory = (options: { readonly keyPrefix: string; readonly points: number; readonly duration: number }) => FlexibleLimiter;

/** One counter of a {@link SharedCounters.consumeInOrder} call, as the store sees it. */
export interface StoredCounter {
  /** The full key in the store (the limiter's `keyPrefix:hash`, the same key its other operations use). */
  readonly storeKey: string;
  readonly points: number;
  /** Window in seconds. */
  readonly duration: number;
}

/**
 * Counts one attempt on each counter in order, in ONE round trip, stopping after the first that
 * goes beyond its budget (the later ones are not counted); returns each counted one's count and
 * the milliseconds left in its window. The Redis store's (a Lua script); stores without it count
 * one counter at a time through their limiters, with the same result.
 */
export type ConsumeInOrder = (counters: readonly StoredCounter[]) => Promise<ReadonlyArray<{ readonly consumed: number; readonly msBeforeNext: number }>>;

/**
 * {@link ConsumeInOrder} on Redis: for each key, rate-limiter-flexible's own consume (`SET NX EX`
 * starts the window, `INCRBY`, the TTL read back and restored if lost), so the counters stay the
 * ones its `get`, `penalty` and `delete` read and write. Atomic: Redis runs a script alone.
 */
export const CONSUME_IN_ORDER_LUA = `
local results = {}
for i = 1, #KEYS do
  local budget = tonumber(ARGV[2 * i - 1])
  local seconds = tonumber(ARGV[2 * i])
  redis.call('set', KEYS[i], 0, 'EX', seconds, 'NX')
  local consumed = redis.call('incrby', KEYS[i], 1)
  local ttl = redis.call('pttl', KEYS[i])
  if ttl == -1 then
    redis.call('expire', KEYS[i], seconds)
    ttl = 1000 * seconds
  end
  results[#results + 1] = consumed
  results[#results + 1] = ttl
  if consumed > budget then break end
end
return results`;

/** The table of the PostgreSQL store (migration SharedRateLimits1764900000000), in rate-limiter-flexible's layout. */
export const RATE_LIMIT_TABLE = 'auth_rate_limit';

const UNAVAILABLE = 'Ce service est momentanément indisponible. Réessayez dans quelques instants.';
/** A budget no failure counter reaches: those counters only count. */
const UNBOUNDED = 2_000_000_000;

function unavailable(cause: unknown): AppError {
  return new AppError('DEPENDENCY_UNAVAILABLE', { detail: UNAVAILABLE, cause });
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function hashed(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/** Runs a store operation; a store that fails or does not answer makes it a 503. */
async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw unavailable(error);
  }
}

/** The shared store: one limiter per (namespace, budget, window), created on first use. */
export class LimitStore {
  private readonly limiters = new Map<string, FlexibleLimiter>();

  constructor(
    private readonly make: LimiterFactory,
    /** Namespace of every key (the queue prefix, so test runs and platforms sharing a store stay apart). */
    private readonly prefix: string,
    private readonly onClose: () => Promise<void> = async () => undefined,
    /** The store's one-round-trip consume of several counters, when it has one (Redis). */
    readonly consumeInOrder?: ConsumeInOrder,
  ) {}

  /** Counters of one area; keys of two namespaces never meet (each area had its own map before). */
  counters(namespace: string): SharedCounters {
    return new SharedCounters(this, namespace);
  }

  throttle(namespace: string, rule: ThrottleRule): SharedFailureThrottle {
    return new SharedFailureThrottle(this, namespace, rule);
  }

  limiter(namespace: string, points: number, windowMs: number): FlexibleLimiter {
    const duration = seconds(windowMs);
    const id = `${namespace}|${points}|${duration}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = this.make({ keyPrefix: this.keyPrefix(namespace), points, duration });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  /** The key the limiters of `namespace` store `hashedKey` under (rate-limiter-flexible's `keyPrefix:key`). */
  storeKey(namespace: string, hashedKey: string): string {
    return `${this.keyPrefix(namespace)}:${hashedKey}`;
  }

  private keyPrefix(namespace: string): string {
    return `${this.prefix}:limits:${namespace}`;
  }

  async close(): Promise<void> {
    await this.onClose();
  }

  /** Nest closes it with the application, after the HTTP server stopped taking requests. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

/** Fixed-window attempt counters of one namespace. Every method may throw a 503 AppError (store down). */
export class SharedCounters {
  constructor(
    private readonly store: LimitStore,
    private readonly namespace: string,
  ) {}

  /**
   * Counts one attempt for `key` (atomically, on every replica at once) and returns the seconds to
   * wait when it went beyond the rule's budget — the attempt is then refused —, else null.
   */
  async consume(key: string, rule: LimitRule): Promise<number | null> {
    try {
      await this.limiter(rule).consume(hashed(key));
      return null;
    } catch (error) {
      // rate-limiter-flexible refuses with the counter's state, and fails with an Error.
      if (error instanceof RateLimiterRes) return seconds(error.msBeforeNext);
      throw unavailable(error);
    }
  }

  /**
   * Counts one attempt on each `(key, rule)` in order, stopping at the first that goes beyond its
   * budget (that attempt is refused, the later counters are not touched): the index of the refusing
   * counter and the seconds to wait, else null. The same counts as calling {@link consume} on each
   * in turn, in one round trip on Redis (a hot path: the FranceConnect routes count per IP and per
   * tenant on every request).
   */
  async consumeInOrder(counters: ReadonlyArray<{ readonly key: string; readonly rule: LimitRule }>): Promise<{ index: number; wait: number } | null> {
    const consumeInOrder = this.store.consumeInOrder;
    if (!consumeInOrder) {
      for (const [index, { key, rule }] of counters.entries()) {
        const wait = await this.consume(key, rule);
        if (wait !== null) return { index, wait };
      }
      return null;
    }
    const stored = counters.map(({ key, rule }) => ({ storeKey: this.store.storeKey(this.namespace, hashed(key)), points: rule.max, duration: seconds(rule.windowMs) }));
    const results = await guarded(() => consumeInOrder(stored));
    for (const [index, result] of results.entries()) {
      if (result.consumed > (stored[index]?.points ?? Infinity)) return { index, wait: seconds(result.msBeforeNext) };
    }
    return null;
  }

  /** Seconds to wait when `key` has used its budget, else null (counts nothing). */
  async blockedFor(key: string, rule: LimitRule): Promise<number | null> {
    const state = await guarded(() => this.limiter(rule).get(hashed(key)));
    return state && state.consumedPoints >= rule.max ? seconds(state.msBeforeNext) : null;
  }

  /** Counts one attempt for `key` without refusing it (e.g. a failure, counted after the fact). */
  async hit(key: string, rule: LimitRule): Promise<void> {
    await guarded(() => this.limiter(rule).penalty(hashed(key)));
  }

  /** Forgets `key` (after a success). */
  async reset(key: string, rule: LimitRule): Promise<void> {
    await guarded(() => this.limiter(rule).delete(hashed(key)));
  }

  private limiter(rule: LimitRule): FlexibleLimiter {
    return this.store.limiter(this.namespace, rule.max, rule.windowMs);
  }
}

/**
 * Growing delays per key (the console uses (source IP, e-mail)): after `freeFailures` failures,
 * each further attempt must wait `baseDelayMs`, then twice that, and so on up to `maxDelayMs`. It
 * never locks an account for everybody: the same e-mail from another source is not slowed, and
 * an unknown e-mail is throttled exactly like a known one (same answers, no enumeration).
 *
 * Two shared counters: the failures of the key (over `forgetAfterMs` from its first failure) and
 * the wait it must observe (a key blocked for the delay). Every method may throw a 503 AppError.
 */
export class SharedFailureThrottle {
  private readonly failures: FlexibleLimiter;
  private readonly waits: FlexibleLimiter;

  constructor(
    store: LimitStore,
    namespace: string,
    private readonly rule: ThrottleRule,
  ) {
    this.failures = store.limiter(`${namespace}-failures`, UNBOUNDED, rule.forgetAfterMs);
    this.waits = store.limiter(`${namespace}-waits`, 1, rule.maxDelayMs);
  }

  /** Seconds to wait before `key` may try again, else null. */
  async waitFor(key: string): Promise<number | null> {
    const state = await guarded(() => this.waits.get(hashed(key)));
    return state && state.msBeforeNext > 0 ? seconds(state.msBeforeNext) : null;
  }

  async failed(key: string): Promise<void> {
    const id = hashed(key);
    const { consumedPoints } = await guarded(() => this.failures.penalty(id));
    const beyond = consumedPoints - this.rule.freeFailures;
    if (beyond < 0) return;
    const delayMs = Math.min(this.rule.maxDelayMs, this.rule.baseDelayMs * 2 ** Math.min(beyond, 30));
    await guarded(() => this.waits.block(id, seconds(delayMs)));
  }

  async succeeded(key: string): Promise<void> {
    const id = hashed(key);
    await guarded(() => Promise.all([this.failures.delete(id), this.waits.delete(id)]));
  }
}

/** rate-limiter-flexible names its statements; PGlite's single shared session would see them collide, so they go unnamed. */
function unnamedStatements(pool: Pool): { query(q: { text: string; values?: unknown[] }): Promise<unknown> } {
  return { query: (q) => pool.query(q.text, q.values) };
}

/**
 * The store of this deployment: Redis (its own connection, failing fast) when the queue runs on
 * Redis, else the platform's PostgreSQL through the DataSource's pool (embedded mode).
 */
export async function openLimitStore(config: PlatformConfig, dataSource: DataSource): Promise<LimitStore> {
  const prefix = config.queue.prefix;
  if (config.queue.backend === 'redis') {
    const redis = new Redis(config.queue.redisUrl, {
      lazyConnect: true,
      connectionName: 'fcplat-api-limits',
      connectTimeout: 5_000,
      // Fail fast (SR-35): no offline queue, one retry at most, a bounded wait for an answer.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 2_000,
    });
    redis.on('error', () => undefined); // a failed command answers 503; the client reconnects by itself
    // EVALSHA, loading the script again when Redis answers NOSCRIPT (after a restart).
    redis.defineCommand('fcplatConsumeInOrder', { lua: CONSUME_IN_ORDER_LUA });
    const script = redis as unknown as { fcplatConsumeInOrder(numberOfKeys: number, ...keysThenArgs: string[]): Promise<number[]> };
    await redis.connect();
    return new LimitStore(
      (options) => new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true }),
      prefix,
      async () => {
        await redis.quit().catch(() => redis.disconnect());
      },
      async (counters) => {
        const flat = await script.fcplatConsumeInOrder(
          counters.length,
          ...counters.map((c) => c.storeKey),
          ...counters.flatMap((c) => [String(c.points), String(c.duration)]),
        );
        const results: { consumed: number; msBeforeNext: number }[] = [];
        for (let i = 0; i + 1 < flat.length; i += 2) results.push({ consumed: Number(flat[i]), msBeforeNext: Number(flat[i + 1]) });
        return results;
      },
    );
  }
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  let janitor = true;
  return new LimitStore((options) => {
    // Expired rows are deleted every 5 minutes by one limiter of the process (rate-limiter-flexible's timer).
    const clearExpiredByTimeout = janitor;
    janitor = false;
    return new RateLimiterPostgres({ ...options, storeClient: unnamedStatements(pool), storeType: 'pool', tableName: RATE_LIMIT_TABLE, tableCreated: true, clearExpiredByTimeout });
  }, prefix);
}
