import { defineComponent } from 'vue';
import { TEXT_VALUE_PROPS, TextField } from './TextField';

/** The optional usage name field (sign-up, profile). */
export const UsageNameField = defineComponent({
  name: 'UsageNameField',
  props: {
    ...TEXT_VALUE_PROPS,
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
