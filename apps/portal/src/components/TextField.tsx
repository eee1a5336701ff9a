import { defineComponent, type PropType } from 'vue';
import { FieldError } from './FieldError';

/** Props of every text field and of the fields built on it: id (also the name), value, change callback, error. */
export const TEXT_VALUE_PROPS = {
  id: { type: String, required: true },
  value: { type: String, required: true },
  onUpdate: { type: Function as PropType<(value: string) => void>, required: true },
  error: { type: String as PropType<string | undefined>, default: undefined },
} as const;

/** A labelled input with its hint and its error, tied by aria-describedby (RGAA 11). */
export const TextField = defineComponent({
  name: 'TextField',
  props: {
    ...TEXT_VALUE_PROPS,
    label: { type: String, required: true },
    type: { type: String as PropType<'text' | 'email' | 'password' | 'date'>, default: 'text' },
    maxlength: { type: Number, default: undefined },
    autocomplete: { type: String, default: undefined },
    hint: { type: String, default: undefined },
    required: { type: Boolean, default: true },
  },
  setup(props) {
    return () => {
      const hintId = `${props.id}-aide`;
      const errorId = `${props.id}-erreur`;
      const describedBy = [props.hint ? hintId : null, props.error ? errorId : null].filter((v) => v !== null).join(' ');
      return (
        <div class="field">
          <label for={props.id}>
            {props.label}
            {props.required ? null : <span class="hint"> (facultatif)</span>}
          </label>
          {props.hint ? (
            <p class="hint" id={hintId}>
              {props.hint}
            </p>
          ) : null}
          <FieldError id={errorId} error={props.error} />
          <input
            id={props.id}
            name={props.id}
            type={props.type}
            value={props.value}
            autocomplete={props.autocomplete}
            maxlength={props.maxlength}
            spellcheck={props.type === 'email' || props.type === 'password' ? false : undefined}
            autocapitalize={props.type === 'email' || props.type === 'password' ? 'off' : undefined}
            required={props.required}
            aria-invalid={props.error ? 'true' : undefined}
            aria-describedby={describedBy || undefined}
            onInput={(event: Event) => props.onUpdate((event.target as HTMLInputElement).value)}
          />
        </div>
      );
    };
  },
});
