import { API_PARTICULIER_CATALOGUE, CALL_STATUSES, isApiParticulierApi, type ApiParticulierApi } from '@fcplat/domain';
import { computed, defineComponent, onBeforeUnmount, reactive, ref, type PropType } from 'vue';
import { apiParticulier } from '../../api/endpoints';
import type { BatchDetail, BatchView, CallView, HabilitationView, Page, TenantView } from '@fcplat/contract';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../components/Feedback';
import { SelectField } from '../../components/fields/SelectField';
import { EnvironmentBadge } from '../../components/EnvironmentBadge';
import { formatDateTime } from '../../format';
import { Button } from '../../prime/button';
import { useFormState } from '../../state/form';
import { reload, useResource } from '../../state/resource';
import { isClientAdmin } from '../../state/session';
import { enabledApis } from './enabled-apis';

const STATUS_LABELS: Readonly<Record<CallView['status'], string>> = {
  queued: 'En attente',
  dispatched: 'En file',
  running: 'En cours',
  retrying: 'Nouvel essai prévu',
  succeeded: 'Réussi',
  failed: 'Échec',
};
const ORIGIN_LABELS: Readonly<Record<CallView['origin'], string>> = { citizen: 'Portail', batch: 'Lot', staff: 'Équipe' };
const MODALITY_LABELS: Readonly<Record<CallView['modality'], string>> = { pivot_identity: 'Identité pivot', ine: 'INE', france_connect: 'FranceConnect' };

/** Bumped when calls may have changed (a batch sent or progressing): the call log reloads. */
const activity = ref(0);

/** Batches: a client administrator uploads a CSV, everyone follows the progress; results go to the client only. */
const Batches = defineComponent({
  name: 'ApiParticulierBatches',
  props: {
    tenant: { type: Object as PropType<TenantView>, required: true },
    habilitation: { type: Object as PropType<HabilitationView | null>, default: null },
  },
  setup(props) {
    const key = () => `apip-batches:${props.tenant.id}`;
    const list = useResource<Page<BatchView>>(key, () => apiParticulier.batches(props.tenant.id), 0);
    const batchApis = computed(() => enabledApis(props.habilitation).filter((a) => a.modalities.some((m) => m === 'pivot_identity' || m === 'ine')));
    const form = reactive({ api: '', modality: 'pivot_identity' as 'pivot_identity' | 'ine' });
    const file = ref<File | null>(null);
    const report = ref<BatchDetail | null>(null);
    const state = useFormState('apip-lot-probleme', 'apip-lot-');
    // Follows the progress while a batch is not done.
    const timer = setInterval(() => {
      if (list()?.data?.items.some((b) => !b.progress.done)) {
        void reload(key());
        activity.value += 1;
      }
    }, 2000);
    onBeforeUnmount(() => clearInterval(timer));

    async function upload(event: Event): Promise<void> {
      event.preventDefault();
      state.clear();
      report.value = null;
      const api = [form.api, batchApis.value[0]?.api].find(isApiParticulierApi);
      state.errors['api'] = api ? undefined : 'Choisissez l’API à appeler.';
      state.errors['file'] = file.value ? undefined : 'Choisissez le fichier CSV des dossiers.';
      if ((await state.focusFirstError(['api', 'file'])) || !api) return;
      await state.run(async () => {
        const created = await apiParticulier.upload(props.tenant.id, api, form.modality, file.value as File);
        report.value = created;
        void reload(key());
        activity.value += 1;
        return `Lot reçu : ${created.acceptedLines} dossier(s) en cours de traitement, ${created.rejectedLines} ligne(s) rejetée(s).`;
      });
    }

    return () => {
      const state_ = list();
      const apis = batchApis.value;
      const chosen = (form.api || apis[0]?.api || '') as ApiParticulierApi | '';
      const modalities = apis.find((a) => a.api === chosen)?.modalities.filter((m) => m === 'pivot_identity' || m === 'ine') ?? [];
      return (
        <section class="card" aria-labelledby="apip-lots-titre">
          <h3 id="apip-lots-titre">Lots de dossiers</h3>
          {isClientAdmin() ? (
            apis.length === 0 ? (
              <p class="muted">Aucune API ouverte par identité pivot ou INE : l’envoi de lots sera possible une fois l’habilitation validée.</p>
            ) : (
              <form novalidate aria-label="Envoyer un lot de dossiers" onSubmit={(e: Event) => void upload(e)}>
                <p class="muted">
                  Un fichier CSV (séparateur « ; » ou « , », UTF-8), une ligne par dossier, avec votre référence de dossier. Les lignes incomplètes sont signalées une par une et ne
                  sont pas envoyées.{' '}
                  <a href={apiParticulier.templateUrl(props.tenant.id, form.modality)} download>
                    Télécharger le modèle
                  </a>
                </p>
                <StatusMessage text={state.done.value} id="apip-lot-statut" />
                <ProblemSummary id="apip-lot-probleme" problem={state.problem.value} fields={['file']} title="Le lot n’a pas été accepté" />
                <div class="grid-2">
                  <SelectField
                    id="apip-lot-api"
                    label="Donnée à récupérer"
                    options={apis.map((a) => ({ value: a.api, label: API_PARTICULIER_CATALOGUE[a.api].label }))}
                    modelValue={chosen}
                    onUpdate={(v) => (form.api = v)}
                  />
                  <SelectField
                    id="apip-lot-modalite"
                    label="Identification des personnes"
                    options={modalities.map((m) => ({ value: m, label: m === 'ine' ? 'INE (étudiants)' : 'Identité pivot (nom, prénoms, naissance)' }))}
                    modelValue={modalities.includes(form.modality) ? form.modality : (modalities[0] ?? 'pivot_identity')}
                    onUpdate={(v) => (form.modality = v === 'ine' ? 'ine' : 'pivot_identity')}
                  />
                </div>
                <div class="field">
                  <label class="label" for="apip-lot-file">
                    Fichier CSV
                  </label>
                  <input
                    id="apip-lot-file"
                    type="file"
                    accept=".csv,text/csv"
                    aria-describedby={state.errors['file'] ? 'apip-lot-file-erreur' : undefined}
                    aria-invalid={state.errors['file'] ? 'true' : undefined}
                    onChange={(e: Event) => (file.value = (e.target as HTMLInputElement).files?.[0] ?? null)}
                  />
                  {state.errors['file'] ? (
                    <p class="field-error" id="apip-lot-file-erreur">
                      {state.errors['file']}
                    </p>
                  ) : null}
                </div>
                <Button type="submit" label="Envoyer le lot" loading={state.busy.value} />
              </form>
            )
          ) : (
            <p class="muted">Les lots sont envoyés par les administrateurs du client ; leurs résultats ne sont accessibles qu’à eux (l’éditeur n’est jamais destinataire des données).</p>
          )}
          {report.value && report.value.rejections.length > 0 ? (
            <div class="rejections" data-testid="apip-rejections">
              <h4>Lignes rejetées du dernier envoi</h4>
              <ul>
                {report.value.rejections.slice(0, 20).map((r) => (
                  <li key={r.line}>
                    Ligne {r.line}
                    {r.reference ? ` (${r.reference})` : ''} : {r.reasons.join(' ')}
                  </li>
                ))}
              </ul>
              {report.value.rejectedLines > 20 ? <p class="muted">… et {report.value.rejectedLines - 20} autres : voir le fichier des lignes rejetées.</p> : null}
            </div>
          ) : null}
          {state_?.data ? (
            state_.data.items.length === 0 ? (
              <p class="muted">Aucun lot envoyé.</p>
            ) : (
              <div class="table-wrap">
              <table class="data-table" data-testid="apip-batches">
                <caption class="visually-hidden">Lots envoyés, du plus récent au plus ancien</caption>
                <thead>
                  <tr>
                    <th scope="col">Envoyé le</th>
                    <th scope="col">Environnement</th>
                    <th scope="col">Fichier</th>
                    <th scope="col">Donnée</th>
                    <th scope="col">Avancement</th>
                    <th scope="col">Fichiers</th>
                  </tr>
                </thead>
                <tbody>
                  {state_.data.items.map((b) => (
                    <tr key={b.id} data-batch={b.id}>
                      <td>
                        {formatDateTime(b.createdAt)}
                        {b.createdBy ? <span class="muted"> par {b.createdBy}</span> : null}
                      </td>
                      <td data-testid="batch-environment">{b.environment ? <EnvironmentBadge product="api_particulier" environment={b.environment} short /> : <span class="muted">—</span>}</td>
                      <td>{b.fileName}</td>
                      <td>{b.apiLabel}</td>
                      <td data-testid="batch-progress">
                        {b.progress.done ? 'Terminé' : 'En cours'} : {b.progress.succeeded} réussi(s), {b.progress.failed} en échec
                        {b.progress.done ? '' : `, ${b.progress.queued + b.progress.inProgress} restant(s)`} ; {b.rejectedLines} ligne(s) rejetée(s) sur {b.totalLines}
                      </td>
                      <td>
                        {isClientAdmin() ? (
                          <a href={apiParticulier.resultsUrl(props.tenant.id, b.id)} download>
                            Résultats
                          </a>
                        ) : null}
                        {b.rejectedLines > 0 ? (
                          <>
                            {isClientAdmin() ? ' · ' : ''}
                            <a href={apiParticulier.rejectionsUrl(props.tenant.id, b.id)} download>
                              Lignes rejetées
                            </a>
                          </>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              </div>
            )
          ) : state_?.error ? (
            <ErrorState error={state_.error} onRetry={() => void reload(key())} />
          ) : (
            <LoadingState />
          )}
        </section>
      );
    };
  },
});

/** The call log: who or which dossier, API, outcome — never the data. */
const CallLog = defineComponent({
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

/** API Particulier activity of a tenant: batches and the call log. */
export const ApiParticulierActivity = defineComponent({
  name: 'ApiParticulierActivity',
  props: {
    tenant: { type: Object as PropType<TenantView>, required: true },
    habilitation: { type: Object as PropType<HabilitationView | null>, default: null },
  },
  setup(props) {
    return () => (
      <>
        <Batches tenant={props.tenant} habilitation={props.habilitation} />
        <CallLog tenant={props.tenant} />
      </>
    );
  },
});
