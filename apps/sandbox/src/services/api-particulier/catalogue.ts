/**
 * What the stand-in serves: the four API Particulier APIs the platform uses, their scopes (the
 * DataPass names, as in libs/domain's catalogue, copied here since the sandbox imitates the
 * outside world and imports nothing of the platform), the parameters of their `/identite` routes
 * (API Particulier's OpenAPI v3) and the staging payload folder behind each route.
 */

export const API_IDS = ['quotient_familial', 'statut_etudiant', 'statut_etudiant_boursier', 'complementaire_sante_solidaire'] as const;
export type ApiId = (typeof API_IDS)[number];

export const MODALITIES = ['pivot_identity', 'ine', 'france_connect'] as const;
export type Modality = (typeof MODALITIES)[number];

/** Which `/identite` parameters a route takes and requires (OpenAPI `required: true`). */
export interface IdentityRules {
  /** `sexeEtatCivil` required (QF, C2S, MESRI); optional for CNOUS. */
  readonly sexRequired: boolean;
  /** `anneeDateNaissance`, `moisDateNaissance`, `jourDateNaissance` all required (MESRI, CNOUS). */
  readonly fullBirthDateRequired: boolean;
  /**
   * `codeCogInseePaysNaissance` taken and required (QF, C2S); with it, a birth in France (99100)
   * needs `codeCogInseeCommuneNaissance` or `nomCommuneNaissance` + `codeCogInseeDepartementNaissance`
   * (+ `anneeDateNaissance`). MESRI and CNOUS have no country parameter.
   */
  readonly country: boolean;
  /** `nomUsage` taken (QF, C2S). */
  readonly usageName: boolean;
}

export interface ApiDefinition {
  readonly id: ApiId;
  readonly label: string;
  /** `meta.provider` of the provider's errors. */
  readonly provider: string;
  /** First two digits of the provider's error codes (37003 = CNAV "not found", 25003 MESRI, 26003 CNOUS). */
  readonly providerCodePrefix: string;
  /** DataPass scopes of the API: a token needs at least one of them. */
  readonly scopes: readonly string[];
  readonly identity: IdentityRules;
  /** Quotient familial's optional `annee` and `mois` (the month of the QF asked for). */
  readonly periodParams: boolean;
}

export const APIS: Readonly<Record<ApiId, ApiDefinition>> = {
  quotient_familial: {
    id: 'quotient_familial',
    label: 'Quotient familial CAF & MSA',
    provider: 'CNAV',
    providerCodePrefix: '37',
    scopes: ['cnaf_quotient_familial', 'cnaf_allocataires', 'cnaf_enfants', 'cnaf_adresse'],
    identity: { sexRequired: true, fullBirthDateRequired: false, country: true, usageName: true },
    periodParams: true,
  },
  statut_etudiant: {
    id: 'statut_etudiant',
    label: 'Statut étudiant',
    provider: 'MESRI',
    providerCodePrefix: '25',
    scopes: [
      'mesri_identite',
      'mesri_admissions',
      'mesri_admission_inscrit',
      'mesri_admission_regime_formation',
      'mesri_admission_commune_etudes',
      'mesri_admission_etablissement_etudes',
    ],
    identity: { sexRequired: true, fullBirthDateRequired: true, country: false, usageName: false },
    periodParams: false,
  },
  statut_etudiant_boursier: {
    id: 'statut_etudiant_boursier',
    label: 'Statut étudiant boursier',
    provider: 'CNOUS',
    providerCodePrefix: '26',
    scopes: [
      'cnous_statut_boursier',
      'cnous_echelon_bourse',
      'cnous_identite',
      'cnous_email',
      'cnous_periode_versement',
      'cnous_statut_bourse',
      'cnous_ville_etudes',
    ],
    identity: { sexRequired: false, fullBirthDateRequired: true, country: false, usageName: false },
    periodParams: false,
  },
  complementaire_sante_solidaire: {
    id: 'complementaire_sante_solidaire',
    label: 'Complémentaire santé solidaire (C2S)',
    provider: 'CNAV',
    providerCodePrefix: '37',
    scopes: ['complementaire_sante_solidaire'],
    identity: { sexRequired: true, fullBirthDateRequired: false, country: true, usageName: true },
    periodParams: false,
  },
};

/** Every scope of the four APIs (the default scopes of a minted sandbox token). */
export const ALL_API_PARTICULIER_SCOPES: readonly string[] = API_IDS.flatMap((id) => APIS[id].scopes);

export interface RouteDefinition {
  readonly path: string;
  readonly api: ApiDefinition;
  readonly modality: Modality;
  /** Folder of `data/api-particulier/` whose case files answer the route. */
  readonly folder: string;
}

const FOLDERS: Readonly<Record<ApiId, string>> = {
  quotient_familial: 'api_particulier_v3_cnav_quotient_familial',
  statut_etudiant: 'api_particulier_v3_mesri_statut_etudiant',
  statut_etudiant_boursier: 'api_particulier_v3_cnous_etudiant_boursier',
  complementaire_sante_solidaire: 'api_particulier_v3_cnav_complementaire_sante_solidaire',
};

const FOLDER_SUFFIX: Readonly<Record<Modality, string>> = { pivot_identity: 'with_civility', ine: 'with_ine', france_connect: 'with_france_connect' };
const ROUTE_SUFFIX: Readonly<Record<Modality, string>> = { pivot_identity: 'identite', ine: 'ine', france_connect: 'france_connect' };

function routes(prefix: string, api: ApiId, modalities: readonly Modality[]): RouteDefinition[] {
  return modalities.map((modality) => ({
    path: `${prefix}/${ROUTE_SUFFIX[modality]}`,
    api: APIS[api],
    modality,
    folder: `${FOLDERS[api]}_${FOLDER_SUFFIX[modality]}`,
  }));
}

/**
 * The routes, v3 paths as in API Particulier's OpenAPI; CNOUS also under `/v4/` (the v3 CNOUS
 * routes are deprecated upstream). The v4 routes answer the v3 staging payloads.
 */
export const ROUTES: readonly RouteDefinition[] = [
  ...routes('/v3/dss/quotient_familial', 'quotient_familial', ['pivot_identity', 'france_connect']),
  ...routes('/v3/mesri/statut_etudiant', 'statut_etudiant', ['pivot_identity', 'france_connect', 'ine']),
  ...routes('/v3/cnous/etudiant_boursier', 'statut_etudiant_boursier', ['pivot_identity', 'france_connect', 'ine']),
  ...routes('/v4/cnous/etudiant_boursier', 'statut_etudiant_boursier', ['pivot_identity', 'france_connect', 'ine']),
  ...routes('/v3/dss/complementaire_sante_solidaire', 'complementaire_sante_solidaire', ['pivot_identity', 'france_connect']),
];

const BY_PATH: ReadonlyMap<string, RouteDefinition> = new Map(ROUTES.map((route) => [route.path, route]));

export function findRoute(path: string): RouteDefinition | undefined {
  return BY_PATH.get(path);
}

/** The payload folders the routes need (each is loaded once). */
export const ROUTE_FOLDERS: readonly string[] = [...new Set(ROUTES.map((route) => route.folder))];

/** The folder of staging's fake FranceConnect tokens (`{ params: { token }, payload: <checktoken answer> }`). */
export const STAGING_FRANCECONNECT_FOLDER = 'france_connect';
