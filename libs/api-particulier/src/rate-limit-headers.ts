/**
 * `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (epoch seconds) and `Retry-After`,
 * read on every answer of API Particulier (docs/domain.md §2.6). Unreadable values are ignored,
 * never trusted: a garbled header must not make us call faster.
 */
import { parseRetryAfter } from '@fcplat/outbound-http';

export interface RateLimitInfo {
  /** Requests allowed in the window (per minute for API Particulier's per-endpoint limit). */
  readonly limit: number;
  readonly remaining: number;
  /** End of the current window, epoch ms. */
  readonly resetAt: number;
}

const INTEGER = /^\d{1,12}$/;

function integerHeader(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return INTEGER.test(trimmed) ? Number(trimmed) : undefined;
}

export function readRateLimit(header: (name: string) => string | undefined): RateLimitInfo | null {
  const limit = integerHeader(header('ratelimit-limit'));
  const remaining = integerHeader(header('ratelimit-remaining'));
  const reset = integerHeader(header('ratelimit-reset'));
  if (limit === undefined || remaining === undefined || reset === undefined) return null;
  // Epoch seconds; a small number would be "seconds from now" (draft RFC style): accept both.
  const resetAt = reset > 1_000_000_000 ? reset * 1000 : Date.now() + reset * 1000;
  return { limit, remaining, resetAt };
}

/**
 * How long a 429 asks us to wait: `Retry-After` if readable, else until `RateLimit-Reset`, else
 * one whole minute (the widest window API Particulier documents). Never less than 1 s.
 */
export function waitAfter429(header: (name: string) => string | undefined, rateLimit: RateLimitInfo | null, now = Date.now()): number {
  const retryAfter = parseRetryAfter(header('retry-after'), now);
  const fromReset = rateLimit ? rateLimit.resetAt - now : undefined;
  const wait = retryAfter ?? fromReset ?? 60_000;
  return Math.max(1_000, wait);
}
