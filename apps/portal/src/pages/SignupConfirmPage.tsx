import { defineComponent, ref } from 'vue';
import { RouterLink, useRoute, useRouter } from 'vue-router';
import { ApiError, fallbackMessage } from '../api';
import { ErrorAlert } from '../components/Alert';
import { api, portalName, refreshMe, setFlash } from '../session';

/**
 * `/inscription/confirmer?jeton=…`, the page of the e-mailed activation link. The account is
 * activated by a button, not by opening the page: mail scanners and link previews open links
 * without anyone asking for an account.
 */
export const SignupConfirmPage = defineComponent({
  name: 'SignupConfirmPage',
  setup() {
    const route = useRoute();
    const router = useRouter();
    const busy = ref(false);
    const problem = ref<string | null>(null);
    const token = typeof route.query['jeton'] === 'string' ? route.query['jeton'] : '';

    async function activate(): Promise<void> {
      if (busy.value) return;
      busy.value = true;
      problem.value = null;
      try {
        await api().confirmSignup(token);
        await refreshMe();
        setFlash('/profil', 'success', 'Votre compte est activé. Vous êtes connecté(e).');
        await router.push('/profil');
      } catch (error) {
        const failure = error instanceof ApiError ? error : new ApiError({ status: 0 });
        problem.value = failure.problem.detail ?? fallbackMessage(failure.status);
      } finally {
        busy.value = false;
      }
    }

    return () => (
      <>
        <h1 tabindex="-1">Activer mon compte</h1>
        <div class="card">
          {token ? (
            <>
              <p>Pour terminer votre inscription sur {portalName()}, activez votre compte.</p>
              {problem.value ? <ErrorAlert id="activation-erreur" title="Activation impossible" message={problem.value} /> : null}
              <button class="button" type="button" id="activer-compte" disabled={busy.value} onClick={() => void activate()}>
                {busy.value ? 'Activation en cours…' : 'Activer mon compte'}
              </button>
            </>
          ) : (
            <ErrorAlert id="activation-erreur" title="Lien incomplet" message="Ce lien d’activation est incomplet : ouvrez-le à nouveau depuis le message reçu." />
          )}
          <p>
            <RouterLink to="/">{{ default: () => 'Retour à l’accueil' }}</RouterLink>
          </p>
        </div>
      </>
    );
  },
});
