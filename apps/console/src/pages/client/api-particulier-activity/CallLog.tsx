import { CALL_STATUSES, fromDayNumber, parisDayStart, toDayNumber } from '@fcplat/domain';
import { defineComponent, reactive, type PropType } from 'vue';
import { apiParticulier, type ApiParticulierCallsExportQuery } from '../../../api/endpoints';
import type { CallView, Page, TenantView } from '@fcplat/contract';
import { ErrorState, LoadingState } from '../../../components/Feedback';
import { PageSteps, pageCount } from '../../../components/PageSteps';
import { SelectField } from '../../../components/fields/SelectField';
import { TextField } from '../../../components/fields/TextField';
import { EnvironmentBadge } from '../../../components/EnvironmentBadge';
import { formatDateTime } from '../../../format';
import { Button } from '../../../prime/button';
import { reload, useResource } from '../../../state/resource';
import { STATUS_LABELS, ORIGIN_LABELS, MODALITY_LABELS } from './labels';
import { activity } from './activity';
import { bound } from '../../../components/fields/shared';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The API's filters of the typed ones: « du » and « au » are whole days in France, `au` included. */
export function callFilters(typed: { status: string; from: string; to: string; reference: string }): ApiParticulierCallsExportQuery {
  const status = CALL_STATUSES.find((s) => s === typed.status);
  const reference = typed.reference.trim();
  return {
    ...(status ? { status } : {}),
    ...(DAY.test(typed.from) ? { from: parisDayStart(typed.from).toISOString() } : {}),
    ...(DAY.test(typed.to) ? { to: parisDayStart(fromDayNumber(toDayNumber(typed.to) + 1)).toISOString() } : {}),
    ...(reference ? { dossierReference: reference.slice(0, 100) } : {}),
  };
}

/** The call log: who or which dossier, API, outcome — never the data. */
export const CallLog = defineComponent({
  name: 'ApiParticulierCallLog',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const filters = reactive({ status: 'all', page: 1, from: '', to: '', reference: '' });
    // What is typed in « du », « au » and the reference applies when the filter form is sent.
    const typed = reactive({ from: '', to: '', reference: '' });
    const errors = reactive<{ from?: string | undefined; to?: string | undefined }>({});
    const PAGE_SIZE = 20;
    const applied = () => callFilters(filters);
    const key = () => `apip-calls:${props.tenant.id}:${JSON.stringify(applied())}:${filters.page}:${activity.value}`;
    const log = useResource<Page<CallView>>(key, () => apiParticulier.calls(props.tenant.id, { page: filters.page, pageSize: PAGE_SIZE, ...applied() }), 0);

    function apply(event: Event): void {
      event.preventDefault();
      errors.from = typed.from && !DAY.test(typed.from) ? 'Date attendue au format JJ/MM/AAAA.' : undefined;
      errors.to = typed.to && !DAY.test(typed.to) ? 'Date attendue au format JJ/MM/AAAA.' : typed.from && typed.to && typed.to < typed.from ? 'La date de fin précède la date de début.' : undefined;
      if (errors.from || errors.to) {
        document.getElementById(errors.from ? 'apip-journal-du' : 'apip-journal-au')?.focus();
        return;
      }
      Object.assign(filters, { from: typed.from, to: typed.to, reference: typed.reference, page: 1 });
    }

    function clearFilters(): void {
      Object.assign(typed, { from: '', to: '', reference: '' });
      Object.assign(errors, { from: undefined, to: undefined });
      Object.assign(filters, { status: 'all', from: '', to: '', reference: '', page: 1 });
    }

    return () => {
      const state = log();
      const pages = state?.data ? pageCount(state.data.total, PAGE_SIZE) : 1;
      return (
        <section class="card" aria-labelledby="apip-journal-titre">
          <h3 id="apip-journal-titre">Journal des appels</h3>
          <p class="muted">Chaque appel porte le SIRET du client. Le journal dit qui l’a déclenché et avec quel résultat, sans les données des usagers.</p>
          <form class="filters call-filters" role="search" aria-label="Filtrer le journal des appels" novalidate onSubmit={apply} data-testid="apip-call-filters">
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
            <TextField id="apip-journal-du" label="Du" type="date" optionalMark={false} {...bound(typed, 'from', errors.from)} />
            <TextField id="apip-journal-au" label="Au (inclus)" type="date" optionalMark={false} {...bound(typed, 'to', errors.to)} />
            <TextField
              id="apip-journal-reference"
              label="Référence du dossier"
              optionalMark={false}
              maxlength={100}
              autocomplete="off"
              {...bound(typed, 'reference')}
            />
            <div class="actions">
              <Button type="submit" label="Filtrer" data-testid="apip-call-filter" />
              <Button type="button" label="Effacer les filtres" severity="secondary" outlined onClick={clearFilters} />
              <a class="link-button link-button--secondary" href={apiParticulier.callsExportUrl(props.tenant.id, applied())} download data-testid="apip-calls-export">
                Exporter en CSV<span class="visually-hidden"> les appels filtrés</span>
              </a>
            </div>
          </form>
          {state?.data ? (
            state.data.items.length === 0 ? (
              <p class="muted" data-testid="apip-calls-empty">Aucun appel ne correspond à ces filtres.</p>
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
                      <tr key={c.id} data-status={c.status} data-testid="apip-call">
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
                <PageSteps look="pager" page={filters.page} pages={pages} label="Pages du journal des appels" onGo={(p) => (filters.page = p)} />
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
