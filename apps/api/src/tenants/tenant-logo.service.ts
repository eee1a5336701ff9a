import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '@fcplat/common';
import { requestRobotRunAfterChange } from '@fcplat/qualification-runs';
import { appendAudit, TenantEntity, TenantLogoEntity, type TenantBranding } from '@fcplat/db';
import { auditActorOf, type Actor } from '../auth/actor.js';
import { assertTenantAccess } from '../auth/tenant-scope.js';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import { checkLogo } from './logo.js';
import { TENANT_NOT_FOUND } from './tenant-params.js';
import { TenantsService, type TenantView } from './tenants.service.js';

/** Characters of the SHA-256 in the served logo's path: its version, so that it can be cached for good. */
const VERSION_LENGTH = 16;

/** Where a tenant's uploaded logos are served (any version). */
function logoPrefix(slug: string): string {
  return `/api/portal/${slug}/logo/`;
}

/** The platform path of a tenant's uploaded logo, at its version: what `branding.logoUrl` holds. */
export function logoPath(slug: string, sha256: string): string {
  return `${logoPrefix(slug)}${sha256.slice(0, VERSION_LENGTH)}`;
}

/** Stores a tenant's new branding (a new version of the tenant), in the caller's transaction. */
async function writeBranding(manager: EntityManager, tenantId: string, branding: TenantBranding): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(TenantEntity)
    .set({ branding, updatedAt: () => 'now()', version: () => 'version + 1' } as never)
    .where('id = :id', { id: tenantId })
    .execute();
}

const LOGO_NOT_FOUND = 'Logo introuvable.';

/**
 * A tenant's portal logo uploaded to the platform (issue 16): checked and (SVG) sanitised by
 * `checkLogo`, stored in PostgreSQL (`tenant_logo`), named by `branding.logoUrl` so that the
 * portal shows it like a logo given by URL, served publicly at its versioned path. Each change is
 * one transaction with its audit row, and asks the qualification robot to look at the portal again.
 */
@Injectable()
export class TenantLogoService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly tenants: TenantsService,
  ) {}

  async upload(actor: Actor, tenantId: string, bytes: Buffer, requestId: string | null): Promise<TenantView> {
    assertTenantAccess(actor, tenantId, TENANT_NOT_FOUND);
    await this.tenants.requireTenant(actor, tenantId);
    // Checked (and sanitised) before the transaction: refused input changes nothing.
    const logo = await checkLogo(bytes);
    await this.dataSource.transaction(async (manager) => {
      const tenant = await manager.getRepository(TenantEntity).findOne({ where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!tenant) throw new AppError('NOT_FOUND', { detail: TENANT_NOT_FOUND });
      const logos = manager.getRepository(TenantLogoEntity);
      const before = await logos.findOne({ where: { tenantId } });
      await logos.upsert(
        { tenantId, contentType: logo.contentType, content: logo.content, sha256: logo.sha256, uploadedBy: actor.userId, uploadedAt: new Date() },
        ['tenantId'],
      );
      const branding: TenantBranding = { ...(tenant.branding ?? {}), logoUrl: logoPath(tenant.slug, logo.sha256) };
      await writeBranding(manager, tenantId, branding);
      await appendAudit(manager, {
        actor: auditActorOf(actor),
        tenantId,
        action: 'tenant.logo_uploaded',
        target: { type: 'tenant', id: tenantId },
        changes: {
          logo: { before: before ? { contentType: before.contentType, sha256: before.sha256 } : null, after: { contentType: logo.contentType, bytes: logo.content.length, sha256: logo.sha256 } },
          branding: { before: tenant.branding ?? {}, after: branding },
        },
        requestId,
      });
      if (tenant.status === 'active') await requestRobotRunAfterChange(manager, tenantId, 'Modifié : logo du portail');
    });
    return this.tenants.get(actor, tenantId);
  }

  async remove(actor: Actor, tenantId: string, requestId: string | null): Promise<TenantView> {
    assertTenantAccess(actor, tenantId, TENANT_NOT_FOUND);
    await this.tenants.requireTenant(actor, tenantId);
    await this.dataSource.transaction(async (manager) => {
      const tenant = await manager.getRepository(TenantEntity).findOne({ where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!tenant) throw new AppError('NOT_FOUND', { detail: TENANT_NOT_FOUND });
      const logos = manager.getRepository(TenantLogoEntity);
      const before = await logos.findOne({ where: { tenantId } });
      if (!before) throw new AppError('NOT_FOUND', { detail: 'Ce client n’a pas de logo déposé sur la plateforme.' });
      await logos.delete({ tenantId });
      const current = tenant.branding ?? {};
      // The logo URL goes with it only when it named the uploaded logo (not a logo given by URL since).
      const { logoUrl, ...rest } = current;
      const branding: TenantBranding = logoUrl?.startsWith(logoPrefix(tenant.slug)) ? rest : current;
      await writeBranding(manager, tenantId, branding);
      await appendAudit(manager, {
        actor: auditActorOf(actor),
        tenantId,
        action: 'tenant.logo_removed',
        target: { type: 'tenant', id: tenantId },
        changes: { logo: { before: { contentType: before.contentType, sha256: before.sha256 }, after: null }, branding: { before: current, after: branding } },
        requestId,
      });
      if (tenant.status === 'active') await requestRobotRunAfterChange(manager, tenantId, 'Modifié : logo du portail');
    });
    return this.tenants.get(actor, tenantId);
  }

  /** The logo of the tenant `slug` at `version` (404 for another version: the portal always has the current one's path). */
  async served(slug: string, version: string): Promise<{ contentType: string; content: Buffer }> {
    if (!/^[0-9a-f]{16}$/.test(version) || slug.length > 63) throw new AppError('NOT_FOUND', { detail: LOGO_NOT_FOUND });
    const rows = (await this.dataSource.query(
      `SELECT l.content_type, l.content, l.sha256 FROM tenant_logo l JOIN tenant t ON t.id = l.tenant_id WHERE t.slug = $1`,
      [slug],
    )) as { content_type: string; content: Buffer; sha256: string }[];
    const row = rows[0];
    if (!row || !row.sha256.startsWith(version)) throw new AppError('NOT_FOUND', { detail: LOGO_NOT_FOUND });
    return { contentType: row.content_type, content: row.content };
  }
}
