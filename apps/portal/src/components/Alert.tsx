import type { FunctionalComponent } from 'vue';

/** An error announced at once (role="alert"), with an optional title. */
export const ErrorAlert: FunctionalComponent<{ title?: string; message: string; id?: string }> = (props) => (
  <div class="alert alert--error" role="alert" id={props.id}>
    {props.title ? <p class="alert-title">{props.title}</p> : null}
    <p>{props.message}</p>
  </div>
);
