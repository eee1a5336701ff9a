import { defineComponent, nextTick, onMounted, reactive, ref } from 'vue';
import { useRouter } from 'vue-router';
import { ApiError, fallbackMessage, type RetrievedDataShown } from '../api';
import { ErrorAlert } from '../components/Alert';
import { FranceConnectBlock } from '../components/FranceConnect';
import { IdentityForm } from '../components/IdentityForm';
import { FlashMessage, QueryErrorAlert } from '../components/Layout';
import { TextField } from '../components/TextField';
import {
  formatBirthcountry,
  formatBirthdate,
  formatBirthplace,
  formatGender,
  formatDateTime,
  formatTime,
  orDash,
  pendingIdentityOf,
  scopeLabel,
} from '../format';
import { api, franceConnectOffered, navigateAway, portalName, refreshMe, session, setFlash } from '../session';
import type { CitizenView, IdentityView } from '@fcplat/contract';
import { emailProblem, focusFirstInvalid } from '../validation';

function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.problem.detail ?? fallbackMessage(error.status);
  return fallbackMessage(0);
}

function focusById(id: string): void {
  void nextTick(() => document.getElementById(id)?.focus());
}

/**
 * FC-15: the pivot identity, as text. From FranceConnect it cannot be edited at all; an identity
 * typed on this portal (or none yet) can be completed through a form the citizen opens.
 */
const IdentitySection = defineComponent({
  name: 'IdentitySection',
  props: { me: { type: Object as () => CitizenView, required: true } },
  setup(props) {
    const editing = ref(false);
    function open(): void {
      editing.value = true;
      focusById('identite-formulaire-titre');
    }
    function done(): void {
      editing.value = false;
      focusById('modifier-identite');
    }
    return () => {
      const identity: IdentityView | null = props.me.identity;
      const fromFranceConnect = identity?.source === 'franceconnect';
      return (
        <section id="identite" class="card" aria-labelledby="identite-titre">
          <h2 id="identite-titre">Mon identité</h2>
          {fromFranceConnect ? (
            <>
              <p>
                <span class="badge">Identité transmise par FranceConnect</span>
              </p>
              <p id="identite-explication">
                Ces informations proviennent de FranceConnect et ne peuvent pas être modifiées sur ce portail. Pour les corriger, adressez-vous à
                l’organisme du compte que vous utilisez avec FranceConnect (impots.gouv.fr, l’Assurance Maladie, La Poste…).
              </p>
            </>
          ) : null}
          {identity && !fromFranceConnect ? <p id="identite-explication">Informations déclarées sur ce portail.</p> : null}
          {identity ? (
            <dl class="identity" aria-describedby="identite-explication">
              <dt>Nom de naissance</dt>
              <dd data-field="familyName">{orDash(identity.familyName)}</dd>
              <dt>Prénoms</dt>
              <dd data-field="givenNames">{orDash(identity.givenNames)}</dd>
              <dt>Date de naissance</dt>
              <dd data-field="birthdate">{formatBirthdate(identity.birthdate)}</dd>
              <dt>Lieu de naissance</dt>
              <dd data-field="birthplace">{formatBirthplace(identity.birthplace)}</dd>
              <dt>Pays de naissance</dt>
              <dd data-field="birthcountry">{formatBirthcountry(identity.birthcountry)}</dd>
              <dt>Sexe</dt>
              <dd data-field="gender">{formatGender(identity.gender)}</dd>
            </dl>
          ) : (
            <p>Aucune identité n’est associée à votre compte pour le moment.</p>
          )}
          <p>
            Connexion avec FranceConnect : <strong>{props.me.franceConnectLinked ? 'associée à ce compte' : 'non associée'}</strong>
          </p>
          {!fromFranceConnect && editing.value ? <IdentityForm identity={identity} onDone={done} /> : null}
          {!fromFranceConnect && !editing.value ? (
            <button type="button" id="modifier-identite" class="button button--secondary" onClick={open}>
              {identity ? 'Modifier mon identité' : 'Compléter mon identité'}
            </button>
          ) : null}
        </section>
      );
    };
  },
});

/**
 * The citizen's own reconciliation path (FC-11): a logged-in account without FranceConnect goes
 * through FranceConnect, and the API links the identity (or asks for a confirmation).
 */
function LinkFranceConnectSection() {
  return (
    <section id="associer-franceconnect" class="card" aria-labelledby="associer-franceconnect-titre">
      <h2 id="associer-franceconnect-titre">Associer FranceConnect à mon compte</h2>
      <p>Identifiez-vous une fois avec FranceConnect depuis cette page : vous pourrez ensuite vous connecter à ce compte avec FranceConnect.</p>
      <FranceConnectBlock purpose="login" />
    </section>
  );
}

/** FC-11: a FranceConnect identity waiting for the citizen's decision. */
const ReconciliationBanner = defineComponent({
  name: 'ReconciliationBanner',
  props: { me: { type: Object as () => CitizenView, required: true } },
  setup(props) {
    const busy = ref(false);
    const error = ref<string | null>(null);
    async function decide(accept: boolean): Promise<void> {
      if (busy.value) return;
      busy.value = true;
      error.value = null;
      try {
        if (accept) await api().confirmReconciliation();
        else await api().rejectReconciliation();
        await refreshMe();
        setFlash('/profil', 'success', accept ? 'Votre identité FranceConnect est désormais liée à votre compte.' : 'L’identité FranceConnect n’a pas été liée à votre compte.');
        focusById('profil-titre');
      } catch (failure) {
        error.value = messageOf(failure);
      } finally {
        busy.value = false;
      }
    }
    return () => {
      const pending = pendingIdentityOf(props.me);
      if (!pending) return null;
      const who = [pending.givenNames, pending.familyName].filter((v) => v).join(' ');
      return (
        <section id="reconciliation" class="alert" aria-labelledby="reconciliation-titre">
          <h2 id="reconciliation-titre" class="alert-title">
            Lier votre identité FranceConnect à ce compte
          </h2>
          <p>
            FranceConnect vous a identifié(e) comme <strong>{who || 'une personne'}</strong>
            {pending.birthdate ? `, né(e) le ${formatBirthdate(pending.birthdate)}` : ''}. S’il s’agit bien de vous, liez cette identité à votre
            compte : vous pourrez vous connecter avec FranceConnect, et votre identité sera celle transmise par FranceConnect.
          </p>
          {props.me.pendingReconciliation?.expiresAt ? <p>Cette proposition est valable jusqu’à {formatTime(props.me.pendingReconciliation.expiresAt)}.</p> : null}
          {error.value ? <ErrorAlert message={error.value} /> : null}
          <div class="button-row">
            <button type="button" class="button" disabled={busy.value} onClick={() => decide(true)}>
              Lier cette identité à mon compte
            </button>
            <button type="button" class="button button--secondary" disabled={busy.value} onClick={() => decide(false)}>
              Ne pas lier
            </button>
          </div>
        </section>
      );
    };
  },
});

/** FC-16: usage name and e-mail stay editable. */
const ContactForm = defineComponent({
  name: 'ContactForm',
  props: { me: { type: Object as () => CitizenView, required: true } },
  setup(props) {
    const values = reactive({ usageName: props.me.usageName ?? '', email: props.me.email ?? '' });
    const errors = reactive<{ usageName?: string; email?: string }>({});
    const formError = ref<string | null>(null);
    const busy = ref(false);

    async function save(event: Event): Promise<void> {
      event.preventDefault();
      if (busy.value) return;
      const email = values.email.trim();
      const usageName = values.usageName.trim();
      errors.email = email || props.me.email ? emailProblem(email) : undefined;
      errors.usageName = usageName.length > 200 ? 'Le nom d’usage ne doit pas dépasser 200 caractères.' : undefined;
      if (errors.email || errors.usageName) {
        formError.value = 'Le formulaire contient des erreurs. Corrigez les champs signalés.';
        focusFirstInvalid([
          ['profil-nom-usage', errors.usageName],
          ['profil-email', errors.email],
        ]);
        return;
      }
      const changes: { usageName?: string | null; email?: string } = {};
      if (usageName !== (props.me.usageName ?? '')) changes.usageName = usageName || null;
      if (email && email !== (props.me.email ?? '')) changes.email = email;
      formError.value = null;
      if (Object.keys(changes).length === 0) {
        setFlash('/profil', 'info', 'Aucune modification à enregistrer.');
        return;
      }
      busy.value = true;
      try {
        await api().updateMe(changes);
        const me = await refreshMe();
        values.usageName = me?.usageName ?? '';
        values.email = me?.email ?? '';
        setFlash('/profil', 'success', 'Vos modifications ont été enregistrées.');
      } catch (failure) {
        formError.value = messageOf(failure);
        if (failure instanceof ApiError) {
          errors.email = failure.fieldMessages['email'];
          errors.usageName = failure.fieldMessages['usageName'];
        }
      } finally {
        busy.value = false;
      }
    }

    return () => (
      <section id="coordonnees" class="card" aria-labelledby="coordonnees-titre">
        <h2 id="coordonnees-titre">Nom d'usage et adresse e-mail</h2>
        <p>Ces informations sont modifiables à tout moment.</p>
        <form class="form" novalidate aria-labelledby="coordonnees-titre" onSubmit={save}>
          {formError.value ? <ErrorAlert id="coordonnees-erreur" title="Enregistrement impossible" message={formError.value} /> : null}
          <TextField
            id="profil-nom-usage"
            label="Nom d'usage"
            autocomplete="family-name"
            required={false}
            hint="Le nom que vous utilisez au quotidien, s'il diffère de votre nom de naissance."
            value={values.usageName}
            error={errors.usageName}
            onUpdate={(v: string) => (values.usageName = v)}
          />
          <TextField
            id="profil-email"
            label="Adresse e-mail"
            type="email"
            autocomplete="email"
            required={props.me.email !== null && props.me.email !== ''}
            hint="Format attendu : nom@exemple.fr"
            value={values.email}
            error={errors.email}
            onUpdate={(v: string) => (values.email = v)}
          />
          <button type="submit" class="button" disabled={busy.value}>
            {busy.value ? 'Enregistrement…' : 'Enregistrer les modifications'}
          </button>
        </form>
      </section>
    );
  },
});

/**
 * FC-08 (D): « Récupérer ses données avec FranceConnect ». The API either sends the browser to
 * FranceConnect or, within the 30-minute FranceConnect session, asks only for a confirmation.
 */
const DataRetrievalSection = defineComponent({
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

/** FC-12: deletion in two steps on the page itself (no browser pop-up), then FranceConnect logout. */
const DeleteAccountSection = defineComponent({
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

/** « Mon profil » (FC-14 to FC-16, FC-08 D, FC-11, FC-12). */
export const ProfilePage = defineComponent({
  name: 'ProfilePage',
  setup() {
    return () => {
      const me = session.me;
      if (!me) return null;
      return (
        <>
          <h1 id="profil-titre" tabindex="-1">
            Mon profil
          </h1>
          <QueryErrorAlert />
          <FlashMessage />
          <ReconciliationBanner me={me} />
          <IdentitySection me={me} />
          <ContactForm me={me} key={me.id} />
          {franceConnectOffered() && !me.franceConnectLinked && !pendingIdentityOf(me) ? <LinkFranceConnectSection /> : null}
          {session.portal?.dataRetrievalEnabled && session.portal.environment?.franceConnectAvailable ? <DataRetrievalSection /> : null}
          <DeleteAccountSection me={me} />
        </>
      );
    };
  },
});
