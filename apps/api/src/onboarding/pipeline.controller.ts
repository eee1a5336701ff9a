import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { STAFF_ADMIN, STAFF_READ, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import type { Page } from '../http/pagination.js';
import { ZodPipe, openApiSchema } from '../http/validation.js';
import { ApiProblems, ApiQueryFrom, pageResponseSchema, responseSchema } from './openapi.js';
import { PipelineService } from './pipeline.service.js';
import {
  caseListItemSchema,
  casesQuerySchema,
  pipelineSchema,
  settingsBodySchema,
  settingsSchema,
  type CaseListItem,
  type CasesQuery,
  type PipelineView,
  type SettingsView,
} from './schemas.js';

/** The staff's view over every case. */
@ApiTags('onboarding')
@ApiBearerAuth()
@Controller('api/onboarding')
export class PipelineController {
  constructor(private readonly pipelineService: PipelineService) {}

  @Get('cases')
  @Allow(STAFF_READ)
  @ApiOperation({
    summary: 'Every onboarding case, filtered (stage, overdue, assignee, tenant name or SIRET), sorted (waiting, stage, name) and paginated',
  })
  @ApiQueryFrom(casesQuerySchema)
  @ApiOkResponse({ schema: pageResponseSchema(caseListItemSchema) })
  @ApiProblems(400, 401, 403)
  cases(@Query(new ZodPipe(casesQuerySchema)) query: CasesQuery): Promise<Page<CaseListItem>> {
    return this.pipelineService.listCases(query);
  }

  @Get('pipeline')
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'Number of cases and of overdue cases per stage' })
  @ApiOkResponse({ schema: responseSchema(pipelineSchema) })
  @ApiProblems(401, 403)
  pipeline(): Promise<PipelineView> {
    return this.pipelineService.pipeline();
  }

  @Get('settings')
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'Platform-wide onboarding settings: is the editor’s software already qualified by FranceConnect, per mode' })
  @ApiOkResponse({ schema: responseSchema(settingsSchema) })
  @ApiProblems(401, 403)
  settings(): Promise<SettingsView> {
    return this.pipelineService.settings();
  }

  @Put('settings')
  @Allow(STAFF_ADMIN)
  @ApiOperation({ summary: 'Record whether FranceConnect qualified the editor’s software (lets staff skip the qualification stages)' })
  @ApiBody({ schema: openApiSchema(settingsBodySchema) })
  @ApiOkResponse({ schema: responseSchema(settingsSchema) })
  @ApiProblems(400, 401, 403)
  updateSettings(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Body(new ZodPipe(settingsBodySchema)) body: { editorQualified: { connexion: boolean; dataRetrieval: boolean } },
  ): Promise<SettingsView> {
    return this.pipelineService.updateSettings(actor, requestId, body.editorQualified);
  }
}
