import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import type { DataSource, EntityManager } from 'typeorm';
import type { PlatformConfig } from '@fcplat/config';
import { csrfTokenOf } from '@fcplat/crypto';
import { UserEntity, UserSessionEntity } from '@fcplat/db';
import { consoleCsrfCookieName } from '@fcplat/domain';
import { secureCookies } from '../http/csrf.js';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, cookieValue } from '../auth/auth.service.js';
import { SESSION_COOKIE, hashToken, newToken } from '../auth/tokens.js';
import { DATA_SOURCE, PLATFORM_CONFIG } from '../infrastructure/tokens.js';

/** How long the password step stays valid while the user types the TOTP code (or scans the QR code). */
export const PENDING_SESSION_MS = 10 * 60 * 1000;
const MAX_USER_AGENT = 300;

/** The user behind a pending session, with the columns the second-factor step needs. */
export type PendingUser = Pick<
  UserEntity,
  'id' | 'email' | 'kind' | 'tenantId' | 'status' | 'totpSecretCiphertext' | 'totpEnabledAt' | 'totpLastTimeStep' | 'lockedUntil'
>;

export interface PendingSession {
  readonly sessionId: string;
  readonly user: PendingUser;
}

/**
 * Console sessions as seen by the accounts area: creating them (a "pending" one after the
 * password, a full one after the second factor, always with a new token), revoking them, and the
 * cookie. Resolving a full session on each request is the AuthService's job (auth/auth.service.ts);
 * resolving a pending one, which the AuthGuard refuses by design, is done here for the TOTP routes
 * only.
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /** A session that passed the password only: it reaches the TOTP routes and nothing else. */
  async createPending(manager: EntityManager, userId: string, userAgent: string | undefined): Promise<string> {
    return this.create(manager, userId, userAgent, false, PENDING_SESSION_MS, PENDING_SESSION_MS);
  }

  /** A session that passed both factors: idle 2 h (sliding, see AuthService), absolute 12 h. */
  async createFull(manager: EntityManager, userId: string, userAgent: string | undefined): Promise<string> {
    return this.create(manager, userId, userAgent, true, SESSION_IDLE_MS, SESSION_ABSOLUTE_MS);
  }

  /** The pending (password-only) session of the request's cookie, if valid and its user active. */
  async findPending(headers: IncomingHttpHeaders): Promise<PendingSession | null> {
    const token = cookieValue(headers, SESSION_COOKIE);
    if (!token || token.length > 200) return null;
    const row = await this.dataSource
      .getRepository(UserSessionEntity)
      .createQueryBuilder('s')
      .innerJoinAndMapOne('s.user', UserEntity, 'u', 'u.id = s.user_id')
      .addSelect('u.totpSecretCiphertext')
      .where('s.token_hash = :hash', { hash: hashToken(token) })
      .andWhere('s.revoked_at IS NULL')
      .andWhere('NOT s.second_factor_passed')
      .andWhere('s.idle_expires_at > now()')
      .andWhere('s.absolute_expires_at > now()')
      .andWhere(`u.status = 'active'`)
      .getOne();
    const user = (row as (UserSessionEntity & { user?: UserEntity }) | null)?.user;
    return row && user ? { sessionId: row.id, user } : null;
  }

  /**
   * Revokes a session if it is still live; false when it was not (already revoked, or used by a
   * concurrent request), so the same pending session never yields two full sessions.
   */
  async revoke(manager: EntityManager, sessionId: string): Promise<boolean> {
    const [, affected] = (await manager.query(`UPDATE user_session SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [sessionId])) as [unknown, number];
    return affected === 1;
  }

  /** Revokes the session of a raw cookie token, whatever its state (logout, a new login). */
  async revokeToken(token: string): Promise<void> {
    if (token.length > 200) return;
    await this.dataSource.query(`UPDATE user_session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, [hashToken(token)]);
  }

  /** Revokes every live session of a user; returns how many. */
  async revokeAllOf(manager: EntityManager, userId: string): Promise<number> {
    const [, affected] = (await manager.query(`UPDATE user_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId])) as [unknown, number];
    return affected;
  }

  cookieToken(headers: IncomingHttpHeaders): string | null {
    return cookieValue(headers, SESSION_COOKIE);
  }

  /**
   * `fcplat_session`: HttpOnly, SameSite=Lax, Path=/, Secure in production (SR-11); with it, the
   * CSRF cookie the console's script reads, holding the token derived from this session
   * (http/csrf.ts): every state-changing call made with the session cookie must carry it.
   */
  setCookie(res: Response, token: string, maxAgeMs: number): void {
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: this.config.isProduction, path: '/', maxAge: maxAgeMs });
    res.cookie(consoleCsrfCookieName(secureCookies(this.config)), csrfTokenOf(token), { ...this.csrfCookieOptions(), maxAge: maxAgeMs });
  }

  clearCookie(res: Response): void {
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: this.config.isProduction, path: '/' });
    res.clearCookie(consoleCsrfCookieName(secureCookies(this.config)), this.csrfCookieOptions());
  }

  private csrfCookieOptions() {
    return { httpOnly: false, sameSite: 'strict' as const, secure: secureCookies(this.config), path: '/' };
  }

  private async create(
    manager: EntityManager,
    userId: string,
    userAgent: string | undefined,
    secondFactorPassed: boolean,
    idleMs: number,
    absoluteMs: number,
  ): Promise<string> {
    const token = newToken();
    const now = Date.now();
    await manager.getRepository(UserSessionEntity).insert({
      tokenHash: hashToken(token),
      userId,
      secondFactorPassed,
      idleExpiresAt: new Date(now + idleMs),
      absoluteExpiresAt: new Date(now + absoluteMs),
      userAgent: userAgent ? userAgent.slice(0, MAX_USER_AGENT) : null,
    });
    return token;
  }
}
