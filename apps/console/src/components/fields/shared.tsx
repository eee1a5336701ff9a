/** Pieces shared by the form fields: error message and aria-describedby. */

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

