import { Controller, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ChecklistItemBody, ChecklistView } from '@fcplat/contract';
import { CLIENT_ADMIN, STAFF_READ, STAFF_WRITE, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import { ApiProblems, ContractBody, Endpoint } from '../http/endpoint.js';
import { QualificationService } from './qualification.service.js';

/** The qualification checklist (FC-01 … FC-22) of a tenant. */
@ApiTags('qualification')
@ApiBearerAuth()
@Controller()
export class ChecklistController {
  constructor(private readonly qualification: QualificationService) {}

  @Endpoint('checklist')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'The prerequisites that apply to the tenant’s modes, their statuses and evidence, and the summary (blocking items, ready for qualification)' })
  @ApiProblems(401, 403, 404)
  get(@CurrentActor() actor: Actor, @Param('tenantId') tenantId: string): Promise<ChecklistView> {
    return this.qualification.checklist(actor, tenantId);
  }

  @Endpoint('putChecklistItem')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @ApiOperation({
    summary: 'Record a person’s verdict on one prerequisite (staff), with evidence',
    description: 'Unknown item id: 404. Item that does not apply to the tenant’s modes: 409. Returns the whole checklist with its new summary.',
  })
  @ApiProblems(400, 401, 403, 404, 409)
  put(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('tenantId') tenantId: string,
    @Param('itemId') itemId: string,
    @ContractBody('putChecklistItem') body: ChecklistItemBody,
  ): Promise<ChecklistView> {
    return this.qualification.updateItem(actor, requestId, tenantId, itemId, body);
  }
}
