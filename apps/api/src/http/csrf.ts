import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError } from '@fcplat/common';
import type { PlatformConfig } from '@fcplat/config';
import { csrfTokenOf } from '@fcplat/crypto';
import { CSRF_FORM_FIELD, citizenCsrfCookieName, citizenSessionCookieName, consoleCsrfCookieName, consoleSessionCookieName, readCookie } from '@fcplat/domain';

/**
 * Cross-site request forgery protection, one mechanism for the whole HTTP surface (console and
 * every portal), applied before any route runs, so a route added tomorrow is covered the day it
 * is added (apps/api/test/csrf.int-spec.ts walks the OpenAPI document).
 *
 * A state-changing request (any method but GET, HEAD, OPTIONS) is refused with 403
 * `CSRF_REJECTED` and changes nothing when:
 * 1. its `Origin` is not the origin of `PUBLIC_URL`, or, without `Origin`, its
 *    `Sec-Fetch-Site` is not `same-origin` (a sibling subdomain is same-SITE, not same-ORIGIN,
 *    so `SameSite=Lax` alone does not stop it) — for a cookie-authenticated request, one of the
 *    two headers must be present and right; for any other request a foreign one is enough to refuse;
 * 2. it carries the session cookie of the area it addresses (the console's `fcplat_session`, or
 *    the session cookie of the portal of `/api/portal/{slug}/…` and `/t/{slug}/…`) without the
 *    `X-CSRF-Token` header equal to that session's token ({@link csrfTokenOf}: derived from the
 *    session token, so it cannot be planted by another site and dies with the session). The one
 *    plain HTML form (`POST /t/{slug}/auth/franceconnect/logout`) may send it as the `csrf_token`
 *    field instead.
 *
 * The token reaches the front-ends in a cookie their script reads (`fcplat_csrf`,
 * `fcplat_csrf_<slug>`; `__Host-` over https), set with the session and re-issued on an API GET
 * when missing. The API never trusts that cookie's value: only the header is compared.
 *
 * Not concerned: console calls with `Authorization: Bearer` (a personal API token is not ambient
 * authority: no browser attaches it by itself), and the DataPass webhook (HMAC-signed, no cookie).
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const PORTAL_PATH = /^\/(?:api\/portal|t)\/([a-z0-9]+(?:-[a-z0-9]+)*)(?:\/|$)/;
/** The one route a plain HTML form posts to (FranceConnect logout of a portal). */
export const FORM_POST_PATH = /^\/t\/[a-z0-9]+(?:-[a-z0-9]+)*\/auth\/franceconnect\/logout\/?$/;
const WEBHOOKS = /^\/api\/webhooks\//;

export const CSRF_REFUSED = 'Requête refusée : elle ne provient pas de cette application, ou son jeton de sécurité est absent ou périmé. Rechargez la page puis recommencez.';

/** Secure cookies (and `__Host-` names) in production and whenever the public URL is https. */
export function secureCookies(config: Pick<PlatformConfig, 'isProduction' | 'http'>): boolean {
  return config.isProduction || config.http.publicUrl.startsWith('https:');
}

interface Area {
  readonly sessionCookie: string;
  readonly csrfCookie: string;
  readonly bearerExempt: boolean;
}

function areaOf(path: string, secure: boolean): Area {
  const portal = PORTAL_PATH.exec(path);
  if (portal?.[1]) return { sessionCookie: citizenSessionCookieName(portal[1], secure), csrfCookie: citizenCsrfCookieName(portal[1], secure), bearerExempt: false };
  // The console's session cookie keeps its historical name (Secure in production).
  return { sessionCookie: consoleSessionCookieName(false), csrfCookie: consoleCsrfCookieName(secure), bearerExempt: true };
}

function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

function refuse(next: NextFunction): void {
  next(new AppError('CSRF_REJECTED', { detail: CSRF_REFUSED }));
}

export function csrfProtection(config: Pick<PlatformConfig, 'isProduction' | 'http'>) {
  const publicOrigin = new URL(config.http.publicUrl).origin;
  const secure = secureCookies(config);
  const formBody = express.urlencoded({ extended: false, limit: 2048, parameterLimit: 4 });

  const check = (req: Request, next: NextFunction, session: string | null): void => {
    const origin = req.headers.origin;
    const fetchSite = req.headers['sec-fetch-site'];
    if (origin !== undefined && origin !== publicOrigin) return refuse(next);
    if (fetchSite !== undefined && fetchSite !== 'same-origin') return refuse(next);
    if (session === null) return next();
    if (origin === undefined && fetchSite === undefined) return refuse(next);
    const expected = csrfTokenOf(session);
    const header = req.headers['x-csrf-token'];
    const field = FORM_POST_PATH.test(req.path) ? (req.body as Record<string, unknown> | undefined)?.[CSRF_FORM_FIELD] : undefined;
    if (sameToken(header, expected) || sameToken(field, expected)) return next();
    refuse(next);
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    if (WEBHOOKS.test(req.path)) return next();
    const area = areaOf(req.path, secure);
    const session = readCookie(req.headers.cookie, area.sessionCookie);
    if (SAFE_METHODS.has(req.method)) {
      // Re-issue the token's cookie when the browser lost it (API calls only: never on cacheable assets).
      if (session && req.path.startsWith('/api/')) {
        const token = csrfTokenOf(session);
        if (readCookie(req.headers.cookie, area.csrfCookie) !== token) res.cookie(area.csrfCookie, token, { httpOnly: false, sameSite: 'strict', secure, path: '/' });
      }
      return next();
    }
    if (area.bearerExempt && /^Bearer\s/i.test(req.headers.authorization ?? '')) return next();
    if (FORM_POST_PATH.test(req.path) && req.is('application/x-www-form-urlencoded')) {
      formBody(req, res, (error?: unknown) => (error ? next(error) : check(req, next, session)));
      return;
    }
    check(req, next, session);
  };
}
