import { CITIZEN_GENDERS } from '@fcplat/domain';
import { defineComponent, type PropType } from 'vue';
import { ApiError, fallbackMessage } from '../api';
import { refreshMe, api, setFlash } from '../session';
import type { BodyOf, IdentityView } from '@fcplat/contract';
import { focusFirstInvalid } from '../validation';
import { usePortalForm } from '../form';
import { ErrorAlert } from './Alert';
import { RadioGroup } from './RadioGroup';
import { TextField } from './TextField';

/** The pivot identity fields a citizen types when it does not come from FranceConnect (all of them, birthplace null abroad). */
type DeclaredIdentityInput = Required<Pick<BodyOf<'portalUpdateMe'>, 'familyName' | 'givenNames' | 'birthdate' | 'gender' | 'birthcountry' | 'birthplace'>>;

const FRANCE = '99100';
const COG_CODE = /^[0-9][0-9AB][0-9]{3}$/;

const FIELD_IDS = {
  familyName: 'identite-nom',
  givenNames: 'identite-prenoms',
  birthdate: 'identite-date',
  gender: 'identite-sexe',
  bornIn: 'identite-naissance',
  birthplace: 'identite-commune',
  birthcountry: 'identite-pays',
} as const;

type FieldName = keyof typeof FIELD_IDS;

/**
 * The pivot identity typed by the citizen, for an account whose identity does not come from
 * FranceConnect (the API refuses these fields for a FranceConnect identity, FC-15). A declared
 * identity lets the API recognise the citizen at the next FranceConnect login (FC-11).
 */
export const IdentityForm = defineComponent({
  name: 'IdentityForm',
  props: {
    identity: { type: Object as PropType<IdentityView | null>, default: null },
    onDone: { type: Function as PropType<(saved: boolean) => void>, required: true },
  },
  setup(props) {
    const current = props.identity;
    const bornAbroad = current?.birthcountry !== null && current?.birthcountry !== undefined && current.birthcountry !== FRANCE;
    const { values, errors, formError, busy, field } = usePortalForm({
      familyName: current?.familyName ?? '',
      givenNames: current?.givenNames ?? '',
      birthdate: current?.birthdate ?? '',
      gender: current?.gender === 'female' || current?.gender === 'male' ? current.gender : '',
      bornIn: current?.birthcountry ? (bornAbroad ? 'etranger' : 'france') : '',
      birthplace: current?.birthplace ?? '',
      birthcountry: bornAbroad ? (current?.birthcountry ?? '') : '',
    });
    /** What ties a field to its value and its error: its id, value, error and change callback. */
    const bound = (name: FieldName) => ({ id: FIELD_IDS[name], ...field(name) });

    function check(): boolean {
      errors.familyName = values.familyName.trim() ? undefined : 'Saisissez votre nom de naissance.';
      errors.givenNames = values.givenNames.trim() ? undefined : 'Saisissez vos prénoms.';
      errors.birthdate = /^\d{4}-\d{2}-\d{2}$/.test(values.birthdate) ? undefined : 'Saisissez votre date de naissance.';
      errors.gender = values.gender ? undefined : 'Indiquez votre sexe.';
      errors.bornIn = values.bornIn ? undefined : 'Indiquez si vous êtes né(e) en France ou à l’étranger.';
      const place = values.birthplace.trim().toUpperCase();
      const country = values.birthcountry.trim();
      errors.birthplace =
        values.bornIn === 'france' && !COG_CODE.test(place) ? 'Saisissez le code INSEE de votre commune de naissance : 5 caractères, par exemple 75107.' : undefined;
      errors.birthcountry =
        values.bornIn === 'etranger' && (!/^99\d{3}$/.test(country) || country === FRANCE)
          ? 'Saisissez le code INSEE de votre pays de naissance : 5 chiffres commençant par 99, par exemple 99134.'
          : undefined;
      const names = Object.keys(FIELD_IDS) as FieldName[];
      if (names.every((name) => errors[name] === undefined)) return true;
      formError.value = 'Le formulaire contient des erreurs. Corrigez les champs signalés.';
      // Radio groups take the focus on their first option.
      const target: Record<FieldName, string> = { ...FIELD_IDS, gender: `${FIELD_IDS.gender}-female`, bornIn: `${FIELD_IDS.bornIn}-france` };
      focusFirstInvalid(names.map((name) => [target[name], errors[name]] as const));
      return false;
    }

    async function save(event: Event): Promise<void> {
      event.preventDefault();
      const gender = CITIZEN_GENDERS.find((g) => g === values.gender);
      if (busy.value || !check() || !gender) return;
      formError.value = null;
      const france = values.bornIn === 'france';
      const input: DeclaredIdentityInput = {
        familyName: values.familyName.trim(),
        givenNames: values.givenNames.trim().replace(/\s+/g, ' '),
        birthdate: values.birthdate,
        gender,
        birthcountry: france ? FRANCE : values.birthcountry.trim(),
        birthplace: france ? values.birthplace.trim().toUpperCase() : null,
      };
      busy.value = true;
      try {
        await api().updateMe(input);
        await refreshMe();
        setFlash('/profil', 'success', 'Votre identité a été enregistrée.');
        props.onDone(true);
      } catch (failure) {
        formError.value = failure instanceof ApiError ? (failure.problem.detail ?? fallbackMessage(failure.status)) : fallbackMessage(0);
        if (failure instanceof ApiError) {
          const fields = failure.fieldMessages;
          for (const name of ['familyName', 'givenNames', 'birthdate', 'gender', 'birthplace', 'birthcountry'] as const) errors[name] = fields[name];
        }
      } finally {
        busy.value = false;
      }
    }

    return () => (
      <form class="form" novalidate aria-labelledby="identite-formulaire-titre" onSubmit={save}>
        <h3 id="identite-formulaire-titre" tabindex="-1">
          {props.identity ? 'Modifier mon identité' : 'Compléter mon identité'}
        </h3>
        <p class="hint form-note">Tous les champs sont obligatoires. Saisissez votre identité telle qu’elle figure sur votre acte de naissance.</p>
        {formError.value ? <ErrorAlert id="identite-erreur" title="Enregistrement impossible" message={formError.value} /> : null}
        <TextField
          {...bound('familyName')}
          label="Nom de naissance"
          autocomplete="family-name"
          maxlength={200}
        />
        <TextField
          {...bound('givenNames')}
          label="Prénoms"
          autocomplete="given-name"
          maxlength={300}
          hint="Tous vos prénoms, dans l’ordre de l’état civil, séparés par des espaces."
        />
        <TextField
          {...bound('birthdate')}
          label="Date de naissance"
          type="date"
          autocomplete="bday"
        />
        <RadioGroup
          {...bound('gender')}
          legend="Sexe"
          options={[
            { value: 'female', label: 'Féminin' },
            { value: 'male', label: 'Masculin' },
          ]}
        />
        <RadioGroup
          {...bound('bornIn')}
          legend="Lieu de naissance"
          options={[
            { value: 'france', label: 'En France' },
            { value: 'etranger', label: 'À l’étranger' },
          ]}
        />
        {values.bornIn === 'france' ? (
          <TextField
            {...bound('birthplace')}
            label="Code INSEE de la commune de naissance"
            maxlength={5}
            hint="5 caractères, par exemple 75107 (Paris 7e arrondissement) ou 2A004 (Ajaccio)."
          />
        ) : null}
        {values.bornIn === 'etranger' ? (
          <TextField
            {...bound('birthcountry')}
            label="Code INSEE du pays de naissance"
            maxlength={5}
            hint="5 chiffres commençant par 99, par exemple 99134 (Espagne)."
          />
        ) : null}
        <div class="button-row">
          <button type="submit" class="button" disabled={busy.value}>
            {busy.value ? 'Enregistrement…' : 'Enregistrer mon identité'}
          </button>
          <button type="button" class="button button--secondary" disabled={busy.value} onClick={() => props.onDone(false)}>
            Annuler
          </button>
        </div>
      </form>
    );
  },
});
