/**
 * Field names whose values must never reach a log line, an audit row, an error message or a
 * queue payload stored in clear (SR-23). Matching is case-insensitive on the last path segment.
 */
export const SENSITIVE_KEYS: readonly string[] = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'passwordhash',
  'secret',
  'client_secret',
  'clientsecret',
  'token',
  'access_token',
  'accesstoken',
  'refresh_token',
  'id_token',
  'idtoken',
  'id_token_hint',
  'api_key',
  'apikey',
  'x-api-key',
  'totp',
  'totpsecret',
  'otp',
  'code',
  'state',
  'nonce',
];

const SENSITIVE = new Set(SENSITIVE_KEYS);
export const REDACTED = '[REDACTED]';

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE.has(key.toLowerCase());
}

/**
 * Returns a deep copy of `value` in which every sensitive key's value is replaced by
 * {@link REDACTED}. Cycles are cut, depth is bounded, so it is safe on arbitrary input.
 */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[TRUNCATED]';
  if (seen.has(value)) return '[CIRCULAR]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    out[key] = isSensitiveKey(key) ? REDACTED : redact(inner, depth + 1, seen);
  }
  return out;
}
