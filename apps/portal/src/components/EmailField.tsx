import { defineComponent } from 'vue';
import { TEXT_VALUE_PROPS, TextField } from './TextField';

/** The e-mail address field of the portal's forms (login, sign-up, profile). */
export const EmailField = defineComponent({
  name: 'EmailField',
  props: {
    ...TEXT_VALUE_PROPS,
    required: { type: Boolean, default: true },
  },
  setup(props) {
    return () => (
      <TextField
        id={props.id}
        label="Adresse e-mail"
        type="email"
        autocomplete="email"
        required={props.required}
        hint="Format attendu : nom@exemple.fr"
        value={props.value}
        error={props.error}
        onUpdate={props.onUpdate}
      />
    );
  },
});
