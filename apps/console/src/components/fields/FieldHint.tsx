/** A field's hint (`<id>-aide`, named by the field's aria-describedby), when it has one. */
export function FieldHint(props: { id: string; hint?: string | undefined }) {
  return props.hint ? (
    <p class="hint" id={`${props.id}-aide`}>
      {props.hint}
    </p>
  ) : null;
}
