import { defineComponent, type PropType } from 'vue';
import { TextField } from '../../components/fields/TextField';
import { PASSWORD_MIN_LENGTH } from '../../validation';

/** A new password and its confirmation, with the policy in the hint. */
export const NewPasswordFields = defineComponent({
  name: 'NewPasswordFields',
  props: {
    password: { type: String, required: true },
    confirmation: { type: String, required: true },
    onPassword: { type: Function as PropType<(value: string) => void>, required: true },
    onConfirmation: { type: Function as PropType<(value: string) => void>, required: true },
    errors: { type: Object as PropType<Record<string, string | undefined>>, required: true },
  },
  setup(props) {
    return () => (
      <>
        <TextField
          id="password"
          label="Nouveau mot de passe"
          type="password"
          autocomplete="new-password"
          required
          hint={`Au moins ${PASSWORD_MIN_LENGTH} caractères ; une phrase de plusieurs mots est un bon choix. Évitez votre adresse e-mail et les mots de passe courants.`}
          modelValue={props.password}
          onUpdate={props.onPassword}
          error={props.errors['password']}
        />
        <TextField
          id="confirmation"
          label="Confirmation du mot de passe"
          type="password"
          autocomplete="new-password"
          required
          modelValue={props.confirmation}
          onUpdate={props.onConfirmation}
          error={props.errors['confirmation']}
        />
      </>
    );
  },
});
