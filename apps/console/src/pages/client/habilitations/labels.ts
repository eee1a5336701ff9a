import { API_PARTICULIER_CATALOGUE, FRANCECONNECT_SCOPE_LABELS, apiForScope, type HabilitationState } from '@fcplat/domain';

export const STATE_SEVERITY: Readonly<Record<HabilitationState, 'success' | 'info' | 'warn' | 'danger' | 'secondary'>> = {
  draft: 'secondary',
  submitted: 'info',
  changes_requested: 'warn',
  validated: 'success',
  refused: 'danger',
  revoked: 'danger',
  archived: 'secondary',
};

/** The label of an API Particulier or FranceConnect scope (« Quotient familial CAF & MSA », « Prénoms »), or the code itself. */
export function scopeLabel(scope: string): string {
  const api = apiForScope(scope);
  if (api) return API_PARTICULIER_CATALOGUE[api].scopes.find((s) => s.scope === scope)?.label ?? scope;
  return (FRANCECONNECT_SCOPE_LABELS as Readonly<Record<string, string>>)[scope] ?? scope;
}
