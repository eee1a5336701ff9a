import { defineComponent, nextTick, reactive, ref } from 'vue';
import { RouterLink } from 'vue-router';
import { ApiError, type Problem } from '../../api/client';
import { auth } from '../../api/endpoints';
import { ProblemSummary, StatusMessage } from '../../components/Feedback';
import { TextField } from '../../components/fields/TextField';
import { Button } from '../../prime/button';
import { emailProblem } from '../../validation';
import { bound } from '../../components/fields/shared';

/** Asks for a reset link. The answer is the same whether the address has an account or not. */
export default defineComponent({
  name: 'ForgottenPasswordPage',
  setup() {
    const form = reactive({ email: '' });
    const errors = reactive<Record<string, string | undefined>>({});
    const problem = ref<Problem | null>(null);
    const sent = ref<string | null>(null);
    const busy = ref(false);

    async function submit(event: Event): Promise<void> {
      event.preventDefault();
      if (busy.value) return;
      problem.value = null;
      errors['email'] = emailProblem(form.email);
      if (errors['email']) {
        await nextTick();
        document.getElementById('email')?.focus();
        return;
      }
      busy.value = true;
      try {
        await auth.requestPasswordReset(form.email.trim());
        sent.value = `Si un compte actif correspond à ${form.email.trim()}, un e-mail contenant un lien de réinitialisation vient de lui être envoyé. Ce lien est valable une heure.`;
      } catch (error) {
        problem.value = error instanceof ApiError ? error.problem : { status: 500, violations: [], reasons: [] };
        if (error instanceof ApiError) Object.assign(errors, error.fieldMessages);
      } finally {
        busy.value = false;
      }
    }

    return () => (
      <div class="container container--narrow">
        <h1 tabindex="-1">Mot de passe oublié</h1>
        <StatusMessage text={sent.value} />
        <form class="card" novalidate onSubmit={(e: Event) => void submit(e)}>
          <p>Saisissez l’adresse e-mail de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe.</p>
          <ProblemSummary problem={problem.value} fields={['email']} title="La demande n’a pas abouti" />
          <TextField id="email" label="Adresse e-mail" type="email" autocomplete="username" required {...bound(form, 'email', errors['email'])} />
          <div class="actions">
            <Button type="submit" label="Recevoir un lien" loading={busy.value} />
            <RouterLink to={{ name: 'login' }}>{{ default: () => 'Retour à la connexion' }}</RouterLink>
          </div>
        </form>
      </div>
    );
  },
});
