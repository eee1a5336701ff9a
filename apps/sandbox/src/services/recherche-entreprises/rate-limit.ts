/**
 * The real API's ceiling, imitated: at most `limit` requests per client IP in any window of
 * `windowMs` (7 per second). Beyond it: 429 with `Retry-After` in whole seconds. Refused requests
 * do not count, so a client that waits as told gets through.
 */
import { performance } from 'node:perf_hooks';

export type RateVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export class PerClientWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  check(client: string): RateVerdict {
    const at = this.now();
    const recent = (this.hits.get(client) ?? []).filter((t) => t > at - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(client, recent);
      const freeAt = (recent[recent.length - this.limit] as number) + this.windowMs;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - at) / 1000)) };
    }
    recent.push(at);
    this.hits.set(client, recent);
    if (this.hits.size > 10_000) this.forgetIdle(at);
    return { allowed: true };
  }

  private forgetIdle(at: number): void {
    for (const [client, times] of this.hits) {
      if (times.every((t) => t <= at - this.windowMs)) this.hits.delete(client);
    }
  }
}
