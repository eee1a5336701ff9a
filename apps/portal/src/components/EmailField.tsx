import { defineComponent, type PropType } from 'vue';
import { TextField } from './TextField';

/** The e-mail address field of the portal's forms (login, sign-up, profile). */
export const EmailField = defineComponent({
  name: 'EmailField',
  props: {
    id: { type: String, required: true },
    value: { type: String, required: true },
    onUpdate: { type: Function as PropType<(value: string) => void>, required: true },
    error: { type: String as PropType<string | undefined>, default: undefined },
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
