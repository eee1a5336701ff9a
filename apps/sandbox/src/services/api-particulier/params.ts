/**
 * Query parameters of the data routes, checked as API Particulier's OpenAPI v3 describes them,
 * then turned into matching criteria. Refusals are 422s in the API's format naming the parameter:
 * `00366` for civility (and the quotient familial's `annee`/`mois`), `00360` for `ine`.
 * Parameters a route does not take are ignored, as the real API does.
 */
import type { IdentityRules } from './catalogue.js';
import { apiErrors } from './errors.js';
import type { FranceConnectIdentity } from './franceconnect-tokens.js';
import { normaliseCriterion, type CriterionValue } from './matching.js';

const FRANCE = '99100';
const MAX_TEXT = 100;
const COUNTRY = /^[0-9]{5}$/;
const COMMUNE = /^[0-9][0-9AB][0-9]{3}$/i;
const DEPARTMENT = /^(?:[0-9]{2,3}|2[AB])$/i;
const DIGITS = /^[0-9]{1,4}$/;
const INE = /^[0-9a-zA-Z]{11}$/;

/** One value of a scalar parameter: absent when missing or empty, refused when repeated. */
function scalar(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) throw apiErrors.civility(name, `le paramètre ${name} est répété`);
  const value = values[0]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function text(query: URLSearchParams, name: string, required: boolean): string | undefined {
  const value = scalar(query, name);
  if (value === undefined) {
    if (required) throw apiErrors.civility(name, `le paramètre ${name} est obligatoire`);
    return undefined;
  }
  if (value.length > MAX_TEXT) throw apiErrors.civility(name, `le paramètre ${name} dépasse ${MAX_TEXT} caractères`);
  return value;
}

function integer(query: URLSearchParams, name: string, required: boolean, min: number, max: number): number | undefined {
  const value = scalar(query, name);
  if (value === undefined) {
    if (required) throw apiErrors.civility(name, `le paramètre ${name} est obligatoire`);
    return undefined;
  }
  const number = DIGITS.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max)) throw apiErrors.civility(name, `le paramètre ${name} doit être un nombre entier entre ${min} et ${max}`);
  return number;
}

function coded(query: URLSearchParams, name: string, pattern: RegExp, expected: string, required = false): string | undefined {
  const value = scalar(query, name);
  if (value === undefined) {
    if (required) throw apiErrors.civility(name, `le paramètre ${name} est obligatoire`);
    return undefined;
  }
  if (!pattern.test(value)) throw apiErrors.civility(name, `le paramètre ${name} doit être ${expected}`);
  return value.toUpperCase();
}

/** `prenoms[]=A&prenoms[]=B` (the API's form) or `prenoms=A`: 1 to 3 non-empty given names. */
function givenNames(query: URLSearchParams): string[] {
  const names = [...query.getAll('prenoms[]'), ...query.getAll('prenoms')].map((name) => name.trim());
  if (names.length === 0) throw apiErrors.civility('prenoms[]', 'au moins un prénom est obligatoire (prenoms[])');
  if (names.length > 3) throw apiErrors.civility('prenoms[]', 'trois prénoms au plus (prenoms[])');
  if (names.some((name) => name === '')) throw apiErrors.civility('prenoms[]', 'un prénom est vide (prenoms[])');
  if (names.some((name) => name.length > MAX_TEXT)) throw apiErrors.civility('prenoms[]', `un prénom dépasse ${MAX_TEXT} caractères (prenoms[])`);
  return names;
}

function put(criteria: Map<string, CriterionValue>, key: string, value: unknown): void {
  if (value === undefined) return;
  const criterion = normaliseCriterion(key, value);
  if (criterion !== undefined) criteria.set(key, criterion);
}

/** The citizen's pivot identity of an `/identite` call, checked against the route's rules. */
export function identityCriteria(query: URLSearchParams, rules: IdentityRules, currentYear: number): Map<string, CriterionValue> {
  const criteria = new Map<string, CriterionValue>();
  put(criteria, 'nomNaissance', text(query, 'nomNaissance', true));
  if (rules.usageName) put(criteria, 'nomUsage', text(query, 'nomUsage', false));
  put(criteria, 'prenoms', givenNames(query));

  const full = rules.fullBirthDateRequired;
  const year = integer(query, 'anneeDateNaissance', full, 1800, currentYear);
  put(criteria, 'anneeDateNaissance', year);
  put(criteria, 'moisDateNaissance', integer(query, 'moisDateNaissance', full, 1, 12));
  put(criteria, 'jourDateNaissance', integer(query, 'jourDateNaissance', full, 1, 31));

  const sex = scalar(query, 'sexeEtatCivil');
  if (sex === undefined) {
    if (rules.sexRequired) throw apiErrors.civility('sexeEtatCivil', 'le paramètre sexeEtatCivil est obligatoire (M ou F)');
  } else if (sex !== 'M' && sex !== 'F') {
    throw apiErrors.civility('sexeEtatCivil', 'le paramètre sexeEtatCivil doit valoir M ou F');
  }
  put(criteria, 'sexeEtatCivil', sex);

  const commune = coded(query, 'codeCogInseeCommuneNaissance', COMMUNE, 'un code COG Insee de 5 caractères');
  const communeName = text(query, 'nomCommuneNaissance', false);
  const department = coded(query, 'codeCogInseeDepartementNaissance', DEPARTMENT, 'un code de département Insee de 2 ou 3 caractères');
  put(criteria, 'codeCogInseeCommuneNaissance', commune);
  put(criteria, 'nomCommuneNaissance', communeName);
  put(criteria, 'codeCogInseeDepartementNaissance', department);

  if (rules.country) {
    const country = coded(query, 'codeCogInseePaysNaissance', COUNTRY, 'un code COG Insee de pays de 5 chiffres (99100 pour la France)', true);
    put(criteria, 'codeCogInseePaysNaissance', country);
    if (country === FRANCE && commune === undefined) {
      if (communeName === undefined || department === undefined) {
        throw apiErrors.civility(
          'codeCogInseeCommuneNaissance',
          'pour une naissance en France, indiquez codeCogInseeCommuneNaissance, ou nomCommuneNaissance avec codeCogInseeDepartementNaissance et anneeDateNaissance',
        );
      }
      if (year === undefined) throw apiErrors.civility('anneeDateNaissance', 'anneeDateNaissance est obligatoire avec nomCommuneNaissance');
    }
  }
  return criteria;
}

/** The quotient familial's optional `annee` and `mois` (the QF of a past month). */
export function periodCriteria(query: URLSearchParams, currentYear: number): Map<string, CriterionValue> {
  const criteria = new Map<string, CriterionValue>();
  put(criteria, 'annee', integer(query, 'annee', false, 2000, currentYear + 1));
  put(criteria, 'mois', integer(query, 'mois', false, 1, 12));
  return criteria;
}

/** `ine` of the `/ine` routes: 11 letters or digits (OpenAPI `^[0-9a-zA-Z]{11}$`). */
export function ineCriteria(query: URLSearchParams): Map<string, CriterionValue> {
  const values = query.getAll('ine');
  if (values.length > 1) throw apiErrors.ine('le paramètre ine est répété');
  const ine = values[0]?.trim() ?? '';
  if (ine === '') throw apiErrors.ine('le paramètre ine est obligatoire');
  if (!INE.test(ine)) throw apiErrors.ine('l’INE compte 11 chiffres ou lettres');
  return new Map<string, CriterionValue>([['ine', ine.toUpperCase()]]);
}

const BIRTHDATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const SEX_OF_GENDER: Readonly<Record<string, string>> = { male: 'M', female: 'F' };

/**
 * The pivot identity FranceConnect certified, as the criteria an `/identite` call would carry:
 * `family_name` → nomNaissance, given names → prenoms, birthdate → date parts (a presumed `00`
 * part is left out), `gender` → sexeEtatCivil, `birthplace` → codeCogInseeCommuneNaissance,
 * `birthcountry` → codeCogInseePaysNaissance. FranceConnect has no usage name.
 */
export function franceConnectCriteria(identity: FranceConnectIdentity): Map<string, CriterionValue> {
  const criteria = new Map<string, CriterionValue>();
  if (identity.family_name.trim() !== '') put(criteria, 'nomNaissance', identity.family_name);
  const names = identity.given_name_array.filter((name) => name.trim() !== '');
  if (names.length > 0) put(criteria, 'prenoms', names);
  const date = BIRTHDATE.exec(identity.birthdate);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (year > 0) put(criteria, 'anneeDateNaissance', year);
    if (month > 0) put(criteria, 'moisDateNaissance', month);
    if (month > 0 && day > 0) put(criteria, 'jourDateNaissance', day);
  }
  put(criteria, 'sexeEtatCivil', SEX_OF_GENDER[identity.gender]);
  if (identity.birthplace.trim() !== '') put(criteria, 'codeCogInseeCommuneNaissance', identity.birthplace);
  if (identity.birthcountry.trim() !== '') put(criteria, 'codeCogInseePaysNaissance', identity.birthcountry);
  return criteria;
}
