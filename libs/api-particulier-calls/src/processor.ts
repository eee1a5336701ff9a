/**
 * The `api-particulier.call` job: one attempt of one call (SR-30, SR-31, SR-33).
 *
 * 1. The row decides: an ended call is skipped (a job seen twice makes one call and one record);
 *    a call another run holds (live lease) is postponed; a FranceConnect token that is dead or about
 *    to die ends the call without calling.
 * 2. Rate limits are booked in PostgreSQL before the call; a long wait or a pause puts the job back
 *    to wait without consuming an attempt.
 * 3. The answer decides: success → summary kept (encrypted), inputs erased; final error → ended with
 *    its code; retryable → `retrying` and the job fails for BullMQ's exponential backoff with jitter
 *    (or ends failed after the last attempt); 429 → the right bucket paused until the reset, the
 *    attempt given back, the job postponed.
 */
import { ApiParticulierClient, ApiParticulierError, summarize, type ApiParticulierRequest, type CallSubject } from '@fcplat/api-particulier';
import type { ApiParticulierCallPayload, ApiParticulierCallResult, JobContext, JobProcessor } from '@fcplat/queue';
import type { TenantEndpoint, TenantEndpoints } from './credentials.js';
import type { CallLedger, ClaimableCall } from './ledger.js';
import type { LatencyConcurrency } from './concurrency.js';
import type { BucketSpec, Departure, PgRateLimiter } from './limiter.js';
import { bucketToPause, learnableIpLimit, learntPlatformSpec, tokenBucket, tokenSpec, LEARNT_CEILING_KEY, PLATFORM_BUCKET, type LimitSettings } from './limits.js';

export interface ProcessorSettings extends LimitSettings {
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  /** The most calls this worker makes at once (its concurrency's maximum): sizes the connection pool. */
  readonly workerMaxConcurrency?: number;
}

export type ProcessorLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/** A FranceConnect token with less life than this is not used: it would die on the way. */
export const FRANCECONNECT_TOKEN_MARGIN_MS = 2_000;
/**
 * A call's job comes back after BullMQ failed it for good (the reaper re-adds the job of an open
 * call, so a cause that goes away — a key restored, a bug fixed — does not lose the call); after this
 * many rounds of `maxAttempts` attempts the call fails for good (`APIP_TOO_MANY_ATTEMPTS`).
 */
export const ABANDON_AFTER_ROUNDS = 5;
/** Waits up to this long for a rate-limit slot inside the job; longer waits put the job back. */
const MAX_IN_JOB_WAIT_MS = 2_000;

/** A counted departure lost on the way to the open connection (its count could not be moved to now in time): nothing sent. */
class DepartureLost extends Error {
  constructor(readonly retryInMs: number) {
    super('API Particulier departure lost before the request was written');
    this.name = 'DepartureLost';
  }
}

/**
 * A running attempt's lease in PostgreSQL, renewed every {@link LEASE_RENEW_MS} while the request
 * is under way (a heartbeat): a dead worker's call can be taken over 4 s after its last beat, not
 * after the request timeout + 10 s. Three beats per lease: one slow database round trip does not
 * lose it.
 */
export const CALL_LEASE_MS = 4_000;
const LEASE_RENEW_MS = 1_300;

/**
 * BullMQ settings of the `api-particulier` queue's workers. A job whose worker died is moved back
 * to wait by the stalled-job check once its lock has expired: at most lock (4 s, renewed every 2 s
 * by a live worker) + one check interval (1.5 s) ≈ 5.5 s, against 30 s + 30 s (two-phase check)
 * with BullMQ's defaults. A shorter lock means a worker whose event loop stalls for 4 s loses its
 * job to another worker: harmless here, the other run finds the call's PostgreSQL lease alive and
 * waits. `maxStalledCount` 5 instead of 1: a job BullMQ fails for stalling is removed (the
 * dispatcher adds its jobs with `removeWhenFailed`) and the reaper adds it again, but only after
 * its 60 s threshold; recovering it from the stalled state at once is faster.
 */
export const API_PARTICULIER_WORKER_LOCK = { lockDurationMs: 4_000, stalledIntervalMs: 1_500, maxStalledCount: 5 } as const;

/** How often a worker reads the per-IP ceiling another worker may have learnt. */
const CEILING_REFRESH_MS = 1_000;

/** A 429 whose window ends further than this is taken for the per-IP (minute) window. */
const PER_IP_WINDOW_HINT_MS = 2_000;

/** A token (or a FranceConnect call, which has none) counts towards the allowed rate this long after its last call. */
const RECENT_CALLER_MS = 10_000;
/** How often the ages of the requests out are checked (see `requestLeft`). */
const AGE_CHECK_MS = 100;
/** Requests out filling this share of the worker's slots make the oldest one's age a lower bound of the latency. */
const SATURATED_SHARE = 0.75;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class ApiParticulierCallProcessor implements JobProcessor<'api-particulier.call'> {
  readonly name = 'api-particulier.call' as const;
  private readonly clients = new Map<string, ApiParticulierClient>();
  /** The per-IP ceiling in force: the configured one, or lower once learnt from the upstream. */
  private ipCeiling: { limit: number; readAt: number };
  /** Token buckets (hashes, never tokens) called lately, and the last call without a token: what the limits allow together. */
  private readonly recentTokens = new Map<string, number>();
  private lastTokenless = Number.NEGATIVE_INFINITY;
  /** Requests waiting for the upstream now: when each left (epoch ms), by a local id. */
  private readonly requestsOut = new Map<number, number>();
  private requestIds = 0;
  private ageCheck: NodeJS.Timeout | null = null;

  constructor(
    private readonly ledger: CallLedger,
    private readonly limiter: PgRateLimiter,
    private readonly endpoints: TenantEndpoints,
    private readonly settings: ProcessorSettings,
    private readonly log: ProcessorLog = () => undefined,
    /** Fed with the upstream's latency of each call, when the worker's concurrency follows latency. */
    private readonly concurrency: LatencyConcurrency | null = null,
  ) {
    this.ipCeiling = { limit: settings.ipLimitPerMinute, readAt: 0 };
  }

  /**
   * Little's law: the upstream's latency (the request's round trip, not the database work around it
   * nor the waits for a slot — those do not grow with the upstream's slowness, and counting them
   * would let contention feed itself) sets how many calls the worker should hold at once.
   */
  private observeLatency(latencyMs: number, token: string | null): void {
    this.concurrency?.observe(latencyMs, this.allowedRate(token === null ? null : tokenBucket(token)));
  }

  /**
   * A request leaves: while requests are out, their ages are checked every {@link AGE_CHECK_MS}.
   * When they fill most of the worker's slots, the oldest one's age is a lower bound of the latency
   * (`LatencyConcurrency.atLeast`): a slow upstream is followed before its first answer. The oldest,
   * not the median: the slots added by the ramp fill with young requests, and a median would hold
   * the ramp at about half the rate (the concurrency must reach rate × t at t, before any answer).
   * A request stuck until its timeout only over-provisions jobs (they wait for their slot), never calls.
   */
  private requestLeft(token: string | null): () => void {
    this.allowedRate(token === null ? null : tokenBucket(token)); // counts this caller in the rate
    const id = (this.requestIds += 1);
    this.requestsOut.set(id, Date.now());
    if (this.concurrency && !this.ageCheck) {
      this.ageCheck = setInterval(() => this.checkAges(), AGE_CHECK_MS);
      this.ageCheck.unref();
    }
    return () => {
      this.requestsOut.delete(id);
      if (this.requestsOut.size === 0 && this.ageCheck) {
        clearInterval(this.ageCheck);
        this.ageCheck = null;
      }
    };
  }

  private checkAges(): void {
    if (!this.concurrency || this.requestsOut.size < this.concurrency.current * SATURATED_SHARE) return;
    let oldest = Number.POSITIVE_INFINITY;
    for (const at of this.requestsOut.values()) oldest = Math.min(oldest, at);
    this.concurrency.atLeast(Date.now() - oldest, this.currentRate());
  }

  /**
   * Calls per second the limits allow this worker now: the per-IP ceiling in force, or less when
   * every recent call used one of a few tokens (their limits add up to less). An estimate for the
   * concurrency only; the limits themselves are enforced in PostgreSQL.
   */
  private allowedRate(tokenKey: string | null): number {
    const now = Date.now();
    if (tokenKey === null) this.lastTokenless = now;
    else this.recentTokens.set(tokenKey, now);
    return this.currentRate();
  }

  /** {@link allowedRate} without recording a caller. */
  private currentRate(): number {
    const now = Date.now();
    for (const [key, at] of this.recentTokens) if (now - at > RECENT_CALLER_MS) this.recentTokens.delete(key);
    const perIp = this.ipCeiling.limit / 60;
    if (now - this.lastTokenless <= RECENT_CALLER_MS) return perIp;
    return Math.min(perIp, this.recentTokens.size * this.settings.tokenLimitPerSecond);
  }

  /** The platform bucket at the per-IP ceiling in force (learnt by any worker, read at most once a second). */
  private async platformBucket(): Promise<BucketSpec> {
    if (Date.now() - this.ipCeiling.readAt >= CEILING_REFRESH_MS) {
      const learnt = await this.limiter.learntCeiling(LEARNT_CEILING_KEY);
      this.ipCeiling = { limit: Math.min(this.settings.ipLimitPerMinute, learnt?.limit ?? this.settings.ipLimitPerMinute), readAt: Date.now() };
    }
    return learntPlatformSpec(this.settings, this.ipCeiling.limit);
  }

  /**
   * Learns the per-IP ceiling from an answer's `RateLimit-Limit` (never above the configured
   * value): API Particulier's real limit may be lower than ours, and calling at ours met a 429
   * every minute. Recorded in PostgreSQL for every worker.
   */
  private async learn(rateLimit: ApiParticulierError['rateLimit'], source: string): Promise<void> {
    const limit = learnableIpLimit(rateLimit, this.settings);
    if (limit === null || limit === this.ipCeiling.limit) return;
    this.ipCeiling = { limit, readAt: Date.now() };
    await this.limiter.learnCeiling(LEARNT_CEILING_KEY, limit, source);
    this.log('warn', 'API Particulier per-IP ceiling learnt from RateLimit-Limit', { limit, configured: this.settings.ipLimitPerMinute, source });
  }

  async process(payload: ApiParticulierCallPayload, context: JobContext): Promise<ApiParticulierCallResult> {
    const call = await this.ledger.load(payload.callId);
    if (!call || call.tenantId !== payload.tenantId) return { outcome: 'missing' };
    if (call.status === 'succeeded' || call.status === 'failed') return { outcome: 'skipped', status: call.status };
    if (call.status === 'running' && call.leaseUntil && call.leaseUntil.getTime() > Date.now()) {
      return context.postpone(call.leaseUntil.getTime() + 100);
    }
    if (call.modality === 'france_connect' && (!call.fcTokenExpiresAt || call.fcTokenExpiresAt.getTime() - Date.now() < FRANCECONNECT_TOKEN_MARGIN_MS)) {
      return this.end(call, { status: 'failed', httpStatus: null, errorCode: 'FRANCECONNECT_TOKEN_EXPIRED', upstreamCode: null, latencyMs: null });
    }

    const endpoint = call.modality === 'france_connect' ? await this.endpoints.franceConnectEndpoint(call.tenantId, call.environment) : await this.endpoints.endpoint(call.tenantId, call.environment);
    if (!endpoint || (call.modality !== 'france_connect' && !endpoint.token)) {
      return this.end(call, { status: 'failed', httpStatus: null, errorCode: 'APIP_NO_CREDENTIALS', upstreamCode: null, latencyMs: null });
    }

    const token = call.modality === 'france_connect' ? null : endpoint.token;
    const platform = await this.platformBucket();
    const buckets = token ? [platform, tokenSpec(this.settings, token)] : [platform];
    const reservation = await this.limiter.reserve(buckets, MAX_IN_JOB_WAIT_MS);
    if (!reservation.granted) return context.postpone(Date.now() + reservation.retryInMs);
    if (reservation.waitMs > 0) {
      await sleep(reservation.waitMs);
      // A 429 may have arrived while this job waited for its slot: never call through it (SR-33).
      const paused = await this.limiter.pausedFor(buckets.map((b) => b.key));
      if (paused > 0) return context.postpone(Date.now() + paused);
    }

    const attempt = await this.ledger.claim(call.id, CALL_LEASE_MS);
    if (attempt === null) {
      const again = await this.ledger.load(call.id);
      if (!again || again.status === 'succeeded' || again.status === 'failed') return { outcome: 'skipped', ...(again ? { status: again.status as 'succeeded' | 'failed' } : {}) };
      return context.postpone((again.leaseUntil?.getTime() ?? Date.now()) + 100);
    }
    if (attempt > this.settings.maxAttempts * ABANDON_AFTER_ROUNDS) {
      // Every attempt so far ended in an unexpected error (not an answer of API Particulier): the
      // reaper would re-add its job every minute for ever. It fails for good instead, said as such.
      this.log('warn', 'API Particulier call abandoned after too many attempts', { callId: call.id, attempts: attempt - 1 });
      return this.end(call, { status: 'failed', httpStatus: null, errorCode: 'APIP_TOO_MANY_ATTEMPTS', upstreamCode: null, latencyMs: null }, attempt);
    }
    const heartbeat = setInterval(() => {
      this.ledger.renewLease(call.id, attempt, CALL_LEASE_MS).catch((error: unknown) => this.log('warn', 'API Particulier lease renewal failed', { callId: call.id, err: error }));
    }, LEASE_RENEW_MS);
    try {
      // Counted when it leaves, not when its slot was booked: right before the request, after the
      // claim (a slow claim or a stall would otherwise let calls booked apart leave together).
      // `depart` keeps every window under the limit (over the window + its margin), and refuses
      // while a 429 pause runs; `departFresh` moves a count the reply or the event loop made stale
      // to now, so the request leaves within half the margin of its count. A request that has to
      // open a connection first (none idle in the pool) has its count checked again on the open
      // connection, right before the write (`beforeSend`): the set-up and the event loop meanwhile
      // would otherwise stand between the count and the departure.
      const deadline = Date.now() + MAX_IN_JOB_WAIT_MS;
      let departure: Departure;
      for (;;) {
        departure = await this.limiter.departFresh(buckets, deadline);
        if (departure.left) break;
        if (departure.pausedBy !== null || Date.now() + departure.retryInMs > deadline) {
          await this.ledger.release(call.id, attempt);
          return context.postpone(Date.now() + departure.retryInMs);
        }
        await sleep(departure.retryInMs);
      }
      const counted = departure;
      const beforeSend = async (): Promise<void> => {
        const fresh = await this.limiter.refresh(buckets, counted, deadline);
        if (!fresh.left) throw new DepartureLost(fresh.retryInMs);
      };
      return await this.attempt(call, attempt, endpoint, token, context, beforeSend);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async attempt(
    call: ClaimableCall,
    attempt: number,
    endpoint: TenantEndpoint,
    token: string | null,
    context: JobContext,
    beforeSend: () => Promise<void>,
  ): Promise<ApiParticulierCallResult> {
    const input = this.ledger.decryptInput(call);
    if (!input) return this.end(call, { status: 'failed', httpStatus: null, errorCode: 'APIP_INPUT_MISSING', upstreamCode: null, latencyMs: null }, attempt);

    const subject: CallSubject =
      input.modality === 'pivot_identity'
        ? { modality: 'pivot_identity', identity: input.identity }
        : input.modality === 'ine'
          ? { modality: 'ine', ine: input.ine }
          : { modality: 'france_connect', franceConnectAccessToken: input.franceConnectAccessToken };
    const request: ApiParticulierRequest = { api: call.api, subject, recipient: call.recipient, token: endpoint.token ?? undefined, requestId: call.id };
    let answer;
    const returned = this.requestLeft(token);
    try {
      answer = await this.client(endpoint.baseUrl).call(request, { beforeSend });
    } catch (error) {
      returned();
      if (error instanceof DepartureLost) {
        // Nothing was sent: the call waits for a slot again, no attempt spent.
        await this.ledger.release(call.id, attempt);
        return context.postpone(Date.now() + error.retryInMs);
      }
      if (!(error instanceof ApiParticulierError)) throw error;
      if (error.latencyMs !== null) this.observeLatency(error.latencyMs, token);
      return this.handleError(call, attempt, error, context, token);
    }
    returned();
    this.observeLatency(answer.latencyMs, token);
    if (answer.schemaDrift) this.log('warn', 'API Particulier answer drifted from its documented shape (result kept)', { callId: call.id, api: call.api, drift: answer.schemaDrift });
    // The upstream answered 200: record the success first; nothing after it may fail the call.
    const result = await this.end(call, {
      status: 'succeeded',
      httpStatus: answer.status,
      errorCode: null,
      upstreamCode: null,
      latencyMs: answer.latencyMs,
      summary: summarize(call.api, answer.data),
      schemaDrift: answer.schemaDrift,
    });
    await this.respectHeaders(answer.rateLimit, token, call.modality).catch((error: unknown) => this.log('warn', 'API Particulier rate-limit pause could not be recorded', { callId: call.id, err: error }));
    return result;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private async handleError(call: ClaimableCall, attempt: number, error: ApiParticulierError, context: JobContext, token: string | null): Promise<ApiParticulierCallResult> {
    const failure = { httpStatus: error.status, errorCode: error.code, upstreamCode: error.upstreamCode, latencyMs: error.latencyMs };
    if (error.disposition === 'rate_limited') {
      const wait = error.retryAfterMs ?? 60_000;
      const bucket = bucketToPause(error.rateLimit, this.settings, token, call.modality);
      // A 429's RateLimit-Limit may be an unknown per-token limit (its window ends within the second):
      // only a refusal whose window runs longer than 2 s teaches the per-IP ceiling.
      if (error.rateLimit && error.rateLimit.resetAt - Date.now() > PER_IP_WINDOW_HINT_MS) await this.learn(error.rateLimit, '429').catch((err: unknown) => this.log('warn', 'API Particulier ceiling could not be recorded', { callId: call.id, err }));
      await this.limiter.pause(bucket, wait, `429 ${error.upstreamCode ?? ''}`.trim());
      await this.ledger.rateLimited(call.id, attempt, error.latencyMs);
      this.log('warn', 'API Particulier answered 429: pausing', { callId: call.id, tenantId: call.tenantId, bucket: bucket === PLATFORM_BUCKET ? 'platform' : 'token', waitMs: wait });
      // A FranceConnect token does not outlive a long pause: end now rather than call with a dead token.
      if (call.modality === 'france_connect' && call.fcTokenExpiresAt && call.fcTokenExpiresAt.getTime() - FRANCECONNECT_TOKEN_MARGIN_MS < Date.now() + wait) {
        return this.end(call, { ...failure, status: 'failed' });
      }
      return context.postpone(Date.now() + wait);
    }
    await this.respectHeaders(error.rateLimit, token, call.modality);
    if (error.disposition === 'final' || attempt >= this.settings.maxAttempts) {
      return this.end(call, { ...failure, status: 'failed' }, attempt);
    }
    await this.ledger.retrying(call.id, attempt, failure);
    throw error;
  }

  /**
   * `RateLimit-Remaining: 0` on any answer: stop until `RateLimit-Reset` instead of meeting a 429 —
   * only the bucket it refers to (a spent token's window stops that token, not every tenant).
   */
  private async respectHeaders(rateLimit: ApiParticulierError['rateLimit'], token: string | null, modality: string): Promise<void> {
    await this.learn(rateLimit, 'RateLimit-Limit');
    if (rateLimit && rateLimit.remaining <= 0 && rateLimit.resetAt > Date.now()) {
      await this.limiter.pause(bucketToPause(rateLimit, this.settings, token, modality), rateLimit.resetAt - Date.now(), 'RateLimit-Remaining: 0');
    }
  }

  private async end(call: ClaimableCall, outcome: Parameters<CallLedger['finish']>[1], attempt?: number): Promise<ApiParticulierCallResult> {
    const ended = await this.ledger.finish(call, outcome, attempt);
    return ended ? { outcome: 'done', status: outcome.status } : { outcome: 'skipped' };
  }

  private client(baseUrl: string): ApiParticulierClient {
    let client = this.clients.get(baseUrl);
    if (!client) {
      // One socket per call in flight, whatever the concurrency rises to: a call does not queue for
      // a connection after its departure was counted (its count is checked again on the socket it
      // gets, `beforeSend`, but a long queue would only move counts and time calls out).
      client = new ApiParticulierClient({ baseUrl, timeoutMs: this.settings.timeoutMs, maxSockets: Math.max(32, this.settings.workerMaxConcurrency ?? 0) });
      this.clients.set(baseUrl, client);
    }
    return client;
  }
}
