import { Controller, Param, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '@fcplat/common';
import type { TenantView } from '@fcplat/contract';
import { LOGO_MAX_SIZE_TEXT } from '@fcplat/domain';
import { CLIENT_ADMIN, STAFF_WRITE, type Actor } from '../auth/actor.js';
import { Allow, CurrentActor, Public, RequestId } from '../auth/decorators.js';
import { ApiProblems, Endpoint } from '../http/endpoint.js';
import { LOGO_RESPONSE_HEADERS } from './logo.js';
import { TenantLogoService } from './tenant-logo.service.js';
import { TenantIdPipe } from './tenant-params.js';

/** The portal logo uploaded to the platform: deposited and removed from the console, served to the portal. */
@ApiTags('tenants')
@ApiBearerAuth()
@Controller()
export class TenantLogoController {
  constructor(private readonly logos: TenantLogoService) {}

  @Endpoint('putTenantLogo')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @ApiOperation({
    summary: 'Upload the portal’s logo (PNG or SVG), which becomes `branding.logoUrl`',
    description: `Body: the image itself, ${LOGO_MAX_SIZE_TEXT} at most (413 beyond). Its type is told by its content, not by its name or Content-Type (415 for anything but PNG and SVG); an SVG is sanitised (no script, event handler, external reference, style sheet or foreignObject) before it is stored.`,
  })
  @ApiProblems(400, 401, 403, 404, 413, 415)
  upload(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('tenantId', TenantIdPipe) tenantId: string, @Req() req: Request): Promise<TenantView> {
    const body: unknown = req.body;
    if (!Buffer.isBuffer(body)) throw new AppError('VALIDATION_FAILED', { detail: 'Envoyez l’image du logo elle-même dans le corps de la requête.' });
    return this.logos.upload(actor, tenantId, body, requestId);
  }

  @Endpoint('deleteTenantLogo')
  @Allow(STAFF_WRITE, CLIENT_ADMIN)
  @ApiOperation({ summary: 'Remove the uploaded logo (and `branding.logoUrl` when it named it)' })
  @ApiProblems(401, 403, 404)
  remove(@CurrentActor() actor: Actor, @RequestId() requestId: string | null, @Param('tenantId', TenantIdPipe) tenantId: string): Promise<TenantView> {
    return this.logos.remove(actor, tenantId, requestId);
  }

  @Endpoint('portalLogo')
  @Public()
  @ApiOperation({
    summary: 'A portal’s uploaded logo, at its version (public, cached for good)',
    description: 'Served as `image/png` or `image/svg+xml` with `X-Content-Type-Options: nosniff` and a Content-Security-Policy that runs and loads nothing. 404 for another version.',
  })
  @ApiProblems(404)
  async logo(@Param('slug') slug: string, @Param('version') version: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const logo = await this.logos.served(slug, version);
    for (const [name, value] of Object.entries(LOGO_RESPONSE_HEADERS)) res.setHeader(name, value);
    res.setHeader('Content-Disposition', `inline; filename="logo.${logo.contentType === 'image/png' ? 'png' : 'svg'}"`);
    return new StreamableFile(logo.content, { type: logo.contentType, length: logo.content.length });
  }
}
