import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { IncomingHttpHeaders } from 'node:http';
import type { DataSource } from 'typeorm';
import { AppError } from '@fcplat/common';
import type { SecretBox } from '@fcplat/crypto';
import { UserEntity, appendAudit, type AuditActor } from '@fcplat/db';
import type { PlatformConfig } from '@fcplat/config';
import { LimitStore, type LimitRule, type SharedCounters, type SharedFailureThrottle, type ThrottleRule } from '../infrastructure/shared-limits.js';
import { DATA_SOURCE, PLATFORM_CONFIG, SECRET_BOX } from '../infrastructure/tokens.js';
import { MailService } from '../mail/mail.service.js';
import { loginAttackMail } from './account-mails.js';
import { updateReturning } from './account-records.js';
import { verifyPassword, warmPasswordHashing } from './passwords.js';
import { SessionService, type PendingSession } from './sessions.service.js';
import { newTotpSecret, totpEnrolment, verifyTotp } from './totp.js';

/**
 * Consecutive SECOND-FACTOR failures before an account is locked, and for how long. Only someone
 * who passed the password step can fail a TOTP code, so this lock cannot be triggered by strangers.
 */
export const MAX_CONSECUTIVE_FAILURES = 10;
export const LOCKOUT_MS = 15 * 60 * 1000;
/**
 * Wrong passwords never lock an account: they are throttled per (source IP, e-mail) with growing
 * delays (5 free failures, then 30 s, 1 min, 2 min… up to 15 min), the same for a known and an
 * unknown e-mail, so another source (the owner) is not slowed and the answers tell nothing. The
 * failures are counted over a day from the first one, in the store shared by every API replica.
 */
export const LOGIN_THROTTLE: ThrottleRule = { freeFailures: 5, baseDelayMs: 30_000, maxDelayMs: 15 * 60 * 1000, forgetAfterMs: 24 * 60 * 60 * 1000 };
/** Per IP, every attempt: stops one source spraying passwords over many e-mails. */
const LOGIN_ATTEMPTS_PER_IP: LimitRule = { max: 300, windowMs: 15 * 60 * 1000 };
/** Wrong passwords on one account, from anywhere, within the window, that make it "under attack": one alert per alert window. */
export const ATTACK_THRESHOLD = 10;
export const ATTACK_WINDOW_MS = 15 * 60 * 1000;
export const ATTACK_ALERT_EVERY_MS = 60 * 60 * 1000;

export const TOTP_SECRET_FIELD = 'totp_secret';

const BAD_CREDENTIALS = 'Adresse e-mail ou mot de passe incorrect.';
const TOO_MANY = 'Trop de tentatives de connexion infructueuses : ce compte est temporairement bloqué. Réessayez dans 15 minutes.';
const THROTTLED = 'Trop de tentatives de connexion infructueuses depuis votre adresse pour cet identifiant. Patientez avant de réessayer.';
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
export class LoginService implements OnModuleInit, OnModuleDestroy {
  /** Attempts per IP and the (IP, e-mail) throttle, shared by every API replica (infrastructure/shared-limits.ts). */
  private readonly limits: SharedCounters;
  private readonly throttle: SharedFailureThrottle;
  /** Alert e-mails being sent after the answer; awaited at shutdown. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly sessions: SessionService,
    private readonly mail: MailService,
    private readonly logger: PinoLogger,
    store: LimitStore,
  ) {
    logger.setContext(LoginService.name);
    this.limits = store.counters('console');
    this.throttle = store.throttle('console-login-throttle', LOGIN_THROTTLE);
  }

  onModuleInit(): void {
    warmPasswordHashing();
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** The password step: a pending session (its token for the cookie) and what comes next. */
  async login(email: string, password: string, context: RequestContext): Promise<{ token: string; next: NextStep }> {
    const ipKey = `login:ip:${context.ip}`;
    const ipEmailKey = `login:ip-email:${context.ip}:${email}`;
    // Before any lookup: a throttled known e-mail and a throttled unknown one get the same answer.
    // A store that does not answer fails closed (503), like every limited endpoint.
    const [ipWait, wait] = await Promise.all([this.limits.blockedFor(ipKey, LOGIN_ATTEMPTS_PER_IP), this.throttle.waitFor(ipEmailKey)]);
    if (ipWait !== null) throw rateLimited(TOO_MANY_FROM_IP, ipWait);
    if (wait !== null) throw rateLimited(THROTTLED, wait);
    // Counted atomically: concurrent attempts on several replicas cannot share the budget's last unit.
    const counted = await this.limits.consume(ipKey, LOGIN_ATTEMPTS_PER_IP);
    if (counted !== null) throw rateLimited(TOO_MANY_FROM_IP, counted);

    const user = (await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      .getOne()) as LoginUser | null;
    // No account lock at this step: a lock (second-factor failures) shows only after the right
    // password, at the TOTP step, so this answer never tells a locked account from an unknown one.
    const passwordOk = await verifyPassword(user?.status === 'active' ? user.passwordHash : null, password);
    if (!user || user.status !== 'active' || !passwordOk) {
      await this.throttle.failed(ipEmailKey);
      if (user && user.status === 'active') await this.registerPasswordFailure(user, context);
      throw new AppError('UNAUTHENTICATED', { detail: BAD_CREDENTIALS });
    }
    // The second-factor failure counter is NOT reset here: only a complete login (both factors)
    // resets it, so knowing the password does not give unlimited TOTP guesses.
    // Best effort: a failure left behind only expires later.
    await this.throttle.succeeded(ipEmailKey).catch(() => undefined);
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
        `UPDATE app_user SET totp_last_time_step = $2, failed_login_count = 0, locked_until = NULL, password_failure_count = 0, password_failures_since = NULL, last_login_at = now(), updated_at = now()
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
        `UPDATE app_user SET totp_enabled_at = now(), totp_last_time_step = $3, failed_login_count = 0, locked_until = NULL, password_failure_count = 0, password_failures_since = NULL, last_login_at = now(), updated_at = now()
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

  /**
   * Counts a wrong password on the account (from anywhere) within the attack window; at the
   * threshold, the owner and the staff administrators are alerted by e-mail, once per alert
   * window (conditional UPDATE: concurrent requests cannot send it twice), and it is audited once.
   * Nothing is locked.
   */
  private async registerPasswordFailure(user: Pick<UserEntity, 'id' | 'tenantId' | 'email'>, context: RequestContext): Promise<void> {
    const alerted = await this.dataSource.transaction(async (manager) => {
      const [row] = await updateReturning<{ password_failure_count: number }>(
        manager,
        `UPDATE app_user SET
           password_failure_count = CASE WHEN password_failures_since IS NULL OR password_failures_since < now() - ($2::int * interval '1 millisecond') THEN 1 ELSE password_failure_count + 1 END,
           password_failures_since = CASE WHEN password_failures_since IS NULL OR password_failures_since < now() - ($2::int * interval '1 millisecond') THEN now() ELSE password_failures_since END
         WHERE id = $1 RETURNING password_failure_count`,
        [user.id, ATTACK_WINDOW_MS],
      );
      if (!row || row.password_failure_count < ATTACK_THRESHOLD) return false;
      const claimed = await updateReturning<{ id: string }>(
        manager,
        `UPDATE app_user SET attack_alerted_at = now() WHERE id = $1 AND (attack_alerted_at IS NULL OR attack_alerted_at < now() - ($2::int * interval '1 millisecond')) RETURNING id`,
        [user.id, ATTACK_ALERT_EVERY_MS],
      );
      if (claimed.length === 0) return false;
      await appendAudit(manager, {
        actor: { type: 'system', id: 'login-throttle' },
        tenantId: user.tenantId,
        action: 'user.login_attack_alerted',
        target: { type: 'user', id: user.id },
        changes: { failedPasswords: row.password_failure_count, windowMinutes: ATTACK_WINDOW_MS / 60_000 },
        requestId: context.requestId,
      });
      return true;
    });
    if (!alerted) return;
    // After the answer, like password resets: the request neither waits for nor reveals the e-mails.
    const task = this.sendAttackAlerts(user.email).catch((error: unknown) => {
      this.logger.warn({ code: error instanceof AppError ? error.code : error instanceof Error ? error.name : 'error' }, 'login attack alert not sent');
    });
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private async sendAttackAlerts(accountEmail: string): Promise<void> {
    if (!this.mail.configured) {
      this.logger.warn('login attack alert not sent: no SMTP server configured');
      return;
    }
    const admins = (await this.dataSource.query(`SELECT email FROM app_user WHERE kind = 'staff' AND staff_role = 'admin' AND status = 'active' ORDER BY email`)) as { email: string }[];
    const recipients = [{ to: accountEmail, owner: true }, ...admins.filter((a) => a.email !== accountEmail).map((a) => ({ to: a.email, owner: false }))];
    for (const recipient of recipients) {
      await this.mail.send(
        loginAttackMail({ to: recipient.to, accountEmail, owner: recipient.owner, attempts: ATTACK_THRESHOLD, windowMinutes: ATTACK_WINDOW_MS / 60_000, consoleUrl: `${this.config.http.publicUrl}/console/` }),
      );
    }
  }

  /** Counts a second-factor failure on the account; at the 10th in a row, locks it for 15 minutes (audited). Returns whether it locked. */
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
