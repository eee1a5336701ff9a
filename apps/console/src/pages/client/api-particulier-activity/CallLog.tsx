import { CALL_STATUSES } from '@fcplat/domain';
import { defineComponent, reactive, type PropType } from 'vue';
import { apiParticulier } from '../../../api/endpoints';
import type { CallView, Page, TenantView } from '@fcplat/contract';
import { ErrorState, LoadingState } from '../../../components/Feedback';
import { SelectField } from '../../../components/fields/SelectField';
import { EnvironmentBadge } from '../../../components/EnvironmentBadge';
import { formatDateTime } from '../../../format';
import { Button } from '../../../prime/button';
import { reload, useResource } from '../../../state/resource';
import { STATUS_LABELS, ORIGIN_LABELS, MODALITY_LABELS } from './labels';
import { activity } from './activity';

/** The call log: who or which dossier, API, outcome — never the data. */
export const CallLog = defineComponent({
  name: 'ApiParticulierCallLog',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const filters = reactive({ status: 'all', page: 1 });
    const PAGE_SIZE = 20;
    const key = () => `apip-calls:${props.tenant.id}:${filters.status}:${filters.page}:${activity.value}`;
    const log = useResource<Page<CallView>>(key, () => apiParticulier.calls(props.tenant.id, { page: filters.page, pageSize: PAGE_SIZE, status: CALL_STATUSES.find((status) => status === filters.status) }), 0);
    return () => {
      const state = log();
      const pages = state?.data ? Math.max(1, Math.ceil(state.data.total / PAGE_SIZE)) : 1;
      return (
        <section class="card" aria-labelledby="apip-journal-titre">
          <h3 id="apip-journal-titre">Journal des appels</h3>
          <p class="muted">Chaque appel porte le SIRET du client. Le journal dit qui l’a déclenché et avec quel résultat, sans les données des usagers.</p>
          <div class="grid-2">
            <SelectField
              id="apip-journal-statut"
              label="État"
              options={[{ value: 'all', label: 'Tous' }, ...Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))]}
              modelValue={filters.status}
              onUpdate={(v) => {
                filters.status = v;
                filters.page = 1;
              }}
            />
          </div>
          {state?.data ? (
            state.data.items.length === 0 ? (
              <p class="muted">Aucun appel.</p>
            ) : (
              <>
                <div class="table-wrap">
                <table class="data-table" data-testid="apip-calls">
                  <caption class="visually-hidden">
                    Appels à API Particulier, du plus récent au plus ancien ({state.data.total} au total)
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Demandé le</th>
                      <th scope="col">Environnement</th>
                      <th scope="col">Donnée</th>
                      <th scope="col">Déclenché par</th>
                      <th scope="col">Résultat</th>
                      <th scope="col">Durée, essais</th>
                    </tr>
                  </thead>
                  <tbody>
                    {state.data.items.map((c) => (
                      <tr key={c.id} data-status={c.status}>
                        <td>{formatDateTime(c.queuedAt)}</td>
                        <td data-testid="call-environment">
                          <EnvironmentBadge product="api_particulier" environment={c.environment} short />
                        </td>
                        <td>
                          {c.apiLabel}
                          <span class="muted"> · {MODALITY_LABELS[c.modality]}</span>
                        </td>
                        <td>
                          {ORIGIN_LABELS[c.origin]} : {c.triggeredByLabel}
                          {c.dossierReference ? <span class="muted"> · dossier {c.dossierReference}</span> : null}
                        </td>
                        <td>
                          <strong>{STATUS_LABELS[c.status]}</strong>
                          {c.errorLabel ? <span> : {c.errorLabel}</span> : null}
                        </td>
                        <td>
                          {c.latencyMs === null ? '—' : `${c.latencyMs} ms`}, {c.attempts} essai(s)
                          {c.rateLimited > 0 ? `, ${c.rateLimited} attente(s) de limite` : ''}
                          {c.ambiguousAttempts > 0 ? `, ${c.ambiguousAttempts} essai(s) sans réponse connue (doublon possible chez API Particulier)` : ''}
                          {c.schemaDrift ? `, réponse hors du format documenté (conservée) : ${c.schemaDrift}` : ''}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                </div>
                {pages > 1 ? (
                  <nav class="pager" aria-label="Pages du journal des appels">
                    <Button type="button" severity="secondary" outlined label="Page précédente" disabled={filters.page <= 1} onClick={() => (filters.page -= 1)} />
                    <span aria-live="polite">
                      Page {filters.page} sur {pages}
                    </span>
                    <Button type="button" severity="secondary" outlined label="Page suivante" disabled={filters.page >= pages} onClick={() => (filters.page += 1)} />
                  </nav>
                ) : null}
              </>
            )
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(key())} />
          ) : (
            <LoadingState />
          )}
        </section>
      );
    };
  },
});
