/**
 * API Particulier's ceilings (docs/domain.md §2.6), as fixed windows: per token, N requests per
 * second (windows aligned on the second); per client IP, M requests per minute (aligned on the
 * minute). A request refused by either limit counts in neither. Every answer carries the per-IP
 * window as `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (epoch seconds); a refusal
 * carries the window that refused it, and `Retry-After` (whole seconds to its end, at least 1).
 */

export interface Limits {
  readonly perTokenPerSecond: number;
  readonly perIpPerMinute: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({ perTokenPerSecond: 20, perIpPerMinute: 1000 });

/** Largest accepted limit (a sandbox guard against typos, not an upstream value). */
export const MAX_LIMIT = 1_000_000;

export function checkLimits(limits: Limits): Limits {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT) throw new RangeError(`${name} must be an integer between 1 and ${MAX_LIMIT}`);
  }
  return Object.freeze({ ...limits });
}

export interface WindowState {
  readonly limit: number;
  readonly remaining: number;
  /** End of the window, epoch seconds. */
  readonly reset: number;
}

export type LimitVerdict =
  | { readonly allowed: true; readonly ip: WindowState }
  | { readonly allowed: false; readonly refusedBy: 'token' | 'ip'; readonly window: WindowState; readonly retryAfterSeconds: number };

/** Counts per key within the current fixed window; a new window forgets the previous one. */
class FixedWindowCounter {
  private start = Number.NEGATIVE_INFINITY;
  private readonly counts = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  private roll(now: number): void {
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    if (start !== this.start) {
      this.start = start;
      this.counts.clear();
    }
  }

  count(key: string, now: number): number {
    this.roll(now);
    return this.counts.get(key) ?? 0;
  }

  hit(key: string, now: number): number {
    this.roll(now);
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count;
  }

  /** End of the window containing `now`, epoch ms. */
  end(now: number): number {
    return (Math.floor(now / this.windowMs) + 1) * this.windowMs;
  }

  reset(): void {
    this.start = Number.NEGATIVE_INFINITY;
    this.counts.clear();
  }
}

export class RateLimiter {
  private current: Limits;
  private readonly perToken = new FixedWindowCounter(1_000);
  private readonly perIp = new FixedWindowCounter(60_000);

  constructor(limits: Limits = DEFAULT_LIMITS) {
    this.current = checkLimits(limits);
  }

  get limits(): Limits {
    return this.current;
  }

  /** New limits, and fresh windows. */
  set(limits: Limits): void {
    this.current = checkLimits(limits);
    this.perToken.reset();
    this.perIp.reset();
  }

  /**
   * Counts the request if both limits let it through. `tokenKey` is a digest of the bearer (never
   * the bearer itself), or null without one.
   */
  check(ip: string, tokenKey: string | null, now: number): LimitVerdict {
    const { perIpPerMinute, perTokenPerSecond } = this.current;
    const ipEnd = this.perIp.end(now);
    if (this.perIp.count(ip, now) >= perIpPerMinute) {
      return { allowed: false, refusedBy: 'ip', window: { limit: perIpPerMinute, remaining: 0, reset: ipEnd / 1000 }, retryAfterSeconds: secondsUntil(ipEnd, now) };
    }
    if (tokenKey !== null && this.perToken.count(tokenKey, now) >= perTokenPerSecond) {
      const tokenEnd = this.perToken.end(now);
      return {
        allowed: false,
        refusedBy: 'token',
        window: { limit: perTokenPerSecond, remaining: 0, reset: tokenEnd / 1000 },
        retryAfterSeconds: secondsUntil(tokenEnd, now),
      };
    }
    if (tokenKey !== null) this.perToken.hit(tokenKey, now);
    const used = this.perIp.hit(ip, now);
    return { allowed: true, ip: { limit: perIpPerMinute, remaining: Math.max(0, perIpPerMinute - used), reset: ipEnd / 1000 } };
  }
}

function secondsUntil(endMs: number, now: number): number {
  return Math.max(1, Math.ceil((endMs - now) / 1000));
}

export function rateLimitHeaders(window: WindowState): Record<string, string> {
  return { 'RateLimit-Limit': String(window.limit), 'RateLimit-Remaining': String(window.remaining), 'RateLimit-Reset': String(window.reset) };
}
