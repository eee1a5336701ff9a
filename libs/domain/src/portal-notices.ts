/**
 * The messages a portal shows after a browser route of the API (FranceConnect login, callback,
 * logout) sent the citizen back with `?erreur=<code>`. The API sends CODES only; the portal
 * shows the sentence it owns for that code, and a generic one for a code it does not know, so
 * that nobody can make an official-looking portal display a sentence of their choosing.
 */
export const PORTAL_NOTICES = {
  // FranceConnect relying party (libs/franceconnect error codes, lower-cased)
  access_denied: 'La connexion avec FranceConnect a été annulée.',
  provider_error: 'FranceConnect a signalé une erreur pendant la connexion. Veuillez réessayer.',
  callback_invalid: 'La connexion avec FranceConnect n’a pas pu être vérifiée. Veuillez réessayer.',
  state_invalid: 'La connexion avec FranceConnect n’a pas pu être vérifiée. Veuillez réessayer.',
  token_endpoint_error: 'La connexion avec FranceConnect n’a pas pu aboutir. Veuillez réessayer dans quelques instants.',
  id_token_invalid: 'La connexion avec FranceConnect n’a pas pu être vérifiée. Veuillez réessayer.',
  userinfo_invalid: 'La connexion avec FranceConnect n’a pas pu être vérifiée. Veuillez réessayer.',
  provider_unavailable: 'FranceConnect ne répond pas pour le moment. Veuillez réessayer dans quelques instants.',
  provider_misconfigured: 'La connexion avec FranceConnect n’est pas disponible pour ce service pour le moment.',
  client_unavailable: 'La connexion avec FranceConnect n’est pas disponible pour ce service pour le moment.',
  // The portal's own flow outcomes
  requete_invalide: 'Lien de connexion invalide : recommencez depuis le portail.',
  session_navigateur: 'Votre connexion avec FranceConnect a expiré ou a commencé dans un autre navigateur. Recommencez depuis le portail.',
  deconnexion_invalide: 'Retour de déconnexion FranceConnect invalide. Vous êtes déconnecté(e) du portail.',
  deconnexion_non_verifiee: 'La déconnexion de FranceConnect n’a pas pu être vérifiée. Vous êtes bien déconnecté(e) de ce service.',
  trop_de_tentatives: 'Trop de tentatives en peu de temps. Patientez quelques minutes avant de réessayer.',
  erreur_technique: 'La connexion avec FranceConnect n’a pas pu aboutir à cause d’une erreur technique. Réessayez dans quelques instants.',
  recuperation_desactivee: 'La récupération de données avec FranceConnect n’est pas proposée par ce portail.',
  connexion_requise: 'Connectez-vous à votre compte avant de récupérer vos données avec FranceConnect.',
  connexion_desactivee: 'La connexion avec FranceConnect n’est pas proposée par ce portail.',
  compte_introuvable: 'Ce compte n’existe plus.',
  reconciliation_requise:
    'Un compte existe déjà sur ce portail avec l’adresse e-mail transmise par FranceConnect. Connectez-vous avec le mot de passe de ce compte pour confirmer son association à FranceConnect.',
  autre_identite: 'Votre compte est déjà associé à une autre identité FranceConnect : déconnectez-vous de FranceConnect puis reconnectez-vous avec la vôtre.',
  identite_differente:
    'L’identité FranceConnect utilisée ne correspond pas au compte connecté : les données n’ont pas été récupérées. Reconnectez-vous à FranceConnect avec votre propre identité.',
} as const satisfies Record<string, string>;

export type PortalNoticeCode = keyof typeof PORTAL_NOTICES;

/** Shown for a code the portal does not know (an old link, a typo, or a forged address). */
export const GENERIC_PORTAL_NOTICE = 'La demande n’a pas abouti. Veuillez réessayer depuis le portail.';

export function isPortalNoticeCode(code: string): code is PortalNoticeCode {
  return Object.prototype.hasOwnProperty.call(PORTAL_NOTICES, code);
}

/** The portal's sentence for a code (the generic one when unknown). */
export function portalNoticeMessage(code: string): string {
  return isPortalNoticeCode(code) ? PORTAL_NOTICES[code] : GENERIC_PORTAL_NOTICE;
}
