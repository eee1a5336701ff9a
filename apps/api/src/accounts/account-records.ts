/**
 * Writes shared by the HTTP API and the CLI (plain functions on an EntityManager, so they run in
 * the caller's transaction and need no Nest container).
 */
import type { EntityManager } from 'typeorm';
import { AppError } from '@fcplat/common';
import { ApiTokenEntity, UserEntity, UserOneTimeTokenEntity, appendAudit, type AuditActor, type OneTimeTokenPurpose, type StaffRole } from '@fcplat/db';
import { API_TOKEN_PREFIX, hashToken, newToken } from '../auth/tokens.js';

export const INVITATION_TTL_MS = 72 * 60 * 60 * 1000;
export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;
/** Shown in token lists to recognise a token: `fcp_` and 8 random characters. */
export const API_TOKEN_DISPLAY_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 8;
export { API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS } from '@fcplat/domain';
export const MAX_ACTIVE_API_TOKENS = 20;

export function isUniqueViolation(error: unknown): boolean {
  const driverError = typeof error === 'object' && error && 'driverError' in error ? (error as { driverError: unknown }).driverError : error;
  return typeof driverError === 'object' && driverError !== null && (driverError as { code?: unknown }).code === '23505';
}

/** `UPDATE ... RETURNING` through TypeORM's raw query: it answers `[rows, affected]`. */
export async function updateReturning<T>(manager: EntityManager, sql: string, parameters: readonly unknown[]): Promise<T[]> {
  const [rows] = (await manager.query(sql, [...parameters])) as [T[], number];
  return rows;
}

/**
 * A new single-use link token for `userId`; any earlier unused token of the same purpose stops
 * working (the last e-mail sent is the only valid one). Returns the raw token, to be sent once.
 */
export async function issueOneTimeToken(
  manager: EntityManager,
  userId: string,
  purpose: OneTimeTokenPurpose,
  ttlMs: number,
): Promise<{ token: string; expiresAt: Date }> {
  await manager.query(`UPDATE user_one_time_token SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`, [userId, purpose]);
  const token = newToken();
  const expiresAt = new Date(Date.now() + ttlMs);
  await manager.getRepository(UserOneTimeTokenEntity).insert({ userId, purpose, tokenHash: hashToken(token), expiresAt });
  return { token, expiresAt };
}

/**
 * Consumes a link token: marks it used if it is unused and unexpired, and returns its user id;
 * null otherwise (unknown, expired, already used, or used by a concurrent request).
 */
export async function consumeOneTimeToken(manager: EntityManager, token: string, purpose: OneTimeTokenPurpose): Promise<string | null> {
  if (token.length > 200) return null;
  const rows = await updateReturning<{ user_id: string }>(
    manager,
    `UPDATE user_one_time_token SET used_at = now()
      WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
      RETURNING user_id`,
    [hashToken(token), purpose],
  );
  return rows[0]?.user_id ?? null;
}

/** The user a link token points to, without consuming it (to check the password policy first). */
export async function peekOneTimeToken(manager: EntityManager, token: string, purpose: OneTimeTokenPurpose): Promise<string | null> {
  if (token.length > 200) return null;
  const rows = (await manager.query(
    `SELECT user_id FROM user_one_time_token WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()`,
    [hashToken(token), purpose],
  )) as { user_id: string }[];
  return rows[0]?.user_id ?? null;
}

export interface NewAccount {
  readonly email: string;
  readonly displayName: string;
  readonly kind: 'staff' | 'client_admin';
  readonly staffRole: StaffRole | null;
  readonly tenantId: string | null;
}

/** Creates an invited account and its invitation token, with the audit row. CONFLICT if the e-mail is taken. */
export async function createInvitedAccount(
  manager: EntityManager,
  account: NewAccount,
  actor: AuditActor,
  requestId: string | null,
): Promise<{ user: UserEntity; token: string; expiresAt: Date }> {
  const taken = (await manager.query(`SELECT 1 FROM app_user WHERE email = $1`, [account.email])) as unknown[];
  if (taken.length > 0) throw emailTaken();
  let user: UserEntity;
  try {
    user = await manager.getRepository(UserEntity).save(manager.getRepository(UserEntity).create({ ...account, status: 'invited' }));
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  const { token, expiresAt } = await issueOneTimeToken(manager, user.id, 'invitation', INVITATION_TTL_MS);
  await appendAudit(manager, {
    actor,
    tenantId: account.tenantId,
    action: 'user.invited',
    target: { type: 'user', id: user.id },
    changes: { email: { after: account.email }, displayName: { after: account.displayName }, kind: { after: account.kind }, role: { after: account.staffRole }, status: { after: 'invited' } },
    requestId,
  });
  return { user, token, expiresAt };
}

/** A new invitation token for an account still `invited` (the previous link stops working). */
export async function renewInvitation(
  manager: EntityManager,
  user: Pick<UserEntity, 'id' | 'tenantId' | 'status'>,
  actor: AuditActor,
  requestId: string | null,
): Promise<{ token: string; expiresAt: Date }> {
  if (user.status !== 'invited') {
    throw new AppError('CONFLICT', { detail: 'Ce compte a déjà été activé : utilisez la réinitialisation du mot de passe.' });
  }
  const issued = await issueOneTimeToken(manager, user.id, 'invitation', INVITATION_TTL_MS);
  await appendAudit(manager, { actor, tenantId: user.tenantId, action: 'user.invitation_renewed', target: { type: 'user', id: user.id }, changes: {}, requestId });
  return issued;
}

export interface IssuedApiToken {
  readonly id: string;
  readonly name: string;
  /** The raw token: returned once, never stored. */
  readonly token: string;
  readonly prefix: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
}

/** A personal API token for a staff member, stored hashed, with its audit row. */
export async function issueApiToken(
  manager: EntityManager,
  userId: string,
  name: string,
  expiresInDays: number,
  actor: AuditActor,
  requestId: string | null,
): Promise<IssuedApiToken> {
  const [{ active }] = (await manager.query(
    `SELECT count(*)::int AS active FROM api_token WHERE user_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [userId],
  )) as [{ active: number }];
  if (active >= MAX_ACTIVE_API_TOKENS) {
    throw new AppError('CONFLICT', { detail: `Vous avez déjà ${MAX_ACTIVE_API_TOKENS} jetons actifs : révoquez-en un avant d’en créer un autre.` });
  }
  const token = newToken(API_TOKEN_PREFIX);
  const prefix = token.slice(0, API_TOKEN_DISPLAY_PREFIX_LENGTH);
  const expiresAt = new Date(Date.now() + expiresInDays * 24 * 60 * 60 * 1000);
  const result = await manager
    .createQueryBuilder()
    .insert()
    .into(ApiTokenEntity)
    .values({ userId, name, tokenHash: hashToken(token), tokenPrefix: prefix, expiresAt })
    .returning(['id', 'created_at'])
    .execute();
  const row = (result.raw as { id: string; created_at: Date }[])[0];
  if (!row) throw new Error('api_token insert returned no row');
  await appendAudit(manager, {
    actor,
    tenantId: null,
    action: 'api_token.created',
    target: { type: 'api_token', id: row.id },
    changes: { name: { after: name }, prefix: { after: prefix }, expiresAt: { after: expiresAt.toISOString() }, userId: { after: userId } },
    requestId,
  });
  return { id: row.id, name, token, prefix, createdAt: row.created_at, expiresAt };
}

function emailTaken(): AppError {
  return new AppError('CONFLICT', { detail: 'Un compte existe déjà avec cette adresse e-mail.' });
}
