import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLIENT_ADMIN, STAFF_READ, STAFF_WRITE, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import type { Page } from '../http/pagination.js';
import { ZodPipe, openApiSchema } from '../http/validation.js';
import { OnboardingService } from './onboarding.service.js';
import { ApiProblems, ApiQueryFrom, pageResponseSchema, responseSchema } from './openapi.js';
import {
  caseViewSchema,
  casePatchSchema,
  commentBodySchema,
  commentSchema,
  commentsQuerySchema,
  historyEntrySchema,
  historyQuerySchema,
  transitionBodySchema,
  type CasePatch,
  type CaseView,
  type CommentView,
  type HistoryEntry,
  type TransitionBody,
} from './schemas.js';

/**
 * A tenant's onboarding case. Staff read every case; a client administrator reads their own
 * tenant's (another tenant's answers 404, SR-20) and may take the moves the state machine
 * grants to client administrators.
 */
@ApiTags('onboarding')
@ApiBearerAuth()
@Controller('api/tenants/:tenantId/onboarding')
export class OnboardingController {
  constructor(private readonly onboarding: OnboardingService) {}

  @Get()
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'The onboarding case: stage, waiting time in French working days, SLA deadline, overdue flag, next actions in plain French' })
  @ApiOkResponse({ schema: responseSchema(caseViewSchema) })
  @ApiProblems(401, 403, 404)
  get(@CurrentActor() actor: Actor, @Param('tenantId') tenantId: string): Promise<CaseView> {
    return this.onboarding.getCase(actor, tenantId);
  }

  @Patch()
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Assign the case to a staff member and/or record the Démarches Simplifiées file number (staff)' })
  @ApiBody({ schema: openApiSchema(casePatchSchema) })
  @ApiOkResponse({ schema: responseSchema(caseViewSchema) })
  @ApiProblems(400, 401, 403, 404)
  update(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('tenantId') tenantId: string,
    @Body(new ZodPipe(casePatchSchema)) body: CasePatch,
  ): Promise<CaseView> {
    return this.onboarding.updateCase(actor, requestId, tenantId, body);
  }

  @Post('transitions')
  @HttpCode(200)
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @ApiOperation({
    summary: 'Move the case to another stage (advance, skip or rollback), if the onboarding rules allow it',
    description:
      'Refusals change nothing: 409 CONFLICT with `reasons` (code, French message, checklist item ids) when a guard fails, ' +
      '403 FORBIDDEN when the move is reserved to another actor, 400 when a rollback has no reason.',
  })
  @ApiBody({ schema: openApiSchema(transitionBodySchema) })
  @ApiOkResponse({ schema: responseSchema(caseViewSchema) })
  @ApiProblems(400, 401, 403, 404, 409)
  transition(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('tenantId') tenantId: string,
    @Body(new ZodPipe(transitionBodySchema)) body: TransitionBody,
  ): Promise<CaseView> {
    return this.onboarding.transition(actor, requestId, tenantId, body);
  }

  @Get('history')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Stage history of the case: who moved it, when, how and why (oldest first by default)' })
  @ApiQueryFrom(historyQuerySchema)
  @ApiOkResponse({ schema: pageResponseSchema(historyEntrySchema) })
  @ApiProblems(400, 401, 403, 404)
  history(
    @CurrentActor() actor: Actor,
    @Param('tenantId') tenantId: string,
    @Query(new ZodPipe(historyQuerySchema)) query: { page: number; pageSize: number; order: 'asc' | 'desc' },
  ): Promise<Page<HistoryEntry>> {
    return this.onboarding.history(actor, tenantId, query);
  }

  @Get('comments')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Comments on the case (oldest first by default)' })
  @ApiQueryFrom(commentsQuerySchema)
  @ApiOkResponse({ schema: pageResponseSchema(commentSchema) })
  @ApiProblems(400, 401, 403, 404)
  comments(
    @CurrentActor() actor: Actor,
    @Param('tenantId') tenantId: string,
    @Query(new ZodPipe(commentsQuerySchema)) query: { page: number; pageSize: number; order: 'asc' | 'desc' },
  ): Promise<Page<CommentView>> {
    return this.onboarding.comments(actor, tenantId, query);
  }

  @Post('comments')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Comment on the case (staff, or the tenant’s administrator)' })
  @ApiBody({ schema: openApiSchema(commentBodySchema) })
  @ApiCreatedResponse({ schema: responseSchema(commentSchema) })
  @ApiProblems(400, 401, 403, 404)
  addComment(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('tenantId') tenantId: string,
    @Body(new ZodPipe(commentBodySchema)) body: { body: string },
  ): Promise<CommentView> {
    return this.onboarding.addComment(actor, requestId, tenantId, body.body);
  }
}
