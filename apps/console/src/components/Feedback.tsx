import { defineComponent, type PropType } from 'vue';
import { ApiError, messageOf, type Problem } from '../api/client';
import { Button } from '../prime/button';
import { Message } from '../prime/message';
import { ProgressSpinner } from '../prime/progressspinner';

/** « Chargement… » with a spinner; announced politely, never steals the focus. */
export const LoadingState = defineComponent({
  name: 'LoadingState',
  props: { label: { type: String, default: 'Chargement…' } },
  setup(props) {
    return () => (
      <div class="loading" role="status">
        <ProgressSpinner style={{ width: '1.75rem', height: '1.75rem' }} strokeWidth="6" aria-hidden="true" />
        <span>{props.label}</span>
      </div>
    );
  },
});

/** A failed load: what went wrong in French, and « Réessayer ». A 404 reads « … introuvable ». */
export const ErrorState = defineComponent({
  name: 'ErrorState',
  props: {
    error: { type: Object as PropType<ApiError | null>, default: null },
    onRetry: { type: Function as PropType<() => void>, default: undefined },
    /** Shown for a 404 instead of the API's sentence. */
    notFound: { type: String, default: undefined },
  },
  setup(props) {
    return () => {
      const status = props.error?.status ?? 500;
      const text = status === 404 && props.notFound ? props.notFound : messageOf(props.error);
      return (
        <div class="problem" role="alert">
          <Message severity={status === 404 ? 'warn' : 'error'} closable={false}>
            {{
              default: () => (
                <div>
                  <p>{text}</p>
                  {props.onRetry && status !== 404 && status !== 403 ? (
                    <Button type="button" label="Réessayer" severity="secondary" size="small" onClick={() => props.onRetry?.()} />
                  ) : null}
                </div>
              ),
            }}
          </Message>
        </div>
      );
    };
  },
});

/**
 * The problem of a refused action, above its form (role="alert"): the API's French `detail`,
 * the business reasons (`reasons[]`) and the field messages that have no field on screen.
 */
export const ProblemSummary = defineComponent({
  name: 'ProblemSummary',
  props: {
    problem: { type: Object as PropType<Problem | null>, default: null },
    /** Field paths shown next to their field (left out of the list). */
    fields: { type: Array as PropType<readonly string[]>, default: () => [] },
    id: { type: String, default: undefined },
    title: { type: String, default: 'L’action n’a pas abouti' },
  },
  setup(props) {
    return () => {
      const problem = props.problem;
      if (!problem) return null;
      const detail = problem.detail ?? new ApiError(problem).userMessage;
      const reasons = problem.reasons.map((r) => r.message);
      const loose = problem.violations.filter((v) => !props.fields.includes(v.path)).map((v) => (v.path ? `${v.path} : ${v.message}` : v.message));
      const items = reasons.length > 0 ? reasons : loose;
      return (
        <div class="problem" role="alert" id={props.id} tabindex="-1">
          <Message severity="error" closable={false}>
            {{
              default: () => (
                <div>
                  <p>
                    <strong>{props.title}</strong>
                  </p>
                  {reasons.length > 0 ? <p>Motif{reasons.length > 1 ? 's' : ''} :</p> : <p>{detail}</p>}
                  {items.length > 0 ? (
                    <ul>
                      {items.map((text) => (
                        <li key={text}>{text}</li>
                      ))}
                    </ul>
                  ) : null}
                </div>
              ),
            }}
          </Message>
        </div>
      );
    };
  },
});

/** A polite live region for « Enregistré. » messages (present in the page before it speaks). */
export const StatusMessage = defineComponent({
  name: 'StatusMessage',
  props: { text: { type: String as PropType<string | null>, default: null }, id: { type: String, default: undefined } },
  setup(props) {
    return () => (
      <div role="status" class="status-region" id={props.id}>
        {props.text ? (
          <Message severity="success" closable={false}>
            {{ default: () => props.text }}
          </Message>
        ) : null}
      </div>
    );
  },
});
