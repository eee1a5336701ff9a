/**
 * `Retry-After` (RFC 9110 §10.2.3): either a number of seconds or an HTTP-date. Returns the delay in
 * milliseconds from `now`, `undefined` when the header is absent or unreadable. A date in the past
 * gives 0. Anything else (negative numbers, decimals, garbage) is ignored rather than trusted.
 */
const DELAY_SECONDS = /^\d{1,9}$/;

export function parseRetryAfter(value: string | readonly string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.trim();
  if (trimmed === '') return undefined;
  if (DELAY_SECONDS.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP-date always contains letters (day and month names); refuse bare numbers like "1.5".
  if (!/[A-Za-z]/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
