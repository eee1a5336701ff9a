import { Controller, Get, Header, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '@fcplat/common';
import type { AllCallsQuery, BatchDetail, BatchLineView, BatchLinesQuery, BatchListQuery, BatchUploadQuery, BatchView, CallExportQuery, CallListQuery, CallView, Page } from '@fcplat/contract';
import { CLIENT_ADMIN, STAFF_READ, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import { ApiProblems, ContractQuery, Endpoint } from '../http/endpoint.js';
import { ApiParticulierService, type QueueDashboard } from './api-particulier.service.js';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppError('NOT_FOUND', { detail: 'Ressource introuvable.' }) });

/** A tenant's API Particulier activity: its call log and its batches. */
@ApiTags('api-particulier')
@ApiBearerAuth()
@Controller()
export class TenantApiParticulierController {
  constructor(private readonly service: ApiParticulierService) {}

  @Endpoint('listApiParticulierCalls')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'The tenant’s API Particulier call log, newest first: who or which dossier, API, modality, outcome, latency, attempts — never the data' })
  @ApiProblems(400, 401, 403, 404)
  async calls(@Param('tenantId', uuid) tenantId: string, @ContractQuery('listApiParticulierCalls') query: CallListQuery): Promise<Page<CallView>> {
    await this.service.requireTenant(tenantId);
    return this.service.calls(tenantId, query);
  }

  @Endpoint('exportApiParticulierCalls')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The tenant’s call log as CSV (UTF-8 with BOM, « ; », dates in France), with the same filters (date range, dossier reference…), newest first — what the screen shows, never the data',
  })
  @ApiProblems(400, 401, 403, 404)
  async exportCalls(
    @Param('tenantId', uuid) tenantId: string,
    @ContractQuery('exportApiParticulierCalls') query: CallExportQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const csv = await this.service.callsCsv(tenantId, query);
    csvHeaders(res, 'journal-appels-api-particulier.csv');
    return csv;
  }

  @Endpoint('uploadApiParticulierBatch')
  @Allow(CLIENT_ADMIN)
  @ApiOperation({
    summary: 'Upload a batch of dossiers (CSV, `;` or `,`, UTF-8): bad lines are reported, good ones are queued',
    description:
      'Body: the CSV file itself (`Content-Type: text/csv`, 5 MB at most, 20,000 lines). Columns for `pivot_identity`: reference;nom_naissance;nom_usage;prenoms;sexe;date_naissance;code_pays_naissance;code_commune_naissance;nom_commune_naissance;code_departement_naissance (dates JJ/MM/AAAA). For `ine`: reference;ine. Client administrators only: the editor is never a recipient of the data.',
  })
  @ApiProblems(400, 401, 403, 404, 409, 413, 415)
  async upload(
    @CurrentActor() actor: Actor,
    @RequestId() requestId: string | null,
    @Param('tenantId', uuid) tenantId: string,
    @ContractQuery('uploadApiParticulierBatch') query: BatchUploadQuery,
    @Req() req: Request,
  ): Promise<BatchDetail> {
    const body: unknown = req.body;
    if (!Buffer.isBuffer(body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { detail: 'Envoyez le fichier CSV lui-même (Content-Type: text/csv).' });
    const created = await this.service.createBatch(actor, requestId, tenantId, query.api, query.modality, query.fileName, body);
    return this.service.batch(tenantId, created.id);
  }

  @Endpoint('listApiParticulierBatches')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'The tenant’s batches, newest first, with their progress' })
  @ApiProblems(400, 401, 403, 404)
  batches(@Param('tenantId', uuid) tenantId: string, @ContractQuery('listApiParticulierBatches') query: BatchListQuery): Promise<Page<BatchView>> {
    return this.service.batches(tenantId, query);
  }

  @Endpoint('apiParticulierBatchTemplate')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'An empty batch file (CSV, `;`, UTF-8 with BOM) with its header line and one example line' })
  @ApiProblems(401, 403, 404)
  async template(@Param('tenantId', uuid) tenantId: string, @Query('modality') modality: string | undefined, @Res({ passthrough: true }) res: Response): Promise<string> {
    await this.service.requireTenant(tenantId);
    const kind = modality === 'ine' ? 'ine' : 'pivot_identity';
    csvHeaders(res, `modele-lot-${kind === 'ine' ? 'ine' : 'identite'}.csv`);
    return this.service.template(kind);
  }

  @Endpoint('apiParticulierBatch')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'One batch: progress and the report of rejected lines' })
  @ApiProblems(401, 403, 404)
  batch(@Param('tenantId', uuid) tenantId: string, @Param('batchId', uuid) batchId: string): Promise<BatchDetail> {
    return this.service.batch(tenantId, batchId);
  }

  @Endpoint('apiParticulierBatchLines')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'The lines of a batch in file order, a page at a time: status and the French reason of a failure or a rejection — never the data' })
  @ApiProblems(400, 401, 403, 404)
  lines(
    @Param('tenantId', uuid) tenantId: string,
    @Param('batchId', uuid) batchId: string,
    @ContractQuery('apiParticulierBatchLines') query: BatchLinesQuery,
  ): Promise<Page<BatchLineView>> {
    return this.service.batchLines(tenantId, batchId, query);
  }

  @Endpoint('apiParticulierBatchResults')
  @Allow(CLIENT_ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Results per line as CSV (values while retained, errors, rejected lines). Client administrators only: it carries citizens’ data.' })
  @ApiProblems(401, 403, 404)
  async results(@Param('tenantId', uuid) tenantId: string, @Param('batchId', uuid) batchId: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const csv = await this.service.batchResultsCsv(tenantId, batchId);
    csvHeaders(res, `resultats-${batchId.slice(0, 8)}.csv`);
    return csv;
  }

  @Endpoint('apiParticulierBatchRejections')
  @Allow(STAFF_READ, CLIENT_ADMIN)
  @ApiOperation({ summary: 'The rejected lines of a batch and why, as CSV (no data from API Particulier)' })
  @ApiProblems(401, 403, 404)
  async rejections(@Param('tenantId', uuid) tenantId: string, @Param('batchId', uuid) batchId: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const csv = await this.service.rejectionsCsv(tenantId, batchId);
    csvHeaders(res, `lignes-rejetees-${batchId.slice(0, 8)}.csv`);
    return csv;
  }
}

/** Staff views across tenants: every call, and the queue dashboard. */
@ApiTags('api-particulier')
@ApiBearerAuth()
@Controller()
export class PlatformApiParticulierController {
  constructor(private readonly service: ApiParticulierService) {}

  @Endpoint('allApiParticulierCalls')
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'Every tenant’s API Particulier calls (staff), filterable by tenant' })
  @ApiProblems(400, 401, 403)
  calls(@ContractQuery('allApiParticulierCalls') query: AllCallsQuery): Promise<Page<CallView>> {
    return this.service.calls(null, query);
  }

  @Endpoint('queueDashboard')
  @Allow(STAFF_READ)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Queue dashboard (staff): each queue’s jobs per state, API Particulier calls per state, rate-limit pauses in force, the last hour, backlogs and failures, with French labels',
    description: 'Shown by the console’s « Files d’attente » page. A queue backend that does not answer is not an error: `backend.up` false and no queue counts.',
  })
  @ApiProblems(401, 403)
  dashboard(): Promise<QueueDashboard> {
    return this.service.dashboard();
  }

  /** The former server-rendered page: its bookmarks now open the console's page. */
  @Get('api/admin/queues')
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'Former queue dashboard page: redirects (303) to the console’s « Files d’attente » page; scripts read `GET /api/admin/queue-dashboard`' })
  @ApiResponse({ status: 303, description: 'To `/console/files-d-attente`' })
  @ApiProblems(401, 403)
  formerDashboard(@Res() res: Response): void {
    res.redirect(303, CONSOLE_QUEUES_PATH);
  }
}

/** The console's page of the queues (apps/console/src/router.ts). */
export const CONSOLE_QUEUES_PATH = '/console/files-d-attente';

function csvHeaders(res: Response, fileName: string): void {
  res.type('text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
}
