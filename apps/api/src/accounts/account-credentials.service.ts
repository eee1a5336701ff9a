import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { AppError } from '@fcplat/common';
import type { PlatformConfig } from '@fcplat/config';
import { UserEntity, appendAudit } from '@fcplat/db';
import { LimitStore, type LimitRule, type SharedCounters } from '../infrastructure/shared-limits.js';
import { DATA_SOURCE, PLATFORM_CONFIG } from '../infrastructure/tokens.js';
import { MailService } from '../mail/mail.service.js';
import { PASSWORD_RESET_TTL_MS, consumeOneTimeToken, issueOneTimeToken, peekOneTimeToken } from './account-records.js';
import { passwordResetLink, passwordResetMail } from './account-mails.js';
import { hashPassword, passwordViolations } from './passwords.js';
import { SessionService } from './sessions.service.js';
import type { RequestContext } from './login.service.js';

const RESET_REQUESTS_PER_IP_AND_EMAIL: LimitRule = { max: 3, windowMs: 60 * 60 * 1000 };
const RESET_REQUESTS_PER_IP: LimitRule = { max: 30, windowMs: 60 * 60 * 1000 };
/** Link tokens are 256-bit random values; this only stops a source from hammering the endpoints. */
const LINK_ATTEMPTS_PER_IP: LimitRule = { max: 60, windowMs: 15 * 60 * 1000 };

const BAD_INVITATION = 'Ce lien d’invitation est invalide, expiré ou a déjà servi. Demandez une nouvelle invitation à votre administrateur.';
const BAD_RESET = 'Ce lien de réinitialisation est invalide, expiré ou a déjà servi. Faites une nouvelle demande.';

/**
 * A console account's credentials (not a tenant's: see tenants/tenant-credentials.service.ts): setting a
 * password from an e-mailed link, accepting an invitation, resetting a forgotten password.
 */
@Injectable()
export class AccountCredentialsService implements OnModuleDestroy {
  /** Reset requests and link attempts, counted in the store shared by every API replica (infrastructure/shared-limits.ts). */
  private readonly limits: SharedCounters;
  /** Reset e-mails being sent after the answer; awaited at shutdown. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly mail: MailService,
    private readonly sessions: SessionService,
    private readonly logger: PinoLogger,
    store: LimitStore,
  ) {
    logger.setContext(AccountCredentialsService.name);
    this.limits = store.counters('console');
  }

  async acceptInvitation(token: string, password: string, displayName: string | undefined, context: RequestContext): Promise<{ email: string }> {
    await this.limitLinkAttempts(context);
    const user = await this.userOfLink(token, 'invitation');
    if (!user || user.status !== 'invited') throw new AppError('NOT_FOUND', { detail: BAD_INVITATION });
    this.assertPolicy(password, user.email);
    const passwordHash = await hashPassword(password);
    await this.dataSource.transaction(async (manager) => {
      const userId = await consumeOneTimeToken(manager, token, 'invitation');
      if (userId !== user.id) throw new AppError('NOT_FOUND', { detail: BAD_INVITATION });
      const [, affected] = (await manager.query(
        `UPDATE app_user SET password_hash = $2, status = 'active', display_name = COALESCE($3, display_name), failed_login_count = 0, locked_until = NULL, updated_at = now()
          WHERE id = $1 AND status = 'invited'`,
        [user.id, passwordHash, displayName ?? null],
      )) as [unknown, number];
      if (affected !== 1) throw new AppError('NOT_FOUND', { detail: BAD_INVITATION });
      await manager.query(`UPDATE user_one_time_token SET used_at = now() WHERE user_id = $1 AND purpose = 'invitation' AND used_at IS NULL`, [user.id]);
      await appendAudit(manager, {
        actor: { type: user.kind === 'staff' ? 'staff' : 'client_admin', id: user.id },
        tenantId: user.tenantId,
        action: 'user.activated',
        target: { type: 'user', id: user.id },
        changes: {
          status: { before: 'invited', after: 'active' },
          password: 'set',
          ...(displayName !== undefined && displayName !== user.displayName ? { displayName: { before: user.displayName, after: displayName } } : {}),
        },
        requestId: context.requestId,
      });
    });
    return { email: user.email };
  }

  /**
   * Always the same answer, whether the e-mail is known or not (no enumeration); the e-mail is
   * looked up and sent after the answer, so timing does not tell either.
   */
  async requestPasswordReset(email: string, context: RequestContext): Promise<void> {
    this.mail.assertConfigured();
    const ipKey = `reset:ip:${context.ip}`;
    const ipEmailKey = `reset:ip-email:${context.ip}:${email}`;
    const [perIp, perEmail] = await Promise.all([this.limits.blockedFor(ipKey, RESET_REQUESTS_PER_IP), this.limits.blockedFor(ipEmailKey, RESET_REQUESTS_PER_IP_AND_EMAIL)]);
    const refused = (wait: number): AppError =>
      new AppError('RATE_LIMITED', { detail: 'Trop de demandes de réinitialisation. Réessayez plus tard.', extensions: { retryAfterSeconds: wait } });
    const wait = perIp ?? perEmail;
    if (wait !== null) throw refused(wait);
    // Counted atomically on both keys: concurrent requests on several replicas cannot share a budget's last unit.
    const [countedIp, countedEmail] = await Promise.all([this.limits.consume(ipKey, RESET_REQUESTS_PER_IP), this.limits.consume(ipEmailKey, RESET_REQUESTS_PER_IP_AND_EMAIL)]);
    const over = countedIp ?? countedEmail;
    if (over !== null) throw refused(over);
    const task = this.sendResetLink(email).catch((error: unknown) => {
      this.logger.warn({ code: error instanceof AppError ? error.code : error instanceof Error ? error.name : 'error' }, 'password reset e-mail not sent');
    });
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  async completePasswordReset(token: string, password: string, context: RequestContext): Promise<void> {
    await this.limitLinkAttempts(context);
    const user = await this.userOfLink(token, 'password_reset');
    if (!user || user.status !== 'active') throw new AppError('NOT_FOUND', { detail: BAD_RESET });
    this.assertPolicy(password, user.email);
    const passwordHash = await hashPassword(password);
    await this.dataSource.transaction(async (manager) => {
      const userId = await consumeOneTimeToken(manager, token, 'password_reset');
      if (userId !== user.id) throw new AppError('NOT_FOUND', { detail: BAD_RESET });
      const [, affected] = (await manager.query(`UPDATE app_user SET password_hash = $2, updated_at = now() WHERE id = $1 AND status = 'active'`, [user.id, passwordHash])) as [
        unknown,
        number,
      ];
      if (affected !== 1) throw new AppError('NOT_FOUND', { detail: BAD_RESET });
      const sessionsRevoked = await this.sessions.revokeAllOf(manager, user.id);
      await appendAudit(manager, {
        actor: { type: user.kind === 'staff' ? 'staff' : 'client_admin', id: user.id },
        tenantId: user.tenantId,
        action: 'user.password_changed',
        target: { type: 'user', id: user.id },
        changes: { password: 'changed', method: 'reset_link', sessionsRevoked },
        requestId: context.requestId,
      });
    });
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async sendResetLink(email: string): Promise<void> {
    const user = await this.dataSource.getRepository(UserEntity).findOne({ where: { email, status: 'active' } });
    if (!user) return;
    const { token, expiresAt } = await this.dataSource.transaction((manager) => issueOneTimeToken(manager, user.id, 'password_reset', PASSWORD_RESET_TTL_MS));
    const link = passwordResetLink(this.config.http.publicUrl, token);
    await this.mail.send(passwordResetMail({ to: user.email, displayName: user.displayName, link, expiresAt }));
  }

  private async userOfLink(token: string, purpose: 'invitation' | 'password_reset'): Promise<UserEntity | null> {
    const userId = await peekOneTimeToken(this.dataSource.manager, token, purpose);
    return userId ? this.dataSource.getRepository(UserEntity).findOne({ where: { id: userId } }) : null;
  }

  private assertPolicy(password: string, email: string): void {
    const violations = passwordViolations(password, email);
    if (violations.length > 0) {
      throw new AppError('VALIDATION_FAILED', { detail: `Mot de passe refusé : ${violations.map((v) => v.message).join(' ; ')}.`, violations });
    }
  }

  private async limitLinkAttempts(context: RequestContext): Promise<void> {
    const wait = await this.limits.consume(`link:ip:${context.ip}`, LINK_ATTEMPTS_PER_IP);
    if (wait !== null) throw new AppError('RATE_LIMITED', { detail: 'Trop de tentatives. Réessayez plus tard.', extensions: { retryAfterSeconds: wait } });
  }
}
