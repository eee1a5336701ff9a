/**
 * The citizen's pivot identity as API Particulier's `/identite` routes take it, its validation
 * per API (the routes do not all require the same fields, per the OpenAPI description), and the
 * INE check. Validation runs before anything is queued: a bad batch line is reported, never sent.
 */
import type { ApiParticulierApi } from '@fcplat/domain';

export interface PivotIdentity {
  /** Birth name (`nomNaissance`). */
  readonly nomNaissance: string;
  readonly nomUsage?: string | undefined;
  /** 1 to 3 given names, in order. */
  readonly prenoms: readonly string[];
  readonly anneeDateNaissance?: number | undefined;
  readonly moisDateNaissance?: number | undefined;
  readonly jourDateNaissance?: number | undefined;
  readonly sexeEtatCivil?: 'M' | 'F' | undefined;
  /** INSEE COG code of the birth country, `99100` for France. */
  readonly codeCogInseePaysNaissance?: string | undefined;
  readonly codeCogInseeCommuneNaissance?: string | undefined;
  readonly nomCommuneNaissance?: string | undefined;
  readonly codeCogInseeDepartementNaissance?: string | undefined;
}

export interface IdentityProblem {
  readonly field: keyof PivotIdentity | 'ine';
  readonly message: string;
}

interface Requirements {
  readonly sex: boolean;
  readonly country: boolean;
  readonly fullBirthDate: boolean;
}

/** Required parameters of each API's `/identite` route (OpenAPI `required: true`). */
const REQUIREMENTS: Readonly<Record<ApiParticulierApi, Requirements>> = {
  quotient_familial: { sex: true, country: true, fullBirthDate: false },
  complementaire_sante_solidaire: { sex: true, country: true, fullBirthDate: false },
  statut_etudiant: { sex: true, country: false, fullBirthDate: true },
  statut_etudiant_boursier: { sex: false, country: false, fullBirthDate: true },
};

const COG = /^[0-9][0-9AB][0-9]{3}$/;
const DEPARTMENT = /^(?:[0-9]{2}|2A|2B|97[1-6])$/;
const FRANCE = '99100';

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function checkPivotIdentity(api: ApiParticulierApi, identity: PivotIdentity, today: Date = new Date()): IdentityProblem[] {
  const rules = REQUIREMENTS[api];
  const problems: IdentityProblem[] = [];
  const text = (value: string | undefined): boolean => typeof value === 'string' && value.trim() !== '';
  if (!text(identity.nomNaissance)) problems.push({ field: 'nomNaissance', message: 'Le nom de naissance est obligatoire.' });
  else if (identity.nomNaissance.length > 100) problems.push({ field: 'nomNaissance', message: 'Le nom de naissance est trop long (100 caractères au plus).' });
  const givenNames = identity.prenoms.filter((p) => text(p));
  if (givenNames.length === 0) problems.push({ field: 'prenoms', message: 'Au moins un prénom est obligatoire.' });
  if (identity.prenoms.length > 3) problems.push({ field: 'prenoms', message: 'Trois prénoms au plus.' });
  if (givenNames.some((p) => p.length > 100)) problems.push({ field: 'prenoms', message: 'Un prénom est trop long (100 caractères au plus).' });
  if (identity.sexeEtatCivil !== undefined && identity.sexeEtatCivil !== 'M' && identity.sexeEtatCivil !== 'F') {
    problems.push({ field: 'sexeEtatCivil', message: 'Le sexe doit être M ou F.' });
  } else if (rules.sex && identity.sexeEtatCivil === undefined) {
    problems.push({ field: 'sexeEtatCivil', message: 'Le sexe (M ou F) est obligatoire.' });
  }

  const { anneeDateNaissance: year, moisDateNaissance: month, jourDateNaissance: day } = identity;
  if (year !== undefined && (!Number.isInteger(year) || year < 1900 || year > today.getUTCFullYear())) {
    problems.push({ field: 'anneeDateNaissance', message: 'L’année de naissance est invalide.' });
  }
  if (month !== undefined && (!Number.isInteger(month) || month < 1 || month > 12)) {
    problems.push({ field: 'moisDateNaissance', message: 'Le mois de naissance doit être compris entre 1 et 12.' });
  }
  if (day !== undefined) {
    const max = year !== undefined && month !== undefined && Number.isInteger(year) && Number.isInteger(month) ? daysInMonth(year, month) : 31;
    if (!Number.isInteger(day) || day < 1 || day > max) problems.push({ field: 'jourDateNaissance', message: 'Le jour de naissance est invalide.' });
  }
  if (day !== undefined && month === undefined) problems.push({ field: 'moisDateNaissance', message: 'Le mois de naissance est obligatoire quand le jour est donné.' });
  if (month !== undefined && year === undefined) problems.push({ field: 'anneeDateNaissance', message: 'L’année de naissance est obligatoire quand le mois est donné.' });
  if (rules.fullBirthDate && (year === undefined || month === undefined || day === undefined)) {
    problems.push({ field: 'anneeDateNaissance', message: 'La date de naissance complète est obligatoire.' });
  }
  if (year !== undefined && month !== undefined && day !== undefined && Date.UTC(year, month - 1, day) > today.getTime()) {
    problems.push({ field: 'anneeDateNaissance', message: 'La date de naissance est dans le futur.' });
  }

  const country = identity.codeCogInseePaysNaissance;
  if (country !== undefined && !/^99[0-9]{3}$/.test(country)) {
    problems.push({ field: 'codeCogInseePaysNaissance', message: 'Le code pays de naissance doit compter 5 chiffres commençant par 99 (99100 pour la France).' });
  } else if (rules.country && country === undefined) {
    problems.push({ field: 'codeCogInseePaysNaissance', message: 'Le code pays de naissance est obligatoire (99100 pour la France).' });
  }
  const commune = identity.codeCogInseeCommuneNaissance;
  if (commune !== undefined && !COG.test(commune)) {
    problems.push({ field: 'codeCogInseeCommuneNaissance', message: 'Le code commune de naissance doit compter 5 caractères (code INSEE).' });
  }
  const department = identity.codeCogInseeDepartementNaissance;
  if (department !== undefined && !DEPARTMENT.test(department)) {
    problems.push({ field: 'codeCogInseeDepartementNaissance', message: 'Le code département de naissance est invalide.' });
  }
  const bornInFrance = country === undefined ? !rules.country : country === FRANCE;
  if (bornInFrance && rules.country && commune === undefined && !(text(identity.nomCommuneNaissance) && department !== undefined)) {
    problems.push({
      field: 'codeCogInseeCommuneNaissance',
      message: 'Pour une naissance en France, indiquez le code commune de naissance, ou le nom de la commune et le département.',
    });
  }
  if (text(identity.nomCommuneNaissance) && commune === undefined && year === undefined) {
    problems.push({ field: 'anneeDateNaissance', message: 'L’année de naissance est obligatoire avec le nom de la commune de naissance.' });
  }
  return problems;
}

const INE = /^(?:[0-9]{10}[A-Z]|[0-9]{9}[A-Z]{2})$/;

/** Identifiant national étudiant: 10 digits + 1 letter, or 9 digits + 2 letters. */
export function checkIne(ine: string): IdentityProblem[] {
  return INE.test(ine) ? [] : [{ field: 'ine', message: 'L’INE doit compter 11 caractères : 10 chiffres et une lettre, ou 9 chiffres et deux lettres.' }];
}

/** Query parameters of an `/identite` call, in the API's own names (`prenoms[]` repeated). */
export function pivotIdentityQuery(identity: PivotIdentity): [string, string][] {
  const entries: [string, string][] = [['nomNaissance', identity.nomNaissance.trim()]];
  if (identity.nomUsage?.trim()) entries.push(['nomUsage', identity.nomUsage.trim()]);
  for (const name of identity.prenoms) if (name.trim() !== '') entries.push(['prenoms[]', name.trim()]);
  const optional: (keyof PivotIdentity)[] = [
    'anneeDateNaissance',
    'moisDateNaissance',
    'jourDateNaissance',
    'sexeEtatCivil',
    'codeCogInseePaysNaissance',
    'codeCogInseeCommuneNaissance',
    'nomCommuneNaissance',
    'codeCogInseeDepartementNaissance',
  ];
  for (const key of optional) {
    const value = identity[key];
    if (value !== undefined && value !== '') entries.push([key, String(value).trim()]);
  }
  return entries;
}
