import { type LiveEnvironmentProduct } from '@fcplat/domain';
import { liveEnvironments } from '../../../api/endpoints';
import type { EnvironmentsView, ProductEnvironmentsView } from '@fcplat/contract';
import { invalidate, reload, useResource } from '../../../state/resource';

/** The resource key of a tenant's live environments (shared by the header and both tabs). */
export const environmentsKey = (tenantId: string): string => `environments:${tenantId}`;

/** The live environments of a tenant, loaded once for the header and the sections. */
export function useLiveEnvironments(tenantId: () => string) {
  // Shared by the header and the section of one page view: one request, reloaded after every change.
  return useResource<EnvironmentsView>(() => environmentsKey(tenantId()), () => liveEnvironments.view(tenantId()), 5_000);
}

/** After a change of live environment or of credentials: everything that shows them again. */
export function refreshEnvironments(tenantId: string): void {
  void reload(environmentsKey(tenantId));
  void reload(`credentials:${tenantId}`);
  invalidate(`case:${tenantId}`, `audit:${tenantId}`, 'pipeline', 'cases:');
}

/** Said after storing credentials while no live environment is chosen (saving never chooses one). */
export function chooseLiveHint(staffWriter: boolean): string {
  return staffWriter
    ? 'Choisissez l’environnement en service ci-dessus : enregistrer des identifiants n’en met aucun en service.'
    : 'L’équipe de l’éditeur choisira l’environnement en service : enregistrer des identifiants n’en met aucun en service.';
}

export function productView(view: EnvironmentsView, product: LiveEnvironmentProduct): ProductEnvironmentsView {
  return product === 'franceconnect' ? view.franceconnect : view.apiParticulier;
}
