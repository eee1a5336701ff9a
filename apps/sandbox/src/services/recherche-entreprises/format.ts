/**
 * Turns fixtures into the exact JSON shapes of the real API (`app/doc/open-api.yml` of
 * annuaire-entreprises-data-gouv-fr/search-api, components `result`, `siege`, `etablissement`),
 * field names and nulls included, so that clients are tested against the real contract.
 */
import type { FixtureEstablishment, FixtureUnit } from './fixtures.js';

/** Secondary fields that `minimal=true` drops unless listed in `include`. */
export const INCLUDABLE_FIELDS = ['complements', 'dirigeants', 'finances', 'matching_etablissements', 'siege', 'score'] as const;
export type IncludableField = (typeof INCLUDABLE_FIELDS)[number];

/** Sirene's `adresse`: complément + numéro + type + libellé de voie + code postal + commune. */
export function addressOf(e: FixtureEstablishment): string {
  return [e.complementAdresse, e.numeroVoie, e.typeVoie, e.libelleVoie, e.codePostal, e.libelleCommune]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(' ');
}

function nomComplet(unit: FixtureUnit): string {
  return unit.sigle ? `${unit.nomRaisonSociale} (${unit.sigle})` : unit.nomRaisonSociale;
}

/** An item of `matching_etablissements`. */
export function formatEstablishment(e: FixtureEstablishment): Record<string, unknown> {
  return {
    activite_principale: e.activitePrincipale,
    ancien_siege: false,
    annee_tranche_effectif_salarie: e.trancheEffectif ? '2022' : null,
    adresse: addressOf(e),
    caractere_employeur: e.caractereEmployeur ?? null,
    code_postal: e.codePostal,
    commune: e.commune,
    date_creation: e.dateCreation,
    date_debut_activite: e.dateDebutActivite,
    date_fermeture: e.dateFermeture ?? null,
    epci: e.epci,
    est_siege: e.estSiege,
    etat_administratif: e.etat,
    geo_id: null,
    latitude: null,
    libelle_commune: e.libelleCommune,
    liste_enseignes: e.enseignes ? [...e.enseignes] : null,
    liste_finess: null,
    liste_id_bio: null,
    liste_idcc: null,
    liste_id_organisme_formation: null,
    liste_rge: null,
    liste_uai: e.uai ? [...e.uai] : null,
    longitude: null,
    nom_commercial: null,
    region: e.region,
    siret: e.siret,
    statut_diffusion_etablissement: 'O',
    tranche_effectif_salarie: e.trancheEffectif,
  };
}

/** The `siege` object (more address detail than a matching establishment). */
export function formatSiege(e: FixtureEstablishment): Record<string, unknown> {
  return {
    activite_principale: e.activitePrincipale,
    activite_principale_registre_metier: null,
    annee_tranche_effectif_salarie: e.trancheEffectif ? '2022' : null,
    adresse: addressOf(e),
    caractere_employeur: e.caractereEmployeur ?? null,
    cedex: null,
    code_pays_etranger: null,
    code_postal: e.codePostal,
    commune: e.commune,
    complement_adresse: e.complementAdresse ?? null,
    coordonnees: null,
    date_creation: e.dateCreation,
    date_debut_activite: e.dateDebutActivite,
    date_fermeture: e.dateFermeture ?? null,
    date_mise_a_jour: null,
    date_mise_a_jour_insee: '2025-01-18T02:53:24',
    departement: e.departement,
    distribution_speciale: null,
    epci: e.epci,
    est_siege: true,
    etat_administratif: e.etat,
    geo_adresse: null,
    geo_id: null,
    indice_repetition: null,
    latitude: null,
    libelle_cedex: null,
    libelle_commune: e.libelleCommune,
    libelle_commune_etranger: null,
    libelle_pays_etranger: null,
    libelle_voie: e.libelleVoie ?? null,
    liste_enseignes: e.enseignes ? [...e.enseignes] : null,
    liste_finess: null,
    liste_id_bio: null,
    liste_idcc: null,
    liste_id_organisme_formation: null,
    liste_rge: null,
    liste_uai: e.uai ? [...e.uai] : null,
    longitude: null,
    nom_commercial: null,
    numero_voie: e.numeroVoie ?? null,
    region: e.region,
    siret: e.siret,
    statut_diffusion_etablissement: 'O',
    tranche_effectif_salarie: e.trancheEffectif,
    type_voie: e.typeVoie ?? null,
  };
}

function complementsOf(unit: FixtureUnit): Record<string, unknown> {
  const uai = unit.establishments.some((e) => (e.uai?.length ?? 0) > 0);
  return {
    collectivite_territoriale: unit.collectivite
      ? { code: unit.collectivite.code, code_insee: unit.collectivite.codeInsee, elus: [], niveau: unit.collectivite.niveau }
      : null,
    convention_collective_renseignee: false,
    liste_idcc: null,
    egapro_renseignee: false,
    est_achats_responsables: false,
    est_alim_confiance: false,
    est_association: false,
    est_bio: false,
    est_entrepreneur_individuel: false,
    est_entrepreneur_spectacle: false,
    est_ess: false,
    est_finess: false,
    est_organisme_formation: false,
    est_qualiopi: false,
    liste_id_organisme_formation: null,
    est_rge: false,
    // Deprecated upstream, now always null (docs/domain.md §4).
    est_service_public: null,
    est_administration: unit.estAdministration,
    est_l100_3: null,
    est_siae: false,
    est_societe_mission: false,
    est_uai: uai,
    est_patrimoine_vivant: false,
    bilan_ges_renseigne: false,
    identifiant_association: null,
    statut_entrepreneur_spectacle: null,
    type_siae: null,
  };
}

export interface FormatOptions {
  /** Establishments that matched the query (empty for a SIREN search). */
  readonly matching: readonly FixtureEstablishment[];
  /** `minimal=true`: only the fields listed in `include` among the secondary ones. */
  readonly minimal: boolean;
  readonly include: ReadonlySet<IncludableField>;
}

/** One item of `results`. */
export function formatUnit(unit: FixtureUnit, options: FormatOptions): Record<string, unknown> {
  const siege = unit.establishments.find((e) => e.estSiege);
  const wants = (field: IncludableField): boolean => !options.minimal || options.include.has(field);
  const result: Record<string, unknown> = {
    siren: unit.siren,
    siren_conserve: null,
    nom_complet: nomComplet(unit),
    nom_raison_sociale: unit.nomRaisonSociale,
    sigle: unit.sigle ?? null,
    nombre_etablissements: unit.nombreEtablissements ?? unit.establishments.length,
    nombre_etablissements_ouverts:
      unit.nombreEtablissementsOuverts ?? unit.establishments.filter((e) => e.etat === 'A').length,
  };
  if (wants('siege')) result.siege = siege ? formatSiege(siege) : null;
  Object.assign(result, {
    activite_principale: unit.activitePrincipale,
    categorie_entreprise: unit.categorieEntreprise,
    caractere_employeur: null,
    annee_categorie_entreprise: unit.categorieEntreprise ? '2022' : null,
    date_creation: unit.dateCreation,
    date_fermeture: unit.dateFermeture ?? null,
    date_mise_a_jour: '2025-04-18T05:03:02',
    date_mise_a_jour_insee: '2024-03-22T14:26:06',
    date_mise_a_jour_rne: null,
  });
  if (wants('dirigeants')) result.dirigeants = [];
  Object.assign(result, {
    etat_administratif: unit.etat,
    nature_juridique: unit.natureJuridique,
    section_activite_principale: unit.sectionActivitePrincipale,
    tranche_effectif_salarie: unit.trancheEffectif,
    annee_tranche_effectif_salarie: unit.trancheEffectif ? '2022' : null,
    statut_diffusion: 'O',
  });
  if (wants('matching_etablissements')) result.matching_etablissements = options.matching.map(formatEstablishment);
  if (wants('finances')) result.finances = null;
  if (wants('complements')) result.complements = complementsOf(unit);
  return result;
}
