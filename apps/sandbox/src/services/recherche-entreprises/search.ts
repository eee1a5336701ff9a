/**
 * `GET /search` of the recherche-entreprises stand-in: parameter validation with the real API's
 * 400 messages (search-api `app/controller/search_params_model.py`, `field_validation.py`), direct
 * search by SIREN/SIRET (filters then ignored, like the real API), a simple all-words text search
 * over names and addresses otherwise, a few filters, and pagination.
 */
import { FIXTURE_UNITS, type FixtureEstablishment, type FixtureUnit } from './fixtures.js';
import { INCLUDABLE_FIELDS, addressOf, formatUnit, type IncludableField } from './format.js';

export type SearchOutcome =
  | { readonly status: 200; readonly body: SearchPayload }
  | { readonly status: 400; readonly body: { readonly erreur: string } };

export interface SearchPayload {
  readonly results: Record<string, unknown>[];
  readonly total_results: number;
  readonly page: number;
  readonly per_page: number;
  readonly total_pages: number;
}

class InvalidParam extends Error {}

interface Limits {
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

const LIMITS: Record<'page' | 'per_page' | 'matching_size', Limits> = {
  page: { min: 1, max: 1000, default: 1 },
  per_page: { min: 1, max: 25, default: 10 },
  matching_size: { min: 1, max: 100, default: 10 },
};

const POSTCODE = /^((0[1-9])|([1-8][0-9])|(9[0-8])|(2A)|(2B))[0-9]{3}$/;
const DEPARTEMENT = /^([013-8]\d|2[AB1-9]|9[0-5]|97[12346])$/;
const LEGAL_CATEGORY = /^\d{4}$/;

/** Parameters whose presence counts as "a search parameter" (pagination and display ones do not). */
const FILTERS = ['etat_administratif', 'nature_juridique', 'code_postal', 'departement', 'est_collectivite_territoriale', 'est_administration'] as const;

function integer(params: URLSearchParams, name: string, field: keyof typeof LIMITS): number {
  const raw = params.get(name);
  const limits = LIMITS[field];
  if (raw === null) return limits.default;
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw new InvalidParam(`Veuillez indiquer un paramètre \`${field}\` entier.`);
  const value = Number(raw);
  if (value < limits.min || value > limits.max) {
    throw new InvalidParam(
      `Veuillez indiquer un paramètre \`${field}\` entre \`${limits.min}\` et \`${limits.max}\`, par défaut \`${limits.default}\`.`,
    );
  }
  return value;
}

function boolean(params: URLSearchParams, name: string): boolean | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  const upper = raw.toUpperCase();
  if (upper !== 'TRUE' && upper !== 'FALSE') throw new InvalidParam(`${name} doit prendre la valeur 'true' ou 'false' !`);
  return upper === 'TRUE';
}

function list(params: URLSearchParams, name: string): string[] | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  return raw
    .split(',')
    .map((v) => v.trim().toUpperCase())
    .filter((v) => v !== '');
}

/** Upper case, no accents, only letters and digits separated by single spaces. */
export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}

function establishmentText(e: FixtureEstablishment): string {
  return normalise([addressOf(e), ...(e.enseignes ?? []), e.siret].join(' '));
}

function unitText(unit: FixtureUnit): string {
  return normalise([unit.nomRaisonSociale, unit.sigle ?? '', unit.siren, ...unit.establishments.map(establishmentText)].join(' '));
}

function containsWord(haystack: string, token: string): boolean {
  return ` ${haystack} `.includes(` ${token}`);
}

interface Query {
  readonly page: number;
  readonly perPage: number;
  readonly matchingSize: number;
  readonly minimal: boolean;
  readonly include: ReadonlySet<IncludableField>;
  readonly terms: string | undefined;
  readonly etat: string | undefined;
  readonly natures: string[] | undefined;
  readonly postcodes: string[] | undefined;
  readonly departements: string[] | undefined;
  readonly collectivite: boolean | undefined;
  readonly administration: boolean | undefined;
}

function parse(params: URLSearchParams): Query {
  const page = integer(params, 'page', 'page');
  const perPage = integer(params, 'per_page', 'per_page');
  const matchingSize = integer(params, 'limite_matching_etablissements', 'matching_size');
  const minimal = boolean(params, 'minimal');
  const collectivite = boolean(params, 'est_collectivite_territoriale');
  const administration = boolean(params, 'est_administration');

  const includeList = list(params, 'include');
  const include = new Set<IncludableField>();
  for (const field of includeList ?? []) {
    const lower = field.toLowerCase();
    if (!(INCLUDABLE_FIELDS as readonly string[]).includes(lower)) {
      throw new InvalidParam(
        `Au moins un champ à inclure est non valide. Les champs valides : ['complements', 'dirigeants', 'finances', 'score', 'siege', 'matching_etablissements'].`,
      );
    }
    include.add(lower as IncludableField);
  }

  const etatRaw = params.get('etat_administratif');
  const etat = etatRaw === null ? undefined : etatRaw.toUpperCase();
  if (etat !== undefined && etat !== 'A' && etat !== 'C') {
    throw new InvalidParam("Le paramètre `etat_administratif` doit prendre une des valeurs suivantes ['A', 'C'].");
  }
  const natures = list(params, 'nature_juridique');
  if (natures?.some((n) => !LEGAL_CATEGORY.test(n))) {
    throw new InvalidParam('Au moins un paramètre `nature_juridique` est non valide.');
  }
  const postcodes = list(params, 'code_postal');
  if (postcodes?.some((p) => !POSTCODE.test(p))) {
    throw new InvalidParam('Au moins une valeur du paramètre code_postal est non valide.');
  }
  const departements = list(params, 'departement');
  if (departements?.some((d) => !DEPARTEMENT.test(d))) {
    throw new InvalidParam('Au moins un paramètre `departement` est non valide.');
  }

  const termsRaw = params.get('q');
  const terms = termsRaw === null ? undefined : termsRaw.toUpperCase();
  const anyFilter = FILTERS.some((name) => params.has(name));
  if (terms === undefined && !anyFilter) throw new InvalidParam('Veuillez indiquer au moins un paramètre de recherche.');
  if (terms !== undefined && terms.trim().length < 3 && !anyFilter) {
    throw new InvalidParam('3 caractères minimum pour les termes de la requête (ou utilisez au moins un filtre)');
  }
  if (includeList !== undefined && minimal !== true) {
    throw new InvalidParam(
      'Veuillez indiquer si vous souhaitez une réponse minimale avec le filtre `minimal=True`` avant de préciser les champs à inclure.',
    );
  }
  if (page * perPage > 10_000) {
    throw new InvalidParam(
      'Le nombre total de résultats est restreint à 10 000. Pour garantir cela, le produit du numéro de page ' +
        '(par défaut, page = 1) et du nombre de résultats par page (par défaut, per_page = 10), ' +
        "c'est-à-dire `page * per_page`, ne doit pas excéder 10 000.",
    );
  }
  return {
    page,
    perPage,
    matchingSize,
    minimal: minimal === true,
    include,
    terms,
    etat,
    natures,
    postcodes,
    departements,
    collectivite,
    administration,
  };
}

interface Hit {
  readonly unit: FixtureUnit;
  readonly matching: readonly FixtureEstablishment[];
}

function establishmentPasses(e: FixtureEstablishment, query: Query): boolean {
  if (query.postcodes && !query.postcodes.includes(e.codePostal)) return false;
  if (query.departements && !query.departements.includes(e.departement)) return false;
  return true;
}

function textSearch(units: readonly FixtureUnit[], query: Query): Hit[] {
  const tokens = query.terms === undefined ? [] : normalise(query.terms).split(' ').filter((t) => t !== '');
  const hits: Array<Hit & { readonly nameScore: number }> = [];
  for (const unit of units) {
    if (query.etat && unit.etat !== query.etat) continue;
    if (query.natures && !query.natures.includes(unit.natureJuridique)) continue;
    if (query.collectivite !== undefined && Boolean(unit.collectivite) !== query.collectivite) continue;
    if (query.administration !== undefined && unit.estAdministration !== query.administration) continue;
    const candidates = unit.establishments.filter((e) => establishmentPasses(e, query));
    if (candidates.length === 0) continue;
    const haystack = unitText(unit);
    if (!tokens.every((t) => containsWord(haystack, t))) continue;
    const byText = tokens.length === 0 ? [] : candidates.filter((e) => tokens.some((t) => containsWord(establishmentText(e), t)));
    const siege = candidates.find((e) => e.estSiege);
    const matching = (byText.length > 0 ? byText : siege ? [siege] : candidates.slice(0, 1)).slice(0, query.matchingSize);
    const name = normalise(`${unit.nomRaisonSociale} ${unit.sigle ?? ''}`);
    hits.push({ unit, matching, nameScore: tokens.filter((t) => containsWord(name, t)).length });
  }
  // Stable sort: units whose name carries the words first, then the fixture order.
  return hits.sort((a, b) => b.nameScore - a.nameScore);
}

function directSearch(units: readonly FixtureUnit[], digits: string): Hit[] {
  if (digits.length === 9) {
    const unit = units.find((u) => u.siren === digits);
    return unit ? [{ unit, matching: [] }] : [];
  }
  for (const unit of units) {
    const establishment = unit.establishments.find((e) => e.siret === digits);
    if (establishment) return [{ unit, matching: [establishment] }];
  }
  return [];
}

export function search(params: URLSearchParams, units: readonly FixtureUnit[] = FIXTURE_UNITS): SearchOutcome {
  let query: Query;
  try {
    query = parse(params);
  } catch (error) {
    if (error instanceof InvalidParam) return { status: 400, body: { erreur: error.message } };
    throw error;
  }
  const compact = query.terms?.replace(/\s+/g, '') ?? '';
  const direct = /^(\d{9}|\d{14})$/.test(compact);
  const hits = direct ? directSearch(units, compact) : textSearch(units, query);
  const start = (query.page - 1) * query.perPage;
  const results = hits
    .slice(start, start + query.perPage)
    .map((hit) => formatUnit(hit.unit, { matching: hit.matching, minimal: query.minimal, include: query.include }));
  return {
    status: 200,
    body: {
      results,
      total_results: hits.length,
      page: query.page,
      per_page: query.perPage,
      total_pages: Math.ceil(hits.length / query.perPage),
    },
  };
}
