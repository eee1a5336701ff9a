import type { FranceConnectEnvironment } from '@fcplat/domain';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { DataSource, EntityManager } from 'typeorm';
import type { PlatformConfig } from '@fcplat/config';
import { SecretDecryptionError, csrfTokenOf, hashToken, newToken, type SecretBox } from '@fcplat/crypto';
import { citizenBindingCookieName, citizenCsrfCookieName, citizenSessionCookieName } from '@fcplat/domain';
import { CitizenSessionEntity, type CitizenFranceConnectPurpose, type CitizenSessionSource, type SqlRunner } from '@fcplat/db';
import { cookieValue } from '../auth/auth.service.js';
import { DATA_SOURCE, HOT_SQL, PLATFORM_CONFIG, SECRET_BOX } from '../infrastructure/tokens.js';

/**
 * Each portal has its own cookies (`@fcplat/domain`'s web-security names): the session
 * `fcplat_citizen_<slug>`, the browser binding of FranceConnect flows and reconciliations
 * `fcplat_binding_<slug>` (SR-02), and the CSRF token `fcplat_csrf_<slug>`; all `__Host-`
 * prefixed when the platform is served over https. Nothing done on one portal touches another.
 */
export interface PortalOfCookie {
  readonly slug: string;
}

export const CITIZEN_IDLE_MS = 15 * 60 * 1000;
export const CITIZEN_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** FranceConnect's session: a session opened by FranceConnect never outlives it without a new authentication (SR-11). */
export const FRANCECONNECT_SESSION_MS = 30 * 60 * 1000;
/** `last_seen_at` / `idle_expires_at` are written at most this often. */
const TOUCH_EVERY_MS = 30 * 1000;
const MAX_USER_AGENT = 300;
const MAX_COOKIE = 200;

export const ID_TOKEN_FIELD = 'citizen_session.fc_id_token';
export const ACCESS_TOKEN_FIELD = 'citizen_session.fc_access_token';

/** A FranceConnect authentication as a session keeps it. */
export interface SessionFranceConnect {
  readonly issuer: string;
  /** Null when not known (a reconciliation confirmed later): such a session carries no access token. */
  readonly environment: FranceConnectEnvironment | null;
  readonly sub: string;
  readonly authenticatedAt: Date;
  readonly idToken: string | null;
  readonly accessToken: string | null;
  readonly accessTokenExpiresAt: Date | null;
  readonly purpose: CitizenFranceConnectPurpose;
  readonly scopes: readonly string[];
}

export interface NewCitizenSession {
  readonly tenantId: string;
  readonly citizenId: string;
  readonly source: CitizenSessionSource;
  readonly franceConnect?: SessionFranceConnect;
  readonly userAgent: string | undefined;
}

/** The columns a new session row is given (the others take their defaults). */
export type NewSessionColumns = Pick<CitizenSessionEntity, 'tokenHash' | 'tenantId' | 'citizenId' | 'source' | 'idleExpiresAt' | 'absoluteExpiresAt' | 'userAgent'> &
  Partial<CitizenSessionEntity>;

/** The columns of a session as `resolve` reads them (not the ciphertexts: those are read when used). */
const SESSION_COLUMNS = [
  'id',
  'token_hash',
  'created_at',
  'last_seen_at',
  'idle_expires_at',
  'absolute_expires_at',
  'user_agent',
  'tenant_id',
  'citizen_id',
  'source',
  'fc_issuer',
  'fc_environment',
  'fc_sub',
  'fc_authenticated_at',
  'fc_access_token_expires_at',
  'fc_access_token_used_at',
  'fc_purpose',
  'fc_scopes',
  'data_retrieval_confirmed_at',
].join(', ');

interface SessionRow {
  id: string;
  token_hash: string;
  created_at: Date;
  last_seen_at: Date;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  user_agent: string | null;
  tenant_id: string;
  citizen_id: string;
  source: CitizenSessionSource;
  fc_issuer: string | null;
  fc_environment: FranceConnectEnvironment | null;
  fc_sub: string | null;
  fc_authenticated_at: Date | null;
  fc_access_token_expires_at: Date | null;
  fc_access_token_used_at: Date | null;
  fc_purpose: CitizenFranceConnectPurpose | null;
  fc_scopes: string[];
  data_retrieval_confirmed_at: Date | null;
  touched_last_seen_at: Date | null;
  touched_idle_expires_at: Date | null;
}

/** The entity of a row read by `resolve` (its touch applied); the ciphertexts stay unloaded, as with the ORM's default select. */
function sessionOfRow(row: SessionRow): CitizenSessionEntity {
  return Object.assign(new CitizenSessionEntity(), {
    id: row.id,
    tokenHash: row.token_hash,
    createdAt: row.created_at,
    lastSeenAt: row.touched_last_seen_at ?? row.last_seen_at,
    idleExpiresAt: row.touched_idle_expires_at ?? row.idle_expires_at,
    absoluteExpiresAt: row.absolute_expires_at,
    userAgent: row.user_agent,
    tenantId: row.tenant_id,
    citizenId: row.citizen_id,
    source: row.source,
    fcIssuer: row.fc_issuer,
    fcEnvironment: row.fc_environment,
    fcSub: row.fc_sub,
    fcAuthenticatedAt: row.fc_authenticated_at,
    fcAccessTokenExpiresAt: row.fc_access_token_expires_at,
    fcAccessTokenUsedAt: row.fc_access_token_used_at,
    fcPurpose: row.fc_purpose,
    fcScopes: row.fc_scopes,
    dataRetrievalConfirmedAt: row.data_retrieval_confirmed_at,
  });
}

/** End of the FranceConnect session of a session's last FranceConnect authentication, if any. */
export function franceConnectSessionEnd(session: Pick<CitizenSessionEntity, 'fcAuthenticatedAt'>): Date | null {
  return session.fcAuthenticatedAt ? new Date(session.fcAuthenticatedAt.getTime() + FRANCECONNECT_SESSION_MS) : null;
}

/**
 * Citizen sessions (SR-11): a random token in an HttpOnly, SameSite=Lax cookie (Secure outside
 * local development), only its SHA-256 stored; bound to one tenant (looked up with the tenant of
 * the URL, so a session of tenant A is worthless on tenant B); idle 15 min, absolute 12 h, and
 * for a session opened by FranceConnect, 30 minutes after that authentication. A new token at
 * every login; logout deletes the row.
 */
@Injectable()
export class CitizenSessionsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(HOT_SQL) private readonly hotSql: SqlRunner,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  /**
   * Creates a session (inside the caller's transaction) and returns its token for the cookie.
   * Expired sessions are purged by the worker (`apps/worker/src/sweeper.ts`), not here.
   */
  async create(manager: EntityManager, input: NewCitizenSession): Promise<{ token: string; absoluteExpiresAt: Date }> {
    const { token, absoluteExpiresAt, columns } = this.prepare(input);
    await manager.getRepository(CitizenSessionEntity).insert(columns);
    return { token, absoluteExpiresAt };
  }

  /**
   * A new session's token and row, not yet stored: for {@link create}, and for the FranceConnect
   * callback's single statement (`PortalFranceConnectService`).
   */
  prepare(input: NewCitizenSession): { token: string; absoluteExpiresAt: Date; columns: NewSessionColumns } {
    const token = newToken();
    const now = Date.now();
    const absolute = this.absoluteEnd(input.source, new Date(now), input.franceConnect?.authenticatedAt ?? null);
    const columns: NewSessionColumns = {
      tokenHash: hashToken(token),
      tenantId: input.tenantId,
      citizenId: input.citizenId,
      source: input.source,
      idleExpiresAt: new Date(Math.min(now + CITIZEN_IDLE_MS, absolute.getTime())),
      absoluteExpiresAt: absolute,
      userAgent: input.userAgent ? input.userAgent.slice(0, MAX_USER_AGENT) : null,
      ...(input.franceConnect ? this.franceConnectColumns(input.tenantId, input.franceConnect) : {}),
    };
    return { token, absoluteExpiresAt: absolute, columns };
  }

  /**
   * The live session of `token` on `tenantId`, its idle deadline pushed back (at most every 30 s);
   * null otherwise. Every portal request of a logged-in citizen passes here: ONE parameterised
   * statement finds the session and, when it was last seen more than 30 s ago, touches it (the
   * database's clock decides both, as it decides expiry).
   */
  async resolve(tenantId: string, token: string): Promise<CitizenSessionEntity | null> {
    if (token.length > MAX_COOKIE) return null;
    const rows = (await this.hotSql.query(
      `WITH found AS (
         SELECT ${SESSION_COLUMNS} FROM citizen_session
          WHERE token_hash = $1 AND tenant_id = $2 AND idle_expires_at > now() AND absolute_expires_at > now())
       , touched AS (
         UPDATE citizen_session s SET last_seen_at = now(), idle_expires_at = least(now() + $3 * interval '1 millisecond', s.absolute_expires_at)
           FROM found WHERE s.id = found.id AND found.last_seen_at < now() - $4 * interval '1 millisecond'
         RETURNING s.last_seen_at, s.idle_expires_at)
       SELECT found.*, touched.last_seen_at AS touched_last_seen_at, touched.idle_expires_at AS touched_idle_expires_at
         FROM found LEFT JOIN touched ON true`,
      [hashToken(token), tenantId, CITIZEN_IDLE_MS, TOUCH_EVERY_MS],
    )) as SessionRow[];
    const row = rows[0];
    return row ? sessionOfRow(row) : null;
  }

  /**
   * Records a FranceConnect authentication made within an existing session (data retrieval, or
   * FranceConnect added to a password session). A session opened by FranceConnect gets 30 more
   * minutes, within its absolute 12 hours.
   */
  async attachFranceConnect(manager: EntityManager, session: CitizenSessionEntity, fc: SessionFranceConnect): Promise<void> {
    const absolute = this.absoluteEnd(session.source, session.createdAt, fc.authenticatedAt);
    await manager.getRepository(CitizenSessionEntity).update(
      { id: session.id, tenantId: session.tenantId },
      {
        ...this.franceConnectColumns(session.tenantId, fc),
        dataRetrievalConfirmedAt: null,
        absoluteExpiresAt: absolute,
        idleExpiresAt: new Date(Math.min(Date.now() + CITIZEN_IDLE_MS, absolute.getTime())),
      },
    );
  }

  /** The session row as it is now (after a change in this request), or null. */
  async reload(session: Pick<CitizenSessionEntity, 'id' | 'tenantId'>): Promise<CitizenSessionEntity | null> {
    return this.dataSource.getRepository(CitizenSessionEntity).findOne({ where: { id: session.id, tenantId: session.tenantId } });
  }

  /** Deletes the session of a raw cookie token, whatever its tenant or state (logout, a new login in this browser). */
  async revokeToken(token: string | null): Promise<void> {
    if (!token || token.length > MAX_COOKIE) return;
    await this.dataSource.query(`DELETE FROM citizen_session WHERE token_hash = $1`, [hashToken(token)]);
  }

  /** The ID token of the session's FranceConnect authentication (for the logout hint), or null. */
  async idTokenOf(session: Pick<CitizenSessionEntity, 'id' | 'tenantId'>): Promise<string | null> {
    const row = await this.dataSource
      .getRepository(CitizenSessionEntity)
      .createQueryBuilder('s')
      .select(['s.id', 's.fcIdTokenCiphertext'])
      .where('s.id = :id', { id: session.id })
      .getOne();
    return this.open(row?.fcIdTokenCiphertext ?? null, session.tenantId, ID_TOKEN_FIELD);
  }

  /**
   * Takes the session's FranceConnect access token for one data retrieval: returned once while it
   * is valid, and removed from the session in the same statement, so two confirmations at once
   * cannot both call API Particulier with it (a new retrieval goes through FranceConnect again).
   */
  async takeAccessToken(session: Pick<CitizenSessionEntity, 'id' | 'tenantId'>): Promise<string | null> {
    const [rows] = (await this.dataSource.query(
      `WITH taken AS (SELECT id, fc_access_token_ciphertext FROM citizen_session
                        WHERE id = $1 AND tenant_id = $2 AND fc_access_token_ciphertext IS NOT NULL AND fc_access_token_expires_at > now()
                        FOR UPDATE)
       UPDATE citizen_session s SET fc_access_token_ciphertext = NULL, fc_access_token_expires_at = NULL, fc_access_token_used_at = now()
         FROM taken WHERE s.id = taken.id
       RETURNING taken.fc_access_token_ciphertext AS ciphertext`,
      [session.id, session.tenantId],
    )) as [{ ciphertext: string }[], number];
    return this.open(rows[0]?.ciphertext ?? null, session.tenantId, ACCESS_TOKEN_FIELD);
  }

  /** The token was used at login (login-time retrieval): the session of `sessionToken` no longer holds it. */
  async dropAccessToken(tenantId: string, sessionToken: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE citizen_session SET fc_access_token_ciphertext = NULL, fc_access_token_expires_at = NULL, fc_access_token_used_at = now()
        WHERE token_hash = $1 AND tenant_id = $2`,
      [hashToken(sessionToken), tenantId],
    );
  }

  /** Decrypts a stored token; one that no longer decrypts (key removed) counts as absent. */
  open(ciphertext: string | null, tenantId: string, field: string): string | null {
    if (!ciphertext) return null;
    try {
      return this.box.decrypt(ciphertext, { tenantId, field });
    } catch (error) {
      if (error instanceof SecretDecryptionError) return null;
      throw error;
    }
  }

  seal(plaintext: string, tenantId: string, field: string): string {
    return this.box.encrypt(plaintext, { tenantId, field });
  }

  /** The raw session token of THIS portal's session cookie, or null. */
  cookieToken(req: Request, portal: PortalOfCookie): string | null {
    return cookieValue(req.headers, citizenSessionCookieName(portal.slug, this.secureCookies()));
  }

  /**
   * `fcplat_citizen_<slug>`: HttpOnly, SameSite=Lax, Path=/ (the API paths need it too; the tenant
   * is also bound server-side), `__Host-` when Secure. Its CSRF cookie goes with it: readable by
   * the portal's script, holding the token derived from the session token (see http/csrf.ts).
   */
  setCookie(res: Response, portal: PortalOfCookie, token: string, expiresAt: Date): void {
    const maxAge = Math.max(0, expiresAt.getTime() - Date.now());
    res.cookie(citizenSessionCookieName(portal.slug, this.secureCookies()), token, { ...this.cookieOptions(), maxAge });
    res.cookie(citizenCsrfCookieName(portal.slug, this.secureCookies()), csrfTokenOf(token), { ...this.csrfCookieOptions(), maxAge });
  }

  clearCookie(res: Response, portal: PortalOfCookie): void {
    res.clearCookie(citizenSessionCookieName(portal.slug, this.secureCookies()), this.cookieOptions());
    res.clearCookie(citizenCsrfCookieName(portal.slug, this.secureCookies()), this.csrfCookieOptions());
  }

  /**
   * The hash of THIS portal's browser-binding cookie, creating the cookie when asked and absent.
   * Flows and reconciliations store this hash, never the cookie's value. `__Host-` prefixed over
   * https, so a sibling subdomain cannot plant a value of its choosing.
   */
  binding(req: Request, portal: PortalOfCookie, res: Response | null): string | null {
    const name = citizenBindingCookieName(portal.slug, this.secureCookies());
    const value = cookieValue(req.headers, name);
    if (value && value.length <= MAX_COOKIE && /^[A-Za-z0-9_-]{32,}$/.test(value)) return hashToken(value);
    if (!res) return null;
    const fresh = newToken();
    res.cookie(name, fresh, this.cookieOptions());
    return hashToken(fresh);
  }

  /** HttpOnly, SameSite=Lax (Strict would drop the cookie on the return from FranceConnect), Secure outside local development. */
  cookieOptions(path = '/') {
    return { httpOnly: true, sameSite: 'lax' as const, secure: this.secureCookies(), path };
  }

  /** The CSRF cookie is read by the portal's script (not HttpOnly); the API never trusts its value, only the header's. */
  private csrfCookieOptions() {
    return { httpOnly: false, sameSite: 'strict' as const, secure: this.secureCookies(), path: '/' };
  }

  /** Secure outside local development: in production, and whenever the public URL is https. */
  secureCookies(): boolean {
    return this.config.isProduction || this.config.http.publicUrl.startsWith('https:');
  }

  private absoluteEnd(source: CitizenSessionSource, createdAt: Date, fcAuthenticatedAt: Date | null): Date {
    const absolute = createdAt.getTime() + CITIZEN_ABSOLUTE_MS;
    if (source !== 'franceconnect' || !fcAuthenticatedAt) return new Date(absolute);
    return new Date(Math.min(absolute, fcAuthenticatedAt.getTime() + FRANCECONNECT_SESSION_MS));
  }

  private franceConnectColumns(tenantId: string, fc: SessionFranceConnect): Partial<CitizenSessionEntity> {
    return {
      fcIssuer: fc.issuer,
      fcEnvironment: fc.environment,
      fcSub: fc.sub,
      fcAuthenticatedAt: fc.authenticatedAt,
      fcIdTokenCiphertext: fc.idToken ? this.seal(fc.idToken, tenantId, ID_TOKEN_FIELD) : null,
      fcAccessTokenCiphertext: fc.accessToken ? this.seal(fc.accessToken, tenantId, ACCESS_TOKEN_FIELD) : null,
      fcAccessTokenExpiresAt: fc.accessToken ? fc.accessTokenExpiresAt : null,
      fcAccessTokenUsedAt: null,
      fcPurpose: fc.purpose,
      fcScopes: [...fc.scopes],
    };
  }
}
