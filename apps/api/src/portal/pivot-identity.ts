import { CITIZEN_GENDERS, type CitizenGender, type PivotIdentity } from '@fcplat/db';

export type { PivotIdentity };

const text = (value: unknown, max: number): string | null => {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return trimmed.length > 0 ? trimmed.slice(0, max) : null;
};

/** `YYYY-MM-DD` (FranceConnect may send `00` for an unknown month or day), else null. */
const date = (value: unknown): string | null => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null);

const code = (value: unknown): string | null => (typeof value === 'string' && /^[0-9A-Za-z]{1,10}$/.test(value.trim()) ? value.trim().toUpperCase() : null);

const gender = (value: unknown): CitizenGender | null =>
  typeof value === 'string' && (CITIZEN_GENDERS as readonly string[]).includes(value) ? (value as CitizenGender) : null;

/** The pivot identity in FranceConnect's userinfo claims (docs/domain.md §1.5), bounded and normalised. */
export function pivotIdentityOfClaims(claims: Readonly<Record<string, unknown>>): PivotIdentity {
  return {
    familyName: text(claims.family_name, 200),
    givenNames: text(claims.given_name, 300),
    birthdate: date(claims.birthdate),
    birthplace: code(claims.birthplace),
    birthcountry: code(claims.birthcountry),
    gender: gender(claims.gender),
  };
}

/** The e-mail of the claims, lower-case, if it looks like one. */
export function emailOfClaims(claims: Readonly<Record<string, unknown>>): string | null {
  const value = claims.email;
  if (typeof value !== 'string') return null;
  const email = value.trim().toLowerCase();
  return email.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null;
}

/** Upper case, no accents, hyphens and apostrophes as spaces, single spaces: « Dubois-Lefèvre » ≡ « DUBOIS LEFEVRE ». */
function fold(value: string | null): string {
  return (value ?? '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[-'’‐]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Whether two pivot identities designate the same person (FC-11 automatic reconciliation, and
 * the data-retrieval check): birth name and first names (case, accents and separators aside),
 * birth date, sex, birth country and birth commune all equal. A missing birth name or birth date
 * on either side never matches.
 */
export function samePivotIdentity(a: PivotIdentity, b: PivotIdentity): boolean {
  if (!a.familyName || !b.familyName || !a.birthdate || !b.birthdate) return false;
  return (
    fold(a.familyName) === fold(b.familyName) &&
    fold(a.givenNames) === fold(b.givenNames) &&
    a.birthdate === b.birthdate &&
    (a.gender ?? '') === (b.gender ?? '') &&
    fold(a.birthcountry) === fold(b.birthcountry) &&
    fold(a.birthplace) === fold(b.birthplace)
  );
}
