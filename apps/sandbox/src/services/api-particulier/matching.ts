/**
 * Which case file answers a request. Each case file's `params` are the criteria: a case matches
 * when every one of its criteria is in the request with the same normalised value (the request may
 * carry more); among matching cases the one with the most criteria wins (ties: file name order).
 * Normalisation: text in upper case without accents, blanks collapsed, typographic apostrophes
 * straightened; `prenoms` as a list of single given names (a "Paul Louis" string or item is two
 * names); date parts and `annee`/`mois` as integers.
 */

export type CriterionValue = string | number | readonly string[];
export type Criteria = ReadonlyMap<string, CriterionValue>;

const INTEGER_KEYS: ReadonlySet<string> = new Set(['anneeDateNaissance', 'moisDateNaissance', 'jourDateNaissance', 'annee', 'mois']);
const GIVEN_NAMES = 'prenoms';

export function normaliseText(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function normaliseGivenNames(names: readonly string[]): string[] {
  return names.flatMap((name) => normaliseText(name).split(' ')).filter((name) => name !== '');
}

/**
 * One criterion from a case file or a request; `undefined` when the value cannot be a criterion
 * (e.g. a non-numeric date part, or a value of an unexpected type).
 */
export function normaliseCriterion(key: string, value: unknown): CriterionValue | undefined {
  if (key === GIVEN_NAMES) {
    if (typeof value === 'string') return normaliseGivenNames([value]);
    if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) return normaliseGivenNames(value);
    return undefined;
  }
  if (INTEGER_KEYS.has(key)) {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    if (typeof value === 'string' && /^[0-9]{1,9}$/.test(value.trim())) return Number(value.trim());
    return undefined;
  }
  if (typeof value === 'string') return normaliseText(value);
  if (typeof value === 'number' && Number.isFinite(value)) return normaliseText(String(value));
  return undefined;
}

function sameValue(a: CriterionValue, b: CriterionValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => item === b[index]);
  }
  return a === b;
}

export interface Matchable {
  readonly name: string;
  readonly criteria: Criteria;
}

/**
 * The case whose criteria all hold in `request` and which has the most of them, ignoring the
 * criteria named in `ignored` (the FranceConnect modality ignores `nomUsage`, which FranceConnect
 * does not certify). `undefined` when none matches.
 */
export function bestMatch<T extends Matchable>(cases: readonly T[], request: Criteria, ignored: ReadonlySet<string> = new Set()): T | undefined {
  let best: T | undefined;
  let bestSize = 0;
  for (const candidate of cases) {
    let size = 0;
    let matches = true;
    for (const [key, expected] of candidate.criteria) {
      if (ignored.has(key)) continue;
      const given = request.get(key);
      if (given === undefined || !sameValue(expected, given)) {
        matches = false;
        break;
      }
      size += 1;
    }
    if (matches && size > bestSize) {
      best = candidate;
      bestSize = size;
    }
  }
  return best;
}
