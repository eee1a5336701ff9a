/**
 * Concurrency that follows latency (issue 14). A worker runs N calls at once; with an upstream that
 * answers in d seconds it cannot send more than N / d calls a second (Little's law), whatever the
 * limits allow: 16 calls at once against a 2 s upstream made 8 calls/s where 50/s were allowed. So
 * the worker's concurrency is the allowed rate × the upstream's observed latency (with headroom),
 * never below the configured concurrency (`API_PARTICULIER_WORKER_CONCURRENCY`) nor above the
 * configured maximum (`API_PARTICULIER_WORKER_MAX_CONCURRENCY`).
 *
 * This decides how many jobs a worker holds, never how many calls leave: every call still books its
 * slot and counts its departure in PostgreSQL (limiter.ts) before it is sent, so more jobs at once
 * means more jobs waiting for their slot, not more calls than the limits allow. That is why the
 * estimate may live in process memory: it is a throughput setting, not a limit.
 */

export interface ConcurrencyBounds {
  /** The concurrency with a fast upstream, and the least ever. */
  readonly floor: number;
  /** The most ever. */
  readonly max: number;
}

/** Jobs above rate × latency: latencies vary around their mean, and a job also spends time in the database around its request. */
export const CONCURRENCY_HEADROOM = 1.25;
/** Smoothing of the observed duration: a slower upstream is followed at once, a faster one gradually (too few jobs costs throughput, too many only memory). */
const RISE = 0.5;
const FALL = 0.2;

/** The concurrency a rate needs when one call takes `durationMs`, within the bounds. */
export function concurrencyFor(ratePerSecond: number, durationMs: number, bounds: ConcurrencyBounds): number {
  const needed = Math.ceil((ratePerSecond * durationMs * CONCURRENCY_HEADROOM) / 1_000);
  return Math.min(bounds.max, Math.max(bounds.floor, needed));
}

/**
 * The concurrency of one worker's API Particulier jobs: fed with the duration of each call (the
 * processor's `observe`), read by the worker host (a {@link ConcurrencySource}) and the dispatcher.
 */
export class LatencyConcurrency {
  private durationMs: number | null = null;
  private value: number;
  private readonly listeners = new Set<(concurrency: number) => void>();

  constructor(private readonly bounds: ConcurrencyBounds) {
    if (bounds.floor < 1 || bounds.max < bounds.floor) throw new Error(`invalid concurrency bounds ${bounds.floor}..${bounds.max}`);
    this.value = bounds.floor;
  }

  get current(): number {
    return this.value;
  }

  /** The smoothed duration of one call, ms (null before the first). */
  get observedMs(): number | null {
    return this.durationMs;
  }

  /**
   * The upstream answered one call in `durationMs` (the request's round trip) while the limits
   * allowed `ratePerSecond`: recomputes the concurrency, tells the listeners if it moved.
   */
  observe(durationMs: number, ratePerSecond: number): void {
    if (!Number.isFinite(durationMs) || durationMs < 0 || !Number.isFinite(ratePerSecond) || ratePerSecond <= 0) return;
    const previous = this.durationMs;
    this.durationMs = previous === null ? durationMs : previous + (durationMs > previous ? RISE : FALL) * (durationMs - previous);
    this.update(concurrencyFor(ratePerSecond, this.durationMs, this.bounds));
  }

  private update(next: number): void {
    if (next === this.value) return;
    this.value = next;
    for (const listener of this.listeners) listener(next);
  }

  /**
   * Calls in flight have been waiting for the upstream at least `ageMs` (the oldest request in
   * flight, while they fill most of the slots): a lower bound of the latency, known
   * before the first answer. Raises the estimate towards it (at once before any answer, then as a
   * slower answer would), never lowers it — so a worker facing a slow upstream ramps up while its
   * first calls are still out, not one full latency later.
   */
  atLeast(ageMs: number, ratePerSecond: number): void {
    const previous = this.durationMs;
    if (!Number.isFinite(ageMs) || ageMs <= (previous ?? 0) || !Number.isFinite(ratePerSecond) || ratePerSecond <= 0) return;
    this.durationMs = previous === null ? ageMs : previous + RISE * (ageMs - previous);
    this.update(concurrencyFor(ratePerSecond, this.durationMs, this.bounds));
  }

  onChange(listener: (concurrency: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
