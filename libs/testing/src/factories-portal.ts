import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashToken, newToken, parseKeyring, SecretBox } from '@fcplat/crypto';
import { citizenBindingCookieName, citizenSessionCookieName, type FranceConnectEnvironment } from '@fcplat/domain';
import { TEST_SECRETS_KEYS } from './environment.js';
import {
  CitizenEntity,
  CitizenFranceConnectIdentityEntity,
  CitizenSessionEntity,
  type CitizenFranceConnectPurpose,
  type CitizenSessionSource,
  type PivotIdentity,
} from '@fcplat/db';

/**
 * Factories of the portal area: citizens, their FranceConnect links, sessions and pending
 * reconciliations, written straight to the database (test set-up, no audit).
 */

let counter = 0;
const unique = (): string => `${process.pid.toString(36)}${Date.now().toString(36)}${(counter += 1)}${randomBytes(2).toString('hex')}`;

/** A pivot identity (Angela Claire Louise DUBOIS, FranceConnect's sandbox citizen `test`) with optional changes. */
export function samplePivotIdentity(overrides: Partial<PivotIdentity> = {}): PivotIdentity {
  return {
    familyName: 'DUBOIS',
    givenNames: 'Angela Claire Louise',
    birthdate: '1962-08-24',
    birthplace: '75107',
    birthcountry: '99100',
    gender: 'female',
    ...overrides,
  };
}

export interface MakeCitizenOptions {
  readonly email?: string | null;
  /** An argon2id hash (the API's `hashPassword`); none: the account cannot log in with a password. */
  readonly passwordHash?: string | null;
  readonly usageName?: string | null;
  /** The pivot identity and where it comes from. */
  readonly identity?: PivotIdentity & { readonly source: 'franceconnect' | 'local' };
}

export async function makeCitizen(dataSource: DataSource, tenantId: string, options: MakeCitizenOptions = {}): Promise<CitizenEntity> {
  const { identity } = options;
  const inserted = await dataSource
    .getRepository(CitizenEntity)
    .createQueryBuilder()
    .insert()
    .values({
      tenantId,
      email: options.email === undefined ? `citoyen-${unique()}@exemple.test` : options.email,
      passwordHash: options.passwordHash ?? null,
      usageName: options.usageName ?? null,
      identitySource: identity?.source ?? null,
      familyName: identity?.familyName ?? null,
      givenNames: identity?.givenNames ?? null,
      birthdate: identity?.birthdate ?? null,
      birthplace: identity?.birthplace ?? null,
      birthcountry: identity?.birthcountry ?? null,
      gender: identity?.gender ?? null,
    })
    .returning(['id'])
    .execute();
  const id = (inserted.raw as { id: string }[])[0]?.id;
  if (!id) throw new Error('INSERT returned no row');
  return dataSource.getRepository(CitizenEntity).findOneByOrFail({ id });
}

/** Links a FranceConnect identity (issuer, sub) to a citizen; a random pairwise-looking `sub` by default. */
export async function linkCitizenToFranceConnect(
  dataSource: DataSource,
  citizen: Pick<CitizenEntity, 'id' | 'tenantId'>,
  link: { issuer?: string; sub?: string } = {},
): Promise<{ issuer: string; sub: string }> {
  const issuer = link.issuer ?? 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2';
  const sub = link.sub ?? `${randomBytes(32).toString('hex')}v1`;
  await dataSource.getRepository(CitizenFranceConnectIdentityEntity).insert({ tenantId: citizen.tenantId, citizenId: citizen.id, issuer, sub });
  return { issuer, sub };
}

export interface CitizenSessionOptions {
  readonly source?: CitizenSessionSource;
  /** A FranceConnect authentication held by the session. */
  readonly franceConnect?: {
    readonly issuer: string;
    /** Default `custom` (the sandbox provider). */
    readonly environment?: FranceConnectEnvironment;
    readonly sub: string;
    readonly authenticatedAt: Date;
    readonly purpose?: CitizenFranceConnectPurpose;
    readonly scopes?: readonly string[];
    /** Already encrypted the way the API does (`SecretBox`, field `citizen_session.fc_id_token`). */
    readonly idTokenCiphertext?: string;
    /** A FranceConnect access token (stored encrypted with the test keyring, as the API does) and its end of life. */
    readonly accessToken?: string;
    readonly accessTokenExpiresAt?: Date;
  };
  readonly idleExpiresAt?: Date;
  readonly absoluteExpiresAt?: Date;
}

/** A live citizen session; returns the `Cookie` header value `fcplat_citizen_<slug>=<token>` (the cookie of the citizen's portal, over http). */
export async function makeCitizenSession(dataSource: DataSource, citizen: Pick<CitizenEntity, 'id' | 'tenantId'>, options: CitizenSessionOptions = {}): Promise<string> {
  const token = newToken();
  const now = Date.now();
  const fc = options.franceConnect;
  await dataSource.getRepository(CitizenSessionEntity).insert({
    tokenHash: hashToken(token),
    tenantId: citizen.tenantId,
    citizenId: citizen.id,
    source: options.source ?? (fc ? 'franceconnect' : 'password'),
    idleExpiresAt: options.idleExpiresAt ?? new Date(now + 15 * 60_000),
    absoluteExpiresAt: options.absoluteExpiresAt ?? new Date(now + 12 * 3600_000),
    fcIssuer: fc?.issuer ?? null,
    // The platform's sandbox provider is a `custom` FranceConnect environment.
    fcEnvironment: fc ? (fc.environment ?? 'custom') : null,
    fcSub: fc?.sub ?? null,
    fcAuthenticatedAt: fc?.authenticatedAt ?? null,
    fcIdTokenCiphertext: fc?.idTokenCiphertext ?? null,
    fcPurpose: fc ? (fc.purpose ?? 'login') : null,
    fcScopes: fc?.scopes ? [...fc.scopes] : [],
    fcAccessTokenCiphertext: fc?.accessToken
      ? new SecretBox(parseKeyring(TEST_SECRETS_KEYS, 'test1')).encrypt(fc.accessToken, { tenantId: citizen.tenantId, field: 'citizen_session.fc_access_token' })
      : null,
    fcAccessTokenExpiresAt: fc?.accessToken ? (fc.accessTokenExpiresAt ?? new Date(now + 60_000)) : null,
  });
  const [tenant] = (await dataSource.query(`SELECT slug FROM tenant WHERE id = $1`, [citizen.tenantId])) as { slug: string }[];
  if (!tenant) throw new Error(`no tenant ${citizen.tenantId}`);
  return `${citizenSessionCookieName(tenant.slug, false)}=${token}`;
}

/** A browser-binding cookie value and its `Cookie` header form for the portal of `slug` (over http). */
export function makeBrowserBinding(slug = 'sans-portail'): { value: string; cookie: string; hash: string } {
  const value = newToken();
  return { value, cookie: `${citizenBindingCookieName(slug, false)}=${value}`, hash: hashToken(value) };
}

/** A FranceConnect identity waiting for the citizen's confirmation, bound to `bindingHash` (see {@link makeBrowserBinding}). */
export async function makePendingReconciliation(
  dataSource: DataSource,
  citizen: Pick<CitizenEntity, 'id' | 'tenantId'>,
  input: { issuer?: string; sub?: string; identity?: PivotIdentity; bindingHash: string; fcAuthenticatedAt?: Date; expiresAt?: Date },
): Promise<{ issuer: string; sub: string }> {
  const issuer = input.issuer ?? 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2';
  const sub = input.sub ?? `${randomBytes(32).toString('hex')}v1`;
  const authenticatedAt = input.fcAuthenticatedAt ?? new Date();
  await dataSource.query(
    `INSERT INTO citizen_reconciliation (tenant_id, citizen_id, issuer, sub, identity, binding_hash, fc_authenticated_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [citizen.tenantId, citizen.id, issuer, sub, JSON.stringify(input.identity ?? samplePivotIdentity()), input.bindingHash, authenticatedAt, input.expiresAt ?? new Date(authenticatedAt.getTime() + 30 * 60_000)],
  );
  return { issuer, sub };
}
