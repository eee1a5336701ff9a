import { defineComponent, type PropType } from 'vue';
import { Checkbox } from '../../prime/checkbox';
import { FIELD_PROPS } from './shared';

/** A checkbox with its label on the right. */
export const CheckboxField = defineComponent({
  name: 'CheckboxField',
  props: {
    ...FIELD_PROPS,
    modelValue: { type: Boolean, required: true },
    onUpdate: { type: Function as PropType<(value: boolean) => void>, required: true },
    disabled: { type: Boolean, default: false },
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
