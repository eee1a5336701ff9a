import { defineComponent, type PropType } from 'vue';
import { Checkbox } from '../../prime/checkbox';

/** A checkbox with its label on the right. */
export const CheckboxField = defineComponent({
  name: 'CheckboxField',
  props: {
    id: { type: String, required: true },
    label: { type: String, required: true },
    modelValue: { type: Boolean, required: true },
    onUpdate: { type: Function as PropType<(value: boolean) => void>, required: true },
    disabled: { type: Boolean, default: false },
    hint: { type: String, default: undefined },
  },
  setup(props) {
    return () => (
      <div class="check-field">
        <Checkbox
          inputId={props.id}
          name={props.id}
          binary
          disabled={props.disabled}
          modelValue={props.modelValue}
          onUpdate:modelValue={(value: boolean) => props.onUpdate(value)}
          aria-describedby={props.hint ? `${props.id}-aide` : undefined}
        />
        <label for={props.id}>{props.label}</label>
        {props.hint ? (
          <span class="hint muted" id={`${props.id}-aide`}>
            {props.hint}
          </span>
        ) : null}
      </div>
    );
  },
});
