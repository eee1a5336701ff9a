import { defineComponent, type PropType } from 'vue';
import { RouterLink } from 'vue-router';
import type { Problem } from '../../api/client';
import { ProblemSummary } from '../../components/Feedback';
import { Button } from '../../prime/button';
import { Message } from '../../prime/message';
import { NewPasswordFields } from './PasswordForm';
import type { PasswordPair } from './password-link';

/**
 * The page of an e-mail link that chooses a password: a warning when the link has no token, else
 * the form (the `intro` slot before the problem summary, the `fields` slot before the password).
 */
export const PasswordLinkPage = defineComponent({
  name: 'PasswordLinkPage',
  props: {
    title: { type: String, required: true },
    incompleteText: { type: String, required: true },
    token: { type: String, required: true },
    form: { type: Object as PropType<PasswordPair>, required: true },
    errors: { type: Object as PropType<Record<string, string | undefined>>, required: true },
    problem: { type: Object as PropType<Problem | null>, default: null },
    problemId: { type: String, required: true },
    problemFields: { type: Array as PropType<string[]>, required: true },
    problemTitle: { type: String, required: true },
    busy: { type: Boolean, required: true },
    submitLabel: { type: String, required: true },
    linkTo: { type: String, required: true },
    linkText: { type: String, required: true },
    onSubmit: { type: Function as PropType<(event: Event) => void>, required: true },
  },
  setup(props, { slots }) {
    return () => (
      <div class="container container--narrow">
        <h1 tabindex="-1">{props.title}</h1>
        {props.token === '' ? (
          <Message severity="warn" closable={false}>
            {{ default: () => props.incompleteText }}
          </Message>
        ) : (
          <form class="card" novalidate onSubmit={(e: Event) => props.onSubmit(e)}>
            {slots['intro']?.()}
            <ProblemSummary id={props.problemId} problem={props.problem} fields={props.problemFields} title={props.problemTitle} />
            {slots['fields']?.()}
            <NewPasswordFields
              password={props.form.password}
              confirmation={props.form.confirmation}
              onPassword={(v: string) => (props.form.password = v)}
              onConfirmation={(v: string) => (props.form.confirmation = v)}
              errors={props.errors}
            />
            <div class="actions">
              <Button type="submit" label={props.submitLabel} loading={props.busy} />
              <RouterLink to={{ name: props.linkTo }}>{{ default: () => props.linkText }}</RouterLink>
            </div>
          </form>
        )}
      </div>
    );
  },
});
