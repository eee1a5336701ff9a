import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { AppError } from '@fcplat/common';
import type { PlatformConfig } from '@fcplat/config';
import { TenantEntity, UserEntity, appendAudit, type StaffRole } from '@fcplat/db';
import { auditActorOf, type Actor } from '../auth/actor.js';
import { assertTenantAccess } from '../auth/tenant-scope.js';
import type { Page } from '@fcplat/contract';
import { DATA_SOURCE, PLATFORM_CONFIG } from '../infrastructure/tokens.js';
import { MailService } from '../mail/mail.service.js';
import { createInvitedAccount, renewInvitation } from './account-records.js';
import { invitationLink, invitationMail } from './account-mails.js';
import type { ListUsersQuery, TenantAdminsQuery } from '@fcplat/contract';
import { idSchema } from './ids.js';
import { SessionService } from './sessions.service.js';
import { userView, type InvitationResult, type UserView } from './views.js';

const NOT_FOUND_USER = 'Compte introuvable.';
const NOT_FOUND_TENANT = 'Client introuvable.';

const SORT_COLUMNS: Record<ListUsersQuery['sort'], string> = {
  email: 'u.email',
  displayName: 'u.display_name',
  createdAt: 'u.created_at',
  lastLoginAt: 'u.last_login_at',
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Account administration: invitations, lists, role changes, disabling (SR-20, SR-24, SR-25). */
@Injectable()
export class AccountsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly mail: MailService,
    private readonly sessions: SessionService,
  ) {}

  async inviteStaff(actor: Actor, requestId: string | null, input: { email: string; displayName: string; role: StaffRole }): Promise<InvitationResult> {
    this.mail.assertConfigured();
    const created = await this.dataSource.transaction((manager) =>
      createInvitedAccount(manager, { email: input.email, displayName: input.displayName, kind: 'staff', staffRole: input.role, tenantId: null }, auditActorOf(actor), requestId),
    );
    return this.sendInvitation(created.user, created.token, created.expiresAt, null);
  }

  async inviteClientAdmin(actor: Actor, requestId: string | null, tenantId: string, input: { email: string; displayName: string }): Promise<InvitationResult> {
    const tenant = await this.tenantOrThrow(actor, tenantId);
    this.mail.assertConfigured();
    const created = await this.dataSource.transaction((manager) =>
      createInvitedAccount(manager, { email: input.email, displayName: input.displayName, kind: 'client_admin', staffRole: null, tenantId: tenant.id }, auditActorOf(actor), requestId),
    );
    return this.sendInvitation(created.user, created.token, created.expiresAt, tenant.name);
  }

  /** A new invitation link for an account not activated yet (the previous one stops working). */
  async resendInvitation(actor: Actor, requestId: string | null, userId: string): Promise<InvitationResult> {
    return this.resendTo(actor, requestId, await this.userOrThrow(actor, userId));
  }

  private async resendTo(actor: Actor, requestId: string | null, user: UserEntity): Promise<InvitationResult> {
    this.assertMayManage(actor, user);
    this.mail.assertConfigured();
    const issued = await this.dataSource.transaction((manager) => renewInvitation(manager, user, auditActorOf(actor), requestId));
    const tenantName = user.tenantId ? ((await this.dataSource.getRepository(TenantEntity).findOne({ where: { id: user.tenantId } }))?.name ?? null) : null;
    return this.sendInvitation(user, issued.token, issued.expiresAt, tenantName);
  }

  async list(query: ListUsersQuery): Promise<Page<UserView>> {
    const qb = this.dataSource.getRepository(UserEntity).createQueryBuilder('u');
    if (query.kind) qb.andWhere('u.kind = :kind', { kind: query.kind });
    if (query.role) qb.andWhere('u.staff_role = :role', { role: query.role });
    if (query.tenantId) qb.andWhere('u.tenant_id = :tenantId', { tenantId: query.tenantId });
    return this.page(qb, query);
  }

  /** The client administrators of one tenant: staff, or an administrator of that very tenant (others: 404). */
  async listTenantAdmins(actor: Actor, tenantId: string, query: TenantAdminsQuery): Promise<Page<UserView>> {
    const tenant = await this.tenantOrThrow(actor, tenantId);
    const qb = this.dataSource.getRepository(UserEntity).createQueryBuilder('u').where(`u.kind = 'client_admin'`).andWhere('u.tenant_id = :tenantId', { tenantId: tenant.id });
    return this.page(qb, query);
  }

  async get(actor: Actor, userId: string): Promise<UserView> {
    return userView(await this.userOrThrow(actor, userId));
  }

  /**
   * Disables an account: its sessions, API tokens and pending links stop working at once. Nobody
   * disables themself, and neither the last active staff administrator nor the last active client
   * administrator of a tenant can be disabled (`assertAnotherActiveAdmin`, decided in PostgreSQL).
   */
  async disable(actor: Actor, requestId: string | null, userId: string): Promise<UserView> {
    return this.disableUser(actor, requestId, await this.userOrThrow(actor, userId));
  }

  /** `disable`, reached from the tenant's page: the account must be a client administrator of that tenant (others: 404). */
  async disableTenantAdmin(actor: Actor, requestId: string | null, tenantId: string, userId: string): Promise<UserView> {
    return this.disableUser(actor, requestId, await this.tenantAdminOrThrow(actor, tenantId, userId));
  }

  async enableTenantAdmin(actor: Actor, requestId: string | null, tenantId: string, userId: string): Promise<UserView> {
    return this.enableUser(actor, requestId, await this.tenantAdminOrThrow(actor, tenantId, userId));
  }

  async resendTenantAdminInvitation(actor: Actor, requestId: string | null, tenantId: string, userId: string): Promise<InvitationResult> {
    return this.resendTo(actor, requestId, await this.tenantAdminOrThrow(actor, tenantId, userId));
  }

  private async disableUser(actor: Actor, requestId: string | null, user: UserEntity): Promise<UserView> {
    if (user.id === actor.userId) throw new AppError('CONFLICT', { detail: 'Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre administrateur.' });
    if (user.status === 'disabled') return userView(user);
    const updated = await this.dataSource.transaction(async (manager) => {
      // Whatever its status when read: an invitation accepted meanwhile shows in the locked rows.
      await this.assertAnotherActiveAdmin(manager, user, 'disable');
      const sessionsRevoked = await this.sessions.revokeAllOf(manager, user.id);
      const [, tokensRevoked] = (await manager.query(`UPDATE api_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [user.id])) as [unknown, number];
      await manager.query(`UPDATE user_one_time_token SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [user.id]);
      await manager.query(`UPDATE app_user SET status = 'disabled', updated_at = now() WHERE id = $1`, [user.id]);
      await appendAudit(manager, {
        actor: auditActorOf(actor),
        tenantId: user.tenantId,
        action: 'user.disabled',
        target: { type: 'user', id: user.id },
        changes: { status: { before: user.status, after: 'disabled' }, sessionsRevoked, apiTokensRevoked: tokensRevoked },
        requestId,
      });
      return this.reload(manager, user.id);
    });
    return userView(updated);
  }

  /** Enables a disabled account again: active if it had a password, otherwise back to invited. */
  async enable(actor: Actor, requestId: string | null, userId: string): Promise<UserView> {
    return this.enableUser(actor, requestId, await this.userOrThrow(actor, userId));
  }

  private async enableUser(actor: Actor, requestId: string | null, user: UserEntity): Promise<UserView> {
    if (user.status !== 'disabled') return userView(user);
    const updated = await this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(
        `UPDATE app_user SET status = CASE WHEN password_hash IS NULL THEN 'invited' ELSE 'active' END, failed_login_count = 0, locked_until = NULL, updated_at = now()
          WHERE id = $1 AND status = 'disabled' RETURNING status`,
        [user.id],
      )) as [{ status: string }[], number];
      await appendAudit(manager, {
        actor: auditActorOf(actor),
        tenantId: user.tenantId,
        action: 'user.enabled',
        target: { type: 'user', id: user.id },
        changes: { status: { before: 'disabled', after: row[0]?.status ?? 'active' } },
        requestId,
      });
      return this.reload(manager, user.id);
    });
    return userView(updated);
  }

  async changeRole(actor: Actor, requestId: string | null, userId: string, role: StaffRole): Promise<UserView> {
    const user = await this.userOrThrow(actor, userId);
    if (user.kind !== 'staff') throw new AppError('CONFLICT', { detail: 'Seuls les comptes de l’équipe ont un rôle ; un administrateur client est lié à son client.' });
    if (user.staffRole === role) return userView(user);
    if (user.id === actor.userId) throw new AppError('CONFLICT', { detail: 'Vous ne pouvez pas changer votre propre rôle : demandez-le à un autre administrateur.' });
    const updated = await this.dataSource.transaction(async (manager) => {
      if (user.staffRole === 'admin') await this.assertAnotherActiveAdmin(manager, user, 'demote');
      await manager.query(`UPDATE app_user SET staff_role = $2, updated_at = now() WHERE id = $1`, [user.id, role]);
      await appendAudit(manager, {
        actor: auditActorOf(actor),
        tenantId: null,
        action: 'user.role_changed',
        target: { type: 'user', id: user.id },
        changes: { role: { before: user.staffRole, after: role } },
        requestId,
      });
      return this.reload(manager, user.id);
    });
    return userView(updated);
  }

  /** For a lost phone: the next login asks to configure a new authenticator. Sessions are revoked. */
  async resetTotp(actor: Actor, requestId: string | null, userId: string): Promise<UserView> {
    const user = await this.userOrThrow(actor, userId);
    this.assertMayManage(actor, user);
    if (user.id === actor.userId) throw new AppError('CONFLICT', { detail: 'Demandez à un autre administrateur de réinitialiser votre second facteur.' });
    const updated = await this.dataSource.transaction(async (manager) => {
      await manager.query(`UPDATE app_user SET totp_secret_ciphertext = NULL, totp_enabled_at = NULL, updated_at = now() WHERE id = $1`, [user.id]);
      const sessionsRevoked = await this.sessions.revokeAllOf(manager, user.id);
      await appendAudit(manager, {
        actor: auditActorOf(actor),
        tenantId: user.tenantId,
        action: 'user.totp_reset',
        target: { type: 'user', id: user.id },
        changes: { totpEnabled: { before: user.totpEnabledAt !== null, after: false }, sessionsRevoked },
        requestId,
      });
      return this.reload(manager, user.id);
    });
    return userView(updated);
  }

  /** Who is calling, with the name the console shows. */
  async me(actor: Actor): Promise<UserView & { via: Actor['via'] }> {
    const user = await this.dataSource.getRepository(UserEntity).findOne({ where: { id: actor.userId } });
    if (!user) throw new AppError('UNAUTHENTICATED');
    return { ...userView(user), via: actor.via };
  }

  /**
   * The rule that keeps the console administrable (issue 16): at least one active staff
   * administrator, and at least one active client administrator per tenant. The active
   * administrators of the same group are locked (`FOR UPDATE`) in this transaction, so two
   * administrators disabling each other at the same moment, on any replica, cannot both succeed:
   * the second one waits, then sees the first change and is refused.
   */
  private async assertAnotherActiveAdmin(manager: EntityManager, user: UserEntity, change: 'disable' | 'demote'): Promise<void> {
    if (user.kind === 'staff' && user.staffRole !== 'admin') return;
    const rows = (
      user.kind === 'staff'
        ? await manager.query(`SELECT id FROM app_user WHERE kind = 'staff' AND staff_role = 'admin' AND status = 'active' ORDER BY id FOR UPDATE`)
        : await manager.query(`SELECT id FROM app_user WHERE kind = 'client_admin' AND tenant_id = $1 AND status = 'active' ORDER BY id FOR UPDATE`, [user.tenantId])
    ) as { id: string }[];
    if (rows.some((r) => r.id !== user.id)) return;
    // The target is no longer active (changed meanwhile): nothing to protect.
    if (!rows.some((r) => r.id === user.id)) return;
    throw new AppError('CONFLICT', {
      detail:
        user.kind === 'staff'
          ? `Impossible de ${change === 'disable' ? 'désactiver' : 'retirer le rôle d’administrateur à'} ${user.displayName} : c’est le dernier administrateur actif de l’équipe. Nommez d’abord un autre administrateur.`
          : `Impossible de désactiver ${user.displayName} : c’est le dernier administrateur actif de ce client. Invitez d’abord un autre administrateur.`,
      extensions: { reason: 'last_active_admin' },
    });
  }

  /** A client administrator of that tenant, for the tenant-scoped routes (another tenant, staff, unknown: 404). */
  private async tenantAdminOrThrow(actor: Actor, tenantId: string, userId: string): Promise<UserEntity> {
    const tenant = await this.tenantOrThrow(actor, tenantId);
    const user = idSchema.safeParse(userId).success ? await this.dataSource.getRepository(UserEntity).findOne({ where: { id: userId } }) : null;
    if (!user || user.kind !== 'client_admin' || user.tenantId !== tenant.id) throw new AppError('NOT_FOUND', { detail: NOT_FOUND_USER });
    return user;
  }

  /** Staff invite staff only when admin; client administrators are managed by any staff who may write. */
  private assertMayManage(actor: Actor, user: UserEntity): void {
    if (user.kind === 'staff' && !(actor.kind === 'staff' && actor.role === 'admin')) {
      throw new AppError('FORBIDDEN', { detail: 'Seul un administrateur peut gérer les comptes de l’équipe.' });
    }
  }

  private async sendInvitation(user: UserEntity, token: string, expiresAt: Date, tenantName: string | null): Promise<InvitationResult> {
    const link = invitationLink(this.config.http.publicUrl, token);
    let sent = true;
    try {
      await this.mail.send(invitationMail({ to: user.email, displayName: user.displayName, link, expiresAt, tenantName }));
    } catch {
      // The account exists; the link can be sent again with "resend invitation".
      sent = false;
    }
    return { user: userView(user), invitation: { sent, expiresAt: expiresAt.toISOString() } };
  }

  private async page(qb: SelectQueryBuilder<UserEntity>, query: ListUsersQuery | TenantAdminsQuery): Promise<Page<UserView>> {
    if (query.status) qb.andWhere('u.status = :status', { status: query.status });
    if (query.search) {
      qb.andWhere(`(u.email ILIKE :search ESCAPE '\\' OR u.display_name ILIKE :search ESCAPE '\\')`, { search: `%${escapeLike(query.search)}%` });
    }
    const order = query.order === 'desc' ? 'DESC' : 'ASC';
    qb.orderBy(SORT_COLUMNS[query.sort], order, 'NULLS LAST').addOrderBy('u.id', order);
    qb.offset((query.page - 1) * query.pageSize).limit(query.pageSize);
    const [items, total] = await qb.getManyAndCount();
    return { items: items.map(userView), page: query.page, pageSize: query.pageSize, total };
  }

  private async tenantOrThrow(actor: Actor, tenantId: string): Promise<TenantEntity> {
    if (!idSchema.safeParse(tenantId).success) throw new AppError('NOT_FOUND', { detail: NOT_FOUND_TENANT });
    assertTenantAccess(actor, tenantId, NOT_FOUND_TENANT);
    const tenant = await this.dataSource.getRepository(TenantEntity).findOne({ where: { id: tenantId } });
    if (!tenant) throw new AppError('NOT_FOUND', { detail: NOT_FOUND_TENANT });
    return tenant;
  }

  /** An account the actor may see: staff see all; a client administrator only those of their tenant. */
  private async userOrThrow(actor: Actor, userId: string): Promise<UserEntity> {
    if (!idSchema.safeParse(userId).success) throw new AppError('NOT_FOUND', { detail: NOT_FOUND_USER });
    const user = await this.dataSource.getRepository(UserEntity).findOne({ where: { id: userId } });
    if (!user) throw new AppError('NOT_FOUND', { detail: NOT_FOUND_USER });
    if (actor.kind === 'client_admin' && (user.kind !== 'client_admin' || user.tenantId !== actor.tenantId)) {
      throw new AppError('NOT_FOUND', { detail: NOT_FOUND_USER });
    }
    return user;
  }

  private async reload(manager: EntityManager, userId: string): Promise<UserEntity> {
    const user = await manager.getRepository(UserEntity).findOne({ where: { id: userId } });
    if (!user) throw new AppError('NOT_FOUND', { detail: NOT_FOUND_USER });
    return user;
  }
}
