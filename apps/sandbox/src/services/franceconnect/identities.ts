import { createHash } from 'node:crypto';
import { API_PARTICULIER_STAGING_IDENTITIES_CSV } from './data/api-particulier-staging-identities.js';
import { FC_V2_SANDBOX_CITIZENS_CSV } from './data/fc-v2-sandbox-citizens.js';

export const CITIZEN_COLUMNS = [
  'login',
  'password',
  'family_name',
  'preferred_username',
  'given_name',
  'gender',
  'email',
  'phone_number',
  'birthdate',
  'birthplace',
  'birthcountry',
  'country',
  'locality',
  'postal_code',
  'street_address',
] as const;

type CitizenColumn = (typeof CITIZEN_COLUMNS)[number];

/** Where a demo identity comes from (the picker shows them in two groups). */
export type IdentitySource = 'franceconnect' | 'api-particulier-staging';

export type DemoIdentity = Readonly<Record<CitizenColumn, string>> & { readonly source: IdentitySource };

/** The pivot identity (what FranceConnect certifies, and what `/checktoken` hands data providers). */
export interface PivotIdentity {
  readonly given_name: string;
  readonly given_name_array: readonly string[];
  readonly family_name: string;
  readonly birthdate: string;
  readonly gender: string;
  readonly birthplace: string;
  readonly birthcountry: string;
}

/** Identifier of the sandbox's mock identity provider, released by the `idp_id` scope. */
export const SANDBOX_IDP_ID = 'fip1-low';

/**
 * Parses the mock identity provider's CSV (no quoting in these files: a field never holds a
 * comma). The header must be the expected one; blank lines are skipped; a malformed row throws,
 * since the data ships with the code.
 */
export function parseCitizensCsv(csv: string, source: IdentitySource): DemoIdentity[] {
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  const [header, ...rows] = lines;
  if (header !== CITIZEN_COLUMNS.join(',')) throw new Error(`Unexpected citizens CSV header: ${header ?? '(none)'}`);
  return rows.map((line, index) => {
    const fields = line.split(',');
    if (fields.length !== CITIZEN_COLUMNS.length) {
      throw new Error(`Citizens CSV row ${index + 2}: ${fields.length} fields instead of ${CITIZEN_COLUMNS.length}`);
    }
    const entries = CITIZEN_COLUMNS.map((column, i) => [column, (fields[i] ?? '').trim()] as const);
    const identity = Object.fromEntries(entries) as Record<CitizenColumn, string>;
    if (identity.login === '') throw new Error(`Citizens CSV row ${index + 2}: empty login`);
    return { ...identity, source };
  });
}

function indexByLogin(identities: readonly DemoIdentity[]): ReadonlyMap<string, DemoIdentity> {
  const byLogin = new Map<string, DemoIdentity>();
  for (const identity of identities) {
    const key = identity.login.normalize('NFC');
    if (byLogin.has(key)) throw new Error(`Duplicate demo login: ${identity.login}`);
    byLogin.set(key, identity);
  }
  return byLogin;
}

export const DEMO_IDENTITIES: readonly DemoIdentity[] = [
  ...parseCitizensCsv(FC_V2_SANDBOX_CITIZENS_CSV, 'franceconnect'),
  ...parseCitizensCsv(API_PARTICULIER_STAGING_IDENTITIES_CSV, 'api-particulier-staging'),
];

const BY_LOGIN = indexByLogin(DEMO_IDENTITIES);

export function findIdentity(login: string): DemoIdentity | undefined {
  return BY_LOGIN.get(login.normalize('NFC'));
}

export function pivotIdentity(identity: DemoIdentity): PivotIdentity {
  return {
    given_name: identity.given_name,
    given_name_array: identity.given_name.split(' ').filter((name) => name !== ''),
    family_name: identity.family_name,
    birthdate: identity.birthdate,
    gender: identity.gender,
    birthplace: identity.birthplace,
    birthcountry: identity.birthcountry,
  };
}

/**
 * Every claim the identity can release, by claim name (oidc-provider keeps those the scopes and
 * the `claims` parameter ask for). Pivot claims are always present, possibly empty (a foreign
 * birth has an empty `birthplace`, as at FranceConnect); other claims only when known.
 */
export function identityClaims(identity: DemoIdentity): Record<string, unknown> {
  const claims: Record<string, unknown> = { ...pivotIdentity(identity), idp_id: SANDBOX_IDP_ID, idp_birthdate: identity.birthdate, amr: ['pwd'] };
  if (identity.email !== '') claims.email = identity.email;
  if (identity.preferred_username !== '') claims.preferred_username = identity.preferred_username;
  return claims;
}

/** A stable digest of the pivot identity (FranceConnect derives its subjects from one). */
export function identityHash(identity: DemoIdentity): string {
  const pivot = pivotIdentity(identity);
  const serialized = JSON.stringify([pivot.given_name, pivot.family_name, pivot.birthdate, pivot.gender, pivot.birthplace, pivot.birthcountry]);
  return createHash('sha256').update(serialized, 'utf8').digest('hex');
}

/**
 * FranceConnect's pairwise subject: `sha256(entity + identityHash + secret)` in hex, suffixed
 * `v1` (66 characters). The entity is the client (service provider or data provider) id, so one
 * citizen has a different `sub` per client, stable for a given client.
 */
export function pairwiseSubject(entityId: string, identity: DemoIdentity, salt: string): string {
  return `${createHash('sha256').update(`${entityId}${identityHash(identity)}${salt}`, 'utf8').digest('hex')}v1`;
}

/** "24/08/1962" for "1962-08-24"; presumed dates keep their zeros ("00/11/1992"). */
export function frenchDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : isoDate;
}
