import { Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PipelineAnalytics } from '@fcplat/contract';
import { STAFF_READ } from '../auth/actor.js';
import { Allow } from '../auth/decorators.js';
import { ApiProblems, Endpoint } from '../http/endpoint.js';
import { AnalyticsService } from './analytics.service.js';

/** The staff's indicators over the whole pipeline (every tenant: never open to client administrators). */
@ApiTags('onboarding')
@ApiBearerAuth()
@Controller()
export class AnalyticsController {
  constructor(private readonly analyticsService: AnalyticsService) {}

  @Endpoint('pipelineAnalytics')
  @Allow(STAFF_READ)
  @ApiOperation({
    summary:
      'Pipeline indicators: funnel by stage, median and 90th percentile of working days per stage and share of deadlines met over the last 90 days, overall and per assignee',
  })
  @ApiProblems(401, 403)
  analytics(): Promise<PipelineAnalytics> {
    return this.analyticsService.analytics();
  }
}
