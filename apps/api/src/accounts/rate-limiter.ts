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
