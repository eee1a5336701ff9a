/**
 * FranceConnect v2 "fcp-low" scopes and the claims each one releases (france-connect/sources
 * `back/libs/scopes/src/data/fcp-low/fcp-low.scopes.ts`, and the data providers' scopes seen in
 * the sandbox discovery document and API Particulier's staging payloads).
 */

/** Identity claims a scope releases. `openid` releases `sub` only. */
export const IDENTITY_SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  openid: ['sub'],
  given_name: ['given_name', 'given_name_array'],
  family_name: ['family_name'],
  birthdate: ['birthdate'],
  gender: ['gender'],
  birthplace: ['birthplace'],
  birthcountry: ['birthcountry'],
  email: ['email'],
  preferred_username: ['preferred_username'],
  idp_birthdate: ['idp_birthdate'],
  amr: ['amr'],
  idp_id: ['idp_id'],
  // Aliases.
  identite_pivot: ['given_name', 'given_name_array', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry'],
  profile: ['given_name', 'given_name_array', 'family_name', 'birthdate', 'gender', 'preferred_username'],
  birth: ['birthplace', 'birthcountry'],
};

/**
 * Scopes of data providers (API Particulier's FranceConnect-ed APIs): they release no identity
 * claim to the service provider; the data provider reads them back through `/checktoken`.
 */
export const DATA_PROVIDER_SCOPES: readonly string[] = [
  'cnaf_quotient_familial',
  'cnaf_allocataires',
  'cnaf_enfants',
  'cnaf_adresse',
  'eaje_allocataires',
  'eaje_enfants',
  'eaje_adresse',
  'eaje_parametres_calcul_participation_familial',
  'complementaire_sante_solidaire',
  'allocation_adulte_handicape',
  'allocation_soutien_familial',
  'prime_activite',
  'prime_activite_majoration',
  'revenu_solidarite_active',
  'revenu_solidarite_active_majoration',
  'cnous_statut_boursier',
  'cnous_echelon_bourse',
  'cnous_email',
  'cnous_periode_versement',
  'cnous_statut_bourse',
  'cnous_ville_etudes',
  'cnous_identite',
  'mesri_identifiant',
  'mesri_identite',
  'mesri_inscription_etudiant',
  'mesri_inscription_autre',
  'mesri_admission',
  'mesri_etablissements',
  'mesri_admissions',
  'mesri_admission_inscrit',
  'mesri_admission_regime_formation',
  'mesri_admission_commune_etudes',
  'mesri_admission_etablissement_etudes',
  'dsnj_statut_service_national',
  'ants_extrait_immatriculation_vehicule_identite_particulier',
  'ants_extrait_immatriculation_vehicule_adresse_particulier',
  'ants_extrait_immatriculation_vehicule_statut_rattachement',
  'ants_extrait_immatriculation_vehicule_donnees_immatriculation_vehicule',
  'ants_extrait_immatriculation_vehicule_caracteristiques_techniques_vehicule',
  'gip_mds_service_civique_statut_actuel',
  'gip_mds_service_civique_statut_passe',
  'gip_mds_service_civique_organisme_accueil',
  'gip_mds_service_civique_dates',
];

export const IDENTITY_SCOPES: readonly string[] = Object.keys(IDENTITY_SCOPE_CLAIMS);

export const ALL_SCOPES: readonly string[] = [...IDENTITY_SCOPES, ...DATA_PROVIDER_SCOPES];

/** Every identity claim the provider can release (besides the protocol claims). */
export const IDENTITY_CLAIMS: readonly string[] = [...new Set(Object.values(IDENTITY_SCOPE_CLAIMS).flat())];

/** The `claims` configuration of oidc-provider: scope → claims, plus the protocol claims. */
export function oidcClaimsConfiguration(): Record<string, null | readonly string[]> {
  const config: Record<string, null | readonly string[]> = { acr: null, auth_time: null, iss: null, sid: null };
  for (const [scope, claims] of Object.entries(IDENTITY_SCOPE_CLAIMS)) config[scope] = claims;
  for (const scope of DATA_PROVIDER_SCOPES) config[scope] = [];
  return config;
}
