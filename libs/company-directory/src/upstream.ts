/**
 * Defensive reading of a recherche-entreprises `/search` answer. The upstream is untrusted input:
 * only the fields this library needs are read, each checked for its type and shape; unknown
 * fields are ignored; malformed items are skipped; strings are trimmed, stripped of control
 * characters and capped. Only a body whose very shape is wrong (no `results` array) is an error.
 *
 * Field names follow `app/doc/open-api.yml` of annuaire-entreprises-data-gouv-fr/search-api.
 */

export interface UpstreamEstablishment {
  readonly siret: string;
  readonly isHeadOffice: boolean | undefined;
  /** `A` (open) or `F` (closed); anything else is kept as `undefined`. */
  readonly state: 'A' | 'F' | undefined;
  /** Sirene's one-line address (`adresse`). */
  readonly address: string | undefined;
  readonly postalCode: string | undefined;
  readonly city: string | undefined;
  /** INSEE code of the commune. */
  readonly communeCode: string | undefined;
  /** `YYYY-MM-DD`. */
  readonly closedOn: string | undefined;
}

export interface UpstreamUnit {
  readonly siren: string;
  readonly fullName: string | undefined;
  readonly legalName: string | undefined;
  /** INSEE legal category, 4 digits. */
  readonly legalCategory: string | undefined;
  /** `A` (active) or `C` (ceased). */
  readonly state: 'A' | 'C' | undefined;
  readonly closedOn: string | undefined;
  readonly headOffice: UpstreamEstablishment | undefined;
  readonly matching: readonly UpstreamEstablishment[];
}

export interface UpstreamSearchPage {
  readonly units: readonly UpstreamUnit[];
  readonly totalResults: number | undefined;
  /** Items of `results` (or of `matching_etablissements`) dropped because they were malformed. */
  readonly skipped: number;
}

/** The answer is not a recherche-entreprises search result at all. */
export class MalformedUpstreamResponseError extends Error {
  readonly code = 'UPSTREAM_MALFORMED_RESPONSE' as const;

  constructor(reason: string) {
    super(`Réponse inattendue de l’annuaire des entreprises : ${reason}`);
    this.name = 'MalformedUpstreamResponseError';
  }
}

const MAX_TEXT = 512;
const MAX_ITEMS = 100;
const SIREN = /^\d{9}$/;
const SIRET = /^\d{14}$/;
const LEGAL_CATEGORY = /^\d{4}$/;
const POSTAL_CODE = /^[0-9A-Z]{5}$/;
const COMMUNE_CODE = /^[0-9][0-9AB][0-9]{3}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own property only: `__proto__`, `constructor`... of a parsed body are never followed. */
function field(object: Json, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const cleaned = value.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  if (cleaned === '') return undefined;
  return cleaned.length > MAX_TEXT ? cleaned.slice(0, MAX_TEXT) : cleaned;
}

function matching(value: unknown, pattern: RegExp): string | undefined {
  return typeof value === 'string' && pattern.test(value) ? value : undefined;
}

function parseEstablishment(value: unknown, siren: string): UpstreamEstablishment | undefined {
  if (!isObject(value)) return undefined;
  const siret = matching(field(value, 'siret'), SIRET);
  if (siret === undefined || !siret.startsWith(siren)) return undefined;
  const state = field(value, 'etat_administratif');
  const isHeadOffice = field(value, 'est_siege');
  return {
    siret,
    isHeadOffice: typeof isHeadOffice === 'boolean' ? isHeadOffice : undefined,
    state: state === 'A' || state === 'F' ? state : undefined,
    address: text(field(value, 'adresse')),
    postalCode: matching(field(value, 'code_postal'), POSTAL_CODE),
    city: text(field(value, 'libelle_commune')),
    communeCode: matching(field(value, 'commune'), COMMUNE_CODE),
    closedOn: matching(field(value, 'date_fermeture'), ISO_DATE),
  };
}

function parseUnit(value: unknown): { unit: UpstreamUnit | undefined; skipped: number } {
  if (!isObject(value)) return { unit: undefined, skipped: 1 };
  const siren = matching(field(value, 'siren'), SIREN);
  if (siren === undefined) return { unit: undefined, skipped: 1 };
  let skipped = 0;
  const rawSiege = field(value, 'siege');
  const headOffice = rawSiege === undefined || rawSiege === null ? undefined : parseEstablishment(rawSiege, siren);
  if (rawSiege !== undefined && rawSiege !== null && headOffice === undefined) skipped += 1;
  const matchingItems: UpstreamEstablishment[] = [];
  const rawMatching = field(value, 'matching_etablissements');
  if (Array.isArray(rawMatching)) {
    for (const item of rawMatching.slice(0, MAX_ITEMS)) {
      const establishment = parseEstablishment(item, siren);
      if (establishment) matchingItems.push(establishment);
      else skipped += 1;
    }
  }
  const state = field(value, 'etat_administratif');
  return {
    unit: {
      siren,
      fullName: text(field(value, 'nom_complet')),
      legalName: text(field(value, 'nom_raison_sociale')),
      legalCategory: matching(field(value, 'nature_juridique'), LEGAL_CATEGORY),
      state: state === 'A' || state === 'C' ? state : undefined,
      closedOn: matching(field(value, 'date_fermeture'), ISO_DATE),
      headOffice,
      matching: matchingItems,
    },
    skipped,
  };
}

/** Reads a `/search` body (already JSON-parsed). Throws {@link MalformedUpstreamResponseError} only when it has no `results` array. */
export function parseSearchResponse(payload: unknown): UpstreamSearchPage {
  if (!isObject(payload)) throw new MalformedUpstreamResponseError('le corps n’est pas un objet JSON');
  const results = field(payload, 'results');
  if (!Array.isArray(results)) throw new MalformedUpstreamResponseError('champ « results » absent ou invalide');
  const units: UpstreamUnit[] = [];
  let skipped = 0;
  for (const item of results.slice(0, MAX_ITEMS)) {
    const parsed = parseUnit(item);
    skipped += parsed.skipped;
    if (parsed.unit) units.push(parsed.unit);
  }
  const total = field(payload, 'total_results');
  return {
    units,
    totalResults: typeof total === 'number' && Number.isInteger(total) && total >= 0 ? total : undefined,
    skipped,
  };
}
