/** Slugs: the tenant's segment in portal URLs (`/t/{slug}/`), also declared at FranceConnect. */

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const SLUG_MIN_LENGTH = 2;
export const SLUG_MAX_LENGTH = 63;

/** Path segments the platform uses or may use next to tenants; refused as slugs. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set(['api', 'console', 'admin', 'assets', 'static', 'auth', 'health', 'docs', 'www', 't']);

/** Lower case, accents stripped, words joined by `-`, at most 63 characters ('' when nothing remains). */
export function slugify(text: string): string {
  const folded = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[œŒ]/g, 'oe')
    .replace(/[æÆ]/g, 'ae')
    .replace(/ß/g, 'ss')
    .toLowerCase();
  const slug = folded.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, SLUG_MAX_LENGTH).replace(/-+$/, '');
}

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

/** `base`, `base-2`, `base-3`...: the first candidate not in `taken`, within the length limit. */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base) && !RESERVED_SLUGS.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, SLUG_MAX_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Folds a search term like the generated `tenant.name_key` column (lower case, no accents). */
export function foldName(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/’/g, "'").toLowerCase();
}

/** Escapes `%`, `_` and `\` for a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
