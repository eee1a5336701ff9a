import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLIENT_ADMIN, STAFF_READ, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor } from '../auth/decorators.js';
import type { Page } from '../http/pagination.js';
import { ZodPipe } from '../http/validation.js';
import { ApiProblems, ApiQueryFrom, pageResponseSchema } from '../onboarding/openapi.js';
import { AuditService } from './audit.service.js';
import {
  auditEntrySchema,
  auditQuerySchema,
  tenantAuditQuerySchema,
  type AuditEntryView,
  type AuditQuery,
  type TenantAuditQuery,
} from './audit.schemas.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('api/audit')
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'The audit log, newest first: filter by tenant, action prefix, actor id and time range [from, to)' })
  @ApiQueryFrom(auditQuerySchema)
  @ApiOkResponse({ schema: pageResponseSchema(auditEntrySchema) })
  @ApiProblems(400, 401, 403)
  list(@Query(new ZodPipe(auditQuerySchema)) query: AuditQuery): Promise<Page<AuditEntryView>> {
    return this.audit.list(query);
  }

  @Get('api/tenants/:tenantId/audit')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'The audit log of one tenant (staff, or the tenant’s own administrator), newest first' })
  @ApiQueryFrom(tenantAuditQuerySchema)
  @ApiOkResponse({ schema: pageResponseSchema(auditEntrySchema) })
  @ApiProblems(400, 401, 403, 404)
  listForTenant(
    @CurrentActor() actor: Actor,
    @Param('tenantId') tenantId: string,
    @Query(new ZodPipe(tenantAuditQuerySchema)) query: TenantAuditQuery,
  ): Promise<Page<AuditEntryView>> {
    return this.audit.listForTenant(actor, tenantId, query);
  }
}
