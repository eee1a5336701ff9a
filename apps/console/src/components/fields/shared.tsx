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

/** A field's value, the callback that changes it and, when given, its error: the props that tie a field to a form. */
export interface Bound<V> {
  readonly modelValue: V;
  readonly onUpdate: (value: V) => void;
  readonly error?: string | undefined;
}

/**
 * Ties a field to the property `key` of a reactive `form` (and to its error, for the fields that
 * show one): spread on the field, `<TextField id="ds" label="…" {...bound(form, 'dsFileNumber', errors['dsFileNumber'])} />`.
 */
export function bound<F extends object, K extends keyof F>(form: F, key: K, ...error: [string | undefined] | []): Bound<F[K]> {
  const tie = {
    modelValue: form[key],
    onUpdate: (value: F[K]) => {
      form[key] = value;
    },
  };
  return error.length > 0 ? { ...tie, error: error[0] } : tie;
}

export function describedBy(id: string, hint: string | undefined, error: string | undefined, extra?: string): string | undefined {
  const ids = [hint ? `${id}-aide` : null, error ? `${id}-erreur` : null, extra ?? null].filter((v) => v !== null);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/**
 * The attributes that tie an input to its label, hint and error (RGAA 11): its id (also its name),
 * its invalid state and `aria-describedby` (`extra`: another element describing it).
 */
export function inputAttributes(props: { readonly id: string; readonly hint?: string | undefined; readonly error?: string | undefined }, extra?: string) {
  return {
    id: props.id,
    name: props.id,
    invalid: Boolean(props.error),
    'aria-invalid': props.error ? ('true' as const) : undefined,
    'aria-describedby': describedBy(props.id, props.hint, props.error, extra),
  };
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

