/**
 * A sliding-window rate limiter for one upstream ceiling (e.g. recherche-entreprises: 7 requests per
 * second per IP): at most `limit` permits are granted in any window of `intervalMs`.
 *
 * - Waiters are served strictly in FIFO order; a newcomer never overtakes a queued caller.
 * - The wait queue is bounded (`maxQueue`): beyond it `acquire()` rejects at once with
 *   {@link OutboundRateLimitQueueFullError} instead of piling up memory and latency.
 * - `pauseFor(ms)` stops all grants for a while: call it when the upstream answers 429 so that no
 *   caller of the same limiter keeps knocking during the upstream's Retry-After (SR-33).
 * - A waiter whose AbortSignal fires leaves the queue with {@link OutboundAbortedError}.
 *
 * The window is measured when permits are granted, on the caller's side; leave a margin on
 * `intervalMs` (e.g. 1100 ms for "7 per second") to absorb network jitter between grant and arrival.
 */
import { performance } from 'node:perf_hooks';
import { OutboundAbortedError, OutboundInvalidRequestError, OutboundRateLimitQueueFullError } from './errors.js';

export interface RateLimiterOptions {
  /** Permits per window. */
  readonly limit: number;
  /** Window length in ms. */
  readonly intervalMs: number;
  /** Largest number of callers allowed to wait; default 1000. */
  readonly maxQueue?: number;
  /** Monotonic clock in ms (tests); default `performance.now()`. */
  readonly now?: () => number;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

export class RateLimiter {
  readonly limit: number;
  readonly intervalMs: number;
  readonly maxQueue: number;
  private readonly now: () => number;
  /** Grant times still inside the window, oldest first. */
  private readonly grants: number[] = [];
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pausedUntil = 0;

  constructor(options: RateLimiterOptions) {
    for (const [name, value] of [
      ['limit', options.limit],
      ['intervalMs', options.intervalMs],
      ['maxQueue', options.maxQueue ?? 1000],
    ] as const) {
      if (!Number.isInteger(value) || value < (name === 'maxQueue' ? 0 : 1)) {
        throw new OutboundInvalidRequestError(`RateLimiter: ${name} doit être un entier positif`);
      }
    }
    this.limit = options.limit;
    this.intervalMs = options.intervalMs;
    this.maxQueue = options.maxQueue ?? 1000;
    this.now = options.now ?? (() => performance.now());
  }

  /** Number of callers currently waiting. */
  get pending(): number {
    return this.queue.length;
  }

  /** Resolves when the caller may send one request. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new OutboundAbortedError());
    if (this.queue.length === 0 && this.tryGrant()) return Promise.resolve();
    if (this.queue.length >= this.maxQueue) return Promise.reject(new OutboundRateLimitQueueFullError(this.maxQueue));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(new OutboundAbortedError());
          this.reschedule();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      this.schedule();
    });
  }

  /** No permit is granted for `ms` from now (extends, never shortens, a running pause). */
  pauseFor(ms: number): void {
    if (!Number.isFinite(ms) || ms <= 0) return;
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.reschedule();
  }

  private prune(at: number): void {
    while (this.grants.length > 0 && (this.grants[0] as number) <= at - this.intervalMs) this.grants.shift();
  }

  private tryGrant(): boolean {
    const at = this.now();
    if (at < this.pausedUntil) return false;
    this.prune(at);
    if (this.grants.length >= this.limit) return false;
    this.grants.push(at);
    return true;
  }

  /** Earliest time at which a permit could be granted. */
  private nextSlot(): number {
    const at = this.now();
    this.prune(at);
    const windowFree = this.grants.length < this.limit ? at : (this.grants[this.grants.length - this.limit] as number) + this.intervalMs;
    return Math.max(windowFree, this.pausedUntil);
  }

  private schedule(): void {
    if (this.timer !== undefined || this.queue.length === 0) return;
    const delay = Math.max(0, Math.ceil(this.nextSlot() - this.now()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, delay);
  }

  private reschedule(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.drain();
  }

  private drain(): void {
    while (this.queue.length > 0 && this.tryGrant()) {
      const waiter = this.queue.shift() as Waiter;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
    this.schedule();
  }
}
