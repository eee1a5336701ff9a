import { defineComponent } from 'vue';
import { Textarea } from '../../prime/textarea';
import { FieldHint } from './FieldHint';
import { FieldLabel } from './FieldLabel';
import { FieldError, inputAttributes, TEXT_FIELD_PROPS } from './shared';

/** A labelled multi-line input with its hint and its error. */
export const TextareaField = defineComponent({
  name: 'TextareaField',
  props: {
    ...TEXT_FIELD_PROPS,
    required: { type: Boolean, default: false },
    rows: { type: Number, default: 3 },
    maxlength: { type: Number, default: undefined },
  },
  setup(props) {
    return () => (
      <div class="field">
        <FieldLabel id={props.id} label={props.label} optional={!props.required} />
        <FieldHint id={props.id} hint={props.hint} />
        <Textarea
          {...inputAttributes(props)}
          rows={props.rows}
          maxlength={props.maxlength}
          modelValue={props.modelValue}
          onUpdate:modelValue={(value: string) => props.onUpdate(value)}
          required={props.required}
        />
        <FieldError id={props.id} error={props.error} />
      </div>
    );
  },
});

