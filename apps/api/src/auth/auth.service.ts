import { Inject, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { DataSource } from 'typeorm';
import { ApiTokenEntity, UserEntity, UserSessionEntity } from '@fcplat/db';
import { readCookie } from '@fcplat/domain';
import { ChangeFeed, InvalidatedCache } from '../infrastructure/change-feed.js';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import type { Actor } from './actor.js';
import { API_TOKEN_PREFIX, SESSION_COOKIE, hashToken } from './tokens.js';

/** Console sessions: sliding idle timeout and absolute lifetime (SR-24). */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** `last_used_at` / `last_seen_at` are written at most this often, not on every request. */
const TOUCH_EVERY_MS = 60 * 1000;

export function cookieValue(headers: IncomingHttpHeaders, name: string): string | null {
  return readCookie(headers.cookie, name);
}

/** An API token as the guard needs it (cached: the secret itself is never kept, only its hash as the key). */
interface KnownApiToken {
  readonly id: string;
  readonly expiresAt: number | null;
  readonly actor: Actor & { kind: 'staff' };
  /** When `last_used_at` was last written, by this process (ms). */
  lastTouchedAt: number;
}

const MAX_CACHED_API_TOKENS = 1_000;
const API_TOKEN_TTL_MS = 5 * 60 * 1000;

/**
 * Resolves the caller of a request from `Authorization: Bearer` (API token) or the session cookie.
 * API tokens (scripts and integrations calling in a loop) are cached per process by their hash,
 * bounded, and dropped on any committed change of the token or its user — revocation, expiry
 * change, a user disabled or given another role — on any replica (`ChangeFeed`): the guard reads no
 * table for a known token, except `last_used_at` written at most once a minute.
 */
@Injectable()
export class AuthService {
  private readonly apiTokens: InvalidatedCache<string, KnownApiToken>;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    feed: ChangeFeed,
  ) {
    this.apiTokens = new InvalidatedCache(feed, { tables: ['api_token', 'app_user'], maxEntries: MAX_CACHED_API_TOKENS, ttlMs: API_TOKEN_TTL_MS });
  }

  async resolve(headers: IncomingHttpHeaders): Promise<Actor | null> {
    const authorization = headers.authorization;
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      return match?.[1] ? this.fromApiToken(match[1]) : null;
    }
    const sessionToken = cookieValue(headers, SESSION_COOKIE);
    return sessionToken ? this.fromSession(sessionToken) : null;
  }

  private async fromApiToken(token: string): Promise<Actor | null> {
    if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return null;
    const known = await this.apiTokens.get(hashToken(token), (hash) => this.loadApiToken(hash));
    if (!known || (known.expiresAt !== null && known.expiresAt <= Date.now())) return null;
    const now = Date.now();
    if (now - known.lastTouchedAt > TOUCH_EVERY_MS) {
      known.lastTouchedAt = now;
      await this.dataSource.getRepository(ApiTokenEntity).update({ id: known.id }, { lastUsedAt: new Date(now) });
    }
    return known.actor;
  }

  private async loadApiToken(hash: string): Promise<{ value: KnownApiToken; dependsOn: string } | null> {
    const row = await this.dataSource
      .getRepository(ApiTokenEntity)
      .createQueryBuilder('t')
      .innerJoinAndMapOne('t.user', UserEntity, 'u', 'u.id = t.user_id')
      .where('t.token_hash = :hash', { hash })
      .andWhere('t.revoked_at IS NULL')
      .andWhere('(t.expires_at IS NULL OR t.expires_at > now())')
      .getOne();
    const user = (row as (ApiTokenEntity & { user?: UserEntity }) | null)?.user;
    if (!row || !user || user.status !== 'active' || user.kind !== 'staff' || !user.staffRole) return null;
    const actor = Object.freeze({ kind: 'staff' as const, userId: user.id, email: user.email, role: user.staffRole, via: 'api_token' as const, sessionId: null });
    return {
      value: { id: row.id, expiresAt: row.expiresAt ? row.expiresAt.getTime() : null, actor, lastTouchedAt: row.lastUsedAt ? row.lastUsedAt.getTime() : 0 },
      dependsOn: user.id,
    };
  }

  private async fromSession(token: string): Promise<Actor | null> {
    if (token.length > 200) return null;
    const session = await this.dataSource
      .getRepository(UserSessionEntity)
      .createQueryBuilder('s')
      .innerJoinAndMapOne('s.user', UserEntity, 'u', 'u.id = s.user_id')
      .where('s.token_hash = :hash', { hash: hashToken(token) })
      .andWhere('s.revoked_at IS NULL')
      .andWhere('s.second_factor_passed')
      .andWhere('s.idle_expires_at > now()')
      .andWhere('s.absolute_expires_at > now()')
      .getOne();
    const user = (session as (UserSessionEntity & { user?: UserEntity }) | null)?.user;
    if (!session || !user || user.status !== 'active') return null;
    if (Date.now() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      const now = Date.now();
      await this.dataSource.getRepository(UserSessionEntity).update(
        { id: session.id },
        { lastSeenAt: new Date(now), idleExpiresAt: new Date(Math.min(now + SESSION_IDLE_MS, session.absoluteExpiresAt.getTime())) },
      );
    }
    if (user.kind === 'staff' && user.staffRole) {
      return { kind: 'staff', userId: user.id, email: user.email, role: user.staffRole, via: 'session', sessionId: session.id };
    }
    if (user.kind === 'client_admin' && user.tenantId) {
      return { kind: 'client_admin', userId: user.id, email: user.email, tenantId: user.tenantId, via: 'session', sessionId: session.id };
    }
    return null;
  }
}
