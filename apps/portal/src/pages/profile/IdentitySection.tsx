import { defineComponent, ref } from 'vue';
import { IdentityForm } from '../../components/IdentityForm';
import { formatBirthcountry, formatBirthdate, formatBirthplace, formatGender, orDash } from '../../format';
import type { CitizenView, IdentityView } from '@fcplat/contract';
import { focusById } from './shared';

/**
 * FC-15: the pivot identity, as text. From FranceConnect it cannot be edited at all; an identity
 * typed on this portal (or none yet) can be completed through a form the citizen opens.
 */
export const IdentitySection = defineComponent({
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
