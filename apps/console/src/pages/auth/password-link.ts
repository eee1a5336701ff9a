import { computed, nextTick, reactive, ref, type ComputedRef, type Ref } from 'vue';
import { useRoute } from 'vue-router';
import { ApiError, type Problem } from '../../api/client';
import { newPasswordProblem } from '../../validation';

/** What the pages opened from an e-mail link (`…?token=…`) ask for: a new password and its confirmation. */
export interface PasswordPair {
  password: string;
  confirmation: string;
}

/** What `usePasswordLinkForm` gives its page. */
export interface PasswordLinkForm<F extends Record<string, string> = Record<string, string>> {
  readonly token: ComputedRef<string>;
  readonly form: F & PasswordPair;
  readonly errors: Record<string, string | undefined>;
  readonly problem: Ref<Problem | null>;
  readonly busy: Ref<boolean>;
  submit(event: Event): Promise<void>;
}

/**
 * The state and the submission of a page opened from an e-mail link that chooses a password
 * (invitation, password reset): `extra` holds the page's other fields (their errors are cleared
 * on each submission), `problemId` the summary focused when the API refuses, and `send` the call
 * made with the link's token once the password and its confirmation are valid.
 */
export function usePasswordLinkForm<F extends Record<string, string>>(extra: F, problemId: string, send: (token: string, form: F & PasswordPair) => Promise<void>): PasswordLinkForm<F> {
  const route = useRoute();
  const token = computed(() => (typeof route.query['token'] === 'string' ? route.query['token'] : ''));
  const form = reactive({ ...extra, password: '', confirmation: '' }) as F & PasswordPair;
  const errors = reactive<Record<string, string | undefined>>({});
  const problem = ref<Problem | null>(null);
  const busy = ref(false);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    if (busy.value) return;
    problem.value = null;
    errors['password'] = newPasswordProblem(form.password);
    errors['confirmation'] = form.confirmation !== form.password ? 'Les deux mots de passe ne sont pas identiques.' : undefined;
    for (const key of Object.keys(extra)) errors[key] = undefined;
    if (errors['password'] || errors['confirmation']) {
      await nextTick();
      document.getElementById(errors['password'] ? 'password' : 'confirmation')?.focus();
      return;
    }
    busy.value = true;
    try {
      await send(token.value, form);
    } catch (error) {
      problem.value = error instanceof ApiError ? error.problem : { status: 500, violations: [], reasons: [] };
      if (error instanceof ApiError) Object.assign(errors, error.fieldMessages);
      await nextTick();
      document.getElementById(problemId)?.focus();
    } finally {
      busy.value = false;
    }
  }

  return { token, form, errors, problem, busy, submit };
}
