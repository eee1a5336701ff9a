import { CHECK_KIND_LABELS, ITEM_STATUSES, ITEM_STATUS_LABELS, QUALIFICATION_MODE_LABELS, type ItemStatus } from '@fcplat/domain';
import { computed, defineComponent, nextTick, reactive, ref, type PropType } from 'vue';
import { RouterLink } from 'vue-router';
import { qualification } from '../../api/endpoints';
import type { ChecklistItemView, ChecklistView, TenantView } from '@fcplat/contract';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../components/Feedback';
import { SelectField } from '../../components/fields/SelectField';
import { TextareaField } from '../../components/fields/TextareaField';
import { TextField } from '../../components/fields/TextField';
import type { Option } from '../../components/fields/shared';
import { formatDateTime } from '../../format';
import { Button } from '../../prime/button';
import { Tag } from '../../prime/tag';
import { useFormState } from '../../state/form';
import { invalidate, reload, set, useResource } from '../../state/resource';
import { canStaffWrite, isStaff } from '../../state/session';
import { httpsUrlProblem } from '../../validation';
import { SectionTitle } from '../../components/SectionTitle';
import { bound } from '../../components/fields/shared';

const STATUS_SEVERITY: Readonly<Record<ItemStatus, 'success' | 'danger' | 'secondary' | 'info'>> = {
  todo: 'secondary',
  passed: 'success',
  failed: 'danger',
  not_applicable: 'info',
};

type Filter = 'all' | 'open' | 'failed';

/** Staff record their verdict on one prerequisite, with its evidence. */
const ItemForm = defineComponent({
  name: 'ItemForm',
  props: {
    tenantId: { type: String, required: true },
    item: { type: Object as PropType<ChecklistItemView>, required: true },
    onDone: { type: Function as PropType<(message: string) => void>, required: true },
    onCancel: { type: Function as PropType<() => void>, required: true },
  },
  setup(props) {
    const prefix = `item-${props.item.id}`;
    const form = reactive({ status: props.item.status as string, evidenceText: props.item.evidence.text ?? '', evidenceUrl: props.item.evidence.url ?? '' });
    const state = useFormState(`${prefix}-probleme`, `${prefix}-`);
    const options = computed<Option[]>(() =>
      ITEM_STATUSES.filter((s) => s !== 'not_applicable' || props.item.conditional).map((s) => ({ value: s, label: ITEM_STATUS_LABELS[s] })),
    );

    async function save(event: Event): Promise<void> {
      event.preventDefault();
      state.clear();
      state.errors['evidenceUrl'] = httpsUrlProblem(form.evidenceUrl.trim());
      if (await state.focusFirstError(['evidenceUrl'])) return;
      await state.run(async () => {
        const checklist = await qualification.putItem(props.tenantId, props.item.id, {
          status: form.status as ItemStatus,
          evidenceText: form.evidenceText.trim() || null,
          evidenceUrl: form.evidenceUrl.trim() || null,
        });
        set(`checklist:${props.tenantId}`, checklist);
        invalidate(`case:${props.tenantId}`, `audit:${props.tenantId}`);
        props.onDone(`${props.item.id} : « ${ITEM_STATUS_LABELS[form.status as ItemStatus]} » enregistré.`);
        return null;
      });
    }

    return () => (
      <form novalidate onSubmit={(e: Event) => void save(e)} aria-label={`Vérification ${props.item.id}`}>
        <ProblemSummary id={`${prefix}-probleme`} problem={state.problem.value} fields={['status', 'evidenceText', 'evidenceUrl']} title="La vérification n’a pas été enregistrée" />
        <div class="grid-2">
          <SelectField id={`${prefix}-status`} label="Résultat" options={options.value} {...bound(form, 'status', state.errors['status'])} />
          <TextField
            id={`${prefix}-evidenceUrl`}
            label="Lien vers la preuve"
            type="url"
            hint="Capture, compte rendu… (https://)"
            maxlength={2048}
            {...bound(form, 'evidenceUrl', state.errors['evidenceUrl'])}
          />
        </div>
        <TextareaField
          id={`${prefix}-evidenceText`}
          label="Constat"
          rows={2}
          maxlength={5000}
          {...bound(form, 'evidenceText', state.errors['evidenceText'])}
        />
        <div class="actions">
          <Button type="submit" label="Enregistrer la vérification" size="small" loading={state.busy.value} />
          <Button type="button" label="Annuler" size="small" severity="secondary" text onClick={() => props.onCancel()} />
        </div>
      </form>
    );
  },
});

/** The « Recette » section: the FranceConnect prerequisites (FC-01 … FC-22) that apply to the client. */
export default defineComponent({
  name: 'ChecklistSection',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const key = () => `checklist:${props.tenant.id}`;
    const checklist = useResource<ChecklistView>(key, () => qualification.checklist(props.tenant.id));
    const editing = ref<string | null>(null);
    const done = ref<string | null>(null);
    const filter = ref<Filter>('all');

    function edit(id: string | null): void {
      editing.value = id;
      done.value = null;
      if (id) void nextTick(() => document.getElementById(`item-${id}-status`)?.focus());
    }

    function finished(id: string, message: string): void {
      editing.value = null;
      done.value = message;
      void nextTick(() => document.getElementById(`modifier-${id}`)?.focus());
    }

    const filters: Option<Filter>[] = [
      { value: 'all', label: 'Tous les prérequis' },
      { value: 'open', label: 'À vérifier ou non conformes' },
      { value: 'failed', label: 'Non conformes' },
    ];

    return () => {
      const state = checklist();
      const data = state?.data ?? null;
      const items = (data?.items ?? []).filter((i) => filter.value === 'all' || (filter.value === 'failed' ? i.status === 'failed' : i.status === 'todo' || i.status === 'failed'));
      return (
        <section aria-labelledby="section-titre">
          <SectionTitle>
            Recette des prérequis FranceConnect
          </SectionTitle>
          {data ? (
            <>
              <section class="card" aria-labelledby="recette-bilan">
                <h3 id="recette-bilan">Bilan</h3>
                <p data-testid="checklist-summary">
                  {data.summary.counts.passed} conforme(s), {data.summary.counts.failed} non conforme(s), {data.summary.counts.todo} à vérifier, {data.summary.counts.not_applicable} sans objet, sur{' '}
                  {data.summary.total} prérequis applicables ({[data.modes.connexion ? QUALIFICATION_MODE_LABELS.C : null, data.modes.dataRetrieval ? QUALIFICATION_MODE_LABELS.D : null].filter(Boolean).join(' ; ') || 'aucun usage choisi'}).
                </p>
                <p>
                  {data.summary.readyForQualification ? (
                    <span class="badge badge--ok">Prêt pour la demande de qualification</span>
                  ) : (
                    <span class="badge badge--neutral">Pas encore prêt pour la demande de qualification</span>
                  )}
                </p>
              </section>
              <StatusMessage text={done.value} id="recette-statut" />
              <div class="card">
                <SelectField id="recette-filtre" label="Afficher" options={filters} modelValue={filter.value} onUpdate={(v) => (filter.value = v as Filter)} />
                {items.length === 0 ? <p class="muted">Aucun prérequis dans cette sélection.</p> : null}
                {items.map((item) => (
                  <article class="checklist-item" key={item.id} data-testid={`item-${item.id}`} aria-labelledby={`titre-${item.id}`}>
                    <h3 id={`titre-${item.id}`}>
                      {item.id} · {item.title}
                    </h3>
                    <div class="status-line">
                      <Tag severity={STATUS_SEVERITY[item.status]} value={item.statusLabel} data-testid="item-status" />
                      <span class="muted">
                        {item.modes.map((m) => QUALIFICATION_MODE_LABELS[m]).join(' et ')} · {item.checks.map((c) => CHECK_KIND_LABELS[c]).join(', ')}
                        {item.source === 'robot' ? ' · vérifié par le robot de qualification' : ''}
                      </span>
                      {item.source === 'robot' && isStaff() ? (
                        <RouterLink to={{ name: 'client', params: { id: props.tenant.id, section: 'robot' } }}>
                          {{ default: () => ['Voir la preuve du robot', <span class="visually-hidden"> pour {item.id}</span>] }}
                        </RouterLink>
                      ) : null}
                    </div>
                    <p>{item.description}</p>
                    {item.evidence.text || item.evidence.url ? (
                      <p>
                        Preuve : {item.evidence.text}
                        {item.evidence.url ? (
                          <>
                            {item.evidence.text ? ' — ' : ''}
                            <a href={item.evidence.url} rel="noreferrer noopener" target="_blank">
                              voir la preuve<span class="visually-hidden"> de {item.id} (nouvelle fenêtre)</span>
                            </a>
                          </>
                        ) : null}
                      </p>
                    ) : null}
                    {item.checkedAt ? (
                      <p class="muted">
                        Vérifié le {formatDateTime(item.checkedAt)}
                        {item.checkedBy ? ` par ${item.checkedBy.displayName}` : ''}
                      </p>
                    ) : null}
                    {item.blocking ? <p class={item.blocking.cause === 'todo' ? 'muted' : 'field-error'}>{item.blocking.cause === 'todo' ? 'À vérifier avant la demande de qualification.' : item.blocking.message}</p> : null}
                    {canStaffWrite() ? (
                      editing.value === item.id ? (
                        <ItemForm tenantId={props.tenant.id} item={item} onDone={(message: string) => finished(item.id, message)} onCancel={() => edit(null)} />
                      ) : (
                        <Button type="button" id={`modifier-${item.id}`} label="Enregistrer une vérification" aria-label={`Enregistrer une vérification pour ${item.id}`} size="small" severity="secondary" outlined onClick={() => edit(item.id)} />
                      )
                    ) : null}
                  </article>
                ))}
              </div>
            </>
          ) : state?.error ? (
            <ErrorState error={state.error} onRetry={() => void reload(key())} />
          ) : (
            <LoadingState label="Chargement de la recette…" />
          )}
        </section>
      );
    };
  },
});
