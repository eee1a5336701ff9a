import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { PlatformConfig } from '@fcplat/config';
import { franceConnectUrisOf, portalUrlOf, type FranceConnectEnvironment } from '@fcplat/domain';
import type { Actor } from '../auth/actor.js';
import { DATA_SOURCE, PLATFORM_CONFIG } from '../infrastructure/tokens.js';
import { QualificationService } from '../onboarding/qualification.service.js';
import { selectOne, selectRows } from '../database/raw-sql.js';
import { resolveTenant } from '../auth/tenant-access.js';
import { renderDossierHtml } from './dossier.js';
import { PdfRenderer } from './pdf-renderer.js';
import { RobotRunsService } from './robot-runs.service.js';

export interface Dossier {
  readonly filename: string;
  readonly html: string;
}

/** The qualification dossier of a tenant (staff only): HTML, and the same printed to PDF. */
@Injectable()
export class DossierService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly qualification: QualificationService,
    private readonly robot: RobotRunsService,
    private readonly pdf: PdfRenderer,
  ) {}

  async html(actor: Actor, tenantId: string): Promise<Dossier> {
    const manager = this.dataSource.manager;
    await resolveTenant(manager, actor, tenantId);
    const tenant = await selectOne<{ name: string; siret: string; slug: string; ds_file_number: string | null; live: FranceConnectEnvironment | null }>(
      manager,
      `SELECT t.name, t.siret, t.slug, c.ds_file_number, l.environment AS live
         FROM tenant t LEFT JOIN onboarding_case c ON c.tenant_id = t.id
         LEFT JOIN tenant_live_environment l ON l.tenant_id = t.id AND l.product = 'franceconnect'
        WHERE t.id = $1`,
      [tenantId],
    );
    if (!tenant) throw new Error(`tenant ${tenantId} vanished`);
    // client_id only: the secret column is never read here.
    const clients = await selectRows<{ environment: FranceConnectEnvironment; client_id: string }>(
      manager,
      `SELECT environment, client_id FROM franceconnect_credential WHERE tenant_id = $1`,
      [tenantId],
    );
    const checklist = await this.qualification.checklist(actor, tenantId);
    const robot = await this.robot.lastCompletedDetail(manager, tenantId);
    const screenshots = robot ? await this.robot.screenshotsOf(manager, robot.id) : new Map();
    const uris = franceConnectUrisOf(this.config.http.publicUrl, tenant.slug);
    const html = renderDossierHtml({
      generatedAt: new Date(),
      tenant: { name: tenant.name, siret: tenant.siret, slug: tenant.slug },
      portalUrl: portalUrlOf(this.config.http.publicUrl, tenant.slug),
      redirectUri: uris.redirectUri,
      postLogoutRedirectUri: uris.postLogoutRedirectUri,
      clientIds: Object.fromEntries(clients.map((c) => [c.environment, c.client_id])),
      liveEnvironment: tenant.live,
      dsFileNumber: tenant.ds_file_number,
      checklist,
      robot,
      screenshots,
    });
    return { filename: `qualification-franceconnect-${tenant.slug}`, html };
  }

  async pdfOf(actor: Actor, tenantId: string): Promise<{ filename: string; pdf: Buffer }> {
    const dossier = await this.html(actor, tenantId);
    return { filename: dossier.filename, pdf: await this.pdf.render(dossier.html) };
  }
}
