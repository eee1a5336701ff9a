import { createHash } from 'node:crypto';

/** What the evidence keeps of a secret-ish value (state, nonce, token): its length and a short sha256 prefix. */
export interface Digest {
  readonly length: number;
  readonly sha256: string;
}

export function digest(value: string): Digest {
  return { length: value.length, sha256: createHash('sha256').update(value).digest('hex').slice(0, 12) };
}

/** Parameters of an /authorize request safe to keep: state and nonce replaced by their digest, unknown ones dropped. */
export function redactAuthorizeParams(params: Readonly<Record<string, string>>): Record<string, unknown> {
  const kept = ['client_id', 'scope', 'acr_values', 'redirect_uri', 'response_type', 'prompt'];
  const out: Record<string, unknown> = {};
  for (const key of kept) if (params[key] !== undefined) out[key] = params[key];
  for (const key of ['state', 'nonce']) if (params[key] !== undefined) out[key] = digest(params[key] ?? '');
  return out;
}

/** Claims `aud` and `iss` of a JWT's payload, decoded WITHOUT verification (the token is not kept). */
export function unverifiedClaims(jwt: string): { aud: string[]; iss: string | null } | null {
  const parts = jwt.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    const aud = payload['aud'];
    const auds = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
    return { aud: auds, iss: typeof payload['iss'] === 'string' ? payload['iss'] : null };
  } catch {
    return null;
  }
}
