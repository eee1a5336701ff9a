import { Controller, Header, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { RobotOverviewView, RobotRunDetailView, RobotRunView } from '@fcplat/contract';
import { STAFF_READ, STAFF_WRITE, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, RequestId } from '../auth/decorators.js';
import { ApiProblems, Endpoint } from '../http/endpoint.js';
import { DossierService } from './dossier.service.js';
import { RobotRunsService } from './robot-runs.service.js';

/** A downloaded document: no caching anywhere, named, and sandboxed if a browser renders it. */
function documentHeaders(res: Response, contentType: string, filename: string): void {
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'private, no-store');
}

/**
 * The qualification robot of a tenant (docs/qualification-robot.md) and the qualification
 * dossier. Staff only: the evidence shows the portal as the robot saw it, and the runs cost a
 * browser.
 */
@ApiTags('qualification')
@ApiBearerAuth()
@Controller()
export class RobotController {
  constructor(
    private readonly runs: RobotRunsService,
    private readonly dossier: DossierService,
  ) {}

  @Endpoint('robotOverview')
  @Allow(STAFF_READ)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The robot’s last completed run (each item’s verdict, evidence, change since the run before, disagreement with a person’s verdict), the run under way and the failing items',
  })
  @ApiProblems(401, 403, 404)
  overview(@CurrentActor() actor: Actor, @Param('tenantId') tenantId: string): Promise<RobotOverviewView> {
    return this.runs.overview(actor, tenantId);
  }

  @Endpoint('robotRuns')
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'The tenant’s last 50 robot runs, newest first' })
  @ApiProblems(401, 403, 404)
  list(@CurrentActor() actor: Actor, @Param('tenantId') tenantId: string): Promise<{ items: RobotRunView[] }> {
    return this.runs.list(actor, tenantId);
  }

  @Endpoint('requestRobotRun')
  @Allow(STAFF_WRITE)
  @ApiOperation({
    summary: 'Ask the robot to verify the tenant’s portal now',
    description: 'Recorded at once and run by a worker; a run already waiting for this tenant serves the request (202 with that run). 409 when the tenant uses no FranceConnect mode.',
  })
  @ApiProblems(401, 403, 404, 409)
  request(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('tenantId') tenantId: string): Promise<RobotRunView> {
    return this.runs.request(actor, requestId, tenantId);
  }

  @Endpoint('robotRun')
  @Allow(STAFF_READ)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'One robot run with its items' })
  @ApiProblems(401, 403, 404)
  run(@CurrentActor() actor: Actor, @Param('tenantId') tenantId: string, @Param('runId') runId: string): Promise<RobotRunDetailView> {
    return this.runs.run(actor, tenantId, runId);
  }

  @Endpoint('robotScreenshot')
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'A screenshot the robot took (PNG)' })
  @ApiProblems(401, 403, 404)
  async screenshot(
    @CurrentActor() actor: Actor,
    @Param('tenantId') tenantId: string,
    @Param('runId') runId: string,
    @Param('name') name: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const png = await this.runs.screenshot(actor, tenantId, runId, name);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    return new StreamableFile(png, { type: 'image/png' });
  }

  @Endpoint('qualificationDossierHtml')
  @Allow(STAFF_READ)
  @ApiOperation({
    summary: 'The qualification dossier as one self-contained HTML page (attachment)',
    description: 'Answers to copy into FranceConnect’s Démarches Simplifiées form (identity, SIRET, portal URLs, client_id per environment, redirect and logout URIs) and every prerequisite with its evidence and screenshots. No secret.',
  })
  @ApiProblems(401, 403, 404)
  async dossierHtml(@CurrentActor() actor: Actor, @Param('tenantId') tenantId: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const dossier = await this.dossier.html(actor, tenantId);
    documentHeaders(res, 'text/html; charset=utf-8', `${dossier.filename}.html`);
    // Inline styles and data: images of the document itself; nothing else, no script.
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    return dossier.html;
  }

  @Endpoint('qualificationDossierPdf')
  @Allow(STAFF_READ)
  @ApiOperation({ summary: 'The qualification dossier printed to PDF (attachment)' })
  @ApiProblems(401, 403, 404)
  async dossierPdf(@CurrentActor() actor: Actor, @Param('tenantId') tenantId: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const { filename, pdf } = await this.dossier.pdfOf(actor, tenantId);
    documentHeaders(res, 'application/pdf', `${filename}.pdf`);
    return new StreamableFile(pdf, { type: 'application/pdf' });
  }
}
