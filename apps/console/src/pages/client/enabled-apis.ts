import { API_PARTICULIER_APIS, API_PARTICULIER_CATALOGUE, apiForScope, type ApiParticulierApi, type CallModality } from '@fcplat/domain';
import type { HabilitationView } from '@fcplat/contract';

/** The APIs a habilitation opens, with the data and the call modalities granted for each. */
export function enabledApis(habilitation: HabilitationView | null): { api: ApiParticulierApi; scopes: string[]; modalities: CallModality[] }[] {
  if (!habilitation || habilitation.state !== 'validated') return [];
  return API_PARTICULIER_APIS.flatMap((api) => {
    const info = API_PARTICULIER_CATALOGUE[api];
    const scopes = habilitation.scopes.filter((s) => apiForScope(s) === api);
    if (scopes.length === 0) return [];
    const modalities = info.modalities.filter((m) => habilitation.modalities.includes(m));
    return [{ api, scopes: scopes.map((s) => info.scopes.find((x) => x.scope === s)?.label ?? s), modalities }];
  });
}
