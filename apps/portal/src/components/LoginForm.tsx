import { defineComponent } from 'vue';
import { useRouter } from 'vue-router';
import { ApiError, fallbackMessage } from '../api';
import { api, refreshMe, setFlash } from '../session';
import { emailProblem, reportInvalidFields, requiredProblem } from '../validation';
import { usePortalForm } from '../form';
import { ErrorAlert } from './Alert';
import { EmailField } from './EmailField';
import { TextField } from './TextField';

/** Login with a local account (e-mail and password). */
export const LoginForm = defineComponent({
  name: 'LoginForm',
  setup() {
    const router = useRouter();
    const { values, errors, formError, busy, field } = usePortalForm({ email: '', password: '' });

    async function submit(event: Event): Promise<void> {
      event.preventDefault();
      if (busy.value) return;
      errors.email = emailProblem(values.email);
      errors.password = requiredProblem(values.password, 'Saisissez votre mot de passe.');
      if (reportInvalidFields(formError, [['connexion-email', errors.email], ['connexion-mot-de-passe', errors.password]])) return;
      formError.value = null;
      busy.value = true;
      try {
        await api().login({ email: values.email.trim(), password: values.password });
        await refreshMe();
        setFlash('/profil', 'success', 'Vous êtes connecté(e).');
        await router.push('/profil');
      } catch (error) {
        const failure = error instanceof ApiError ? error : new ApiError({ status: 0 });
        formError.value = failure.status === 401 && !failure.problem.detail ? 'Adresse e-mail ou mot de passe incorrect.' : failure.problem.detail ?? fallbackMessage(failure.status);
        const fieldErrors = failure.fieldMessages;
        errors.email = fieldErrors['email'];
        errors.password = fieldErrors['password'];
        values.password = '';
      } finally {
        busy.value = false;
      }
    }

    return () => (
      <form class="form" novalidate aria-labelledby="connexion-email-titre" onSubmit={submit}>
        <h3 id="connexion-email-titre">Se connecter avec une adresse e-mail</h3>
        <p class="hint form-note">Tous les champs sont obligatoires sauf mention contraire.</p>
        {formError.value ? <ErrorAlert id="connexion-erreur" title="Connexion impossible" message={formError.value} /> : null}
        <EmailField id="connexion-email" {...field('email')} />
        <TextField
          id="connexion-mot-de-passe"
          label="Mot de passe"
          type="password"
          autocomplete="current-password"
          {...field('password')}
        />
        <button class="button" type="submit" disabled={busy.value}>
          {busy.value ? 'Connexion en cours…' : 'Se connecter'}
        </button>
      </form>
    );
  },
});
