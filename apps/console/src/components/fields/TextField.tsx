import { defineComponent, type PropType } from 'vue';
import { InputText } from '../../prime/inputtext';
import { FieldHint } from './FieldHint';
import { FieldLabel } from './FieldLabel';
import { FieldError, inputAttributes, TEXT_FIELD_PROPS } from './shared';

/** A labelled text input with its hint and its error, tied by aria-describedby (RGAA 11). */
export const TextField = defineComponent({
  name: 'TextField',
  props: {
    ...TEXT_FIELD_PROPS,
    type: { type: String as PropType<'text' | 'email' | 'password' | 'url' | 'tel' | 'date'>, default: 'text' },
    required: { type: Boolean, default: false },
    autocomplete: { type: String, default: undefined },
    inputmode: { type: String as PropType<'text' | 'numeric' | 'email' | 'url' | 'tel'>, default: undefined },
    maxlength: { type: Number, default: undefined },
    /** Another element describing the field (e.g. a live check under it). */
    describedBy: { type: String, default: undefined },
    readonly: { type: Boolean, default: false },
    /** Says « (facultatif) » after the label of an optional field (not wanted on filters). */
    optionalMark: { type: Boolean, default: true },
  },
  setup(props) {
    return () => {
      const secret = props.type === 'password' || props.type === 'email';
      return (
        <div class="field">
          <FieldLabel id={props.id} label={props.label} optional={!props.required && props.optionalMark} />
          <FieldHint id={props.id} hint={props.hint} />
          <InputText
            {...inputAttributes(props, props.describedBy)}
            type={props.type}
            modelValue={props.modelValue}
            onUpdate:modelValue={(value: string | undefined) => props.onUpdate(value ?? '')}
            autocomplete={props.autocomplete}
            inputmode={props.inputmode}
            maxlength={props.maxlength}
            spellcheck={secret ? false : undefined}
            autocapitalize={secret ? 'off' : undefined}
            required={props.required}
            readonly={props.readonly}
          />
          <FieldError id={props.id} error={props.error} />
        </div>
      );
    };
  },
});

