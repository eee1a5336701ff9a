import { Controller, Header, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditEntryView, AuditQuery, Page, ResponseOf, TenantAuditExportQuery, TenantAuditQuery } from '@fcplat/contract';
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

  @Endpoint('tenantAuditExport')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The journal of one tenant as CSV (UTF-8 with BOM, « ; », dates in France, actions and changes in French), with the same filters' })
  @ApiProblems(400, 401, 403, 404)
  async exportForTenant(
    @CurrentActor() actor: Actor,
    @Param('tenantId') tenantId: string,
    @ContractQuery('tenantAuditExport') query: TenantAuditExportQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const csv = await this.audit.exportForTenant(actor, tenantId, query);
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="journal.csv"');
    return csv;
  }

  @Endpoint('tenantAuditAuthors')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'The people (staff, client administrators) who acted in the tenant’s journal: the choices of its author filter (`actorId`)' })
  @ApiProblems(401, 403, 404)
  async authorsForTenant(@CurrentActor() actor: Actor, @Param('tenantId') tenantId: string): Promise<ResponseOf<'tenantAuditAuthors'>> {
    return { items: await this.audit.authorsForTenant(actor, tenantId) };
  }
}
