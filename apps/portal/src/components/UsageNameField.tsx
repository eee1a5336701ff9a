import { defineComponent, type PropType } from 'vue';
import { TextField } from './TextField';

/** The optional usage name field (sign-up, profile). */
export const UsageNameField = defineComponent({
  name: 'UsageNameField',
  props: {
    id: { type: String, required: true },
    value: { type: String, required: true },
    onUpdate: { type: Function as PropType<(value: string) => void>, required: true },
    error: { type: String as PropType<string | undefined>, default: undefined },
  },
  setup(props) {
    return () => (
      <TextField
        id={props.id}
        label="Nom d'usage"
        autocomplete="family-name"
        required={false}
        hint="Le nom que vous utilisez au quotidien, s'il diffère de votre nom de naissance."
        value={props.value}
        error={props.error}
        onUpdate={props.onUpdate}
      />
    );
  },
});
