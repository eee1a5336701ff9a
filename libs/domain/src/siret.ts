/**
 * SIRET and SIREN checks (INSEE identifiers of French organisations and their establishments).
 *
 * - SIREN: 9 digits, Luhn checksum.
 * - SIRET: 14 digits = SIREN (9) + NIC (5), Luhn checksum over all 14 digits.
 * - La Poste exception: the establishments of SIREN `356000000` do not follow Luhn; they are valid
 *   when the sum of their 14 digits is a multiple of 5 (the head office `35600000000048` happens to
 *   be Luhn-valid too). Sources: INSEE rules as summarised in docs/domain.md §4.
 *
 * Input is never silently cleaned: `"130 025 265 00013"` is reported as invalid (like DataPass and
 * API Particulier, which refuse anything but `^\d{14}$`). The UI may offer {@link suggestSiret} to
 * propose the cleaned value to the user. Messages are French because they reach console users.
 */
import { validationError } from '@fcplat/common';

/** Why a value is not a valid SIRET/SIREN, from the most basic problem to the checksum. */
export type IdentifierInvalidReason =
  /** Not a string at all (null, number...). */
  | 'not_a_string'
  /** Empty string. */
  | 'empty'
  /** Contains spaces, tabs or non-breaking spaces (a common copy-paste artefact). */
  | 'whitespace'
  /** Contains characters other than the digits 0–9 (letters, dots, dashes...). */
  | 'non_digit'
  /** Only digits, but not the expected count. */
  | 'wrong_length'
  /** Only zeros: passes Luhn but is never allocated. */
  | 'all_zeros'
  /** Right shape, wrong check digit. */
  | 'checksum';

export interface IdentifierInvalid {
  readonly valid: false;
  readonly reason: IdentifierInvalidReason;
  /** French sentence fit for a form error. */
  readonly message: string;
}

/** Which rule accepted a SIRET: plain Luhn, or the La Poste "sum of digits multiple of 5" rule. */
export type SiretRule = 'luhn' | 'la_poste';

export interface SiretValid {
  readonly valid: true;
  readonly siret: string;
  readonly siren: string;
  /** Establishment number (5 digits, the last one being the check digit). */
  readonly nic: string;
  readonly rule: SiretRule;
}

export interface SirenValid {
  readonly valid: true;
  readonly siren: string;
}

export type SiretCheck = SiretValid | IdentifierInvalid;
export type SirenCheck = SirenValid | IdentifierInvalid;

/** SIREN of La Poste, whose establishments use the "sum of digits multiple of 5" rule. */
export const LA_POSTE_SIREN = '356000000';

const WHITESPACE = /\s/u;
const DIGITS_ONLY = /^[0-9]+$/;

/** Luhn checksum over a string of digits (weights 1, 2, 1, 2... from the right). */
export function luhnValid(digits: string): boolean {
  if (!DIGITS_ONLY.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function digitSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) sum += digits.charCodeAt(i) - 48;
  return sum;
}

function invalid(reason: IdentifierInvalidReason, message: string): IdentifierInvalid {
  return { valid: false, reason, message };
}

/** Shape checks shared by SIRET and SIREN; returns `null` when the value is `length` digits. */
function checkShape(value: unknown, name: 'SIRET' | 'SIREN', length: number): IdentifierInvalid | null {
  if (typeof value !== 'string') {
    return invalid('not_a_string', `Le ${name} doit être une chaîne de ${length} chiffres.`);
  }
  if (value.length === 0) return invalid('empty', `Le ${name} est obligatoire.`);
  if (WHITESPACE.test(value)) {
    return invalid('whitespace', `Le ${name} ne doit contenir que des chiffres, sans espace.`);
  }
  if (!DIGITS_ONLY.test(value)) {
    return invalid(
      'non_digit',
      `Le ${name} ne doit contenir que des chiffres (ni lettre, ni point, ni tiret).`,
    );
  }
  if (value.length !== length) {
    const plural = value.length > 1 ? 's' : '';
    return invalid(
      'wrong_length',
      `Le ${name} doit comporter ${length} chiffres (${value.length} chiffre${plural} saisi${plural}).`,
    );
  }
  if (digitSum(value) === 0) return invalid('all_zeros', `Le ${name} ne peut pas être composé uniquement de zéros.`);
  return null;
}

/**
 * Checks a SIRET exactly as given (no trimming). The result says which rule accepted it, or
 * precisely why it was refused.
 */
export function checkSiret(value: unknown): SiretCheck {
  const problem = checkShape(value, 'SIRET', 14);
  if (problem) return problem;
  const siret = value as string;
  const siren = siret.slice(0, 9);
  const nic = siret.slice(9);
  if (luhnValid(siret)) return { valid: true, siret, siren, nic, rule: 'luhn' };
  if (siren === LA_POSTE_SIREN && digitSum(siret) % 5 === 0) {
    return { valid: true, siret, siren, nic, rule: 'la_poste' };
  }
  return invalid(
    'checksum',
    'Ce numéro SIRET n’existe pas : la clé de contrôle est incorrecte (vérifiez chaque chiffre).',
  );
}

/** Checks a SIREN exactly as given (no trimming). */
export function checkSiren(value: unknown): SirenCheck {
  const problem = checkShape(value, 'SIREN', 9);
  if (problem) return problem;
  const siren = value as string;
  if (luhnValid(siren)) return { valid: true, siren };
  return invalid(
    'checksum',
    'Ce numéro SIREN n’existe pas : la clé de contrôle est incorrecte (vérifiez chaque chiffre).',
  );
}

export function isValidSiret(value: unknown): value is string {
  return checkSiret(value).valid;
}

export function isValidSiren(value: unknown): value is string {
  return checkSiren(value).valid;
}

/**
 * Returns `value` typed as a SIRET, or throws a `VALIDATION_FAILED` {@link AppError} whose single
 * violation is at `path` and carries the French reason.
 */
export function assertSiret(value: unknown, path = 'siret'): string {
  const result = checkSiret(value);
  if (!result.valid) throw validationError([{ path, message: result.message }]);
  return result.siret;
}

/** Same as {@link assertSiret} for a SIREN. */
export function assertSiren(value: unknown, path = 'siren'): string {
  const result = checkSiren(value);
  if (!result.valid) throw validationError([{ path, message: result.message }]);
  return result.siren;
}

/**
 * For the UI only: if removing whitespace (spaces, tabs, non-breaking spaces) from `input` yields a
 * valid SIRET different from the input, returns it so the form can offer « Vouliez-vous dire … ? ».
 * Returns `null` otherwise. Never use it to accept input silently on the server.
 */
export function suggestSiret(input: string): string | null {
  const compact = input.replace(/\s+/gu, '');
  if (compact === input) return null;
  return isValidSiret(compact) ? compact : null;
}

/** Human-readable grouping `130 025 265 00013` of a 14-digit SIRET (display only). */
export function formatSiret(siret: string): string {
  if (!/^[0-9]{14}$/.test(siret)) return siret;
  return `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}`;
}
