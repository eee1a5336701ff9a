/**
 * Official addresses quoted to users in the onboarding guidance (sources: DINUM deck and
 * docs/domain.md §3). Kept in one place so the console and the API say the same thing.
 */

/** DataPass, where public bodies file their habilitation requests. */
export const DATAPASS_URL = 'https://datapass.api.gouv.fr';

/** Démarches Simplifiées form used to request FranceConnect's qualification. */
export const DEMARCHES_SIMPLIFIEES_QUALIFICATION_URL =
  'https://www.demarches-simplifiees.fr/commencer/demande-qualification-fs';

/** API Particulier team address, e.g. to pair the FranceConnect and API Particulier habilitations. */
export const API_PARTICULIER_SUPPORT_EMAIL = 'api-particulier@api.gouv.fr';

/** Target of the « Qu’est-ce que FranceConnect ? » link (prerequisites FC-02 and FC-04). */
export const FRANCECONNECT_INFO_URL = 'https://franceconnect.gouv.fr';

/** The portal of a tenant: `<public URL>/t/<slug>/`. */
export function portalUrlOf(publicUrl: string, slug: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/t/${slug}/`;
}

/**
 * The URIs a tenant declares in FranceConnect's partner space, derived from the platform's public
 * URL and the tenant's slug (the portal's FranceConnect routes never change).
 */
export function franceConnectUrisOf(publicUrl: string, slug: string): { readonly redirectUri: string; readonly postLogoutRedirectUri: string } {
  const base = `${portalUrlOf(publicUrl, slug)}auth/franceconnect`;
  return { redirectUri: `${base}/callback`, postLogoutRedirectUri: `${base}/logout/callback` };
}
