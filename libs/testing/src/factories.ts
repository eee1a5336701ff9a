import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashToken, newToken } from '@fcplat/crypto';
import { ApiTokenEntity, TenantEntity, UserEntity, UserSessionEntity, type StaffRole } from '@fcplat/db';

let counter = 0;
function unique(): string {
  counter += 1;
  return `${process.pid.toString(36)}${Date.now().toString(36)}${counter}${randomBytes(2).toString('hex')}`;
}

/** A Luhn-valid SIRET that no real body uses (prefix 999), different at each call. */
export function fakeSiret(): string {
  const body = `999${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
  for (let check = 0; check <= 9; check += 1) {
    const candidate = `${body}${check}`;
    let sum = 0;
    for (let i = 0; i < 14; i += 1) {
      let digit = Number(candidate[13 - i]);
      if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

export async function makeTenant(dataSource: DataSource, overrides: Partial<TenantEntity> = {}): Promise<TenantEntity> {
  const id = unique();
  return dataSource.getRepository(TenantEntity).save({
    siret: fakeSiret(),
    slug: `commune-test-${id}`,
    name: `Commune de Test ${id}`,
    status: 'active',
    address: { postalCode: '75001', city: 'Paris' },
    ...overrides,
  });
}

export interface TestStaff {
  readonly user: UserEntity;
  /** `Authorization` header value of a personal API token. */
  readonly authorization: string;
}

export async function makeStaff(dataSource: DataSource, role: StaffRole = 'admin', overrides: Partial<UserEntity> = {}): Promise<TestStaff> {
  const user = await dataSource.getRepository(UserEntity).save({
    email: `staff-${unique()}@editeur.test`,
    displayName: `Agent ${role}`,
    kind: 'staff',
    staffRole: role,
    tenantId: null,
    status: 'active',
    ...overrides,
  });
  const token = newToken('fcp_');
  await dataSource.getRepository(ApiTokenEntity).insert({ userId: user.id, name: 'tests', tokenHash: hashToken(token), tokenPrefix: token.slice(0, 8) });
  return { user, authorization: `Bearer ${token}` };
}

export interface TestClientAdmin {
  readonly user: UserEntity;
  /** `Cookie` header value of a session that passed both factors. */
  readonly cookie: string;
}

export async function makeClientAdmin(dataSource: DataSource, tenantId: string, overrides: Partial<UserEntity> = {}): Promise<TestClientAdmin> {
  const user = await dataSource.getRepository(UserEntity).save({
    email: `admin-${unique()}@mairie.test`,
    displayName: 'Administrateur client',
    kind: 'client_admin',
    staffRole: null,
    tenantId,
    status: 'active',
    ...overrides,
  });
  return { user, cookie: await makeSessionCookie(dataSource, user.id) };
}

/** A session cookie for `userId` that passed the second factor. */
export async function makeSessionCookie(dataSource: DataSource, userId: string): Promise<string> {
  const token = newToken();
  const now = Date.now();
  await dataSource.getRepository(UserSessionEntity).insert({
    tokenHash: hashToken(token),
    userId,
    secondFactorPassed: true,
    idleExpiresAt: new Date(now + 3600_000),
    absoluteExpiresAt: new Date(now + 8 * 3600_000),
  });
  return `fcplat_session=${token}`;
}
