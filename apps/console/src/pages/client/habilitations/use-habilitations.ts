import type { HabilitationView } from '@fcplat/contract';
import { habilitations } from '../../../api/endpoints';
import { useResource } from '../../../state/resource';

/** The resource key of a tenant's habilitations (shared by the sections that show them). */
export const habilitationsKey = (tenantId: string): string => `habilitations:${tenantId}`;

/** A tenant's habilitations, loaded once for the sections of a page view. */
export function useHabilitations(tenantId: () => string) {
  return useResource<{ items: HabilitationView[] }>(
    () => habilitationsKey(tenantId()),
    () => habilitations.list(tenantId()),
  );
}
