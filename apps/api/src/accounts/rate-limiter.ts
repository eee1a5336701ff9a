/**
 * In-process fixed-window counters, for the unauthenticated endpoints (login, password reset,
 * token links) per client IP and per (IP, e-mail).
 *
 * Deliberately in memory: the durable protection of an account is its lockout in PostgreSQL
 * (`failed_login_count`, `locked_until`), shared by every API instance. These counters only slow
 * down one source hammering one instance (credential stuffing, mail bombing); with N instances
 * behind a load balancer a source gets at most N times the budget, which is acceptable for
 * that purpose. They reset when the process restarts.
 */
export interface LimitRule {
  readonly max: number;
  readonly windowMs: number;
}

interface Window {
  count: number;
  resetAt: number;
}

/** Beyond this many keys, expired windows are swept (bounded memory under a flood of keys). */
const SWEEP_ABOVE = 10_000;

export class AttemptLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds to wait when `key` has used its budget, else null (does not count an attempt). */
  blockedFor(key: string, rule: LimitRule): number | null {
    const window = this.windows.get(key);
    const now = this.now();
    if (!window || window.resetAt <= now) return null;
    return window.count >= rule.max ? Math.max(1, Math.ceil((window.resetAt - now) / 1000)) : null;
  }

  /** Counts one attempt for `key`. */
  hit(key: string, rule: LimitRule): void {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.windows.size >= SWEEP_ABOVE) this.sweep(now);
      this.windows.set(key, { count: 1, resetAt: now + rule.windowMs });
      return;
    }
    window.count += 1;
  }

  /** Forgets `key` (after a success). */
  reset(key: string): void {
    this.windows.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    // Still too many live keys: drop the oldest ones rather than grow without bound.
    if (this.windows.size >= SWEEP_ABOVE) {
      let excess = this.windows.size - SWEEP_ABOVE / 2;
      for (const key of this.windows.keys()) {
        if (excess-- <= 0) break;
        this.windows.delete(key);
      }
    }
  }
}

/** Free failures, then growing waits: `baseDelayMs` doubled at each further failure, up to `maxDelayMs`. */
export interface ThrottleRule {
  readonly freeFailures: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A key with no failure for this long is forgotten. */
  readonly forgetAfterMs: number;
}

interface ThrottleState {
  failures: number;
  nextAllowedAt: number;
  lastFailureAt: number;
}

/**
 * Growing delays per key (the console uses (source IP, e-mail)): after `freeFailures` failures,
 * each further attempt must wait `baseDelayMs`, then twice that, and so on up to `maxDelayMs`. It
 * never locks an account for everybody: the same e-mail from another source is not slowed, and
 * an unknown e-mail is throttled exactly like a known one (same answers, no enumeration).
 */
export class FailureThrottle {
  private readonly states = new Map<string, ThrottleState>();

  constructor(
    private readonly rule: ThrottleRule,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait before `key` may try again, else null. */
  waitFor(key: string): number | null {
    const state = this.live(key);
    if (!state) return null;
    const wait = state.nextAllowedAt - this.now();
    return wait > 0 ? Math.max(1, Math.ceil(wait / 1000)) : null;
  }

  failed(key: string): void {
    const now = this.now();
    const state = this.live(key) ?? { failures: 0, nextAllowedAt: 0, lastFailureAt: now };
    state.failures += 1;
    state.lastFailureAt = now;
    const beyond = state.failures - this.rule.freeFailures;
    if (beyond >= 0) state.nextAllowedAt = now + Math.min(this.rule.maxDelayMs, this.rule.baseDelayMs * 2 ** Math.min(beyond, 30));
    if (!this.states.has(key) && this.states.size >= SWEEP_ABOVE) this.sweep(now);
    this.states.set(key, state);
  }

  succeeded(key: string): void {
    this.states.delete(key);
  }

  private live(key: string): ThrottleState | null {
    const state = this.states.get(key);
    if (!state) return null;
    if (this.now() - state.lastFailureAt > this.rule.forgetAfterMs && state.nextAllowedAt <= this.now()) {
      this.states.delete(key);
      return null;
    }
    return state;
  }

  private sweep(now: number): void {
    for (const [key, state] of this.states) if (now - state.lastFailureAt > this.rule.forgetAfterMs && state.nextAllowedAt <= now) this.states.delete(key);
    if (this.states.size >= SWEEP_ABOVE) {
      let excess = this.states.size - SWEEP_ABOVE / 2;
      for (const key of this.states.keys()) {
        if (excess-- <= 0) break;
        this.states.delete(key);
      }
    }
  }
}
