import { defineComponent } from 'vue';
import { credentials } from '../../../api/endpoints';
import { ProblemSummary, StatusMessage } from '../../../components/Feedback';
import { Button } from '../../../prime/button';
import { useFormState } from '../../../state/form';
import { refreshEnvironments } from '../live-environment/environments';
import { FC_ENVIRONMENT_LABELS } from './labels';

/** « Créer un client de bac à sable »: a try-out client at the platform's sandbox FranceConnect. */
export const SandboxClient = defineComponent({
  name: 'SandboxClient',
  props: { tenantId: { type: String, required: true } },
  setup(props) {
    const state = useFormState('fc-bac-a-sable-probleme');
    async function create(): Promise<void> {
      await state.run(async () => {
        const saved = await credentials.createSandboxClient(props.tenantId);
        refreshEnvironments(props.tenantId);
        return `Client de bac à sable créé (client_id ${saved.clientId}) et enregistré comme « ${FC_ENVIRONMENT_LABELS.custom} ». Pour que le portail l’utilise, mettez « ${FC_ENVIRONMENT_LABELS.custom} » en service ci-dessus.`;
      });
    }
    return () => (
      <section class="card" aria-labelledby="fc-bac-a-sable-titre">
        <h3 id="fc-bac-a-sable-titre">Essayer le portail avec le bac à sable</h3>
        <p>
          Crée un client auprès du FranceConnect de démonstration de la plateforme, avec les adresses ci-dessus, et l’enregistre comme environnement « {FC_ENVIRONMENT_LABELS.custom} ». Chaque
          création remplace le client précédent.
        </p>
        <StatusMessage text={state.done.value} id="fc-bac-a-sable-statut" />
        <ProblemSummary id="fc-bac-a-sable-probleme" problem={state.problem.value} title="Le client de bac à sable n’a pas été créé" />
        <Button type="button" id="creer-client-bac-a-sable" label="Créer un client de bac à sable" severity="secondary" loading={state.busy.value} onClick={() => void create()} />
      </section>
    );
  },
});
