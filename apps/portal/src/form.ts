import { reactive, ref, type Ref } from 'vue';

/** The state of a portal form (see {@link usePortalForm}). */
export interface PortalForm<V extends Record<string, string>> {
  readonly values: V;
  /** Each field's message (none: the field is valid). */
  readonly errors: Partial<Record<keyof V, string>>;
  /** The message above the form (a refusal, or « le formulaire contient des erreurs »). */
  readonly formError: Ref<string | null>;
  /** True while the form is being sent. */
  readonly busy: Ref<boolean>;
  /** The props that tie a field to the value `name` and its error: spread on the field with its `id`. */
  field(name: keyof V & string): { value: string; error: string | undefined; onUpdate: (value: string) => void };
}

/** The state every form of the portal keeps, starting from `initial` values. */
export function usePortalForm<V extends Record<string, string>>(initial: V): PortalForm<V> {
  const values = reactive({ ...initial }) as V;
  const errors = reactive({}) as Partial<Record<keyof V, string>>;
  return {
    values,
    errors,
    formError: ref<string | null>(null),
    busy: ref(false),
    field: (name) => ({
      value: values[name],
      error: errors[name],
      onUpdate: (value: string) => {
        (values as Record<string, string>)[name] = value;
      },
    }),
  };
}
