import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { DataSource } from 'typeorm';
import { AppError } from '@fcplat/common';
import type { SecretBox } from '@fcplat/crypto';
import { UserEntity, appendAudit, type AuditActor } from '@fcplat/db';
import { DATA_SOURCE, SECRET_BOX } from '../infrastructure/tokens.js';
import { updateReturning } from './account-records.js';
import { verifyPassword, warmPasswordHashing } from './passwords.js';
import { AttemptLimiter, type LimitRule } from './rate-limiter.js';
import { SessionService, type PendingSession } from './sessions.service.js';
import { newTotpSecret, totpEnrolment, verifyTotp } from './totp.js';

/** Consecutive failures (password or TOTP) before an account is locked, and for how long. */
export const MAX_CONSECUTIVE_FAILURES = 10;
export const LOCKOUT_MS = 15 * 60 * 1000;
/** Per (IP, e-mail): the same budget as the account lockout, so unknown and known e-mails behave alike. */
const LOGIN_FAILURES_PER_IP_AND_EMAIL: LimitRule = { max: MAX_CONSECUTIVE_FAILURES, windowMs: LOCKOUT_MS };
/** Per IP, every attempt: stops one source spraying passwords over many e-mails. */
const LOGIN_ATTEMPTS_PER_IP: LimitRule = { max: 300, windowMs: 15 * 60 * 1000 };

export const TOTP_SECRET_FIELD = 'totp_secret';

const BAD_CREDENTIALS = 'Adresse e-mail ou mot de passe incorrect.';
const TOO_MANY = 'Trop de tentatives de connexion infructueuses : ce compte est temporairement bloqué. Réessayez dans 15 minutes.';
const TOO_MANY_FROM_IP = 'Trop de tentatives de connexion depuis votre adresse. Réessayez plus tard.';
const NO_PENDING = 'Votre connexion a expiré ou n’a pas commencé : saisissez à nouveau votre adresse e-mail et votre mot de passe.';
const BAD_CODE = 'Code incorrect, expiré ou déjà utilisé. Saisissez le code actuellement affiché par votre application.';

export interface RequestContext {
  readonly ip: string;
  readonly userAgent: string | undefined;
  readonly requestId: string | null;
  readonly headers: IncomingHttpHeaders;
}

export type NextStep = 'totp' | 'totp_setup';

type LoginUser = Pick<UserEntity, 'id' | 'email' | 'kind' | 'tenantId' | 'status' | 'passwordHash' | 'totpEnabledAt' | 'lockedUntil'>;

function rateLimited(detail: string, retryAfterSeconds: number): AppError {
  return new AppError('RATE_LIMITED', { detail, extensions: { retryAfterSeconds } });
}

function secondsUntil(date: Date): number {
  return Math.max(1, Math.ceil((date.getTime() - Date.now()) / 1000));
}

function actorOfUser(user: Pick<UserEntity, 'id' | 'kind'>): AuditActor {
  return { type: user.kind === 'staff' ? 'staff' : 'client_admin', id: user.id };
}

/**
 * Console login (SR-24): password (argon2id), then TOTP; lockout after 10 consecutive failures of
 * either factor. A failed attempt is counted on the account, not audited (an audit row per typo
 * would drown the log and let anyone fill it); the lockout itself and each successful login are.
 */
@Injectable()
export class LoginService implements OnModuleInit {
  readonly limiter = new AttemptLimiter();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly sessions: SessionService,
  ) {}

  onModuleInit(): void {
    warmPasswordHashing();
  }

  /** The password step: a pending session (its token for the cookie) and what comes next. */
  async login(email: string, password: string, context: RequestContext): Promise<{ token: string; next: NextStep }> {
    const ipKey = `login:ip:${context.ip}`;
    const ipEmailKey = `login:ip-email:${context.ip}:${email}`;
    const ipWait = this.limiter.blockedFor(ipKey, LOGIN_ATTEMPTS_PER_IP);
    if (ipWait !== null) throw rateLimited(TOO_MANY_FROM_IP, ipWait);
    const wait = this.limiter.blockedFor(ipEmailKey, LOGIN_FAILURES_PER_IP_AND_EMAIL);
    if (wait !== null) throw rateLimited(TOO_MANY, wait);
    this.limiter.hit(ipKey, LOGIN_ATTEMPTS_PER_IP);

    const user = (await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      .getOne()) as LoginUser | null;
    if (user?.lockedUntil && user.lockedUntil.getTime() > Date.now()) throw rateLimited(TOO_MANY, secondsUntil(user.lockedUntil));

    const passwordOk = await verifyPassword(user?.status === 'active' ? user.passwordHash : null, password);
    if (!user || user.status !== 'active' || !passwordOk) {
      this.limiter.hit(ipEmailKey, LOGIN_FAILURES_PER_IP_AND_EMAIL);
      if (user && user.status === 'active') await this.registerFailure(user, context.requestId);
      throw new AppError('UNAUTHENTICATED', { detail: BAD_CREDENTIALS });
    }
    // The failure counter is NOT reset here: only a complete login (both factors) resets it, so
    // knowing the password does not give unlimited TOTP guesses.
    this.limiter.reset(ipEmailKey);
    const previous = this.sessions.cookieToken(context.headers);
    if (previous) await this.sessions.revokeToken(previous);
    const token = await this.dataSource.transaction((manager) => this.sessions.createPending(manager, user.id, context.userAgent));
    return { token, next: user.totpEnabledAt ? 'totp' : 'totp_setup' };
  }

  /** The TOTP step for an account with an authenticator: a NEW full session replaces the pending one. */
  async completeTotp(code: string, context: RequestContext): Promise<{ token: string }> {
    const pending = await this.pendingOrThrow(context);
    const { user } = pending;
    if (!user.totpEnabledAt || !user.totpSecretCiphertext) {
      throw new AppError('CONFLICT', { detail: 'Aucune application d’authentification n’est configurée pour ce compte : configurez-la d’abord.' });
    }
    this.assertNotLocked(user);
    const secret = this.box.decrypt(user.totpSecretCiphertext, { tenantId: user.id, field: TOTP_SECRET_FIELD });
    const step = await verifyTotp(secret, code, user.totpLastTimeStep);
    if (step === null) return this.failCode(user, context);
    const token = await this.dataSource.transaction(async (manager) => {
      // Conditional on the last step: two concurrent requests with the same code cannot both pass.
      const accepted = await updateReturning<{ id: string }>(
        manager,
        `UPDATE app_user SET totp_last_time_step = $2, failed_login_count = 0, locked_until = NULL, last_login_at = now(), updated_at = now()
          WHERE id = $1 AND status = 'active' AND (totp_last_time_step IS NULL OR totp_last_time_step < $2)
          RETURNING id`,
        [user.id, step],
      );
      if (accepted.length === 0 || !(await this.sessions.revoke(manager, pending.sessionId))) return null;
      const full = await this.sessions.createFull(manager, user.id, context.userAgent);
      await appendAudit(manager, {
        actor: actorOfUser(user),
        tenantId: user.tenantId,
        action: 'user.logged_in',
        target: { type: 'user', id: user.id },
        changes: { factors: 'password+totp' },
        requestId: context.requestId,
      });
      return full;
    });
    if (token === null) return this.failCode(user, context);
    return { token };
  }

  /** First login: a new secret (kept encrypted until activated) and its QR code. */
  async startTotpSetup(context: RequestContext): Promise<{ otpauthUri: string; qrCodeDataUrl: string; secret: string }> {
    const { user } = await this.pendingOrThrow(context);
    if (user.totpEnabledAt) throw new AppError('CONFLICT', { detail: 'Une application d’authentification est déjà configurée pour ce compte.' });
    this.assertNotLocked(user);
    const secret = newTotpSecret();
    const ciphertext = this.box.encrypt(secret, { tenantId: user.id, field: TOTP_SECRET_FIELD });
    await this.dataSource.query(`UPDATE app_user SET totp_secret_ciphertext = $2, updated_at = now() WHERE id = $1 AND totp_enabled_at IS NULL`, [user.id, ciphertext]);
    return { ...(await totpEnrolment(secret, user.email)), secret };
  }

  /** Confirms the authenticator with a first code: TOTP becomes active and the login completes. */
  async activateTotp(code: string, context: RequestContext): Promise<{ token: string }> {
    const pending = await this.pendingOrThrow(context);
    const { user } = pending;
    if (user.totpEnabledAt) throw new AppError('CONFLICT', { detail: 'Une application d’authentification est déjà configurée pour ce compte.' });
    const ciphertext = user.totpSecretCiphertext;
    if (!ciphertext) throw new AppError('CONFLICT', { detail: 'Commencez par afficher le QR code de configuration.' });
    this.assertNotLocked(user);
    const secret = this.box.decrypt(ciphertext, { tenantId: user.id, field: TOTP_SECRET_FIELD });
    const step = await verifyTotp(secret, code, user.totpLastTimeStep);
    if (step === null) return this.failCode(user, context);
    const token = await this.dataSource.transaction(async (manager) => {
      // Conditional on the ciphertext that was checked, so a concurrent re-setup cannot slip in another secret.
      const activated = await updateReturning<{ id: string }>(
        manager,
        `UPDATE app_user SET totp_enabled_at = now(), totp_last_time_step = $3, failed_login_count = 0, locked_until = NULL, last_login_at = now(), updated_at = now()
          WHERE id = $1 AND status = 'active' AND totp_enabled_at IS NULL AND totp_secret_ciphertext = $2
            AND (totp_last_time_step IS NULL OR totp_last_time_step < $3)
          RETURNING id`,
        [user.id, ciphertext, step],
      );
      if (activated.length === 0 || !(await this.sessions.revoke(manager, pending.sessionId))) return null;
      const full = await this.sessions.createFull(manager, user.id, context.userAgent);
      const actor = actorOfUser(user);
      const target = { type: 'user', id: user.id };
      await appendAudit(manager, { actor, tenantId: user.tenantId, action: 'user.totp_activated', target, changes: { totpEnabled: { before: false, after: true } }, requestId: context.requestId });
      await appendAudit(manager, { actor, tenantId: user.tenantId, action: 'user.logged_in', target, changes: { factors: 'password+totp' }, requestId: context.requestId });
      return full;
    });
    if (token === null) return this.failCode(user, context);
    return { token };
  }

  private async pendingOrThrow(context: RequestContext): Promise<PendingSession> {
    const pending = await this.sessions.findPending(context.headers);
    if (!pending) throw new AppError('UNAUTHENTICATED', { detail: NO_PENDING });
    return pending;
  }

  private assertNotLocked(user: Pick<UserEntity, 'lockedUntil'>): void {
    if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) throw rateLimited(TOO_MANY, secondsUntil(user.lockedUntil));
  }

  private async failCode(user: Pick<UserEntity, 'id' | 'tenantId' | 'kind'>, context: RequestContext): Promise<never> {
    const locked = await this.registerFailure(user, context.requestId);
    if (locked) throw rateLimited(TOO_MANY, Math.ceil(LOCKOUT_MS / 1000));
    throw new AppError('UNAUTHENTICATED', { detail: BAD_CODE });
  }

  /** Counts a failure on the account; at the 10th in a row, locks it for 15 minutes (audited). Returns whether it locked. */
  private async registerFailure(user: Pick<UserEntity, 'id' | 'tenantId'>, requestId: string | null): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await updateReturning<{ failed_login_count: number }>(
        manager,
        `UPDATE app_user SET failed_login_count = failed_login_count + 1, updated_at = now() WHERE id = $1 RETURNING failed_login_count`,
        [user.id],
      );
      if (!row || row.failed_login_count < MAX_CONSECUTIVE_FAILURES) return false;
      await manager.query(`UPDATE app_user SET failed_login_count = 0, locked_until = now() + ($2::int * interval '1 millisecond') WHERE id = $1`, [user.id, LOCKOUT_MS]);
      await appendAudit(manager, {
        actor: { type: 'system', id: 'lockout' },
        tenantId: user.tenantId,
        action: 'user.locked',
        target: { type: 'user', id: user.id },
        changes: { lockedForMinutes: LOCKOUT_MS / 60_000, consecutiveFailures: MAX_CONSECUTIVE_FAILURES },
        requestId,
      });
      return true;
    });
  }
}
