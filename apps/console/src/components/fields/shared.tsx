/** Pieces shared by the form fields: common props, error message and aria-describedby. */
import type { PropType } from 'vue';

/** Props of every field: its id (also the input's name), its label and an optional hint under it. */
export const FIELD_PROPS = {
  id: { type: String, required: true },
  label: { type: String, required: true },
  hint: { type: String, default: undefined },
} as const;

/** The value of a text-valued field, the callback that changes it, and its error message. */
export const TEXT_FIELD_PROPS = {
  ...FIELD_PROPS,
  modelValue: { type: String, required: true },
  onUpdate: { type: Function as PropType<(value: string) => void>, required: true },
  error: { type: String as PropType<string | undefined>, default: undefined },
} as const;

export function describedBy(id: string, hint: string | undefined, error: string | undefined, extra?: string): string | undefined {
  const ids = [hint ? `${id}-aide` : null, error ? `${id}-erreur` : null, extra ?? null].filter((v) => v !== null);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function FieldError(props: { id: string; error?: string }) {
  return props.error ? (
    <p class="field-error" id={`${props.id}-erreur`}>
      <span class="visually-hidden">Erreur : </span>
      {props.error}
    </p>
  ) : null;
}

export interface Option<V extends string = string> {
  readonly value: V;
  readonly label: string;
}

