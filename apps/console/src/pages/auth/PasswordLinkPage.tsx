import { defineComponent, type PropType } from 'vue';
import { RouterLink } from 'vue-router';
import { ProblemSummary } from '../../components/Feedback';
import { Button } from '../../prime/button';
import { Message } from '../../prime/message';
import { NewPasswordFields } from './PasswordForm';
import type { PasswordLinkForm } from './password-link';

/**
 * The page of an e-mail link that chooses a password: a warning when the link has no token, else
 * the form (the `intro` slot before the problem summary, the `fields` slot before the password).
 */
export const PasswordLinkPage = defineComponent({
  name: 'PasswordLinkPage',
  props: {
    title: { type: String, required: true },
    incompleteText: { type: String, required: true },
    /** The state and the submission, from `usePasswordLinkForm`. */
    link: { type: Object as PropType<PasswordLinkForm>, required: true },
    problemId: { type: String, required: true },
    problemFields: { type: Array as PropType<string[]>, required: true },
    problemTitle: { type: String, required: true },
    submitLabel: { type: String, required: true },
    linkTo: { type: String, required: true },
    linkText: { type: String, required: true },
  },
  setup(props, { slots }) {
    return () => {
      const { token, form, errors, problem, busy, submit } = props.link;
      return (
        <div class="container container--narrow">
          <h1 tabindex="-1">{props.title}</h1>
          {token.value === '' ? (
            <Message severity="warn" closable={false}>
              {{ default: () => props.incompleteText }}
            </Message>
          ) : (
            <form class="card" novalidate onSubmit={(e: Event) => void submit(e)}>
              {slots['intro']?.()}
              <ProblemSummary id={props.problemId} problem={problem.value} fields={props.problemFields} title={props.problemTitle} />
              {slots['fields']?.()}
              <NewPasswordFields
                password={form.password}
                confirmation={form.confirmation}
                onPassword={(v: string) => (form.password = v)}
                onConfirmation={(v: string) => (form.confirmation = v)}
                errors={errors}
              />
              <div class="actions">
                <Button type="submit" label={props.submitLabel} loading={busy.value} />
                <RouterLink to={{ name: props.linkTo }}>{{ default: () => props.linkText }}</RouterLink>
              </div>
            </form>
          )}
        </div>
      );
    };
  },
});
