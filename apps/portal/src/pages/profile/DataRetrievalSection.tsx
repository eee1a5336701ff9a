import { defineComponent, onMounted, reactive } from 'vue';
import { ApiError, type RetrievedDataShown } from '../../api';
import { ErrorAlert } from '../../components/Alert';
import { FranceConnectBlock } from '../../components/FranceConnect';
import { formatDateTime, formatTime, scopeLabel } from '../../format';
import { api, navigateAway, portalName } from '../../session';
import { messageOf, focusById } from './shared';

/**
 * FC-08 (D): « Récupérer ses données avec FranceConnect ». The API either sends the browser to
 * FranceConnect or, within the 30-minute FranceConnect session, asks only for a confirmation.
 */
export const DataRetrievalSection = defineComponent({
  name: 'DataRetrievalSection',
  setup() {
    const state = reactive<{
      step: 'idle' | 'confirm' | 'waiting' | 'done';
      expiresAt: string | null;
      scopes: readonly string[];
      results: readonly RetrievedDataShown[];
      error: string | null;
      busy: boolean;
    }>({
      step: 'idle',
      expiresAt: null,
      scopes: [],
      results: [],
      error: null,
      busy: false,
    });

    /** `auto`: back from FranceConnect (`?recuperation=confirmer`): show the confirmation, never redirect again. */
    async function start(event?: MouseEvent, auto = false): Promise<void> {
      event?.preventDefault();
      if (state.busy) return;
      state.busy = true;
      state.error = null;
      try {
        const answer = await api().startDataRetrieval();
        if (answer.status === 'confirm_required') {
          state.step = 'confirm';
          state.expiresAt = answer.expiresAt;
          focusById('donnees-confirmation-titre');
        } else if (!auto) {
          navigateAway(answer.redirect);
        }
      } catch (failure) {
        state.error = messageOf(failure);
      } finally {
        state.busy = false;
      }
    }

    onMounted(() => {
      const mode = new URLSearchParams(window.location.search).get('recuperation');
      if (mode === 'confirmer') void start(undefined, true);
      else if (mode === 'connexion') void afterLogin();
      else void refresh(true);
    });

    /** The data retrieved in the last 30 minutes; `quiet`: on page load, nothing shown when there is none. */
    async function refresh(quiet = false, wait = false): Promise<void> {
      try {
        const results = await api().dataRetrievalResults(wait);
        if (results.length > 0 || !quiet) {
          state.results = results;
          if (results.length > 0) state.step = 'done';
        }
      } catch (failure) {
        if (!quiet) state.error = messageOf(failure);
      }
    }

    /** Back from a FranceConnect login that also retrieves the data: wait for the answers (the API bounds the wait). */
    async function afterLogin(): Promise<void> {
      state.step = 'waiting';
      await refresh(false, true);
      if (state.step === 'waiting') state.step = state.error ? 'idle' : 'done';
      focusById('donnees-resultat-titre');
    }

    async function confirm(): Promise<void> {
      if (state.busy) return;
      state.busy = true;
      state.error = null;
      try {
        const result = await api().confirmDataRetrieval();
        state.step = 'done';
        state.scopes = result.scopes;
        state.results = result.results;
        focusById('donnees-resultat-titre');
      } catch (failure) {
        state.error = messageOf(failure);
        // FranceConnect's authorisation is over: the button to go through FranceConnect again.
        if (failure instanceof ApiError && failure.problem.redirect) state.step = 'idle';
      } finally {
        state.busy = false;
      }
    }

    function cancel(): void {
      state.step = 'idle';
      state.error = null;
      focusById('donnees-titre');
    }

    return () => (
      <section id="donnees" class="card" aria-labelledby="donnees-titre">
        <h2 id="donnees-titre" tabindex="-1">
          Récupérer mes données
        </h2>
        <p>
          Avec votre accord, {portalName()} obtient directement auprès des administrations les informations utiles à vos démarches : vous n’avez
          pas de justificatif à fournir.
        </p>
        {state.error ? <ErrorAlert title="La récupération n’a pas abouti" message={state.error} /> : null}
        {state.step === 'idle' ? <FranceConnectBlock purpose="data_retrieval" onActivate={start} /> : null}
        {state.step === 'confirm' ? (
          <div class="confirm-step" role="group" aria-labelledby="donnees-confirmation-titre">
            <h3 id="donnees-confirmation-titre" tabindex="-1">
              Confirmer la récupération de vos données
            </h3>
            <p>
              Vous êtes déjà identifié(e) avec FranceConnect
              {state.expiresAt ? ` (session valable jusqu’à ${formatTime(state.expiresAt)})` : ''}. Confirmez-vous la récupération de vos données
              avec FranceConnect ?
            </p>
            <div class="button-row">
              <button type="button" class="button" disabled={state.busy} onClick={confirm}>
                Confirmer la récupération
              </button>
              <button type="button" class="button button--secondary" disabled={state.busy} onClick={cancel}>
                Annuler
              </button>
            </div>
          </div>
        ) : null}
        {state.step === 'waiting' ? (
          <p class="retrieved-waiting" role="status">
            Récupération de vos données auprès des administrations…
          </p>
        ) : null}
        {state.step === 'done' ? (
          <div class="retrieved" role="region" aria-labelledby="donnees-resultat-titre">
            <h3 id="donnees-resultat-titre" tabindex="-1">
              Vos données récupérées
            </h3>
            {state.results.length === 0 ? <p>Aucune donnée n’a été récupérée.</p> : null}
            <ul class="retrieved-list">
              {state.results.map((item) => (
                <li key={item.api} class={`retrieved-item retrieved-item--${item.status}`} data-api={item.api}>
                  <h4>{item.label}</h4>
                  {item.status === 'succeeded' ? (
                    <>
                      <p class="retrieved-value">{item.description ?? 'Donnée reçue.'}</p>
                      <p class="retrieved-meta">
                        Source : {item.provider}, via API Particulier{item.retrievedAt ? `, le ${formatDateTime(item.retrievedAt)}` : ''}.
                      </p>
                    </>
                  ) : (
                    <p class={item.status === 'failed' ? 'retrieved-problem' : 'retrieved-pending'}>{item.message}</p>
                  )}
                  <p class="retrieved-usage">
                    <strong>Utilisation :</strong> {item.usage}
                  </p>
                </li>
              ))}
            </ul>
            {state.results.some((r) => r.status === 'pending') ? (
              <button type="button" class="button button--secondary" disabled={state.busy} onClick={() => void refresh()}>
                Actualiser
              </button>
            ) : null}
            {state.scopes.length > 0 ? (
              <details class="scopes-details">
                <summary>Autorisations données avec FranceConnect</summary>
                <ul class="scopes">
                  {state.scopes.map((scope) => (
                    <li key={scope} data-scope={scope}>
                      {scopeLabel(scope)}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </div>
        ) : null}
      </section>
    );
  },
});
