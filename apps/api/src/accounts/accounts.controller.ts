import { Controller, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApiTokenView, InvitationResult, Page, ParsedBodyOf, ParsedQueryOf, ResponseOf, UserView } from '@fcplat/contract';
import { CLIENT_ADMIN, STAFF_ADMIN, STAFF_READ, STAFF_WRITE, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import { ContractBody, ContractQuery, Endpoint } from '../http/endpoint.js';
import { AccountsService } from './accounts.service.js';
import { ApiTokensService } from './api-tokens.service.js';

/** Personal API tokens of the caller (staff only). Declared before `:id` routes. */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller()
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Endpoint('createApiToken')
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'Creates a personal API token (from a console session); the token is shown in this answer only' })
  async create(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @ContractBody('createApiToken') body: ParsedBodyOf<'createApiToken'>,
  ): Promise<ResponseOf<'createApiToken'>> {
    const issued = await this.tokens.create(actor, requestId, body.name, body.expiresInDays);
    return { ...issued, createdAt: issued.createdAt.toISOString(), expiresAt: issued.expiresAt?.toISOString() ?? null };
  }

  @Endpoint('listApiTokens')
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'The caller’s live API tokens (never the token values)' })
  list(@CurrentActor() actor: Actor): Promise<{ items: ApiTokenView[] }> {
    return this.tokens.list(actor);
  }

  @Endpoint('revokeApiToken')
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'Revokes one of the caller’s API tokens' })
  async revoke(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('id') id: string): Promise<void> {
    await this.tokens.revoke(actor, requestId, id);
  }
}

/** Console accounts: editor staff and client administrators. */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Endpoint('listAccounts')
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'Lists accounts (filter by kind, role, tenant, status; search in e-mail and name)' })
  list(@ContractQuery('listAccounts') query: ParsedQueryOf<'listAccounts'>): Promise<Page<UserView>> {
    return this.accounts.list(query);
  }

  @Endpoint('inviteStaff')
  @Allow(STAFF_ADMIN)
  @ApiOperation({ summary: 'Invites a staff member by e-mail (link valid 72 hours)' })
  inviteStaff(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @ContractBody('inviteStaff') body: ParsedBodyOf<'inviteStaff'>,
  ): Promise<InvitationResult> {
    return this.accounts.inviteStaff(actor, requestId, body);
  }

  @Endpoint('getAccount')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'One account (a client administrator sees the administrators of their own tenant only)' })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<UserView> {
    return this.accounts.get(actor, id);
  }

  @Endpoint('resendInvitation')
  @Allow(STAFF_WRITE)
  @ApiOperation({ summary: 'Sends a new invitation link to an account not activated yet (staff accounts: admins only)' })
  resendInvitation(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('id') id: string): Promise<InvitationResult> {
    return this.accounts.resendInvitation(actor, requestId, id);
  }

  @Endpoint('changeRole')
  @Allow(STAFF_ADMIN)
  @ApiOperation({ summary: 'Changes the role of a staff member' })
  changeRole(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id') id: string,
    @ContractBody('changeRole') body: ParsedBodyOf<'changeRole'>,
  ): Promise<UserView> {
    return this.accounts.changeRole(actor, requestId, id, body.role);
  }

  @Endpoint('disableAccount')
  @Allow(STAFF_ADMIN)
  @ApiOperation({ summary: 'Disables an account: its sessions, API tokens and pending links are revoked' })
  disable(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('id') id: string): Promise<UserView> {
    return this.accounts.disable(actor, requestId, id);
  }

  @Endpoint('enableAccount')
  @Allow(STAFF_ADMIN)
  @ApiOperation({ summary: 'Enables a disabled account again' })
  enable(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('id') id: string): Promise<UserView> {
    return this.accounts.enable(actor, requestId, id);
  }

  @Endpoint('resetTotp')
  @Allow(STAFF_ADMIN)
  @ApiOperation({ summary: 'Lost authenticator: the next login asks for a new one; sessions are revoked' })
  resetTotp(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('id') id: string): Promise<UserView> {
    return this.accounts.resetTotp(actor, requestId, id);
  }
}

/** The client administrators of one tenant (SR-20: another tenant's list is 404 for a client administrator). */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller()
export class TenantAdminsController {
  constructor(private readonly accounts: AccountsService) {}

  @Endpoint('listTenantAdmins')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Lists the client administrators of a tenant' })
  list(
    @CurrentActor() actor: Actor,
    @Param('tenantId') tenantId: string,
    @ContractQuery('listTenantAdmins') query: ParsedQueryOf<'listTenantAdmins'>,
  ): Promise<Page<UserView>> {
    return this.accounts.listTenantAdmins(actor, tenantId, query);
  }

  @Endpoint('inviteTenantAdmin')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Invites a client administrator of the tenant by e-mail (link valid 72 hours): staff who may write, or an administrator of that tenant' })
  invite(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('tenantId') tenantId: string,
    @ContractBody('inviteTenantAdmin') body: ParsedBodyOf<'inviteTenantAdmin'>,
  ): Promise<InvitationResult> {
    return this.accounts.inviteClientAdmin(actor, requestId, tenantId, body);
  }

  @Endpoint('resendTenantAdminInvitation')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Sends a new invitation link to a client administrator of the tenant not activated yet' })
  resendInvitation(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('tenantId') tenantId: string,
    @Param('userId') userId: string,
  ): Promise<InvitationResult> {
    return this.accounts.resendTenantAdminInvitation(actor, requestId, tenantId, userId);
  }

  @Endpoint('disableTenantAdmin')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Disables a client administrator of the tenant (never oneself, never the last active one): sessions and pending links are revoked' })
  disable(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('tenantId') tenantId: string, @Param('userId') userId: string): Promise<UserView> {
    return this.accounts.disableTenantAdmin(actor, requestId, tenantId, userId);
  }

  @Endpoint('enableTenantAdmin')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Enables a disabled client administrator of the tenant again' })
  enable(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('tenantId') tenantId: string, @Param('userId') userId: string): Promise<UserView> {
    return this.accounts.enableTenantAdmin(actor, requestId, tenantId, userId);
  }
}
