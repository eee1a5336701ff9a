/** Tenants (the editor's public-body clients): their statuses, where their name comes from, their slug. */

export const TENANT_STATUSES = ['active', 'suspended'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** Where the tenant's name comes from: typed by staff, the company directory, or a placeholder. */
export const TENANT_NAME_SOURCES = ['manual', 'directory', 'placeholder'] as const;
export type TenantNameSource = (typeof TENANT_NAME_SOURCES)[number];

/** Slugs: the tenant's segment in portal URLs (`/t/{slug}/`), also declared at FranceConnect. */
export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const SLUG_MIN_LENGTH = 2;
export const SLUG_MAX_LENGTH = 63;

/** Path segments the platform uses or may use next to tenants; refused as slugs. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set(['api', 'console', 'admin', 'assets', 'static', 'auth', 'health', 'docs', 'www', 't']);

/** French reason why `slug` is not acceptable, or `null`. */
export function slugProblem(slug: string): string | null {
  if (slug.length < SLUG_MIN_LENGTH || slug.length > SLUG_MAX_LENGTH) {
    return `L’identifiant d’URL doit comporter entre ${SLUG_MIN_LENGTH} et ${SLUG_MAX_LENGTH} caractères.`;
  }
  if (!SLUG_PATTERN.test(slug)) {
    return 'L’identifiant d’URL ne peut contenir que des lettres minuscules sans accent, des chiffres et des tirets simples (ni au début ni à la fin).';
  }
  if (RESERVED_SLUGS.has(slug)) return `L’identifiant d’URL « ${slug} » est réservé par la plateforme.`;
  return null;
}

/** A portal logo uploaded to the platform (issue 16): PNG or SVG, told by its content, at most this many bytes. */
export const LOGO_MAX_BYTES = 200 * 1024;
export const LOGO_CONTENT_TYPES = ['image/png', 'image/svg+xml'] as const;
export type LogoContentType = (typeof LOGO_CONTENT_TYPES)[number];
/** « 200 Ko », for the messages that state the limit. */
export const LOGO_MAX_SIZE_TEXT = `${LOGO_MAX_BYTES / 1024} Ko`;
