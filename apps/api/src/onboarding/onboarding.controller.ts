import { Controller, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CasePatch, CaseView, CommentInput, CommentView, CaseHistoryEntry, Page, ParsedQueryOf, TransitionBody } from '@fcplat/contract';
import { CLIENT_ADMIN, STAFF_READ, STAFF_WRITE, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import { ApiProblems, ContractBody, ContractQuery, Endpoint } from '../http/endpoint.js';
import { OnboardingService } from './onboarding.service.js';

/**
 * A tenant's onboarding case. Staff read every case; a client administrator reads their own
 * tenant's (another tenant's answers 404, SR-20) and may take the moves the state machine
 * grants to client administrators.
 */
@ApiTags('onboarding')
@ApiBearerAuth()
@Controller()
export class OnboardingController {
  constructor(private readonly onboarding: OnboardingService) {}

  @Endpoint('getCase')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'The onboarding case: stage, waiting time in French working days, SLA deadline, overdue flag, next actions in plain French' })
  @ApiProblems(401, 403, 404)
  get(@CurrentActor() actor: Actor, @Param('tenantId') tenantId: string): Promise<CaseView> {
    return this.onboarding.getCase(actor, tenantId);
  }

  @Endpoint('patchCase')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Assign the case to a staff member and/or record the Démarches Simplifiées file number (staff)' })
  @ApiProblems(400, 401, 403, 404)
  update(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('tenantId') tenantId: string,
    @ContractBody('patchCase') body: CasePatch,
  ): Promise<CaseView> {
    return this.onboarding.updateCase(actor, requestId, tenantId, body);
  }

  @Endpoint('transition')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @ApiOperation({
    summary: 'Move the case to another stage (advance, skip or rollback), if the onboarding rules allow it',
    description:
      'Refusals change nothing: 409 CONFLICT with `reasons` (code, French message, checklist item ids) when a guard fails, ' +
      '403 FORBIDDEN when the move is reserved to another actor, 400 when a rollback has no reason.',
  })
  @ApiProblems(400, 401, 403, 404, 409)
  transition(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('tenantId') tenantId: string,
    @ContractBody('transition') body: TransitionBody,
  ): Promise<CaseView> {
    return this.onboarding.transition(actor, requestId, tenantId, body);
  }

  @Endpoint('caseHistory')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Stage history of the case: who moved it, when, how and why (oldest first by default)' })
  @ApiProblems(400, 401, 403, 404)
  history(
    @CurrentActor() actor: Actor,
    @Param('tenantId') tenantId: string,
    @ContractQuery('caseHistory') query: ParsedQueryOf<'caseHistory'>,
  ): Promise<Page<CaseHistoryEntry>> {
    return this.onboarding.history(actor, tenantId, query);
  }

  @Endpoint('listComments')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Comments on the case (oldest first by default); a client administrator gets the messages to the client only, never the team’s internal notes' })
  @ApiProblems(400, 401, 403, 404)
  comments(
    @CurrentActor() actor: Actor,
    @Param('tenantId') tenantId: string,
    @ContractQuery('listComments') query: ParsedQueryOf<'listComments'>,
  ): Promise<Page<CommentView>> {
    return this.onboarding.comments(actor, tenantId, query);
  }

  @Endpoint('addComment')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @ApiOperation({
    summary: 'Comment on the case (staff, or the tenant’s administrator)',
    description: 'Staff choose `visibility`: `internal` (the team only) or `client` (the client’s administrators read it too); a client administrator’s comment is always `client`.',
  })
  @ApiProblems(400, 401, 403, 404)
  addComment(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('tenantId') tenantId: string,
    @ContractBody('addComment') body: CommentInput,
  ): Promise<CommentView> {
    return this.onboarding.addComment(actor, requestId, tenantId, body);
  }
}
