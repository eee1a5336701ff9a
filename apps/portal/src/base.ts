/**
 * Where this page is served. The API writes `<base href="/t/{slug}/" data-fcplat-base>` into
 * index.html, so one build serves every tenant: the slug and the router's base come from it.
 */
export interface PortalLocation {
  /** `/t/{slug}/` (or `/` when the page is opened outside a tenant). */
  readonly basePath: string;
  /** The tenant's slug, or `null` when the base is not a tenant's. */
  readonly slug: string | null;
}

const TENANT_BASE = /^\/t\/([a-z0-9]+(?:-[a-z0-9]+)*)\/$/;

export function portalLocation(baseUri: string = document.baseURI): PortalLocation {
  const basePath = new URL(baseUri).pathname;
  const match = TENANT_BASE.exec(basePath);
  return { basePath, slug: match ? (match[1] ?? null) : null };
}

/** URL of a FranceConnect route of this portal (plain links, FC-13: no pop-up, no iframe). */
export function franceConnectLoginHref(purpose: 'login' | 'signup' | 'data_retrieval'): string {
  // Relative to <base href="/t/{slug}/">: /t/{slug}/auth/franceconnect/login?purpose=...
  return `auth/franceconnect/login?purpose=${purpose}`;
}
