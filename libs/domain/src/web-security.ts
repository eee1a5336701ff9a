/**
 * Browser-facing contracts shared by the API and the two front-ends: cookie names and the CSRF
 * header (see the README's "Security" section).
 *
 * - The console's session cookie is `fcplat_session`; its CSRF cookie is `fcplat_csrf`.
 * - Each portal has its OWN cookies, named after its slug, so that nothing done on one portal
 *   (login, logout, a FranceConnect flow) touches another: `fcplat_citizen_<slug>` (session),
 *   `fcplat_binding_<slug>` (browser binding of FranceConnect flows), `fcplat_csrf_<slug>`, and in
 *   the qualification robot's browser only, `fcplat_robot_<slug>`.
 * - When the platform is served over https every one of these names carries the `__Host-`
 *   prefix (Secure, Path=/, no Domain: a sibling subdomain cannot plant or overwrite them), and
 *   the API reads only the prefixed name.
 *
 * Slugs are `[a-z0-9-]` (no underscore), so a portal's names can never collide with the
 * console's or with another portal's.
 */

/** Request header carrying the CSRF token on every state-changing call made with a session cookie. */
export const CSRF_HEADER = 'X-CSRF-Token';
/** Form field carrying the CSRF token where a plain HTML form posts (FranceConnect logout). */
export const CSRF_FORM_FIELD = 'csrf_token';

const HOST_PREFIX = '__Host-';

function named(base: string, secure: boolean): string {
  return secure ? `${HOST_PREFIX}${base}` : base;
}

export const consoleSessionCookieName = (secure: boolean): string => named('fcplat_session', secure);
export const consoleCsrfCookieName = (secure: boolean): string => named('fcplat_csrf', secure);
export const citizenSessionCookieName = (slug: string, secure: boolean): string => named(`fcplat_citizen_${slug}`, secure);
export const citizenBindingCookieName = (slug: string, secure: boolean): string => named(`fcplat_binding_${slug}`, secure);
export const citizenCsrfCookieName = (slug: string, secure: boolean): string => named(`fcplat_csrf_${slug}`, secure);
/**
 * Only in the qualification robot's browser: its run's pass (checked in PostgreSQL by the API).
 * It spares the robot the per-IP limits of the portal's FranceConnect routes and, on a tenant live
 * in production, makes its flows use the pass's non-production client.
 */
export const citizenRobotCookieName = (slug: string, secure: boolean): string => named(`fcplat_robot_${slug}`, secure);

/**
 * The value of cookie `name` in a `Cookie` header (or `document.cookie`), or null. When the
 * same name appears twice, the first one wins (the browser sends the most specific first).
 */
export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      const value = part.slice(index + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return null;
      }
    }
  }
  return null;
}
