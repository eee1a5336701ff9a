import { defineComponent, type PropType } from 'vue';
import { FieldError } from './FieldError';

/** A group of radio buttons in a fieldset with its legend (RGAA 11.5, 11.6). */
export const RadioGroup = defineComponent({
  name: 'RadioGroup',
  props: {
    id: { type: String, required: true },
    legend: { type: String, required: true },
    options: { type: Array as PropType<readonly { readonly value: string; readonly label: string }[]>, required: true },
    value: { type: String, required: true },
    onUpdate: { type: Function as PropType<(value: string) => void>, required: true },
    error: { type: String as PropType<string | undefined>, default: undefined },
  },
  setup(props) {
    return () => {
      const errorId = `${props.id}-erreur`;
      return (
        <fieldset class="field fieldset" id={props.id} aria-describedby={props.error ? errorId : undefined}>
          <legend>{props.legend}</legend>
          <FieldError id={errorId} error={props.error} />
          <div class="radios">
            {props.options.map((option) => (
              <div class="radio" key={option.value}>
                <input
                  type="radio"
                  id={`${props.id}-${option.value}`}
                  name={props.id}
                  value={option.value}
                  checked={props.value === option.value}
                  aria-invalid={props.error ? 'true' : undefined}
                  onChange={() => props.onUpdate(option.value)}
                />
                <label for={`${props.id}-${option.value}`}>{option.label}</label>
              </div>
            ))}
          </div>
        </fieldset>
      );
    };
  },
});
