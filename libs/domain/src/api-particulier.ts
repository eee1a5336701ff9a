/**
 * The four API Particulier APIs the platform supports (those callable with FranceConnect, per the
 * DINUM deck), their DataPass scopes and their call modalities.
 *
 * Sources: routes from the API Particulier v3 OpenAPI (copied in libs/api-particulier/openapi/openapi-v3.yaml;
 * the v3 CNOUS routes are deprecated there, so the v4 ones are used); scopes and their labels from
 * DataPass `config/authorization_definitions/api_particulier.yml`; FranceConnect scopes of the same
 * names are requested on `/authorize` for the FranceConnect modality (docs/domain.md §1.5, §2.5).
 */

/** How the citizen is identified when calling an API. */
export const CALL_MODALITIES = ['pivot_identity', 'ine', 'france_connect'] as const;
export type CallModality = (typeof CALL_MODALITIES)[number];

/** Statuses of a call of the call log (the state machine is libs/api-particulier-calls/src/ledger.ts). */
export const CALL_STATUSES = ['queued', 'dispatched', 'running', 'retrying', 'succeeded', 'failed'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** Who started a call. */
export const CALL_ORIGINS = ['citizen', 'batch', 'staff'] as const;
export type CallOrigin = (typeof CALL_ORIGINS)[number];

/** The French labels of the call log (console, CSV export). */
export const CALL_STATUS_LABELS: Readonly<Record<CallStatus, string>> = {
  queued: 'En attente',
  dispatched: 'En file',
  running: 'En cours',
  retrying: 'Nouvel essai prévu',
  succeeded: 'Réussi',
  failed: 'Échec',
};
export const CALL_ORIGIN_LABELS: Readonly<Record<CallOrigin, string>> = { citizen: 'Portail', batch: 'Lot', staff: 'Équipe' };
export const CALL_MODALITY_LABELS: Readonly<Record<CallModality, string>> = { pivot_identity: 'Identité pivot', ine: 'INE', france_connect: 'FranceConnect' };
/** A line of a batch file refused before any call (its reasons say why). */
export const BATCH_LINE_REJECTED_LABEL = 'Ligne rejetée';

export interface CallModalityInfo {
  readonly id: CallModality;
  readonly label: string;
  readonly description: string;
  /** Last segment of the v3/v4 route (`/identite`, `/ine`, `/france_connect`). */
  readonly routeSuffix: string;
  /** Value in DataPass' `modalities` field, when DataPass has one for it. */
  readonly dataPassModality: string | null;
}

/** The modalities of a batch or a staff call: the caller supplies the identity (a FranceConnect call needs the citizen's token). */
export const BATCH_MODALITIES = ['pivot_identity', 'ine'] as const satisfies readonly CallModality[];
export type BatchModality = (typeof BATCH_MODALITIES)[number];

export const CALL_MODALITY_INFO: Readonly<Record<CallModality, CallModalityInfo>> = {
  pivot_identity: {
    id: 'pivot_identity',
    label: 'Identité pivot (paramètres d’appel)',
    description: 'L’usager saisit son nom, ses prénoms, son sexe, sa date et son lieu de naissance, transmis en paramètres.',
    routeSuffix: 'identite',
    dataPassModality: 'params',
  },
  ine: {
    id: 'ine',
    label: 'Identifiant national étudiant (INE)',
    description: 'L’usager saisit son numéro INE, transmis en paramètre.',
    routeSuffix: 'ine',
    dataPassModality: null,
  },
  france_connect: {
    id: 'france_connect',
    label: 'FranceConnect',
    description:
      'L’usager se connecte avec FranceConnect ; l’appel se fait avec son jeton FranceConnect, sans paramètre saisi.',
    routeSuffix: 'france_connect',
    dataPassModality: 'france_connect',
  },
};

export const API_PARTICULIER_APIS = [
  'quotient_familial',
  'statut_etudiant',
  'statut_etudiant_boursier',
  'complementaire_sante_solidaire',
] as const;
export type ApiParticulierApi = (typeof API_PARTICULIER_APIS)[number];

export interface ApiParticulierScope {
  readonly scope: string;
  readonly label: string;
}

export interface ApiParticulierApiInfo {
  readonly id: ApiParticulierApi;
  readonly label: string;
  readonly provider: string;
  readonly modalities: readonly CallModality[];
  /** Route path per supported modality (query `recipient` = client's SIRET is always required). */
  readonly routes: Readonly<Partial<Record<CallModality, string>>>;
  readonly scopes: readonly ApiParticulierScope[];
}

/**
 * A catalogue entry whose route for each modality is `routeBase` followed by the modality's
 * `routeSuffix` (`/v3/dss/quotient_familial` + `/identite`).
 */
function withRoutes({ routeBase, ...info }: Omit<ApiParticulierApiInfo, 'routes'> & { readonly routeBase: string }): ApiParticulierApiInfo {
  const routes = Object.fromEntries(info.modalities.map((modality) => [modality, `${routeBase}/${CALL_MODALITY_INFO[modality].routeSuffix}`]));
  return { id: info.id, label: info.label, provider: info.provider, modalities: info.modalities, routes, scopes: info.scopes };
}

export const API_PARTICULIER_CATALOGUE: Readonly<Record<ApiParticulierApi, ApiParticulierApiInfo>> = {
  quotient_familial: withRoutes({
    id: 'quotient_familial',
    label: 'Quotient familial CAF & MSA',
    provider: 'CNAF & MSA',
    modalities: ['pivot_identity', 'france_connect'],
    routeBase: '/v3/dss/quotient_familial',
    scopes: [
      { scope: 'cnaf_quotient_familial', label: 'Quotient familial CAF & MSA' },
      { scope: 'cnaf_allocataires', label: 'Identités allocataire et conjoint' },
      { scope: 'cnaf_enfants', label: 'Identités enfants' },
      { scope: 'cnaf_adresse', label: 'Adresse du foyer' },
    ],
  }),
  statut_etudiant: withRoutes({
    id: 'statut_etudiant',
    label: 'Statut étudiant',
    provider: 'MESRI',
    modalities: ['pivot_identity', 'ine', 'france_connect'],
    routeBase: '/v3/mesri/statut_etudiant',
    scopes: [
      { scope: 'mesri_identite', label: 'Identité de l’étudiant' },
      { scope: 'mesri_admissions', label: 'Liste des admissions de l’étudiant' },
      { scope: 'mesri_admission_inscrit', label: 'Statut inscrit' },
      { scope: 'mesri_admission_regime_formation', label: 'Régime de formation' },
      { scope: 'mesri_admission_commune_etudes', label: 'Code COG Insee de la commune de l’établissement' },
      { scope: 'mesri_admission_etablissement_etudes', label: 'Appellation et code UAI de l’établissement' },
    ],
  }),
  statut_etudiant_boursier: withRoutes({
    id: 'statut_etudiant_boursier',
    label: 'Statut étudiant boursier',
    provider: 'CNOUS',
    modalities: ['pivot_identity', 'ine', 'france_connect'],
    routeBase: '/v4/cnous/etudiant_boursier',
    scopes: [
      { scope: 'cnous_statut_boursier', label: 'Statut étudiant boursier' },
      { scope: 'cnous_echelon_bourse', label: 'Échelon de la bourse' },
      { scope: 'cnous_identite', label: 'Identité' },
      { scope: 'cnous_email', label: 'E-mail' },
      { scope: 'cnous_periode_versement', label: 'Période de versement' },
      { scope: 'cnous_statut_bourse', label: 'Statut définitif de la bourse' },
      { scope: 'cnous_ville_etudes', label: 'Ville d’études et établissement' },
    ],
  }),
  complementaire_sante_solidaire: withRoutes({
    id: 'complementaire_sante_solidaire',
    label: 'Complémentaire santé solidaire (C2S)',
    provider: 'DSS',
    modalities: ['pivot_identity', 'france_connect'],
    routeBase: '/v3/dss/complementaire_sante_solidaire',
    scopes: [{ scope: 'complementaire_sante_solidaire', label: 'Statut C2S' }],
  }),
};

export function isApiParticulierApi(value: unknown): value is ApiParticulierApi {
  return typeof value === 'string' && (API_PARTICULIER_APIS as readonly string[]).includes(value);
}

export function supportsModality(api: ApiParticulierApi, modality: CallModality): boolean {
  return API_PARTICULIER_CATALOGUE[api].modalities.includes(modality);
}

/** Route of `api` for `modality`, or `null` when the API does not offer it (e.g. INE for QF). */
export function apiParticulierRoute(api: ApiParticulierApi, modality: CallModality): string | null {
  return API_PARTICULIER_CATALOGUE[api].routes[modality] ?? null;
}

/** The API a DataPass scope belongs to, or `null` for a scope outside the supported APIs. */
export function apiForScope(scope: string): ApiParticulierApi | null {
  for (const api of API_PARTICULIER_APIS) {
    if (API_PARTICULIER_CATALOGUE[api].scopes.some((s) => s.scope === scope)) return api;
  }
  return null;
}

/** One configured API for a client: which modalities and which scopes it uses. */
export interface ApiParticulierSelection {
  readonly api: ApiParticulierApi;
  readonly modalities: readonly CallModality[];
  readonly scopes: readonly string[];
}

export interface SelectionProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Checks a client's API Particulier configuration: at least one modality and one scope per API,
 * only modalities the API offers (INE exists only for the student statuses), only the API's own
 * scopes, and each API at most once. Paths are relative (`0.modalities`), ready for a
 * `FieldViolation`.
 */
export function checkApiParticulierSelection(selections: readonly ApiParticulierSelection[]): SelectionProblem[] {
  const problems: SelectionProblem[] = [];
  const seen = new Set<ApiParticulierApi>();
  selections.forEach((selection, index) => {
    const info = API_PARTICULIER_CATALOGUE[selection.api];
    if (seen.has(selection.api)) {
      problems.push({ path: `${index}.api`, message: `L’API « ${info.label} » est déjà configurée.` });
    }
    seen.add(selection.api);
    if (selection.modalities.length === 0) {
      problems.push({ path: `${index}.modalities`, message: 'Choisissez au moins une modalité d’appel.' });
    }
    for (const modality of selection.modalities) {
      if (!info.modalities.includes(modality)) {
        problems.push({
          path: `${index}.modalities`,
          message: `La modalité « ${CALL_MODALITY_INFO[modality].label} » n’existe pas pour l’API « ${info.label} ».`,
        });
      }
    }
    if (selection.scopes.length === 0) {
      problems.push({ path: `${index}.scopes`, message: 'Choisissez au moins une donnée (scope).' });
    }
    for (const scope of selection.scopes) {
      if (!info.scopes.some((s) => s.scope === scope)) {
        problems.push({
          path: `${index}.scopes`,
          message: `La donnée « ${scope} » n’appartient pas à l’API « ${info.label} ».`,
        });
      }
    }
  });
  return problems;
}

/**
 * Scopes to request on FranceConnect's `/authorize` for the FranceConnect modality: `openid`,
 * the pivot identity (prerequisite FC-17) and the data scopes of every selection that uses the
 * FranceConnect modality, without duplicates, in catalogue order.
 */
export function franceConnectScopesFor(selections: readonly ApiParticulierSelection[]): string[] {
  const scopes = ['openid', 'identite_pivot'];
  for (const api of API_PARTICULIER_APIS) {
    for (const selection of selections) {
      if (selection.api !== api || !selection.modalities.includes('france_connect')) continue;
      for (const { scope } of API_PARTICULIER_CATALOGUE[api].scopes) {
        if (selection.scopes.includes(scope) && !scopes.includes(scope)) scopes.push(scope);
      }
    }
  }
  return scopes;
}

/** Whether `scope` is one of API Particulier's data scopes (as opposed to FranceConnect's identity scopes). */
export function isApiParticulierScope(scope: string): boolean {
  return API_PARTICULIER_APIS.some((api) => API_PARTICULIER_CATALOGUE[api].scopes.some((s) => s.scope === scope));
}
