import { API_PARTICULIER_APIS, API_PARTICULIER_CATALOGUE, CALL_MODALITIES, FRANCECONNECT_SCOPES, FRANCECONNECT_SCOPE_LABELS, CALL_MODALITY_INFO, HABILITATION_MANUAL_TRANSITIONS, HABILITATION_PRODUCT_LABELS, HABILITATION_STATES, HABILITATION_STATE_LABELS, type CallModality, type HabilitationProduct, type HabilitationState } from '@fcplat/domain';
import { computed, defineComponent, reactive, type PropType } from 'vue';
import { habilitations } from '../../../api/endpoints';
import type { HabilitationView } from '@fcplat/contract';
import { ProblemSummary, StatusMessage } from '../../../components/Feedback';
import { CheckboxField } from '../../../components/fields/CheckboxField';
import { SelectField } from '../../../components/fields/SelectField';
import { TextareaField } from '../../../components/fields/TextareaField';
import { TextField } from '../../../components/fields/TextField';
import type { Option } from '../../../components/fields/shared';
import { Button } from '../../../prime/button';
import { useFormState } from '../../../state/form';
import { invalidate, reload } from '../../../state/resource';
import { habilitationsKey } from './use-habilitations';
import { bound } from '../../../components/fields/shared';

/** Staff record a DataPass state by hand (when DataPass' webhook does not, or not yet). */
export const RecordForm = defineComponent({
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
          ...(props.product === 'api_particulier'
            ? { scopes: [...form.scopes], modalities: form.modalities.filter((m): m is CallModality => (CALL_MODALITIES as readonly string[]).includes(m)) }
            : { scopes: [...form.scopes] }),
          ...(form.note.trim() ? { note: form.note.trim() } : {}),
          ...(props.current ? { version: props.current.version } : {}),
        });
        form.state = '';
        form.note = '';
        void reload(habilitationsKey(props.tenantId));
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
          <SelectField id={`${prefix}-state`} label="Nouvel état" options={options.value} {...bound(form, 'state', state.errors['state'])} />
          <TextField
            id={`${prefix}-datapass`}
            label="Numéro de la demande DataPass"
            hint="Obligatoire pour déposer à nouveau une demande refusée, révoquée ou archivée."
            maxlength={64}
            {...bound(form, 'dataPassId', state.errors['dataPassId'])}
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
        ) : (
          <fieldset class="group">
            <legend>Données d’identité habilitées</legend>
            <p class="hint">Celles que la demande DataPass accorde ; sans aucune, la connexion demande l’identité pivot et l’adresse électronique.</p>
            <div class="grid-2">
              {FRANCECONNECT_SCOPES.filter((s) => s !== 'openid').map((s) => (
                <CheckboxField
                  key={s}
                  id={`${prefix}-scope-${s}`}
                  label={FRANCECONNECT_SCOPE_LABELS[s]}
                  modelValue={form.scopes.includes(s)}
                  onUpdate={(on) => toggle(form.scopes, s, on)}
                />
              ))}
            </div>
          </fieldset>
        )}
        <TextareaField id={`${prefix}-note`} label="Note" maxlength={1000} rows={2} {...bound(form, 'note', state.errors['note'])} />
        <Button type="submit" label="Enregistrer l’état" severity="secondary" loading={state.busy.value} />
      </form>
    );
  },
});
