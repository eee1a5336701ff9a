import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { CLIENT_ADMIN, STAFF_ADMIN, STAFF_READ, STAFF_WRITE, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import { pageSchema, type Page } from '../http/pagination.js';
import { ZodPipe, openApiSchema } from '../http/validation.js';
import { ApiQueryFrom } from '../onboarding/openapi.js';
import type { IssuedApiToken } from './account-records.js';
import { AccountsService } from './accounts.service.js';
import { API_TOKEN_VIEW_SCHEMA, ApiTokensService, type ApiTokenView } from './api-tokens.service.js';
import { changeRoleSchema, createApiTokenSchema, inviteClientAdminSchema, inviteStaffSchema, listUsersQuerySchema, tenantAdminsQuerySchema } from './schemas.js';
import { INVITATION_RESULT_SCHEMA, USER_VIEW_SCHEMA, type InvitationResult, type UserView } from './views.js';

/** Personal API tokens of the caller (staff only). Declared before `:id` routes. */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller('api/accounts/me/tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'Creates a personal API token (from a console session); the token is shown in this answer only' })
  @ApiBody({ schema: openApiSchema(createApiTokenSchema) })
  @ApiCreatedResponse({
    schema: {
      ...API_TOKEN_VIEW_SCHEMA,
      required: ['id', 'name', 'prefix', 'createdAt', 'expiresAt', 'token'],
      properties: { ...API_TOKEN_VIEW_SCHEMA.properties, token: { type: 'string', description: 'Use as `Authorization: Bearer <token>`. Never shown again.' } },
    },
  })
  async create(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Body(new ZodPipe(createApiTokenSchema)) body: z.output<typeof createApiTokenSchema>,
  ): Promise<Omit<IssuedApiToken, 'createdAt' | 'expiresAt'> & { createdAt: string; expiresAt: string | null }> {
    const issued = await this.tokens.create(actor, requestId, body.name, body.expiresInDays);
    return { ...issued, createdAt: issued.createdAt.toISOString(), expiresAt: issued.expiresAt?.toISOString() ?? null };
  }

  @Get()
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'The caller’s live API tokens (never the token values)' })
  @ApiOkResponse({ schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: API_TOKEN_VIEW_SCHEMA } } } })
  list(@CurrentActor() actor: Actor): Promise<{ items: ApiTokenView[] }> {
    return this.tokens.list(actor);
  }

  @Delete(':id')
  @Allow(STAFF_READ)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revokes one of the caller’s API tokens' })
  @ApiNoContentResponse()
  async revoke(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('id') id: string): Promise<void> {
    await this.tokens.revoke(actor, requestId, id);
  }
}

/** Console accounts: editor staff and client administrators. */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller('api/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'Lists accounts (filter by kind, role, tenant, status; search in e-mail and name)' })
  @ApiOkResponse({ schema: pageSchema(USER_VIEW_SCHEMA) })
  @ApiQueryFrom(listUsersQuerySchema)
  list(@Query(new ZodPipe(listUsersQuerySchema)) query: z.output<typeof listUsersQuerySchema>): Promise<Page<UserView>> {
    return this.accounts.list(query);
  }

  @Post('staff')
  @Allow(STAFF_ADMIN)
  @ApiOperation({ summary: 'Invites a staff member by e-mail (link valid 72 hours)' })
  @ApiBody({ schema: openApiSchema(inviteStaffSchema) })
  @ApiCreatedResponse({ schema: INVITATION_RESULT_SCHEMA })
  inviteStaff(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Body(new ZodPipe(inviteStaffSchema)) body: z.output<typeof inviteStaffSchema>,
  ): Promise<InvitationResult> {
    return this.accounts.inviteStaff(actor, requestId, body);
  }

  @Get(':id')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'One account (a client administrator sees the administrators of their own tenant only)' })
  @ApiOkResponse({ schema: USER_VIEW_SCHEMA })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<UserView> {
    return this.accounts.get(actor, id);
  }

  @Post(':id/invitation')
  @Allow(STAFF_WRITE)
  @ApiOperation({ summary: 'Sends a new invitation link to an account not activated yet (staff accounts: admins only)' })
  @ApiCreatedResponse({ schema: INVITATION_RESULT_SCHEMA })
  resendInvitation(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('id') id: string): Promise<InvitationResult> {
    return this.accounts.resendInvitation(actor, requestId, id);
  }

  @Put(':id/role')
  @Allow(STAFF_ADMIN)
  @ApiOperation({ summary: 'Changes the role of a staff member' })
  @ApiBody({ schema: openApiSchema(changeRoleSchema) })
  @ApiOkResponse({ schema: USER_VIEW_SCHEMA })
  changeRole(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('id') id: string,
    @Body(new ZodPipe(changeRoleSchema)) body: z.output<typeof changeRoleSchema>,
  ): Promise<UserView> {
    return this.accounts.changeRole(actor, requestId, id, body.role);
  }

  @Post(':id/disable')
  @Allow(STAFF_ADMIN)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Disables an account: its sessions, API tokens and pending links are revoked' })
  @ApiOkResponse({ schema: USER_VIEW_SCHEMA })
  disable(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('id') id: string): Promise<UserView> {
    return this.accounts.disable(actor, requestId, id);
  }

  @Post(':id/enable')
  @Allow(STAFF_ADMIN)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Enables a disabled account again' })
  @ApiOkResponse({ schema: USER_VIEW_SCHEMA })
  enable(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('id') id: string): Promise<UserView> {
    return this.accounts.enable(actor, requestId, id);
  }

  @Post(':id/totp/reset')
  @Allow(STAFF_ADMIN)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Lost authenticator: the next login asks for a new one; sessions are revoked' })
  @ApiOkResponse({ schema: USER_VIEW_SCHEMA })
  resetTotp(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('id') id: string): Promise<UserView> {
    return this.accounts.resetTotp(actor, requestId, id);
  }
}

/** The client administrators of one tenant (SR-20: another tenant's list is 404 for a client administrator). */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller('api/tenants/:tenantId/admins')
export class TenantAdminsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Lists the client administrators of a tenant' })
  @ApiOkResponse({ schema: pageSchema(USER_VIEW_SCHEMA) })
  @ApiQueryFrom(tenantAdminsQuerySchema)
  list(
    @CurrentActor() actor: Actor,
    @Param('tenantId') tenantId: string,
    @Query(new ZodPipe(tenantAdminsQuerySchema)) query: z.output<typeof tenantAdminsQuerySchema>,
  ): Promise<Page<UserView>> {
    return this.accounts.listTenantAdmins(actor, tenantId, query);
  }

  @Post()
  @Allow(STAFF_WRITE)
  @ApiOperation({ summary: 'Invites a client administrator of the tenant by e-mail (link valid 72 hours)' })
  @ApiBody({ schema: openApiSchema(inviteClientAdminSchema) })
  @ApiCreatedResponse({ schema: INVITATION_RESULT_SCHEMA })
  invite(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('tenantId') tenantId: string,
    @Body(new ZodPipe(inviteClientAdminSchema)) body: z.output<typeof inviteClientAdminSchema>,
  ): Promise<InvitationResult> {
    return this.accounts.inviteClientAdmin(actor, requestId, tenantId, body);
  }
}
