/** A field's label, with « (facultatif) » after it when `optional`. */
export function FieldLabel(props: { id: string; label: string; optional: boolean }) {
  return (
    <label for={props.id}>
      {props.label}
      {props.optional ? <span class="muted"> (facultatif)</span> : null}
    </label>
  );
}
