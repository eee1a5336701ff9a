import { computed, defineComponent, nextTick, reactive, ref } from 'vue';
import { RouterLink, useRoute, useRouter } from 'vue-router';
import { ApiError, type Problem } from '../../api/client';
import { auth } from '../../api/endpoints';
import { ProblemSummary } from '../../components/Feedback';
import { TextField } from '../../components/fields/TextField';
import { Button } from '../../prime/button';
import { Message } from '../../prime/message';
import { session } from '../../state/session';
import { newPasswordProblem } from '../../validation';
import { NewPasswordFields } from './PasswordForm';

/** The link of an invitation e-mail (`/console/invitation?token=…`): choose a password, then log in. */
export default defineComponent({
  name: 'InvitationPage',
  setup() {
    const route = useRoute();
    const router = useRouter();
    const token = computed(() => (typeof route.query['token'] === 'string' ? route.query['token'] : ''));
    const form = reactive({ displayName: '', password: '', confirmation: '' });
    const errors = reactive<Record<string, string | undefined>>({});
    const problem = ref<Problem | null>(null);
    const busy = ref(false);

    async function submit(event: Event): Promise<void> {
      event.preventDefault();
      if (busy.value) return;
      problem.value = null;
      errors['password'] = newPasswordProblem(form.password);
      errors['confirmation'] = form.confirmation !== form.password ? 'Les deux mots de passe ne sont pas identiques.' : undefined;
      errors['displayName'] = undefined;
      if (errors['password'] || errors['confirmation']) {
        await nextTick();
        document.getElementById(errors['password'] ? 'password' : 'confirmation')?.focus();
        return;
      }
      busy.value = true;
      try {
        const { email } = await auth.acceptInvitation(token.value, form.password, form.displayName.trim() || undefined);
        session.flash = { kind: 'success', text: `Votre compte ${email} est activé. Connectez-vous pour configurer votre application d’authentification.` };
        await router.push({ name: 'login' });
      } catch (error) {
        problem.value = error instanceof ApiError ? error.problem : { status: 500, violations: [], reasons: [] };
        if (error instanceof ApiError) Object.assign(errors, error.fieldMessages);
        await nextTick();
        document.getElementById('invitation-probleme')?.focus();
      } finally {
        busy.value = false;
      }
    }

    return () => (
      <div class="container container--narrow">
        <h1 tabindex="-1">Activer mon compte</h1>
        {token.value === '' ? (
          <Message severity="warn" closable={false}>
            {{ default: () => 'Ce lien d’invitation est incomplet. Ouvrez le lien reçu par e-mail, ou demandez une nouvelle invitation.' }}
          </Message>
        ) : (
          <form class="card" novalidate onSubmit={(e: Event) => void submit(e)}>
            <p>Vous avez été invité(e) sur la console. Choisissez votre mot de passe ; à la première connexion, vous configurerez une application d’authentification.</p>
            <ProblemSummary id="invitation-probleme" problem={problem.value} fields={['password', 'displayName']} title="L’activation n’a pas abouti" />
            <TextField id="displayName" label="Votre nom tel qu’il sera affiché" autocomplete="name" modelValue={form.displayName} onUpdate={(v) => (form.displayName = v)} error={errors['displayName']} />
            <NewPasswordFields
              password={form.password}
              confirmation={form.confirmation}
              onPassword={(v: string) => (form.password = v)}
              onConfirmation={(v: string) => (form.confirmation = v)}
              errors={errors}
            />
            <div class="actions">
              <Button type="submit" label="Activer mon compte" loading={busy.value} />
              <RouterLink to={{ name: 'login' }}>{{ default: () => 'J’ai déjà un compte' }}</RouterLink>
            </div>
          </form>
        )}
      </div>
    );
  },
});
