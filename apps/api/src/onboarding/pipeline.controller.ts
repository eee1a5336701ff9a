import { Controller, Header, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { BulkAssignBody, BulkMoveBody, BulkResult, CaseListItem, CasesExportQuery, CasesQuery, PipelineView, SettingsView, WindowedPage } from '@fcplat/contract';
import { STAFF_ADMIN, STAFF_READ, STAFF_WRITE, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import { ApiProblems, ContractBody, ContractQuery, Endpoint } from '../http/endpoint.js';
import { BulkCasesService } from './bulk.service.js';
import { PipelineService } from './pipeline.service.js';

/** The staff's view over every case. */
@ApiTags('onboarding')
@ApiBearerAuth()
@Controller()
export class PipelineController {
  constructor(
    private readonly pipelineService: PipelineService,
    private readonly bulk: BulkCasesService,
  ) {}

  @Endpoint('listCases')
  @Allow(STAFF_READ)
  @ApiOperation({
    summary: 'Every onboarding case, filtered (stage, overdue, assignee, tenant name or SIRET), sorted (waiting, stage, name) and paginated',
  })
  @ApiProblems(400, 401, 403)
  cases(@ContractQuery('listCases') query: CasesQuery): Promise<WindowedPage<CaseListItem>> {
    return this.pipelineService.listCases(query);
  }

  @Endpoint('exportCases')
  @Allow(STAFF_READ)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The pipeline as CSV (UTF-8 with BOM, « ; », French headers and dates) with the list’s filters and order, at most 20,000 cases',
  })
  @ApiProblems(400, 401, 403)
  async exportCases(@ContractQuery('exportCases') query: CasesExportQuery, @Res({ passthrough: true }) res: Response): Promise<string> {
    const csv = await this.pipelineService.exportCases(query);
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="suivi-integrations.csv"');
    return csv;
  }

  @Endpoint('bulkAssignCases')
  @Allow(STAFF_WRITE)
  @ApiOperation({
    summary: 'Assign several cases (at most 200) to a staff member, or unassign them',
    description: 'Each case is its own transaction and audit row; the answer has one result per case, in the order sent (a case that does not exist is refused with NOT_FOUND).',
  })
  @ApiProblems(400, 401, 403)
  bulkAssign(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @ContractBody('bulkAssignCases') body: BulkAssignBody): Promise<BulkResult> {
    return this.bulk.assign(actor, requestId, body);
  }

  @Endpoint('bulkMoveCases')
  @Allow(STAFF_WRITE)
  @ApiOperation({
    summary: 'Move several cases (at most 200) to one stage, each checked by the onboarding rules on its own',
    description:
      'Each case is its own transaction and audit row: a refused case changes nothing and does not roll back the others. ' +
      'The answer has one result per case, in the order sent: `ok`, or the stable code (CONFLICT with the rules’ `reasons`, FORBIDDEN, VALIDATION_FAILED, NOT_FOUND) and the French reason.',
  })
  @ApiProblems(400, 401, 403)
  bulkMove(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @ContractBody('bulkMoveCases') body: BulkMoveBody): Promise<BulkResult> {
    return this.bulk.move(actor, requestId, body);
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
