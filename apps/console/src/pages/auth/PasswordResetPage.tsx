import { computed, defineComponent, nextTick, reactive, ref } from 'vue';
import { RouterLink, useRoute, useRouter } from 'vue-router';
import { ApiError, type Problem } from '../../api/client';
import { auth } from '../../api/endpoints';
import { ProblemSummary } from '../../components/Feedback';
import { Button } from '../../prime/button';
import { Message } from '../../prime/message';
import { forgetSession } from '../../state/session';
import { newPasswordProblem } from '../../validation';
import { NewPasswordFields } from './PasswordForm';

/** The link of a password-reset e-mail (`/console/password-reset?token=…`). */
export default defineComponent({
  name: 'PasswordResetPage',
  setup() {
    const route = useRoute();
    const router = useRouter();
    const token = computed(() => (typeof route.query['token'] === 'string' ? route.query['token'] : ''));
    const form = reactive({ password: '', confirmation: '' });
    const errors = reactive<Record<string, string | undefined>>({});
    const problem = ref<Problem | null>(null);
    const busy = ref(false);

    async function submit(event: Event): Promise<void> {
      event.preventDefault();
      if (busy.value) return;
      problem.value = null;
      errors['password'] = newPasswordProblem(form.password);
      errors['confirmation'] = form.confirmation !== form.password ? 'Les deux mots de passe ne sont pas identiques.' : undefined;
      if (errors['password'] || errors['confirmation']) {
        await nextTick();
        document.getElementById(errors['password'] ? 'password' : 'confirmation')?.focus();
        return;
      }
      busy.value = true;
      try {
        await auth.completePasswordReset(token.value, form.password);
        // Every session of the account has just been closed by the API.
        forgetSession({ kind: 'success', text: 'Votre mot de passe a été changé et vos sessions ouvertes ont été fermées. Connectez-vous avec le nouveau mot de passe.' });
        await router.push({ name: 'login' });
      } catch (error) {
        problem.value = error instanceof ApiError ? error.problem : { status: 500, violations: [], reasons: [] };
        if (error instanceof ApiError) Object.assign(errors, error.fieldMessages);
        await nextTick();
        document.getElementById('reinitialisation-probleme')?.focus();
      } finally {
        busy.value = false;
      }
    }

    return () => (
      <div class="container container--narrow">
        <h1 tabindex="-1">Choisir un nouveau mot de passe</h1>
        {token.value === '' ? (
          <Message severity="warn" closable={false}>
            {{ default: () => 'Ce lien de réinitialisation est incomplet. Ouvrez le lien reçu par e-mail, ou faites une nouvelle demande.' }}
          </Message>
        ) : (
          <form class="card" novalidate onSubmit={(e: Event) => void submit(e)}>
            <ProblemSummary id="reinitialisation-probleme" problem={problem.value} fields={['password']} title="Le mot de passe n’a pas été changé" />
            <NewPasswordFields
              password={form.password}
              confirmation={form.confirmation}
              onPassword={(v: string) => (form.password = v)}
              onConfirmation={(v: string) => (form.confirmation = v)}
              errors={errors}
            />
            <div class="actions">
              <Button type="submit" label="Enregistrer le mot de passe" loading={busy.value} />
              <RouterLink to={{ name: 'forgotten-password' }}>{{ default: () => 'Demander un nouveau lien' }}</RouterLink>
            </div>
          </form>
        )}
      </div>
    );
  },
});
