import { LIVE_ENVIRONMENT_PRODUCT_LABELS, LIVE_ENVIRONMENT_REASON_MIN_LENGTH } from '@fcplat/domain';
import { defineComponent, reactive, type PropType } from 'vue';
import { liveEnvironments } from '../../../api/endpoints';
import type { EnvironmentOptionView, ProductEnvironmentsView } from '@fcplat/contract';
import { ProblemSummary, StatusMessage } from '../../../components/Feedback';
import { TextareaField } from '../../../components/fields/TextareaField';
import { Button } from '../../../prime/button';
import { useFormState } from '../../../state/form';
import { refreshEnvironments } from './environments';
import { bound } from '../../../components/fields/shared';

/** The chooser of the live environment (staff who may write): radios, a reason when leaving production. */
export const EnvironmentChooser = defineComponent({
  name: 'EnvironmentChooser',
  props: {
    tenantId: { type: String, required: true },
    view: { type: Object as PropType<ProductEnvironmentsView>, required: true },
  },
  setup(props) {
    const prefix = `env-${props.view.product}`;
    const form = reactive({ environment: '', reason: '' });
    const state = useFormState(`${prefix}-probleme`, `${prefix}-`);
    const productLabel = LIVE_ENVIRONMENT_PRODUCT_LABELS[props.view.product];

    const selected = (): EnvironmentOptionView | null => props.view.environments.find((e) => e.environment === form.environment) ?? null;
    /** Leaving production: a reason is asked (and the API requires one). */
    const reasonNeeded = (): boolean => Boolean(props.view.live?.production && form.environment !== '' && form.environment !== props.view.live.environment) || Boolean(selected()?.switch.reasonRequired);

    async function submit(event: Event): Promise<void> {
      event.preventDefault();
      state.clear();
      const target = selected();
      state.errors['environment'] = target ? undefined : 'Choisissez l’environnement à mettre en service.';
      state.errors['reason'] =
        target && reasonNeeded() && form.reason.trim().length < LIVE_ENVIRONMENT_REASON_MIN_LENGTH
          ? `Indiquez le motif du retour de la production (au moins ${LIVE_ENVIRONMENT_REASON_MIN_LENGTH} caractères).`
          : undefined;
      if (!target) {
        document.getElementById(`${prefix}-option-${props.view.environments.find((e) => e.switch.allowed)?.environment ?? ''}`)?.focus();
        return;
      }
      if (await state.focusFirstError(['reason'])) return;
      await state.run(async () => {
        const saved = await liveEnvironments.choose(props.tenantId, props.view.product, {
          environment: target.environment,
          ...(form.reason.trim() ? { reason: form.reason.trim() } : {}),
          ...(props.view.live ? { version: props.view.live.version } : {}),
        });
        Object.assign(form, { environment: '', reason: '' });
        refreshEnvironments(props.tenantId);
        return `${productLabel} : « ${saved.live?.label ?? target.label} » est maintenant l’environnement en service.`;
      });
    }

    return () => {
      const view = props.view;
      return (
        <form novalidate class="environment-chooser" aria-label={`Changer l’environnement ${productLabel} en service`} onSubmit={(e: Event) => void submit(e)}>
          <StatusMessage text={state.done.value} id={`${prefix}-statut`} />
          <ProblemSummary id={`${prefix}-probleme`} problem={state.problem.value} fields={['reason', 'environment']} title="L’environnement en service n’a pas changé" />
          <fieldset aria-describedby={state.errors['environment'] ? `${prefix}-environment-erreur` : undefined}>
            <legend>Mettre un autre environnement en service</legend>
            {view.environments.map((e) => {
              const id = `${prefix}-option-${e.environment}`;
              const disabled = !e.switch.allowed;
              return (
                <div key={e.environment} class={['environment-option', disabled ? 'environment-option--disabled' : null]} data-environment={e.environment}>
                  <input
                    type="radio"
                    id={id}
                    name={`${prefix}-environment`}
                    value={e.environment}
                    disabled={disabled}
                    checked={form.environment === e.environment}
                    aria-describedby={disabled && e.switch.message ? `${id}-aide` : undefined}
                    onChange={() => (form.environment = e.environment)}
                  />
                  <label for={id}>
                    {e.label}
                    {e.live ? ' (en service)' : ''}
                  </label>
                  {disabled && e.switch.message ? (
                    <p class="hint" id={`${id}-aide`}>
                      {e.switch.message}
                    </p>
                  ) : null}
                </div>
              );
            })}
            {state.errors['environment'] ? (
              <p class="field-error" id={`${prefix}-environment-erreur`}>
                <span class="visually-hidden">Erreur : </span>
                {state.errors['environment']}
              </p>
            ) : null}
          </fieldset>
          {reasonNeeded() ? (
            <TextareaField
              id={`${prefix}-reason`}
              label="Motif du retour de la production"
              required
              maxlength={500}
              hint={`Le portail du client quitte la production : dites pourquoi (au moins ${LIVE_ENVIRONMENT_REASON_MIN_LENGTH} caractères). Le motif est gardé au journal.`}
              {...bound(form, 'reason', state.errors['reason'])}
            />
          ) : null}
          <Button type="submit" label="Mettre en service" loading={state.busy.value} />
        </form>
      );
    };
  },
});
