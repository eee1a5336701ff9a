import { computed, defineComponent } from 'vue';
import { tenants } from '../../api/endpoints';
import type { TenantView } from '@fcplat/contract';
import { ErrorState, LoadingState } from '../../components/Feedback';
import { reload, useResource } from '../../state/resource';
import { session } from '../../state/session';
import { TenantAdmins } from './identity/TenantAdmins';

/**
 * « Mon équipe » (a client administrator): the administrators of their own tenant — never another
 * tenant's, never the editor's staff (the API answers only for their tenant) — with the invitation
 * of a colleague, a new invitation link, disabling and re-enabling.
 */
export default defineComponent({
  name: 'MyTeamPage',
  setup() {
    const tenantId = computed(() => session.me?.tenantId ?? null);
    const key = () => (tenantId.value ? `tenant:${tenantId.value}` : null);
    const tenant = useResource<TenantView>(key, (k) => tenants.get(k.slice('tenant:'.length)));
    return () => {
      const state = tenant();
      const t = state?.data ?? null;
      return (
        <div class="container" data-testid="my-team">
          <div class="page-header">
            <div>
              <h1 tabindex="-1">Mon équipe</h1>
              <p class="muted">
                Les personnes qui administrent {t ? t.name : 'votre organisme'} dans la console. Une personne désactivée ne peut plus se connecter ; l’organisme garde
                toujours au moins un administrateur actif.
              </p>
            </div>
          </div>
          {t ? (
            <TenantAdmins tenant={t} headingLevel={2} />
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(key() ?? '')} />
          ) : (
            <LoadingState label="Chargement de l’équipe…" />
          )}
        </div>
      );
    };
  },
});
