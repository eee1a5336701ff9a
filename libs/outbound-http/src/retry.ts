/**
 * Retries an outbound operation under SR-33:
 * - only retryable errors are retried (`error.retryable === true` by default: timeouts, network
 *   errors, 408/425/429/5xx); 400/401/403/404/422, TLS failures, oversized answers... are final;
 * - 5xx, timeouts, network errors: exponential backoff with full jitter
 *   (`random() * min(maxDelayMs, baseDelayMs * 2^(attempt-1))`), at most `maxAttempts` attempts;
 * - 429: wait for `Retry-After` (seconds or HTTP-date) WITHOUT consuming an attempt, at most
 *   `maxRateLimitWaits` times; a 503 with Retry-After also waits that long (and consumes an attempt);
 * - a Retry-After longer than `maxRetryAfterMs` is not waited for: the error is rethrown at once,
 *   so a caller never hangs for minutes and never calls through the ban;
 * - the pause between attempts honours the AbortSignal.
 */
import { OutboundAbortedError, OutboundInvalidRequestError } from './errors.js';

export interface RetryContext {
  /** 1 for the first try; rate-limit waits do not increase it. */
  readonly attempt: number;
  /** Number of 429 waits so far. */
  readonly rateLimitWaits: number;
}

export interface RetryEvent extends RetryContext {
  readonly delayMs: number;
  readonly reason: 'rate_limited' | 'retryable_error';
  readonly error: unknown;
}

export interface RetryOptions {
  /** Attempts for non-429 failures, the first one included. Default 3. */
  readonly maxAttempts?: number;
  /** Default 200 ms. */
  readonly baseDelayMs?: number;
  /** Cap of one backoff pause. Default 5 s. */
  readonly maxDelayMs?: number;
  /** 429 waits allowed on top of the attempts. Default 3. */
  readonly maxRateLimitWaits?: number;
  /** Pause after a 429 without Retry-After. Default 1 s. */
  readonly rateLimitFallbackMs?: number;
  /** Longest Retry-After worth waiting for; longer ones rethrow. Default 60 s. */
  readonly maxRetryAfterMs?: number;
  readonly signal?: AbortSignal;
  /** Which errors deserve another attempt. Default: `error.retryable === true`. */
  readonly isRetryable?: (error: unknown) => boolean;
  /** Called before each pause (log the code and delay, never headers or bodies). */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Tests: jitter source in [0, 1). */
  readonly random?: () => number;
  /** Tests: how to wait. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function defaultIsRetryable(error: unknown): boolean {
  return (error as { retryable?: unknown } | null)?.retryable === true;
}

function isRateLimited(error: unknown): boolean {
  return (error as { rateLimited?: unknown } | null)?.rateLimited === true;
}

function retryAfterOf(error: unknown): number | undefined {
  const value = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Resolves after `ms`, or rejects with {@link OutboundAbortedError} when `signal` fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new OutboundAbortedError());
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new OutboundAbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Full-jitter exponential backoff for the given (1-based) failed attempt. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

function nonNegativeInteger(name: string, value: number | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new OutboundInvalidRequestError(`retry: ${name} invalide`);
  return value;
}

export async function retry<T>(operation: (context: RetryContext) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = nonNegativeInteger('maxAttempts', options.maxAttempts, 3, 1);
  const baseDelayMs = nonNegativeInteger('baseDelayMs', options.baseDelayMs, 200);
  const maxDelayMs = nonNegativeInteger('maxDelayMs', options.maxDelayMs, 5_000);
  const maxRateLimitWaits = nonNegativeInteger('maxRateLimitWaits', options.maxRateLimitWaits, 3);
  const rateLimitFallbackMs = nonNegativeInteger('rateLimitFallbackMs', options.rateLimitFallbackMs, 1_000);
  const maxRetryAfterMs = nonNegativeInteger('maxRetryAfterMs', options.maxRetryAfterMs, 60_000);
  const isRetryable = options.isRetryable ?? defaultIsRetryable;
  const random = options.random ?? Math.random;
  const wait = options.sleep ?? sleep;
  const signal = options.signal;

  let attempt = 1;
  let rateLimitWaits = 0;
  for (;;) {
    if (signal?.aborted) throw new OutboundAbortedError();
    try {
      return await operation({ attempt, rateLimitWaits });
    } catch (error) {
      if (signal?.aborted || !isRetryable(error)) throw error;
      const retryAfterMs = retryAfterOf(error);
      if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) throw error;
      let delayMs: number;
      let reason: RetryEvent['reason'];
      if (isRateLimited(error)) {
        if (rateLimitWaits >= maxRateLimitWaits) throw error;
        rateLimitWaits += 1;
        delayMs = retryAfterMs ?? rateLimitFallbackMs;
        reason = 'rate_limited';
      } else {
        if (attempt >= maxAttempts) throw error;
        delayMs = retryAfterMs ?? backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
        attempt += 1;
        reason = 'retryable_error';
      }
      options.onRetry?.({ attempt, rateLimitWaits, delayMs, reason, error });
      await wait(delayMs, signal);
    }
  }
}
