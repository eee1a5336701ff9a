/** A field's error message (`id` is the element named by the field's aria-describedby), when it has one. */
export function FieldError(props: { id: string; error?: string | undefined }) {
  return props.error ? (
    <p class="field-error" id={props.id}>
      <span class="visually-hidden">Erreur : </span>
      {props.error}
    </p>
  ) : null;
}
