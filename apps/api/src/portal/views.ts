import type { PortalView } from '@fcplat/contract';
import type { TenantEntity } from '@fcplat/db';
import { isProductionEnvironment, type FranceConnectEnvironment } from '@fcplat/domain';

/** `GET /api/portal/{slug}` (the contract's `portalViewSchema`): what the portal shows before anyone logs in. */
export function portalView(tenant: TenantEntity, franceConnect: { environment: FranceConnectEnvironment | null; usable: boolean }): PortalView {
  const { portalName, logoUrl, primaryColor, secondaryColor } = tenant.branding;
  return {
    slug: tenant.slug,
    name: tenant.name,
    branding: { ...(portalName ? { portalName } : {}), ...(logoUrl ? { logoUrl } : {}), ...(primaryColor ? { primaryColor } : {}), ...(secondaryColor ? { secondaryColor } : {}) },
    connexionEnabled: tenant.connexionEnabled,
    dataRetrievalEnabled: tenant.dataRetrievalEnabled,
    dataRetrievalAtLogin: tenant.dataRetrievalEnabled && tenant.dataRetrievalAtLogin,
    environment: { franceConnect: franceConnect.environment, test: !isProductionEnvironment(franceConnect.environment), franceConnectAvailable: franceConnect.usable },
  };
}
