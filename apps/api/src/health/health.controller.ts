import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/decorators.js';
import { HealthService, type ReadinessReport } from './health.service.js';

const check = (extra: Record<string, object> = {}) => ({
  type: 'object',
  properties: { status: { type: 'string', enum: ['up', 'down'] }, latencyMs: { type: 'integer' }, error: { type: 'string' }, ...extra },
  required: ['status', 'latencyMs'],
});

const readinessSchema = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not_ready'] },
    checks: {
      type: 'object',
      required: ['database', 'queue', 'worker'],
      properties: {
        database: check(),
        queue: check({ backend: { type: 'string', enum: ['redis', 'postgres'] }, counts: { type: 'object', additionalProperties: { type: 'integer' } } }),
        worker: {
          type: 'object',
          required: ['status', 'lastHeartbeatAt', 'ageSeconds', 'pipeLatencyMs'],
          properties: {
            status: { type: 'string', enum: ['up', 'stale', 'unknown'] },
            lastHeartbeatAt: { type: 'string', format: 'date-time', nullable: true },
            ageSeconds: { type: 'integer', nullable: true },
            pipeLatencyMs: { type: 'integer', nullable: true },
          },
        },
      },
    },
  },
};

@ApiTags('health')
@Public()
@Controller('api/health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL and the queue answer; reports the last worker heartbeat' })
  @ApiOkResponse({ description: 'Ready', schema: readinessSchema })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down', schema: readinessSchema })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessReport> {
    const report = await this.health.readiness();
    res.status(report.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    res.setHeader('Cache-Control', 'no-store');
    return report;
  }
}
