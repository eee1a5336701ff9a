import { defineComponent, type PropType } from 'vue';
import { Select } from '../../prime/select';
import { describedBy, FieldError, TEXT_FIELD_PROPS, type Option } from './shared';
import { FieldHint } from './FieldHint';

/**
 * A labelled drop-down: PrimeVue's Select is a combobox (a focusable element, not an <input>), so
 * it is named by `aria-labelledby` rather than <label for>.
 */
export const SelectField = defineComponent({
  name: 'SelectField',
  props: {
    ...TEXT_FIELD_PROPS,
    options: { type: Array as PropType<readonly Option[]>, required: true },
    /** Shown while nothing is chosen. */
    placeholder: { type: String, default: undefined },
  },
  setup(props) {
    return () => (
      <div class="field">
        <span class="label" id={`${props.id}-libelle`}>
          {props.label}
        </span>
        <FieldHint id={props.id} hint={props.hint} />
        <Select
          labelId={props.id}
          ariaLabelledby={`${props.id}-libelle`}
          options={[...props.options]}
          optionLabel="label"
          optionValue="value"
          placeholder={props.placeholder}
          modelValue={props.modelValue}
          onUpdate:modelValue={(value: string) => props.onUpdate(value)}
          invalid={Boolean(props.error)}
          pt={{ label: { 'aria-describedby': describedBy(props.id, props.hint, props.error) } }}
        />
        <FieldError id={props.id} error={props.error} />
      </div>
    );
  },
});

