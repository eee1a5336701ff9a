import {
  API_PARTICULIER_APIS,
  API_PARTICULIER_CATALOGUE,
  CALL_MODALITIES,
  CALL_MODALITY_INFO,
  HABILITATION_MANUAL_TRANSITIONS,
  HABILITATION_PRODUCTS,
  HABILITATION_PRODUCT_LABELS,
  HABILITATION_STATES,
  HABILITATION_STATE_LABELS,
  apiForScope,
  type CallModality,
  type HabilitationProduct,
  type HabilitationState,
} from '@fcplat/domain';
import { computed, defineComponent, reactive, ref, type PropType } from 'vue';
import { habilitations } from '../../api/endpoints';
import type { HabilitationHistoryView, HabilitationView, TenantView } from '@fcplat/contract';
import { ErrorState, LoadingState, ProblemSummary, StatusMessage } from '../../components/Feedback';
import { CheckboxField } from '../../components/fields/CheckboxField';
import { SelectField } from '../../components/fields/SelectField';
import { TextareaField } from '../../components/fields/TextareaField';
import { TextField } from '../../components/fields/TextField';
import type { Option } from '../../components/fields/shared';
import { formatDate, formatDateTime } from '../../format';
import { Button } from '../../prime/button';
import { Tag } from '../../prime/tag';
import { useFormState } from '../../state/form';
import { invalidate, reload, useResource } from '../../state/resource';
import { canStaffWrite } from '../../state/session';
import { SectionTitle } from '../../components/SectionTitle';

const STATE_SEVERITY: Readonly<Record<HabilitationState, 'success' | 'info' | 'warn' | 'danger' | 'secondary'>> = {
  draft: 'secondary',
  submitted: 'info',
  changes_requested: 'warn',
  validated: 'success',
  refused: 'danger',
  revoked: 'danger',
  archived: 'secondary',
};

/** The label of an API Particulier scope (« Quotient familial CAF & MSA »), or the code itself. */
function scopeLabel(scope: string): string {
  const api = apiForScope(scope);
  return api ? (API_PARTICULIER_CATALOGUE[api].scopes.find((s) => s.scope === scope)?.label ?? scope) : scope;
}

function HistoryList(props: { items: readonly HabilitationHistoryView[] }) {
  if (props.items.length === 0) return <p class="muted">Aucun changement enregistré.</p>;
  return (
    <ol class="timeline">
      {props.items.map((h) => (
        <li key={h.id}>
          <div class="when">
            {formatDateTime(h.occurredAt)} · {h.source === 'webhook' ? `DataPass (${h.dataPassEvent ?? 'notification'})` : 'saisie manuelle'}
          </div>
          <div>
            {h.fromState ? `${HABILITATION_STATE_LABELS[h.fromState]} → ` : ''}
            <strong>{HABILITATION_STATE_LABELS[h.toState]}</strong>
          </div>
          {h.note ? <div>Note : {h.note}</div> : null}
        </li>
      ))}
    </ol>
  );
}

/** The history of one product's habilitation, loaded when it is unfolded. */
const HabilitationHistory = defineComponent({
  name: 'HabilitationHistory',
  props: { tenantId: { type: String, required: true }, product: { type: String as PropType<HabilitationProduct>, required: true } },
  setup(props) {
    const open = ref(false);
    const key = () => (open.value ? `habilitation-history:${props.tenantId}:${props.product}` : null);
    const history = useResource<{ items: HabilitationHistoryView[] }>(key, () => habilitations.history(props.tenantId, props.product));
    return () => {
      const state = history();
      return (
        <details onToggle={(event: Event) => (open.value = (event.target as HTMLDetailsElement).open)}>
          <summary>Historique des états</summary>
          {open.value ? (
            state?.data ? (
              <HistoryList items={state.data.items} />
            ) : state?.error ? (
              <ErrorState error={state.error} onRetry={() => void reload(key() ?? '')} />
            ) : (
              <LoadingState />
            )
          ) : null}
        </details>
      );
    };
  },
});

/** Staff record a DataPass state by hand (when DataPass' webhook does not, or not yet). */
const RecordForm = defineComponent({
  name: 'RecordForm',
  props: {
    tenantId: { type: String, required: true },
    product: { type: String as PropType<HabilitationProduct>, required: true },
    current: { type: Object as PropType<HabilitationView | null>, default: null },
  },
  setup(props) {
    const prefix = `hab-${props.product}`;
    const form = reactive({
      state: '',
      dataPassId: props.current?.dataPassId ?? '',
      note: '',
      scopes: [...(props.current?.scopes ?? [])],
      modalities: [...(props.current?.modalities ?? [])],
    });
    const state = useFormState(`${prefix}-probleme`, `${prefix}-`);
    const options = computed<Option[]>(() => {
      const from = props.current?.state ?? null;
      const allowed = from ? HABILITATION_MANUAL_TRANSITIONS[from] : HABILITATION_STATES;
      return [{ value: '', label: 'Choisir l’état' }, ...allowed.map((s) => ({ value: s, label: HABILITATION_STATE_LABELS[s] }))];
    });

    function toggle(list: string[], value: string, on: boolean): void {
      const index = list.indexOf(value);
      if (on && index < 0) list.push(value);
      if (!on && index >= 0) list.splice(index, 1);
    }

    async function save(event: Event): Promise<void> {
      event.preventDefault();
      state.clear();
      state.errors['state'] = (HABILITATION_STATES as readonly string[]).includes(form.state) ? undefined : 'Choisissez le nouvel état.';
      if (await state.focusFirstError(['state'])) return;
      await state.run(async () => {
        const saved = await habilitations.put(props.tenantId, props.product, {
          state: form.state as HabilitationState,
          dataPassId: form.dataPassId.trim() || null,
          ...(props.product === 'api_particulier' ? { scopes: [...form.scopes], modalities: form.modalities.filter((m): m is CallModality => (CALL_MODALITIES as readonly string[]).includes(m)) } : {}),
          ...(form.note.trim() ? { note: form.note.trim() } : {}),
          ...(props.current ? { version: props.current.version } : {}),
        });
        form.state = '';
        form.note = '';
        void reload(`habilitations:${props.tenantId}`);
        invalidate(`habilitation-history:${props.tenantId}:${props.product}`, `case:${props.tenantId}`, `audit:${props.tenantId}`, 'pipeline', 'cases:');
        return `Habilitation ${HABILITATION_PRODUCT_LABELS[props.product]} : état « ${saved.stateLabel} » enregistré.`;
      });
    }

    return () => (
      <form novalidate onSubmit={(e: Event) => void save(e)} aria-labelledby={`${prefix}-form-titre`}>
        <h4 id={`${prefix}-form-titre`}>
          Enregistrer un nouvel état<span class="visually-hidden"> de l’habilitation {HABILITATION_PRODUCT_LABELS[props.product]}</span>
        </h4>
        <StatusMessage text={state.done.value} id={`${prefix}-statut`} />
        <ProblemSummary id={`${prefix}-probleme`} problem={state.problem.value} fields={['state', 'dataPassId', 'note']} title="L’état n’a pas été enregistré" />
        <div class="grid-2">
          <SelectField id={`${prefix}-state`} label="Nouvel état" options={options.value} modelValue={form.state} onUpdate={(v) => (form.state = v)} error={state.errors['state']} />
          <TextField
            id={`${prefix}-datapass`}
            label="Numéro de la demande DataPass"
            hint="Obligatoire pour déposer à nouveau une demande refusée, révoquée ou archivée."
            maxlength={64}
            modelValue={form.dataPassId}
            onUpdate={(v) => (form.dataPassId = v)}
            error={state.errors['dataPassId']}
          />
        </div>
        {props.product === 'api_particulier' ? (
          <>
            <fieldset class="group">
              <legend>Données habilitées</legend>
              <div class="grid-2">
                {API_PARTICULIER_APIS.map((api) => (
                  <fieldset class="group" key={api}>
                    <legend>{API_PARTICULIER_CATALOGUE[api].label}</legend>
                    {API_PARTICULIER_CATALOGUE[api].scopes.map((s) => (
                      <CheckboxField
                        key={s.scope}
                        id={`${prefix}-scope-${s.scope}`}
                        label={s.label}
                        modelValue={form.scopes.includes(s.scope)}
                        onUpdate={(on) => toggle(form.scopes, s.scope, on)}
                      />
                    ))}
                  </fieldset>
                ))}
              </div>
            </fieldset>
            <fieldset class="group">
              <legend>Modalités d’appel</legend>
              {CALL_MODALITIES.map((m) => (
                <CheckboxField
                  key={m}
                  id={`${prefix}-modalite-${m}`}
                  label={CALL_MODALITY_INFO[m].label}
                  modelValue={form.modalities.includes(m)}
                  onUpdate={(on) => toggle(form.modalities, m, on)}
                />
              ))}
            </fieldset>
          </>
        ) : null}
        <TextareaField id={`${prefix}-note`} label="Note" maxlength={1000} rows={2} modelValue={form.note} onUpdate={(v) => (form.note = v)} error={state.errors['note']} />
        <Button type="submit" label="Enregistrer l’état" severity="secondary" loading={state.busy.value} />
      </form>
    );
  },
});

const ProductCard = defineComponent({
  name: 'ProductCard',
  props: {
    tenant: { type: Object as PropType<TenantView>, required: true },
    product: { type: String as PropType<HabilitationProduct>, required: true },
    habilitation: { type: Object as PropType<HabilitationView | null>, default: null },
  },
  setup(props) {
    return () => {
      const h = props.habilitation;
      const required = props.product === 'franceconnect' || props.tenant.dataRetrievalEnabled;
      return (
        <section class="card" aria-labelledby={`hab-${props.product}-titre`} data-testid={`habilitation-${props.product}`}>
          <h3 id={`hab-${props.product}-titre`}>
            HabilitationView {HABILITATION_PRODUCT_LABELS[props.product]}
            {required ? null : <span class="muted"> (non requise : récupération de données désactivée)</span>}
          </h3>
          {h ? (
            <>
              <p>
                État DataPass : <Tag severity={STATE_SEVERITY[h.state]} value={h.stateLabel} data-testid="habilitation-state" />
              </p>
              <dl class="definition-list">
                <dt>Demande DataPass</dt>
                <dd>{h.dataPassId ?? <span class="muted">numéro non renseigné</span>}</dd>
                <dt>Soumise le</dt>
                <dd>{formatDate(h.submittedAt)}</dd>
                <dt>Validée le</dt>
                <dd>{formatDate(h.validatedAt)}</dd>
                {h.refusedAt ? (
                  <>
                    <dt>Refusée le</dt>
                    <dd>{formatDate(h.refusedAt)}</dd>
                  </>
                ) : null}
                <dt>Données</dt>
                <dd>
                  {h.scopes.length === 0 ? (
                    <span class="muted">aucune enregistrée</span>
                  ) : props.product === 'api_particulier' ? (
                    h.scopes.map(scopeLabel).join(', ')
                  ) : (
                    h.scopes.map((s) => (
                      <span class="code" key={s} style={{ marginRight: '0.35rem' }}>
                        {s}
                      </span>
                    ))
                  )}
                </dd>
                {props.product === 'api_particulier' ? (
                  <>
                    <dt>Modalités d’appel</dt>
                    <dd>{h.modalities.length === 0 ? <span class="muted">aucune</span> : h.modalities.map((m) => CALL_MODALITY_INFO[m as keyof typeof CALL_MODALITY_INFO]?.label ?? m).join(', ')}</dd>
                  </>
                ) : null}
              </dl>
              <HabilitationHistory tenantId={props.tenant.id} product={props.product} />
            </>
          ) : (
            <p class="muted">Aucune demande DataPass enregistrée pour l’instant.</p>
          )}
          {canStaffWrite() ? <RecordForm tenantId={props.tenant.id} product={props.product} current={h} /> : null}
        </section>
      );
    };
  },
});

/** The « Habilitations » section: the DataPass state of each product, its data and its history. */
export default defineComponent({
  name: 'HabilitationsSection',
  props: { tenant: { type: Object as PropType<TenantView>, required: true } },
  setup(props) {
    const key = () => `habilitations:${props.tenant.id}`;
    const list = useResource<{ items: HabilitationView[] }>(key, () => habilitations.list(props.tenant.id));
    return () => {
      const state = list();
      return (
        <section aria-labelledby="section-titre">
          <SectionTitle>
            Habilitations DataPass
          </SectionTitle>
          <p class="muted">Les états sont mis à jour par DataPass lorsqu’il notifie la plateforme ; l’équipe peut aussi les enregistrer à la main.</p>
          {state?.data ? (
            HABILITATION_PRODUCTS.map((product) => (
              <ProductCard key={product} tenant={props.tenant} product={product} habilitation={state.data?.items.find((h) => h.product === product) ?? null} />
            ))
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
