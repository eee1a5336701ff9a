import { defineComponent, ref } from 'vue';
import { useRouter } from 'vue-router';
import { ErrorAlert } from '../../components/Alert';
import { api, navigateAway, session, setFlash } from '../../session';
import type { CitizenView } from '@fcplat/contract';
import { messageOf, focusById } from './shared';

/** FC-12: deletion in two steps on the page itself (no browser pop-up), then FranceConnect logout. */
export const DeleteAccountSection = defineComponent({
  name: 'DeleteAccountSection',
  props: { me: { type: Object as () => CitizenView, required: true } },
  setup(props) {
    const router = useRouter();
    const confirming = ref(false);
    const busy = ref(false);
    const error = ref<string | null>(null);

    function ask(): void {
      confirming.value = true;
      error.value = null;
      focusById('suppression-confirmation-titre');
    }

    function cancel(): void {
      confirming.value = false;
      focusById('supprimer-compte');
    }

    async function remove(): Promise<void> {
      if (busy.value) return;
      busy.value = true;
      error.value = null;
      try {
        const { redirect } = await api().deleteMe();
        session.me = null;
        if (redirect) {
          navigateAway(redirect);
          return;
        }
        setFlash('/', 'success', 'Votre compte a été supprimé.');
        await router.push('/');
      } catch (failure) {
        error.value = messageOf(failure);
      } finally {
        busy.value = false;
      }
    }

    return () => (
      <section id="suppression" class="card" aria-labelledby="suppression-titre">
        <h2 id="suppression-titre">Supprimer mon compte</h2>
        <p>
          La suppression est définitive : votre compte et les informations qui y sont associées seront effacés
          {props.me.franceConnectLinked ? ', et vous serez déconnecté(e) de FranceConnect' : ''}.
        </p>
        {error.value ? <ErrorAlert title="Suppression impossible" message={error.value} /> : null}
        {confirming.value ? (
          <div class="confirm-step" role="group" aria-labelledby="suppression-confirmation-titre">
            <h3 id="suppression-confirmation-titre" tabindex="-1">
              Confirmez-vous la suppression de votre compte ?
            </h3>
            <p>Cette action ne pourra pas être annulée.</p>
            <div class="button-row">
              <button type="button" id="confirmer-suppression" class="button button--danger" disabled={busy.value} onClick={remove}>
                Oui, supprimer définitivement mon compte
              </button>
              <button type="button" class="button button--secondary" disabled={busy.value} onClick={cancel}>
                Annuler
              </button>
            </div>
          </div>
        ) : (
          <button type="button" id="supprimer-compte" class="button button--danger" onClick={ask}>
            Supprimer mon compte
          </button>
        )}
      </section>
    );
  },
});
