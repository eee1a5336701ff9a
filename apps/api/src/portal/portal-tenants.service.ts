import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AppError } from '@fcplat/common';
import { TenantEntity } from '@fcplat/db';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '@fcplat/domain';
import { ChangeFeed, InvalidatedCache } from '../infrastructure/change-feed.js';
import { DATA_SOURCE } from '../infrastructure/tokens.js';

/** Whether `slug` has the shape of a tenant's segment of portal URLs (anything else names no portal). */
const isPortalSlug = (slug: string): boolean => slug.length <= SLUG_MAX_LENGTH && SLUG_PATTERN.test(slug);

export const UNKNOWN_PORTAL = 'Portail introuvable.';

/** What a tenant's portal settings depend on (the tenant, its live environments, FranceConnect credentials, habilitations): a change in any of these tables drops them from the caches. */
export const TENANT_SETTINGS_TABLES: readonly string[] = ['tenant', 'tenant_live_environment', 'franceconnect_credential', 'tenant_habilitation'];

/** Portals cached per process (a tenant row is about 2 kB). */
const MAX_CACHED_PORTALS = 5_000;
const PORTAL_TTL_MS = 5 * 60 * 1000;

/**
 * Resolves the tenant of a portal URL: an active tenant by slug; unknown and suspended tenants are
 * alike (404). Every portal request and FranceConnect step starts here, so active tenants are
 * cached per process (bounded) and dropped on any change of the tenant row, on any replica
 * (`ChangeFeed`): a suspension or a new slug takes effect everywhere as soon as it is committed.
 * The cached entity is frozen: callers read it, never change it.
 */
@Injectable()
export class PortalTenantsService {
  private readonly cache: InvalidatedCache<string, TenantEntity>;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    feed: ChangeFeed,
  ) {
    this.cache = new InvalidatedCache(feed, { tables: ['tenant'], maxEntries: MAX_CACHED_PORTALS, ttlMs: PORTAL_TTL_MS });
  }

  async findActive(slug: string): Promise<TenantEntity | null> {
    if (!isPortalSlug(slug)) return null;
    return this.cache.get(slug, async () => {
      const tenant = await this.dataSource.getRepository(TenantEntity).findOne({ where: { slug, status: 'active' } });
      return tenant ? { value: Object.freeze(tenant), dependsOn: tenant.id } : null;
    });
  }

  async requireActive(slug: string): Promise<TenantEntity> {
    const tenant = await this.findActive(slug);
    if (!tenant) throw new AppError('NOT_FOUND', { detail: UNKNOWN_PORTAL });
    return tenant;
  }
}
