import { Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CaseListItem, CasesQuery, PipelineView, SettingsView, WindowedPage } from '@fcplat/contract';
import { STAFF_ADMIN, STAFF_READ, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import { ApiProblems, ContractBody, ContractQuery, Endpoint } from '../http/endpoint.js';
import { PipelineService } from './pipeline.service.js';

/** The staff's view over every case. */
@ApiTags('onboarding')
@ApiBearerAuth()
@Controller()
export class PipelineController {
  constructor(private readonly pipelineService: PipelineService) {}

  @Endpoint('listCases')
  @Allow(STAFF_READ)
  @ApiOperation({
    summary: 'Every onboarding case, filtered (stage, overdue, assignee, tenant name or SIRET), sorted (waiting, stage, name) and paginated',
  })
  @ApiProblems(400, 401, 403)
  cases(@ContractQuery('listCases') query: CasesQuery): Promise<WindowedPage<CaseListItem>> {
    return this.pipelineService.listCases(query);
  }

  @Endpoint('pipeline')
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'Number of cases and of overdue cases per stage' })
  @ApiProblems(401, 403)
  pipeline(): Promise<PipelineView> {
    return this.pipelineService.pipeline();
  }

  @Endpoint('onboardingSettings')
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'Platform-wide onboarding settings: is the editor’s software already qualified by FranceConnect, per mode' })
  @ApiProblems(401, 403)
  settings(): Promise<SettingsView> {
    return this.pipelineService.settings();
  }

  @Endpoint('putOnboardingSettings')
  @Allow(STAFF_ADMIN)
  @ApiOperation({ summary: 'Record whether FranceConnect qualified the editor’s software (lets staff skip the qualification stages)' })
  @ApiProblems(400, 401, 403)
  updateSettings(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @ContractBody('putOnboardingSettings') body: { editorQualified: { connexion: boolean; dataRetrieval: boolean } },
  ): Promise<SettingsView> {
    return this.pipelineService.updateSettings(actor, requestId, body.editorQualified);
  }
}
