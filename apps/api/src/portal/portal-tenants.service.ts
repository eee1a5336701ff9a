import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AppError } from '@fcplat/common';
import { TenantEntity } from '@fcplat/db';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '@fcplat/domain';
import { DATA_SOURCE } from '../infrastructure/tokens.js';

/** Whether `slug` has the shape of a tenant's segment of portal URLs (anything else names no portal). */
const isPortalSlug = (slug: string): boolean => slug.length <= SLUG_MAX_LENGTH && SLUG_PATTERN.test(slug);

export const UNKNOWN_PORTAL = 'Portail introuvable.';

/** Resolves the tenant of a portal URL: an active tenant by slug; unknown and suspended tenants are alike (404). */
@Injectable()
export class PortalTenantsService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async findActive(slug: string): Promise<TenantEntity | null> {
    if (!isPortalSlug(slug)) return null;
    return this.dataSource.getRepository(TenantEntity).findOne({ where: { slug, status: 'active' } });
  }

  async requireActive(slug: string): Promise<TenantEntity> {
    const tenant = await this.findActive(slug);
    if (!tenant) throw new AppError('NOT_FOUND', { detail: UNKNOWN_PORTAL });
    return tenant;
  }
}
