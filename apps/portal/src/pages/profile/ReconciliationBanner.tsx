import { defineComponent, ref } from 'vue';
import { ErrorAlert } from '../../components/Alert';
import { formatBirthdate, formatTime, pendingIdentityOf } from '../../format';
import { api, refreshMe, setFlash } from '../../session';
import type { CitizenView } from '@fcplat/contract';
import { messageOf, focusById } from './shared';

/** FC-11: a FranceConnect identity waiting for the citizen's decision. */
export const ReconciliationBanner = defineComponent({
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
