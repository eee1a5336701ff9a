import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AppError } from '@fcplat/common';
import { TenantEntity } from '@fcplat/db';
import { DATA_SOURCE } from '../infrastructure/tokens.js';
import { isPortalSlug } from './schemas.js';

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
