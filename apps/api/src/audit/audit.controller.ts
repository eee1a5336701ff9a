import { Controller, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditEntryView, AuditQuery, Page, TenantAuditQuery } from '@fcplat/contract';
import { CLIENT_ADMIN, STAFF_READ, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor } from '../auth/decorators.js';
import { ApiProblems, ContractQuery, Endpoint } from '../http/endpoint.js';
import { AuditService } from './audit.service.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Endpoint('auditLog')
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'The audit log, newest first: filter by tenant, action prefix, actor id and time range [from, to)' })
  @ApiProblems(400, 401, 403)
  list(@ContractQuery('auditLog') query: AuditQuery): Promise<Page<AuditEntryView>> {
    return this.audit.list(query);
  }

  @Endpoint('tenantAudit')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'The audit log of one tenant (staff, or the tenant’s own administrator), newest first' })
  @ApiProblems(400, 401, 403, 404)
  listForTenant(
    @CurrentActor() actor: Actor,
    @Param('tenantId') tenantId: string,
    @ContractQuery('tenantAudit') query: TenantAuditQuery,
  ): Promise<Page<AuditEntryView>> {
    return this.audit.listForTenant(actor, tenantId, query);
  }
}
