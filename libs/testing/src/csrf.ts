import { csrfTokenOf } from '@fcplat/crypto';
import { citizenSessionCookieName, consoleSessionCookieName, readCookie } from '@fcplat/domain';

const PORTAL_PATH = /^\/(?:api\/portal|t)\/([a-z0-9]+(?:-[a-z0-9]+)*)(?:[/?]|$)/;

/**
 * What a browser and the front-ends add to a state-changing call made with a session cookie, as
 * the API wants it (apps/api/src/http/csrf.ts): `Origin` = the platform's public origin (or,
 * when the test does not know it, `Sec-Fetch-Site: same-origin`, which a browser sends too), and
 * `X-CSRF-Token` = the token of the session cookie of the area the path addresses (the
 * console's, or the portal's of `/api/portal/{slug}/…` and `/t/{slug}/…`).
 */
export function browserWriteHeaders(path: string, cookieHeader: string | undefined, publicUrl?: string): Record<string, string> {
  const headers: Record<string, string> = publicUrl ? { origin: new URL(publicUrl).origin } : { 'sec-fetch-site': 'same-origin' };
  const slug = PORTAL_PATH.exec(path)?.[1];
  const names = slug ? [citizenSessionCookieName(slug, true), citizenSessionCookieName(slug, false)] : [consoleSessionCookieName(false)];
  for (const name of names) {
    const session = readCookie(cookieHeader, name);
    if (session) {
      headers['x-csrf-token'] = csrfTokenOf(session);
      break;
    }
  }
  return headers;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `headers` plus {@link browserWriteHeaders} for a state-changing call that sends a cookie without a bearer token. */
export function withBrowserWriteHeaders(method: string, path: string, headers: Record<string, string>, publicUrl?: string): Record<string, string> {
  if (SAFE.has(method.toUpperCase()) || !headers.cookie || headers.authorization) return headers;
  return { ...browserWriteHeaders(path.split('?')[0] ?? path, headers.cookie, publicUrl), ...headers };
}
