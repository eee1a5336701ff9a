import { API_PARTICULIER_CATALOGUE, isApiParticulierApi, type ApiParticulierApi } from '@fcplat/domain';
import { computed, defineComponent, nextTick, onBeforeUnmount, reactive, ref, type PropType } from 'vue';
import { apiParticulier } from '../../../api/endpoints';
import type { BatchDetail, BatchView, HabilitationView, Page, TenantView } from '@fcplat/contract';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../../components/Feedback';
import { SelectField } from '../../../components/fields/SelectField';
import { EnvironmentBadge } from '../../../components/EnvironmentBadge';
import { formatDateTime } from '../../../format';
import { Button } from '../../../prime/button';
import { useFormState } from '../../../state/form';
import { reload, useResource } from '../../../state/resource';
import { isClientAdmin } from '../../../state/session';
import { enabledApis } from '../enabled-apis';
import { activity } from './activity';
import { BatchLines } from './BatchLines';

/** Batches: a client administrator uploads a CSV, everyone follows the progress; results go to the client only. */
export const Batches = defineComponent({
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
    /** The batch whose lines are shown under the list (one at a time). */
    const detailed = ref<string | null>(null);
    function closeDetail(): void {
      const id = detailed.value;
      detailed.value = null;
      if (id) void nextTick(() => document.querySelector<HTMLElement>(`[data-batch="${id}"] [data-testid="apip-batch-details"]`)?.focus());
    }
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

    /**
     * The notice of the last upload: « Lot reçu » while it runs, then what became of it (it must not
     * keep saying « en cours » once the batch is done).
     */
    const notice = computed(() => {
      const sent = report.value;
      const finished = sent ? list()?.data?.items.find((b) => b.id === sent.id && b.progress.done) : undefined;
      if (!sent || !finished) return state.done.value;
      return `Lot terminé : ${finished.progress.succeeded} dossier(s) traité(s), ${finished.progress.failed} en échec, ${sent.rejectedLines} ligne(s) rejetée(s). Les résultats sont à télécharger ci-dessous.`;
    });

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
                <StatusMessage text={notice.value} id="apip-lot-statut" />
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
                        <Button
                          type="button"
                          link
                          class="inline-link-button"
                          label="Détail des lignes"
                          aria-label={`Détail des lignes du lot ${b.fileName}`}
                          data-testid="apip-batch-details"
                          aria-expanded={detailed.value === b.id ? 'true' : 'false'}
                          onClick={() => (detailed.value = detailed.value === b.id ? null : b.id)}
                        />
                        {' · '}
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
          {(() => {
            const batch = detailed.value ? state_?.data?.items.find((b) => b.id === detailed.value) : undefined;
            return batch ? <BatchLines key={batch.id} tenantId={props.tenant.id} batch={batch} onClose={closeDetail} /> : null;
          })()}
        </section>
      );
    };
  },
});
