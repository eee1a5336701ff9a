import { LIVE_ENVIRONMENT_PRODUCT_LABELS, type ApiParticulierEnvironment, type FranceConnectEnvironment, type LiveEnvironmentProduct } from '@fcplat/domain';
import { defineComponent, nextTick, ref, type PropType } from 'vue';
import { credentials } from '../../api/endpoints';
import { ProblemSummary, StatusMessage } from '../../components/Feedback';
import { Button } from '../../prime/button';
import { useFormState } from '../../state/form';
import { refreshEnvironments } from './live-environment/environments';

/**
 * « Révoquer » an environment's credentials (staff who may write), after a confirmation. Offered
 * for stored credentials of an environment that is not in service; the API refuses the live
 * environment's (409), and that refusal is shown as it says it.
 */
export const RevokeCredentials = defineComponent({
  name: 'RevokeCredentials',
  props: {
    tenantId: { type: String, required: true },
    product: { type: String as PropType<LiveEnvironmentProduct>, required: true },
    environment: { type: String, required: true },
    label: { type: String, required: true },
    stored: { type: Boolean, required: true },
    live: { type: Boolean, default: false },
  },
  setup(props) {
    const prefix = `revoquer-${props.product}-${props.environment}`;
    const state = useFormState(`${prefix}-probleme`);
    const confirming = ref(false);
    const what = props.product === 'franceconnect' ? 'les identifiants' : 'le jeton';

    async function ask(): Promise<void> {
      state.clear();
      confirming.value = true;
      await nextTick();
      document.getElementById(`${prefix}-confirmer`)?.focus();
    }

    async function cancel(): Promise<void> {
      confirming.value = false;
      await nextTick();
      document.getElementById(prefix)?.focus();
    }

    async function revoke(): Promise<void> {
      await state.run(async () => {
        if (props.product === 'franceconnect') await credentials.removeFranceConnect(props.tenantId, props.environment as FranceConnectEnvironment);
        else await credentials.removeApiParticulier(props.tenantId, props.environment as ApiParticulierEnvironment);
        refreshEnvironments(props.tenantId);
        return props.product === 'franceconnect' ? `Identifiants FranceConnect « ${props.label} » révoqués.` : `Jeton API Particulier « ${props.label} » révoqué.`;
      });
      confirming.value = false;
    }

    return () => (
      <div class="revoke" data-testid={`revoke-${props.environment}`}>
        <StatusMessage text={state.done.value} id={`${prefix}-statut`} />
        <ProblemSummary id={`${prefix}-probleme`} problem={state.problem.value} title={`La révocation n’a pas abouti`} />
        {props.stored && !props.live ? (
          confirming.value ? (
            <div class="actions" role="group" aria-label={`Confirmer la révocation de ${what} « ${props.label} »`}>
              <p>
                Révoquer {what} {LIVE_ENVIRONMENT_PRODUCT_LABELS[props.product]} « {props.label} » ?{' '}
                {props.product === 'franceconnect' ? 'Ils sont supprimés du coffre : il faudra les saisir à nouveau' : 'Il est supprimé du coffre : il faudra le saisir à nouveau'} pour utiliser cet
                environnement.
              </p>
              <Button type="button" id={`${prefix}-confirmer`} label="Confirmer la révocation" severity="danger" loading={state.busy.value} onClick={() => void revoke()} />
              <Button type="button" label="Annuler" severity="secondary" outlined onClick={() => void cancel()} />
            </div>
          ) : (
            <Button type="button" id={prefix} label="Révoquer" aria-label={`Révoquer ${what} « ${props.label} »`} severity="danger" outlined size="small" onClick={() => void ask()} />
          )
        ) : null}
      </div>
    );
  },
});
